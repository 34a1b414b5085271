//! Queries on `filter_rules`: per-feed and team-wide keep/block rules.

use sqlx::PgPool;

use crate::feeds::model::FilterRule;

/// Rules of one feed, or the team-wide ones when `feed_id` is None.
pub async fn list(pool: &PgPool, feed_id: Option<i64>) -> Result<Vec<FilterRule>, sqlx::Error> {
    sqlx::query_as!(
        FilterRule,
        r#"SELECT id, feed_id, action, field, pattern FROM filter_rules
           WHERE feed_id IS NOT DISTINCT FROM $1 ORDER BY id"#,
        feed_id
    )
    .fetch_all(pool)
    .await
}

pub async fn insert(
    pool: &PgPool,
    feed_id: Option<i64>,
    action: &str,
    field: &str,
    pattern: &str,
) -> Result<FilterRule, sqlx::Error> {
    sqlx::query_as!(
        FilterRule,
        r#"INSERT INTO filter_rules (feed_id, action, field, pattern) VALUES ($1, $2, $3, $4)
           RETURNING id, feed_id, action, field, pattern"#,
        feed_id,
        action,
        field,
        pattern
    )
    .fetch_one(pool)
    .await
}

pub async fn delete(pool: &PgPool, rule_id: i64) -> Result<bool, sqlx::Error> {
    Ok(
        sqlx::query!("DELETE FROM filter_rules WHERE id = $1", rule_id)
            .execute(pool)
            .await?
            .rows_affected()
            == 1,
    )
}
