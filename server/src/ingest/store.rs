//! Stage 4, store: entries into candidates (deduplicated across feeds by the
//! `ingest_entry_batch` database function, one round trip per feed, after
//! one that finds the new entries' near-duplicates from other feeds),
//! plus the feed's polling state and fetch history.
//!
//! One file, though long: the statements of one refresh (claim, store,
//! record) share the feed's claim and must be read together.

use std::time::Duration;

use chrono::{DateTime, Utc};
use sqlx::{types::Json, PgPool};

use newsdesk_app::{
    db::{candidates, events},
    lang::{model::Stored, Locale},
    near_duplicates,
};

use super::{error::FetchError, normalise::Entry};

/// How many fetch records per feed are kept for latency statistics.
const FETCH_HISTORY: i64 = 50;
/// A permanent redirect must be seen this many times in a row before the
/// stored feed URL follows it.
pub const MOVES_BEFORE_UPDATE: i32 = 3;

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct StoreCounts {
    pub new: i32,
    pub linked: i32,
    pub updated: i32,
    pub unchanged: i32,
    pub tombstoned: i32,
}

pub async fn store_entries(
    pool: &PgPool,
    feed_id: i64,
    entries: &[Entry],
) -> Result<StoreCounts, sqlx::Error> {
    let mut counts = StoreCounts::default();
    if entries.is_empty() {
        return Ok(counts);
    }
    let batch = Batch::of(entries);
    let mut tx = pool.begin().await?;
    let arriving: Vec<near_duplicates::Arriving> = entries
        .iter()
        .map(|entry| near_duplicates::Arriving {
            key: &entry.key,
            url_key: entry.url_key.as_deref(),
            title: &entry.title,
            published_at: entry.published_at,
        })
        .collect();
    let near = near_duplicates::plan(&mut tx, feed_id, &arriving).await?;
    let outcomes = sqlx::query!(
        r#"SELECT entry_key AS "entry_key!", outcome AS "outcome!", candidate_id
           FROM ingest_entry_batch($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"#,
        feed_id,
        &batch.keys as &[&str],
        &batch.urls as &[Option<&str>],
        &batch.url_keys as &[Option<&str>],
        &batch.titles as &[&str],
        &batch.summaries as &[&str],
        &batch.excerpts as &[&str],
        &batch.authors as &[Option<&str>],
        &batch.categories,
        &batch.published,
        &batch.hashes as &[&str],
        &near.similar_to as &[Option<i64>],
        &near.key_entries,
        &near.keys
    )
    .fetch_all(&mut *tx)
    .await?;
    // New rows are announced by the database as they arrive; an entry
    // edited at its source, or a second feed carrying the same link,
    // changes a row an inbox may be showing.
    // Rows naming an edited one as their near-duplicate show its title.
    let mut changed: Vec<i64> = outcomes
        .iter()
        .filter(|row| row.outcome == "updated" || row.outcome == "linked")
        .filter_map(|row| row.candidate_id)
        .collect();
    if !changed.is_empty() {
        changed.extend(candidates::near_duplicates_of(&mut tx, &changed).await?);
        events::candidates_changed(&mut tx, changed).await?;
    }
    tx.commit().await?;
    for row in outcomes {
        match row.outcome.as_str() {
            "new" => counts.new += 1,
            "linked" => counts.linked += 1,
            "updated" => counts.updated += 1,
            "tombstoned" => counts.tombstoned += 1,
            _ => counts.unchanged += 1,
        }
    }
    Ok(counts)
}

/// A feed's entries as the columns `ingest_entry_batch` takes: one array
/// per field, so that the batch travels in PostgreSQL's binary format and
/// is read with `unnest`, not parsed from JSON.
struct Batch<'a> {
    keys: Vec<&'a str>,
    urls: Vec<Option<&'a str>>,
    url_keys: Vec<Option<&'a str>>,
    titles: Vec<&'a str>,
    summaries: Vec<&'a str>,
    excerpts: Vec<&'a str>,
    authors: Vec<Option<&'a str>>,
    categories: Vec<String>,
    published: Vec<DateTime<Utc>>,
    hashes: Vec<&'a str>,
}

