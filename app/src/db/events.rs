//! Announcements of changes to issues on the `newsdesk_issue` channel.
//! NOTIFY is delivered at commit, so viewers never see a change that was
//! rolled back, in any server process.

use sqlx::PgConnection;

use crate::{editor::model::IssueEvent, error::AppError};

pub const ISSUE_CHANNEL: &str = "newsdesk_issue";

pub async fn issue_changed(conn: &mut PgConnection, issue_id: i64) -> Result<(), AppError> {
    announce(conn, &IssueEvent::Changed { issue_id }).await
}

pub async fn presence_changed(conn: &mut PgConnection, issue_id: i64) -> Result<(), AppError> {
    announce(conn, &IssueEvent::Presence { issue_id }).await
}

async fn announce(conn: &mut PgConnection, event: &IssueEvent) -> Result<(), AppError> {
    let payload = serde_json::to_string(event)
        .map_err(|error| AppError::internal("issue event serialisation", error))?;
    sqlx::query!("SELECT pg_notify($1, $2)", ISSUE_CHANNEL, payload)
        .execute(conn)
        .await?;
    Ok(())
}
