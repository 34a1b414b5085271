//! The channels newsdesk's processes talk on, and the announcements sent on
//! them. PostgreSQL delivers NOTIFY at commit, so listeners never see a
//! change that was rolled back, in any server process. Every channel name
//! lives here; `server/src/live.rs` and the poller listen on them.

use sqlx::{PgConnection, PgPool};

use crate::{editor::model::IssueEvent, error::AppError, inbox::model::InboxEvent};

/// Changes of candidates the inbox shows: `InboxEvent` as JSON.
pub const INBOX_CHANNEL: &str = "newsdesk_inbox";
/// Changes of issues and who is in them: `IssueEvent` as JSON.
pub const ISSUE_CHANNEL: &str = "newsdesk_issue";
/// Candidates stored by the poller. Sent by the ingest function in
/// PostgreSQL itself (`ingest_entry_batch`, in migrations/), not from Rust.
pub const CANDIDATES_CHANNEL: &str = "newsdesk_candidates";
/// "Look at the schedule now" for the pollers (a feed was added or asked to
/// refresh); no payload.
pub const POLL_CHANNEL: &str = "newsdesk_poll";

/// NOTIFY payloads are limited to 8000 bytes; ids go in parts of this many.
const IDS_PER_NOTICE: usize = 500;

pub async fn issue_changed(conn: &mut PgConnection, issue_id: i64) -> Result<(), AppError> {
    Ok(notify(conn, ISSUE_CHANNEL, &IssueEvent::Changed { issue_id }).await?)
}

pub async fn presence_changed(conn: &mut PgConnection, issue_id: i64) -> Result<(), AppError> {
    Ok(notify(conn, ISSUE_CHANNEL, &IssueEvent::Presence { issue_id }).await?)
}

/// Open inboxes reload these candidates' rows. A database error, not an
/// `AppError`: the poller's store (server crate) announces too.
pub async fn candidates_changed(conn: &mut PgConnection, ids: Vec<i64>) -> Result<(), sqlx::Error> {
    for chunk in ids.chunks(IDS_PER_NOTICE) {
        let event = InboxEvent::Changed {
            ids: chunk.to_vec(),
        };
        notify(&mut *conn, INBOX_CHANNEL, &event).await?;
    }
    Ok(())
}

/// Open inboxes offer these new candidates.
pub async fn candidates_arrived(conn: &mut PgConnection, ids: Vec<i64>) -> Result<(), AppError> {
    Ok(notify(conn, INBOX_CHANNEL, &InboxEvent::Arrived { ids }).await?)
}

/// Tells pollers to look at the schedule now.
pub async fn wake_pollers(pool: &PgPool) -> Result<(), AppError> {
    sqlx::query!("SELECT pg_notify($1, '')", POLL_CHANNEL)
        .execute(pool)
        .await?;
    Ok(())
}

async fn notify(
    conn: &mut PgConnection,
    channel: &str,
    event: &impl serde::Serialize,
) -> Result<(), sqlx::Error> {
    let payload =
        serde_json::to_string(event).map_err(|error| sqlx::Error::Encode(error.into()))?;
    sqlx::query!("SELECT pg_notify($1, $2)", channel, payload)
        .execute(conn)
        .await?;
    Ok(())
}