/// Separates categories in one text (arrays of arrays must be
/// rectangular); never part of a category, see `Batch::of`.
const CATEGORY_SEPARATOR: char = '\u{1f}';

impl<'a> Batch<'a> {
    fn of(entries: &'a [Entry]) -> Self {
        Self {
            keys: entries.iter().map(|e| e.key.as_str()).collect(),
            urls: entries.iter().map(|e| e.url.as_deref()).collect(),
            url_keys: entries.iter().map(|e| e.url_key.as_deref()).collect(),
            titles: entries.iter().map(|e| e.title.as_str()).collect(),
            summaries: entries.iter().map(|e| e.summary_html.as_str()).collect(),
            excerpts: entries.iter().map(|e| e.excerpt.as_str()).collect(),
            authors: entries.iter().map(|e| e.author.as_deref()).collect(),
            categories: entries
                .iter()
                .map(|e| {
                    let clean: Vec<String> = e
                        .categories
                        .iter()
                        .map(|c| c.replace(CATEGORY_SEPARATOR, " "))
                        .collect();
                    clean.join(&CATEGORY_SEPARATOR.to_string())
                })
                .collect(),
            published: entries.iter().map(|e| e.published_at).collect(),
            hashes: entries.iter().map(|e| e.hash.as_str()).collect(),
        }
    }
}

/// A feed the poller has claimed, with what refreshing it needs.
#[derive(Debug, Clone)]
pub struct ClaimedFeed {
    pub id: i64,
    pub url: String,
    pub title: Option<String>,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub poll_interval_minutes: i32,
    pub consecutive_failures: i32,
    pub moved_to: Option<String>,
    pub moved_seen: i32,
}

/// Claims up to `limit` due feeds for `worker` for `lease`. `SKIP LOCKED`
/// keeps concurrent pollers apart; the lease lets a crashed poller's feeds
/// be claimed again once it expires.
pub async fn claim_due_feeds(
    pool: &PgPool,
    worker: &str,
    limit: i64,
    lease: Duration,
) -> Result<Vec<ClaimedFeed>, sqlx::Error> {
    let lease_seconds = lease.as_secs_f64();
    sqlx::query_as!(
        ClaimedFeed,
        r#"WITH due AS (
               SELECT id FROM feeds
               WHERE enabled AND next_check_at <= now()
                 AND (claimed_until IS NULL OR claimed_until < now())
               ORDER BY next_check_at
               LIMIT $1
               FOR UPDATE SKIP LOCKED
           )
           UPDATE feeds f
              SET claimed_until = now() + make_interval(secs => $2), claimed_by = $3
             FROM due WHERE f.id = due.id
           RETURNING f.id, f.url, f.title, f.etag, f.last_modified, f.poll_interval_minutes,
                     f.consecutive_failures, f.moved_to, f.moved_seen"#,
        limit,
        lease_seconds,
        worker
    )
    .fetch_all(pool)
    .await
}

/// Claims one feed now, due or not ("refresh now"), unless another poller
/// holds it.
pub async fn claim_feed(
    pool: &PgPool,
    worker: &str,
    feed_id: i64,
    lease: Duration,
) -> Result<Option<ClaimedFeed>, sqlx::Error> {
    let lease_seconds = lease.as_secs_f64();
    sqlx::query_as!(
        ClaimedFeed,
        r#"UPDATE feeds
              SET claimed_until = now() + make_interval(secs => $2), claimed_by = $3
            WHERE id = $1 AND (claimed_until IS NULL OR claimed_until < now())
           RETURNING id, url, title, etag, last_modified, poll_interval_minutes,
                     consecutive_failures, moved_to, moved_seen"#,
        feed_id,
        lease_seconds,
        worker
    )
    .fetch_optional(pool)
    .await
}

/// The outcome of one refresh, as recorded on the feed.
#[derive(Debug, Clone)]
pub struct Attempt {
    pub started_at: DateTime<Utc>,
    pub duration: Duration,
    pub http_status: Option<u16>,
    pub bytes: u64,
    pub next_check_in: Duration,
    pub result: AttemptResult,
}

