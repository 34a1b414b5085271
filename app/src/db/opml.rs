//! Queries behind OPML import and export: feeds with the fields an OPML
//! outline carries (URL, title, category, site URL), and imports as
//! durable jobs (the import, its feeds, their claims and outcomes).
//!
//! The statements one feed of an import runs (`lock_claimed_feed`,
//! `insert_feed`, `record_import_outcome`) return the database's own error,
//! not an `AppError`: an import that stops on a feed tells the admin why.

use std::time::Duration;

use sqlx::{PgConnection, PgExecutor, PgPool};
use uuid::Uuid;

use crate::{
    error::AppError,
    feeds::model::{ImportProgress, ImportStatus, ImportSummary, OpmlFeed},
};

/// Inserts an imported feed whose URL is already normalised, unless a feed
/// with that URL exists. Returns whether it was inserted. The unique index
/// decides, so a concurrent add of the same URL cannot make a second row.
pub async fn insert_feed(
    connection: &mut PgConnection,
    feed: &OpmlFeed,
) -> Result<bool, sqlx::Error> {
    let inserted = sqlx::query_scalar!(
        r#"INSERT INTO feeds (url, title, category, site_url) VALUES ($1, $2, $3, $4)
           ON CONFLICT (url) DO NOTHING
           RETURNING id"#,
        feed.url,
        feed.title,
        feed.category,
        feed.site_url
    )
    .fetch_optional(connection)
    .await?;
    Ok(inserted.is_some())
}

/// Every feed, grouped by category (uncategorised first), then by name, so
/// that an export reads like the Feeds page.
pub async fn list_feeds(pool: &PgPool) -> Result<Vec<OpmlFeed>, AppError> {
    Ok(sqlx::query_as!(
        OpmlFeed,
        r#"SELECT url, title, category, site_url FROM feeds
           ORDER BY category NULLS FIRST, lower(coalesce(title, url)), id"#
    )
    .fetch_all(pool)
    .await?)
}

/// Records an import of `total` feeds, before its feeds are stored.
pub async fn create_import(
    connection: &mut PgConnection,
    id: Uuid,
    file_name: &str,
    total: usize,
) -> Result<(), AppError> {
    sqlx::query!(
        "INSERT INTO opml_imports (id, file_name, total) VALUES ($1, $2, $3)",
        id,
        file_name,
        i32::try_from(total).unwrap_or(i32::MAX)
    )
    .execute(connection)
    .await?;
    Ok(())
}

/// Stores the feeds of an import's file, in file order, for the workers.
pub async fn insert_import_feeds(
    connection: &mut PgConnection,
    id: Uuid,
    feeds: &[OpmlFeed],
) -> Result<(), AppError> {
    let urls: Vec<&str> = feeds.iter().map(|feed| feed.url.as_str()).collect();
    let titles: Vec<Option<&str>> = feeds.iter().map(|feed| feed.title.as_deref()).collect();
    let categories: Vec<Option<&str>> = feeds.iter().map(|feed| feed.category.as_deref()).collect();
    let sites: Vec<Option<&str>> = feeds.iter().map(|feed| feed.site_url.as_deref()).collect();
    sqlx::query!(
        r#"INSERT INTO opml_import_feeds (import_id, position, url, title, category, site_url)
           SELECT $1, position, url, title, category, site_url
           FROM unnest($2::text[], $3::text[], $4::text[], $5::text[])
                WITH ORDINALITY AS feed (url, title, category, site_url, position)"#,
        id,
        &urls as &[&str],
        &titles as &[Option<&str>],
        &categories as &[Option<&str>],
        &sites as &[Option<&str>]
    )
    .execute(connection)
    .await?;
    Ok(())
}

/// A feed of an import that a worker has claimed.
#[derive(Debug, Clone)]
pub struct ClaimedImportFeed {
    pub import_id: Uuid,
    pub position: i32,
    pub url: String,
    pub title: Option<String>,
    pub category: Option<String>,
    pub site_url: Option<String>,
}

