//! Queries on `filter_rules`: per-feed and team-wide keep/block rules.

use sqlx::PgPool;

use crate::{
    error::AppError,
    feeds::model::{FilterRule, RuleAction, RuleField},
};

/// Rules of one feed, or the team-wide ones when `feed_id` is None.
pub async fn list(pool: &PgPool, feed_id: Option<i64>) -> Result<Vec<FilterRule>, AppError> {
    Ok(sqlx::query_as!(
        FilterRule,
        r#"SELECT id, feed_id, action AS "action: RuleAction", field AS "field: RuleField",
                  pattern
           FROM filter_rules WHERE feed_id IS NOT DISTINCT FROM $1 ORDER BY id"#,
        feed_id
    )
    .fetch_all(pool)
    .await?)
}

/// Adds a rule; `None` when its feed is gone.
pub async fn insert(
    pool: &PgPool,
    feed_id: Option<i64>,
    (action, field): (RuleAction, RuleField),
    pattern: &str,
) -> Result<Option<FilterRule>, AppError> {
    let inserted = sqlx::query_as!(
        FilterRule,
        r#"INSERT INTO filter_rules (feed_id, action, field, pattern) VALUES ($1, $2, $3, $4)
           RETURNING id, feed_id, action AS "action: RuleAction",
                     field AS "field: RuleField", pattern"#,
        feed_id,
        action.as_str(),
        field.as_str(),
        pattern
    )
    .fetch_one(pool)
    .await;
    match inserted {
        Ok(rule) => Ok(Some(rule)),
        // The feed was deleted meanwhile.
        Err(sqlx::Error::Database(error)) if error.is_foreign_key_violation() => Ok(None),
        Err(error) => Err(error.into()),
    }
}

pub async fn delete(pool: &PgPool, rule_id: i64) -> Result<bool, AppError> {
    Ok(
        sqlx::query!("DELETE FROM filter_rules WHERE id = $1", rule_id)
            .execute(pool)
            .await?
            .rows_affected()
            == 1,
    )
}