#[derive(Debug, Clone)]
pub enum AttemptResult {
    Fetched {
        counts: StoreCounts,
        etag: Option<String>,
        last_modified: Option<String>,
        feed_title: Option<String>,
        site_url: Option<String>,
        moved_to: Option<String>,
        /// Read with errors: kept as the feed's last error, without
        /// counting a failure (the entries were stored).
        warning: Option<Stored>,
    },
    NotModified {
        moved_to: Option<String>,
    },
    Failed {
        error: FetchError,
    },
}

/// Records the attempt, updates health and schedule, and releases the claim.
pub async fn record_attempt(
    pool: &PgPool,
    worker: &str,
    feed: &ClaimedFeed,
    attempt: &Attempt,
) -> Result<(), sqlx::Error> {
    let mut tx = pool.begin().await?;
    // Lost in a crash, an attempt is only made again (as in
    // `ingest_entry_batch`); not waiting for the WAL flush shortens every
    // refresh.
    sqlx::query!("SET LOCAL synchronous_commit = off")
        .execute(&mut *tx)
        .await?;
    let duration_ms = i32::try_from(attempt.duration.as_millis()).unwrap_or(i32::MAX);
    let status = attempt.http_status.map(i32::from);
    let bytes = i64::try_from(attempt.bytes).unwrap_or(i64::MAX);
    let next_check_seconds = attempt.next_check_in.as_secs_f64();
    // A failure, or the errors a feed was read with, is kept as a message,
    // worded for each reader by the Feeds page, and in English words beside
    // it (psql, the log, older builds).
    let (outcome, new, updated, note) = match &attempt.result {
        AttemptResult::Fetched {
            counts, warning, ..
        } => ("fetched", counts.new, counts.updated, warning.clone()),
        AttemptResult::NotModified { .. } => ("not_modified", 0, 0, None),
        AttemptResult::Failed { error } => ("failed", 0, 0, Some(error.stored())),
    };
    let error = note.as_ref().map(|stored| stored.words(Locale::en));
    let error_stored = note.map(Json);
    sqlx::query!(
        r#"INSERT INTO feed_fetches (feed_id, started_at, duration_ms, http_status, bytes, outcome,
                                     entries_new, entries_updated, error, error_stored)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"#,
        feed.id,
        attempt.started_at,
        duration_ms,
        status,
        bytes,
        outcome,
        new,
        updated,
        error,
        error_stored as _
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        r#"DELETE FROM feed_fetches WHERE feed_id = $1 AND id <= (
               SELECT id FROM feed_fetches WHERE feed_id = $1 ORDER BY id DESC OFFSET $2 LIMIT 1)"#,
        feed.id,
        FETCH_HISTORY
    )
    .execute(&mut *tx)
    .await?;

    match &attempt.result {
        AttemptResult::Failed { .. } => {
            sqlx::query!(
                r#"UPDATE feeds SET
                       last_attempt_at = $2, last_http_status = $3, last_error = $4,
                       last_error_stored = $7,
                       consecutive_failures = consecutive_failures + 1,
                       next_check_at = now() + make_interval(secs => $5),
                       claimed_until = NULL, claimed_by = NULL, updated_at = now()
                   WHERE id = $1 AND claimed_by = $6"#,
                feed.id,
                attempt.started_at,
                status,
                error,
                next_check_seconds,
                worker,
                error_stored as _
            )
            .execute(&mut *tx)
            .await?;
        }
        AttemptResult::Fetched {
            etag,
            last_modified,
            feed_title,
            site_url,
            moved_to,
            ..
        } => {
            let (moved_to, moved_seen) = track_move(feed, moved_to.as_deref());
            sqlx::query!(
                r#"UPDATE feeds SET
                       last_attempt_at = $2, last_success_at = $2, last_http_status = $3,
                       last_error = $12, last_error_stored = $13, consecutive_failures = 0,
                       etag = $4, last_modified = $5,
                       title = coalesce(title, left($6, 200)),
                       site_url = coalesce($7, site_url),
                       moved_to = $8, moved_seen = $9,
                       next_check_at = now() + make_interval(secs => $10),
                       claimed_until = NULL, claimed_by = NULL, updated_at = now()
                   WHERE id = $1 AND claimed_by = $11"#,
                feed.id,
                attempt.started_at,
                status,
                etag.as_deref(),
                last_modified.as_deref(),
                feed_title.as_deref().filter(|t| !t.is_empty()),
                site_url.as_deref(),
                moved_to,
                moved_seen,
                next_check_seconds,
                worker,
                error.as_deref(),
                error_stored as _
            )
            .execute(&mut *tx)
            .await?;
        }
        AttemptResult::NotModified { moved_to } => {
            // Unchanged since it was read with errors: the errors still hold.
            let (moved_to, moved_seen) = track_move(feed, moved_to.as_deref());
            sqlx::query!(
                r#"UPDATE feeds SET
                       last_attempt_at = $2, last_success_at = $2, last_http_status = $3,
                       last_error = CASE WHEN consecutive_failures = 0 THEN last_error END,
                       last_error_stored = CASE WHEN consecutive_failures = 0
                                                THEN last_error_stored END,
                       consecutive_failures = 0,
                       moved_to = $4, moved_seen = $5,
                       next_check_at = now() + make_interval(secs => $6),
                       claimed_until = NULL, claimed_by = NULL, updated_at = now()
                   WHERE id = $1 AND claimed_by = $7"#,
                feed.id,
                attempt.started_at,
                status,
                moved_to,
                moved_seen,
                next_check_seconds,
                worker
            )
            .execute(&mut *tx)
            .await?;
        }
    }
    follow_settled_move(&mut tx, feed.id).await?;
    tx.commit().await
}