/// Claims up to `limit` feeds not yet done of running imports (of import
/// `only`, if given), oldest import first and in file order, for `worker`
/// for `lease`. `SKIP LOCKED` keeps concurrent workers apart; the lease
/// lets the feeds of a worker that died be claimed again once it expires.
/// A feed claimed `max_attempts` times already is left for
/// [`imports_stuck`].
pub async fn claim_import_feeds(
    pool: &PgPool,
    worker: &str,
    only: Option<Uuid>,
    limit: i64,
    lease: Duration,
    max_attempts: i32,
) -> Result<Vec<ClaimedImportFeed>, AppError> {
    Ok(sqlx::query_as!(
        ClaimedImportFeed,
        r#"WITH next AS (
               SELECT f.import_id, f.position
               FROM opml_import_feeds f JOIN opml_imports i ON i.id = f.import_id
               WHERE f.outcome IS NULL AND i.finished_at IS NULL
                 AND ($2::uuid IS NULL OR f.import_id = $2)
                 AND (f.claimed_until IS NULL OR f.claimed_until < now())
                 AND f.attempts < $5
               ORDER BY i.started_at, f.import_id, f.position
               LIMIT $3
               FOR UPDATE OF f SKIP LOCKED
           )
           UPDATE opml_import_feeds f
              SET claimed_until = now() + make_interval(secs => $4), claimed_by = $1,
                  attempts = attempts + 1
             FROM next WHERE f.import_id = next.import_id AND f.position = next.position
           RETURNING f.import_id, f.position, f.url, f.title, f.category, f.site_url"#,
        worker,
        only,
        limit,
        lease.as_secs_f64(),
        max_attempts
    )
    .fetch_all(pool)
    .await?)
}

/// Locks a claimed feed of an import for the transaction that does it, if
/// it is still `worker`'s and not done (a worker whose lease ran out may
/// find another one did it meanwhile).
pub async fn lock_claimed_feed(
    connection: &mut PgConnection,
    feed: &ClaimedImportFeed,
    worker: &str,
) -> Result<bool, sqlx::Error> {
    let locked = sqlx::query_scalar!(
        r#"SELECT 1 AS "locked!" FROM opml_import_feeds
           WHERE import_id = $1 AND position = $2 AND claimed_by = $3 AND outcome IS NULL
           FOR UPDATE"#,
        feed.import_id,
        feed.position,
        worker
    )
    .fetch_optional(connection)
    .await?;
    Ok(locked.is_some())
}

/// Records what became of a feed of an import, counts it as done and
/// returns the import's progress.
pub async fn record_import_outcome(
    connection: &mut PgConnection,
    feed: &ClaimedImportFeed,
    outcome: &str,
    reason: Option<&str>,
) -> Result<ImportProgress, sqlx::Error> {
    sqlx::query!(
        r#"UPDATE opml_import_feeds
              SET outcome = $3, reason = $4, claimed_until = NULL, claimed_by = NULL
            WHERE import_id = $1 AND position = $2"#,
        feed.import_id,
        feed.position,
        outcome,
        reason
    )
    .execute(&mut *connection)
    .await?;
    let progress = sqlx::query!(
        "UPDATE opml_imports SET done = done + 1 WHERE id = $1 RETURNING done, total",
        feed.import_id
    )
    .fetch_one(connection)
    .await?;
    Ok(ImportProgress {
        done: progress.done.max(0) as usize,
        total: progress.total.max(0) as usize,
    })
}

