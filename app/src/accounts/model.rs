//! Plain account data shared by the browser and the server. Secrets
//! (password hashes, token hashes) never appear here.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::Role;

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

/// One line of the audit log. Server-only until an admin page shows it.
#[cfg(feature = "ssr")]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditRecord {
    pub id: i64,
    pub at: DateTime<Utc>,
    /// The member who acted; `None` for the command line and anonymous attempts.
    pub actor_id: Option<i64>,
    pub action: String,
    pub subject: String,
    pub detail: serde_json::Value,
    pub client_addr: Option<String>,
}
