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
