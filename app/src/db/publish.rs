//! Published issues: freezing the snapshot, corrections, hiding, and reading them for the archive, the
//! Markdown export and the feeds; members' private picks-feed tokens.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{PgConnection, PgPool};

use super::events;
use crate::error::AppError;

/// Locks issue `number` for publishing; returns its id and state.
pub async fn lock(conn: &mut PgConnection, number: i32) -> Result<(i64, String), AppError> {
    let row = sqlx::query!(
        "SELECT id, state FROM issues WHERE number = $1 FOR UPDATE",
        number
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(AppError::NotFound)?;
    Ok((row.id, row.state))
}

/// The lowest-numbered draft, which is the one to publish next.
pub async fn current_draft_number(conn: &mut PgConnection) -> Result<Option<i32>, AppError> {
    Ok(sqlx::query_scalar!(
        "SELECT number FROM issues WHERE state = 'draft' ORDER BY number LIMIT 1"
    )
    .fetch_optional(&mut *conn)
    .await?)
}

/// Marks the locked draft published with its snapshot, in the caller's
/// transaction; returns its number.
pub async fn freeze(
    conn: &mut PgConnection,
    issue_id: i64,
    (snapshot, format): (&serde_json::Value, i16),
    html: &str,
    member_id: i64,
) -> Result<i32, AppError> {
    let number = sqlx::query_scalar!(
        r#"UPDATE issues SET state = 'published', published_at = now(), published_by = $2,
               snapshot = $3, snapshot_html = $4, snapshot_format = $5,
               meeting_pick_id = NULL, meeting_by = NULL,
               version = version + 1, updated_at = now(), updated_by = $2
           WHERE id = $1 RETURNING number"#,
        issue_id,
        member_id,
        snapshot,
        html,
        format
    )
    .fetch_one(&mut *conn)
    .await?;
    events::issue_changed(&mut *conn, issue_id).await?;
    announce_covered(&mut *conn, issue_id).await?;
    Ok(number)
}

/// Whether a draft comes after issue `number`.
pub async fn has_later_draft(conn: &mut PgConnection, number: i32) -> Result<bool, AppError> {
    Ok(sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM issues WHERE state = 'draft' AND number > $1) AS "found!""#,
        number
    )
    .fetch_one(&mut *conn)
    .await?)
}

/// The candidates whose links issue `issue_id` carries now show "covered
/// in" it: every open inbox reloads them.
async fn announce_covered(conn: &mut PgConnection, issue_id: i64) -> Result<(), AppError> {
    let covered = sqlx::query_scalar!(
        "SELECT c.id FROM candidates c JOIN picks p ON p.url_key = c.url_key WHERE p.issue_id = $1",
        issue_id
    )
    .fetch_all(&mut *conn)
    .await?;
    events::candidates_changed(conn, covered).await?;
    Ok(())
}

/// Replaces the snapshot of a published issue (a correction).
pub async fn revise(
    conn: &mut PgConnection,
    issue_id: i64,
    (snapshot, format): (&serde_json::Value, i16),
    html: &str,
    member_id: i64,
) -> Result<(), AppError> {
    sqlx::query!(
        r#"UPDATE issues SET snapshot = $2, snapshot_html = $3, snapshot_format = $5,
               revised_at = now(), version = version + 1, updated_at = now(), updated_by = $4
           WHERE id = $1"#,
        issue_id,
        snapshot,
        html,
        member_id,
        format
    )
    .execute(&mut *conn)
    .await?;
    events::issue_changed(conn, issue_id).await?;
    announce_covered(conn, issue_id).await?;
    Ok(())
}

/// Hides a published issue from the archive and the feeds, or shows it again.
pub async fn set_hidden(pool: &PgPool, number: i32, hidden: bool) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    let issue_id = sqlx::query_scalar!(
        r#"UPDATE issues SET hidden_at = CASE WHEN $2 THEN coalesce(hidden_at, now()) END
           WHERE number = $1 AND state = 'published' RETURNING id"#,
        number,
        hidden
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    events::issue_changed(&mut tx, issue_id).await?;
    tx.commit().await?;
    Ok(())
}

/// A published issue's row: its snapshot as stored.
pub struct PublishedRow {
    pub number: i32,
    pub issue_date: NaiveDate,
    pub snapshot: Option<serde_json::Value>,
    pub snapshot_format: Option<i16>,
    pub snapshot_html: Option<String>,
    pub published_at: Option<DateTime<Utc>>,
    pub revised_at: Option<DateTime<Utc>>,
    pub hidden: bool,
}

/// Issue `number` as published (hidden ones too; callers decide).
pub async fn get(pool: &PgPool, number: i32) -> Result<Option<PublishedRow>, AppError> {
    Ok(sqlx::query_as!(
        PublishedRow,
        r#"SELECT number, issue_date, snapshot, snapshot_format, snapshot_html, published_at, revised_at,
                  hidden_at IS NOT NULL AS "hidden!"
           FROM issues WHERE number = $1 AND state = 'published'"#,
        number
    )
    .fetch_optional(pool)
    .await?)
}

/// The newest visible published issues.
pub async fn newest(pool: &PgPool, limit: i64) -> Result<Vec<PublishedRow>, AppError> {
    Ok(sqlx::query_as!(
        PublishedRow,
        r#"SELECT number, issue_date, snapshot, snapshot_format, snapshot_html, published_at, revised_at,
                  false AS "hidden!"
           FROM issues WHERE state = 'published' AND hidden_at IS NULL AND snapshot IS NOT NULL
           ORDER BY number DESC LIMIT $1"#,
        limit
    )
    .fetch_all(pool)
    .await?)
}

/// The visible published issues just before and after `number`.
pub async fn neighbours(
    pool: &PgPool,
    number: i32,
) -> Result<(Option<i32>, Option<i32>), AppError> {
    let row = sqlx::query!(
        r#"SELECT
             (SELECT max(number) FROM issues WHERE state = 'published' AND hidden_at IS NULL
                AND snapshot IS NOT NULL AND number < $1) AS previous,
             (SELECT min(number) FROM issues WHERE state = 'published' AND hidden_at IS NULL
                AND snapshot IS NOT NULL AND number > $1) AS next"#,
        number
    )
    .fetch_one(pool)
    .await?;
    Ok((row.previous, row.next))
}

/// Stores a member's picks-feed token (replacing the previous one).
pub async fn set_feed_token(pool: &PgPool, member_id: i64, hash: &[u8]) -> Result<(), AppError> {
    sqlx::query!(
        r#"INSERT INTO feed_tokens (member_id, token_hash) VALUES ($1, $2)
           ON CONFLICT (member_id) DO UPDATE SET token_hash = $2, created_at = now()"#,
        member_id,
        hash
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// The active member a picks-feed token belongs to.
pub async fn feed_token_member(pool: &PgPool, hash: &[u8]) -> Result<Option<i64>, AppError> {
    Ok(sqlx::query_scalar!(
        r#"SELECT m.id FROM feed_tokens t JOIN members m ON m.id = t.member_id
           WHERE t.token_hash = $1 AND m.deactivated_at IS NULL"#,
        hash
    )
    .fetch_optional(pool)
    .await?)
}