/// Gives a claimed feed back without recording an attempt, to be checked
/// again after `retry_in`, whatever its schedule said (a due feed must not
/// be claimed again at once while the database keeps failing).
pub async fn release_claim(
    pool: &PgPool,
    worker: &str,
    feed_id: i64,
    retry_in: Duration,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        r#"UPDATE feeds SET claimed_until = NULL, claimed_by = NULL,
                  next_check_at = now() + make_interval(secs => $3)
           WHERE id = $1 AND claimed_by = $2"#,
        feed_id,
        worker,
        retry_in.as_secs_f64()
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// Counts consecutive sightings of the same permanent redirect target.
fn track_move(feed: &ClaimedFeed, seen: Option<&str>) -> (Option<String>, i32) {
    match seen {
        None => (None, 0),
        Some(target) if feed.moved_to.as_deref() == Some(target) => {
            (Some(target.to_owned()), feed.moved_seen + 1)
        }
        Some(target) => (Some(target.to_owned()), 1),
    }
}

/// After enough sightings the feed's URL becomes the redirect target —
/// unless another feed already has that URL.
async fn follow_settled_move(tx: &mut sqlx::PgConnection, feed_id: i64) -> Result<(), sqlx::Error> {
    let moved = sqlx::query!(
        r#"UPDATE feeds SET url = moved_to, moved_to = NULL, moved_seen = 0,
                            etag = NULL, last_modified = NULL
           WHERE id = $1 AND moved_seen >= $2 AND moved_to IS NOT NULL
             AND NOT EXISTS (SELECT 1 FROM feeds other WHERE other.url = feeds.moved_to)
           RETURNING url"#,
        feed_id,
        MOVES_BEFORE_UPDATE
    )
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(row) = moved {
        tracing::info!(
            feed_id,
            url = row.url,
            "feed moved permanently; URL updated"
        );
    }
    Ok(())
}

/// Deletes candidates and leaves tombstones (by normalised URL and by each
/// feed entry that carried them), so that polling does not bring them back.
pub async fn remove_candidates(
    pool: &PgPool,
    ids: &[i64],
    reason: &str,
) -> Result<u64, sqlx::Error> {
    let mut tx = pool.begin().await?;
    sqlx::query!(
        r#"INSERT INTO candidate_tombstones (url_key, reason)
           SELECT url_key, $2 FROM candidates WHERE id = ANY($1) AND url_key IS NOT NULL
           ON CONFLICT DO NOTHING"#,
        ids,
        reason
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        r#"INSERT INTO candidate_tombstones (feed_id, entry_key, reason)
           SELECT feed_id, entry_key, $2 FROM candidate_sources WHERE candidate_id = ANY($1)
           ON CONFLICT DO NOTHING"#,
        ids,
        reason
    )
    .execute(&mut *tx)
    .await?;
    let deleted = sqlx::query!("DELETE FROM candidates WHERE id = ANY($1)", ids)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    tx.commit().await?;
    Ok(deleted)
}
