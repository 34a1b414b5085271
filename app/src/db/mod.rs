//! Database queries, one file per table group. Server-only.

pub mod candidates;
pub mod deliveries;
pub mod events;
pub mod feeds;
pub mod filter_rules;
pub mod imports;
pub mod inbox;
pub mod invites;
pub mod issue_sections;
pub mod issue_view;
pub mod issues;
pub mod members;
pub mod notes;
pub mod opml;
pub mod pick_trash;
pub mod picks;
pub mod presence;
pub mod publish;
pub mod revisions;
pub mod sections;
pub mod sessions;
pub mod settings;
pub mod sign_in;
pub mod triage;
pub mod webhooks;

/// A stored message (`lang::model::Stored`) read back from its jsonb
/// column. One of a name this build does not know (stored by a newer
/// build) is `None`, and the English words kept beside it are shown.
pub(crate) fn stored_message(
    value: Option<serde_json::Value>,
) -> Option<crate::lang::model::Stored> {
    value.and_then(|value| serde_json::from_value(value).ok())
}
