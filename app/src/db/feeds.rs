//! Queries on the `feeds` table: listing with health, adding, editing,
//! deleting, and asking pollers to refresh.

use sqlx::{PgConnection, PgPool};

use crate::{
    error::AppError,
    feeds::model::{Feed, FeedFetch, FeedHealth, FeedStatus, Latency},
    lang::model::Stored,
};

/// A feed's health, and its last failure as stored for wording
/// (`last_error` holds the English words, or a "read with errors" note).
pub type HealthRow = (FeedHealth, Option<Stored>);

/// Every feed with settings, health and latency statistics, in one query.
pub async fn list_health(pool: &PgPool) -> Result<Vec<HealthRow>, AppError> {
    health_rows(pool, None).await
}

pub async fn get_health(pool: &PgPool, feed_id: i64) -> Result<Option<HealthRow>, AppError> {
    Ok(health_rows(pool, Some(feed_id)).await?.into_iter().next())
}

async fn health_rows(pool: &PgPool, only: Option<i64>) -> Result<Vec<HealthRow>, AppError> {
    let rows = sqlx::query!(
        r#"WITH stats AS (
               SELECT f.id, lat.median_ms, lat.p95_ms, recent.median_ms AS recent_ms, recent.samples
               FROM feeds f
               LEFT JOIN LATERAL (
                   SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY duration_ms) AS median_ms,
                          percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms) AS p95_ms
                   FROM feed_fetches ff WHERE ff.feed_id = f.id AND ff.outcome <> 'failed') lat ON true
               LEFT JOIN LATERAL (
                   SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY duration_ms) AS median_ms,
                          count(*) AS samples
                   FROM (SELECT duration_ms FROM feed_fetches ff
                         WHERE ff.feed_id = f.id AND ff.outcome <> 'failed'
                         ORDER BY started_at DESC LIMIT 5) r) recent ON true
           ),
           fleet AS (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY recent_ms) AS median_ms FROM stats)
           SELECT f.id, f.url, f.title, f.site_url, f.category, f.tags, f.poll_interval_minutes,
                  f.enabled, f.last_attempt_at, f.last_success_at, f.last_http_status, f.last_error,
                  f.last_error_stored, f.consecutive_failures, f.next_check_at,
                  (SELECT count(*) FROM candidate_sources s
                    WHERE s.feed_id = f.id AND s.first_seen_at > now() - interval '30 days') AS "entries_30d!",
                  stats.median_ms, stats.p95_ms, stats.recent_ms, stats.samples AS "samples!",
                  (SELECT median_ms FROM fleet) AS fleet_ms
           FROM feeds f JOIN stats ON stats.id = f.id
           WHERE $1::bigint IS NULL OR f.id = $1
           ORDER BY lower(coalesce(f.title, f.url)), f.id"#,
        only
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let latency = Latency {
                median_ms: row.median_ms,
                p95_ms: row.p95_ms,
                recent_median_ms: row.recent_ms,
                recent_samples: row.samples,
                fleet_median_ms: row.fleet_ms,
            };
            let health = FeedHealth {
                status: FeedStatus::classify(
                    row.enabled,
                    row.last_attempt_at.is_some(),
                    row.consecutive_failures,
                    &latency,
                ),
                id: row.id,
                url: row.url,
                title: row.title,
                site_url: row.site_url,
                category: row.category,
                tags: row.tags,
                poll_interval_minutes: row.poll_interval_minutes,
                enabled: row.enabled,
                last_attempt_at: row.last_attempt_at,
                last_success_at: row.last_success_at,
                last_http_status: row.last_http_status,
                last_error: row.last_error,
                consecutive_failures: row.consecutive_failures,
                next_check_at: row.next_check_at,
                entries_30d: row.entries_30d,
                latency,
            };
            (health, super::stored_message(row.last_error_stored))
        })
        .collect())
}

/// What inserting a feed found.
pub enum Inserted {
    New(Feed),
    /// A feed with this URL was there already.
    Exists(Feed),
}

/// Inserts a feed whose URL is already normalised. A concurrent insert of the
/// same URL is caught by the unique index, never by a prior SELECT alone.
pub async fn insert(pool: &PgPool, url: &str, title: Option<&str>) -> Result<Inserted, AppError> {
    let inserted = sqlx::query_as!(
        Feed,
        r#"INSERT INTO feeds (url, title) VALUES ($1, $2)
           ON CONFLICT (url) DO NOTHING
           RETURNING id, url, title, created_at"#,
        url,
        title
    )
    .fetch_optional(pool)
    .await?;
    match inserted {
        Some(feed) => {
            super::events::wake_pollers(pool).await?;
            Ok(Inserted::New(feed))
        }
        None => {
            let existing = sqlx::query_as!(
                Feed,
                "SELECT id, url, title, created_at FROM feeds WHERE url = $1",
                url
            )
            .fetch_one(pool)
            .await?;
            Ok(Inserted::Exists(existing))
        }
    }
}

