//! Who makes a change (a member on the web or API, someone not yet signed
//! in, or the command line), and the audit entry that records it with the
//! change, in the change's own transaction.

use serde_json::json;

use super::{
    identity::{current_client, require, Client},
    Member, Role,
};
use crate::{
    db::members::{self as db, AuditEntry},
    error::AppError,
};

/// Who is making a change, for the audit log.
#[derive(Debug, Clone)]
pub struct Actor {
    /// `None` for the command line, which acts with the server operator's authority.
    pub member_id: Option<i64>,
    /// Where the change came from: `cli` or `web`.
    pub via: &'static str,
    pub client_addr: Option<String>,
}

impl Actor {
    pub fn command_line() -> Self {
        Self {
            member_id: None,
            via: "cli",
            client_addr: None,
        }
    }

    /// A signed-in member acting through the web app or the API.
    pub fn web(member: &Member, client: &Client) -> Self {
        Self {
            member_id: Some(member.id),
            via: "web",
            client_addr: Some(client.addr.clone()),
        }
    }

    /// Someone not (yet) signed in: sign-in attempts, setup, invitations.
    pub fn anonymous(client: &Client) -> Self {
        Self {
            member_id: None,
            via: "web",
            client_addr: Some(client.addr.clone()),
        }
    }

    pub(crate) fn entry<'a>(
        &'a self,
        action: &'a str,
        subject: &'a str,
        detail: serde_json::Value,
    ) -> AuditEntry<'a> {
        let mut detail = detail;
        detail["via"] = json!(self.via);
        AuditEntry {
            actor_id: self.member_id,
            action,
            subject,
            detail,
            client_addr: self.client_addr.as_deref(),
        }
    }

    /// Appends the audit entry of the change made in `tx` and commits them
    /// together, so the log records exactly the changes that happened.
    pub(crate) async fn commit_audited(
        &self,
        mut tx: sqlx::Transaction<'_, sqlx::Postgres>,
        action: &str,
        subject: &str,
        detail: serde_json::Value,
    ) -> Result<(), AppError> {
        db::append_audit(&mut tx, &self.entry(action, subject, detail)).await?;
        tx.commit().await?;
        Ok(())
    }
}

/// The signed-in member if their role includes `role` (see
/// [`require`]), and the actor they are for the audit log.
pub fn require_actor(role: Role) -> Result<(Member, Actor), AppError> {
    let member = require(role)?;
    let actor = Actor::web(&member, &current_client());
    Ok((member, actor))
}
