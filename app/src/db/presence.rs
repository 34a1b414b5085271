//! Who has an issue open and which pick they are editing. Each browser tab
//! sends a heartbeat; a tab that stops (closed, crashed, offline) counts
//! as gone after [`TIMEOUT_SECONDS`]. An edit lease is soft: it shows who
//! is typing where, it does not lock anything (versions do that). Meeting
//! mode's presenter, who shows the team one pick at a time, is here too.

use sqlx::PgPool;

use super::events;
use crate::{editor::model::Present, error::AppError};

/// A tab sends a heartbeat every 10 seconds; three missed ones mean gone.
pub const TIMEOUT_SECONDS: f64 = 30.0;

/// Records that `client_id` (one browser tab of `member_id`) views the
/// issue and edits `editing` (or nothing). Announced when that changes
/// what others see.
pub async fn heartbeat(
    pool: &PgPool,
    client_id: &str,
    issue_id: i64,
    member_id: i64,
    editing: Option<i64>,
) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    // Expired rows of this issue go now, so their leaving is announced.
    let expired = sqlx::query!(
        "DELETE FROM presence WHERE issue_id = $1 AND seen_at < now() - make_interval(secs => $2)",
        issue_id,
        TIMEOUT_SECONDS
    )
    .execute(&mut *tx)
    .await?;
    // The CTE sees the row as it was before the upsert.
    let changed = sqlx::query_scalar!(
        r#"WITH old AS (SELECT issue_id, editing_pick FROM presence WHERE client_id = $1)
           INSERT INTO presence AS p (client_id, issue_id, member_id, editing_pick)
           VALUES ($1, $2, $3, $4)
           ON CONFLICT (client_id) DO UPDATE
               SET issue_id = $2, editing_pick = $4, seen_at = now()
               WHERE p.member_id = $3
           RETURNING NOT EXISTS (SELECT 1 FROM old WHERE old.issue_id = $2
                                 AND old.editing_pick IS NOT DISTINCT FROM $4) AS "changed!""#,
        client_id,
        issue_id,
        member_id,
        editing
    )
    .fetch_optional(&mut *tx)
    .await?;
    if changed == Some(true) || expired.rows_affected() > 0 {
        events::presence_changed(&mut tx, issue_id).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The tab left the issue.
pub async fn leave(pool: &PgPool, client_id: &str, member_id: i64) -> Result<(), AppError> {
    let mut conn = pool.acquire().await?;
    let left = sqlx::query_scalar!(
        "DELETE FROM presence WHERE client_id = $1 AND member_id = $2 RETURNING issue_id",
        client_id,
        member_id
    )
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(issue_id) = left {
        events::presence_changed(&mut conn, issue_id).await?;
    }
    Ok(())
}

/// Members viewing the issue now, each once (editing wins over viewing).
pub async fn list(pool: &PgPool, issue_id: i64) -> Result<Vec<Present>, AppError> {
    Ok(sqlx::query_as!(
        Present,
        r#"SELECT m.name AS member, max(p.editing_pick) AS editing
           FROM presence p JOIN members m ON m.id = p.member_id
           WHERE p.issue_id = $1 AND p.seen_at >= now() - make_interval(secs => $2)
           GROUP BY m.name ORDER BY m.name"#,
        issue_id,
        TIMEOUT_SECONDS
    )
    .fetch_all(pool)
    .await?)
}

/// Meeting mode: the presenter shows `pick_id` now (`None` ends it).
pub async fn present(
    pool: &PgPool,
    issue_id: i64,
    pick_id: Option<i64>,
    member_id: i64,
) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    sqlx::query!(
        r#"UPDATE issues SET meeting_pick_id = $2,
               meeting_by = CASE WHEN $2::bigint IS NULL THEN NULL ELSE $3::bigint END
           WHERE id = $1"#,
        issue_id,
        pick_id,
        member_id
    )
    .execute(&mut *tx)
    .await?;
    events::issue_changed(&mut tx, issue_id).await?;
    tx.commit().await?;
    Ok(())
}