/// Editable settings of a feed.
#[derive(Debug, Clone)]
pub struct FeedSettings {
    pub title: Option<String>,
    pub category: Option<String>,
    pub tags: Vec<String>,
    pub poll_interval_minutes: i32,
    pub enabled: bool,
}

/// Saves settings; returns false when the feed does not exist. A changed
/// interval takes effect from the last attempt, not only after the next one.
pub async fn update_settings(
    pool: &PgPool,
    feed_id: i64,
    settings: &FeedSettings,
) -> Result<bool, AppError> {
    let updated = sqlx::query!(
        r#"UPDATE feeds SET title = $2, category = $3, tags = $4, poll_interval_minutes = $5,
                  enabled = $6, updated_at = now(),
                  next_check_at = CASE
                      WHEN consecutive_failures = 0 AND last_attempt_at IS NOT NULL
                           AND poll_interval_minutes <> $5
                      THEN last_attempt_at + make_interval(mins => $5)
                      ELSE next_check_at END
           WHERE id = $1"#,
        feed_id,
        settings.title,
        settings.category,
        &settings.tags,
        settings.poll_interval_minutes,
        settings.enabled
    )
    .execute(pool)
    .await?
    .rows_affected();
    Ok(updated == 1)
}

/// Deletes a feed. Candidates that only this feed brought in go with it;
/// those another feed also carries, or that an issue picked, stay.
pub async fn delete(conn: &mut PgConnection, feed_id: i64) -> Result<Option<String>, AppError> {
    let only_here = sqlx::query_scalar!(
        r#"SELECT candidate_id AS "id!" FROM candidate_sources WHERE feed_id = $1
           EXCEPT
           SELECT candidate_id FROM candidate_sources WHERE feed_id <> $1
           EXCEPT
           SELECT candidate_id FROM picks WHERE candidate_id IS NOT NULL"#,
        feed_id
    )
    .fetch_all(&mut *conn)
    .await?;
    let deleted = sqlx::query_scalar!(
        r#"DELETE FROM feeds WHERE id = $1 RETURNING coalesce(title, url) AS "name!""#,
        feed_id
    )
    .fetch_optional(&mut *conn)
    .await?;
    sqlx::query!("DELETE FROM candidates WHERE id = ANY($1)", &only_here)
        .execute(&mut *conn)
        .await?;
    Ok(deleted)
}

/// How long after an attempt a manual refresh is refused.
pub const REFRESH_COOLDOWN_SECONDS: f64 = 60.0;

/// Makes every enabled feed due now and wakes the pollers. Feeds checked
/// within the cooldown are left alone. Returns how many were queued.
pub async fn request_refresh_all(pool: &PgPool) -> Result<u64, AppError> {
    let queued = sqlx::query!(
        r#"UPDATE feeds SET next_check_at = now()
           WHERE enabled AND (last_attempt_at IS NULL
                              OR last_attempt_at < now() - make_interval(secs => $1))"#,
        REFRESH_COOLDOWN_SECONDS
    )
    .execute(pool)
    .await?
    .rows_affected();
    super::events::wake_pollers(pool).await?;
    Ok(queued)
}

/// Seconds until a manual refresh of this feed is allowed again (0 = now);
/// None when the feed does not exist.
pub async fn refresh_wait_seconds(pool: &PgPool, feed_id: i64) -> Result<Option<f64>, AppError> {
    Ok(sqlx::query_scalar!(
        r#"SELECT greatest(0, coalesce(extract(epoch FROM
                  last_attempt_at + make_interval(secs => $2) - now())::float8, 0)) AS "wait!"
           FROM feeds WHERE id = $1"#,
        feed_id,
        REFRESH_COOLDOWN_SECONDS
    )
    .fetch_optional(pool)
    .await?)
}

pub async fn recent_fetches(
    pool: &PgPool,
    feed_id: i64,
    limit: i64,
) -> Result<Vec<(FeedFetch, Option<Stored>)>, AppError> {
    let rows = sqlx::query!(
        r#"SELECT started_at, duration_ms, http_status, bytes, outcome, entries_new, entries_updated,
                  error, error_stored
           FROM feed_fetches WHERE feed_id = $1 ORDER BY started_at DESC LIMIT $2"#,
        feed_id,
        limit
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let fetch = FeedFetch {
                started_at: row.started_at,
                duration_ms: row.duration_ms,
                http_status: row.http_status,
                bytes: row.bytes,
                outcome: row.outcome,
                entries_new: row.entries_new,
                entries_updated: row.entries_updated,
                error: row.error,
            };
            (fetch, super::stored_message(row.error_stored))
        })
        .collect())
}
