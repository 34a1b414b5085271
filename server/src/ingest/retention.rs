//! Retention of candidates: those older than the configured age are
//! pruned (by the daily maintenance run, `crate::maintenance`), leaving
//! tombstones so that feeds still carrying them do not bring them back.

use sqlx::PgPool;

use super::store::remove_candidates;

pub const DEFAULT_DAYS: i32 = 180;
const BATCH: i64 = 1000;

/// Prunes candidates first seen more than `days` ago, except picked ones
/// (an issue refers to them); returns how many.
pub async fn prune(pool: &PgPool, days: i32) -> Result<u64, sqlx::Error> {
    let mut removed = 0;
    loop {
        let ids = sqlx::query_scalar!(
            r#"SELECT c.id FROM candidates c
               WHERE c.first_seen_at < now() - make_interval(days => $1)
                 AND NOT EXISTS (SELECT 1 FROM picks p WHERE p.candidate_id = c.id)
               ORDER BY c.id LIMIT $2"#,
            days,
            BATCH
        )
        .fetch_all(pool)
        .await?;
        if ids.is_empty() {
            return Ok(removed);
        }
        removed += remove_candidates(pool, &ids, "retention").await?;
    }
}