/// Notes why doing a feed of an import failed and gives the claim back,
/// to be tried again after `retry_in` (by whichever worker looks then).
pub async fn record_import_error(
    pool: &PgPool,
    feed: &ClaimedImportFeed,
    worker: &str,
    error: &str,
    retry_in: Duration,
) -> Result<(), AppError> {
    sqlx::query!(
        r#"UPDATE opml_import_feeds
              SET last_error = $4, claimed_until = now() + make_interval(secs => $5),
                  claimed_by = NULL
            WHERE import_id = $1 AND position = $2 AND claimed_by = $3"#,
        feed.import_id,
        feed.position,
        worker,
        error,
        retry_in.as_secs_f64()
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// Running imports with nothing left to do: their last feed is done, but
/// the import was not marked finished (its worker stopped in between).
pub async fn imports_done_but_open(pool: &PgPool) -> Result<Vec<Uuid>, AppError> {
    Ok(sqlx::query_scalar!(
        r#"SELECT id FROM opml_imports i
           WHERE finished_at IS NULL
             AND NOT EXISTS (SELECT 1 FROM opml_import_feeds f
                             WHERE f.import_id = i.id AND f.outcome IS NULL)"#
    )
    .fetch_all(pool)
    .await?)
}

/// Running imports with a feed that was claimed `max_attempts` times
/// without being done and is not claimed now, with that feed's last error.
pub async fn imports_stuck(
    pool: &PgPool,
    max_attempts: i32,
) -> Result<Vec<(Uuid, Option<String>)>, AppError> {
    let rows = sqlx::query!(
        r#"SELECT DISTINCT ON (f.import_id) f.import_id, f.last_error
           FROM opml_import_feeds f JOIN opml_imports i ON i.id = f.import_id
           WHERE i.finished_at IS NULL AND f.outcome IS NULL AND f.attempts >= $1
             AND (f.claimed_until IS NULL OR f.claimed_until < now())
           ORDER BY f.import_id, f.position"#,
        max_attempts
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| (row.import_id, row.last_error))
        .collect())
}

/// What the done feeds of an import came to so far.
pub async fn import_outcomes(pool: &PgPool, id: Uuid) -> Result<ImportSummary, AppError> {
    let counts = sqlx::query!(
        r#"SELECT count(*) FILTER (WHERE outcome = 'added') AS "added!",
                  count(*) FILTER (WHERE outcome = 'duplicate') AS "duplicates!"
           FROM opml_import_feeds WHERE import_id = $1"#,
        id
    )
    .fetch_one(pool)
    .await?;
    let invalid = sqlx::query!(
        r#"SELECT url, reason FROM opml_import_feeds
           WHERE import_id = $1 AND outcome = 'invalid' ORDER BY position"#,
        id
    )
    .fetch_all(pool)
    .await?;
    Ok(ImportSummary {
        added: counts.added.max(0) as usize,
        skipped_duplicates: counts.duplicates.max(0) as usize,
        invalid: invalid
            .into_iter()
            .map(|row| (row.url.trim().to_owned(), row.reason.unwrap_or_default()))
            .collect(),
    })
}

/// Marks a running import finished with its summary, unless a feed of it
/// is still to be done. Returns whether this call finished it.
pub async fn complete_import(
    pool: &PgPool,
    id: Uuid,
    summary: &ImportSummary,
) -> Result<bool, AppError> {
    let summary = serde_json::to_value(summary).expect("a summary serialises");
    let finished = sqlx::query!(
        r#"UPDATE opml_imports i SET summary = $2, finished_at = now(), done = total
           WHERE id = $1 AND finished_at IS NULL
             AND NOT EXISTS (SELECT 1 FROM opml_import_feeds f
                             WHERE f.import_id = i.id AND f.outcome IS NULL)"#,
        id,
        summary
    )
    .execute(pool)
    .await?;
    Ok(finished.rows_affected() == 1)
}

/// Marks a running import failed with `error` and what it did so far
/// (`summary`, none when the file could not be read).
pub async fn fail_import(
    executor: impl PgExecutor<'_>,
    id: Uuid,
    summary: Option<&ImportSummary>,
    error: &str,
) -> Result<(), AppError> {
    let summary = summary.map(|s| serde_json::to_value(s).expect("a summary serialises"));
    sqlx::query!(
        r#"UPDATE opml_imports SET summary = $2, error = $3, finished_at = now()
           WHERE id = $1 AND finished_at IS NULL"#,
        id,
        summary,
        error
    )
    .execute(executor)
    .await?;
    Ok(())
}

pub async fn import_status(pool: &PgPool, id: Uuid) -> Result<Option<ImportStatus>, AppError> {
    let row = sqlx::query!(
        "SELECT file_name, done, total, summary, error FROM opml_imports WHERE id = $1",
        id
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|row| ImportStatus {
        file_name: row.file_name,
        progress: ImportProgress {
            done: row.done.max(0) as usize,
            total: row.total.max(0) as usize,
        },
        summary: row
            .summary
            .and_then(|value| serde_json::from_value(value).ok()),
        error: row.error,
    }))
}
