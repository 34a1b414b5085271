//! Plain account data shared by the browser and the server. Secrets
//! (password hashes, token hashes) never appear here.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

// The role is plain data too; its file also holds what each role may do.
pub use super::role::Role;

/// A member of the team.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    pub id: i64,
    /// The display name, used in attributions.
    pub name: String,
    pub role: Role,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub deactivated_at: Option<DateTime<Utc>>,
    /// The UI language the member chose (`en`, `ja`); `None` follows the browser.
    pub language: Option<String>,
    /// An IANA time zone (`Asia/Tokyo`); `None` follows the browser.
    pub time_zone: Option<String>,
}

/// An API token as its owner sees it in a list: never the token itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiTokenInfo {
    pub id: i64,
    pub member_id: i64,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// One line of the audit log, as admins see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditRecord {
    pub id: i64,
    pub at: DateTime<Utc>,
    /// The member who acted; `None` for the command line and anonymous attempts.
    pub actor_id: Option<i64>,
    pub actor_name: Option<String>,
    pub action: String,
    pub subject: String,
    pub detail: serde_json::Value,
    pub client_addr: Option<String>,
}

/// What an invitation link is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum InvitePurpose {
    /// First-run setup: creates the first admin, who picks their own name.
    Setup,
    /// An admin's invitation for a named member with a role.
    Invite,
}

/// An invitation as admins (and, for its own link, the invitee) see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invite {
    pub id: i64,
    pub purpose: InvitePurpose,
    /// Who is invited; `None` for the setup link.
    pub name: Option<String>,
    pub role: Role,
    /// The admin who sent it.
    pub created_by: Option<String>,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

impl Invite {
    pub fn is_expired(&self, now: DateTime<Utc>) -> bool {
        self.expires_at <= now
    }
}

/// A newly made invitation and its link, which is shown only once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentInvite {
    pub invite: Invite,
    pub url: String,
}

/// A newly made API token and the token itself, shown only once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedToken {
    pub info: ApiTokenInfo,
    pub token: String,
}

/// The account page's data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountOverview {
    pub member: Member,
    pub sessions: i64,
    pub tokens: Vec<ApiTokenInfo>,
}

/// The members page's data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MembersOverview {
    pub members: Vec<Member>,
    pub invites: Vec<Invite>,
}
