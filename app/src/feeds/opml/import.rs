//! OPML imports as durable jobs. An upload (or `newsdesk feeds import`)
//! reads the file and stores the import and its feeds in one transaction;
//! then workers claim the feeds in small batches, like the poller claims
//! feeds (`FOR UPDATE SKIP LOCKED` with a lease), and do each in a
//! transaction of its own: check and normalise its URL, add it unless it
//! exists, record what became of it. Whoever does the last feed marks the
//! import finished with its summary.
//!
//! So an import survives its process: the server's background work
//! ([`resume_imports`]) picks up unfinished imports at start and every few
//! seconds, the feeds a dead worker had claimed return when their lease
//! runs out, and no feed is added twice. A feed that fails every time
//! stops the import with its error rather than being retried forever.

use std::{collections::BTreeSet, time::Duration};

use sqlx::PgPool;
use tokio::sync::watch;
use uuid::Uuid;

use super::parse_opml;
use crate::{
    db::{self, opml::ClaimedImportFeed},
    error::AppError,
    feeds::{
        model::{ImportProgress, ImportStatus, ImportSummary, OpmlFeed},
        validate::normalise_feed_url,
    },
    i18n::td_string,
    lang,
};

/// Largest OPML file accepted (bytes); real subscription lists are far smaller.
pub const MAX_FILE_BYTES: usize = 5 * 1024 * 1024;
/// Feeds one worker claims at a time: done in milliseconds normally, so
/// few are held up when a worker dies.
const BATCH: i64 = 10;
/// How long a claim lasts: far more than a batch takes, and what a crash
/// delays the feeds it had claimed by.
const LEASE: Duration = Duration::from_secs(15);
/// A feed claimed this often without being done stops its import.
const MAX_ATTEMPTS: i32 = 5;
/// After a database error on a feed, when to try it again.
const RETRY_AFTER: Duration = Duration::from_secs(5);
/// How often the server looks for imports to resume.
const RESUME_EVERY: Duration = Duration::from_secs(5);
/// How often an import run to its end checks on feeds others are doing.
const WAIT_FOR_OTHERS: Duration = Duration::from_millis(200);

/// Starts importing `text` and returns the job id at once; the import runs
/// in the background (and resumes after a restart). A file that cannot be
/// read becomes a failed import, so the user lands on a page that says why.
pub async fn start_import(pool: &PgPool, file_name: &str, text: String) -> Result<Uuid, AppError> {
    let feeds = match parse_opml(&text) {
        Ok(feeds) => feeds,
        Err(error) => return record_failed_upload(pool, file_name, &error.to_string()).await,
    };
    let id = create_import(pool, file_name, &feeds).await?;
    let pool = pool.clone();
    tokio::spawn(crate::lang::keep(async move {
        if let Err(error) = work_on_imports(&pool, Some(id), &mut |_| {}).await {
            tracing::warn!(%error, import = %id, "OPML import paused; it resumes in the background");
        }
    }));
    Ok(id)
}

/// Records a failed upload (unreadable file) as a finished import, so the
/// user lands on a page that says what went wrong.
pub async fn record_failed_upload(
    pool: &PgPool,
    file_name: &str,
    error: &str,
) -> Result<Uuid, AppError> {
    // In one transaction: a worker must never see it running, with nothing
    // left to do, and finish it as an empty import.
    let id = Uuid::new_v4();
    let mut tx = pool.begin().await?;
    db::opml::create_import(&mut tx, id, file_name, 0).await?;
    db::opml::fail_import(&mut *tx, id, None, error).await?;
    tx.commit().await?;
    Ok(id)
}

/// Imports `text` and waits for the end, reporting progress after each
/// feed (`newsdesk feeds import`). Feeds already stored, or seen earlier in
/// the file, are skipped; refused URLs are reported rather than aborting
/// the import. Only a file that cannot be read (then nothing is stored) or
/// a failing database is an error; an import interrupted by one resumes
/// in the server's background work.
pub async fn import_opml(
    pool: &PgPool,
    text: &str,
    mut on_progress: impl FnMut(ImportProgress),
) -> Result<ImportSummary, AppError> {
    let feeds = parse_opml(text)?;
    let total = feeds.len();
    let id = create_import(pool, "OPML file", &feeds).await?;
    on_progress(ImportProgress { done: 0, total });
    loop {
        work_on_imports(pool, Some(id), &mut on_progress).await?;
        let status = db::opml::import_status(pool, id)
            .await?
            .ok_or(AppError::NotFound)?;
        match status {
            ImportStatus {
                error: Some(error), ..
            } => return Err(AppError::invalid("file", error)),
            ImportStatus {
                summary: Some(summary),
                ..
            } => return Ok(summary),
            // Another process holds some of its feeds: they are done soon,
            // or return to us when its lease runs out.
            _ => tokio::time::sleep(WAIT_FOR_OTHERS).await,
        }
    }
}

/// Resumes unfinished imports now and every few seconds until `stop`.
pub async fn resume_imports(pool: PgPool, mut stop: watch::Receiver<bool>) {
    while !*stop.borrow() {
        if let Err(error) = work_on_imports(&pool, None, &mut |_| {}).await {
            tracing::warn!(%error, "cannot work on OPML imports now; trying again shortly");
        }
        tokio::select! {
            _ = stop.changed() => {}
            _ = tokio::time::sleep(RESUME_EVERY) => {}
        }
    }
}

pub async fn status(pool: &PgPool, id: &str) -> Result<ImportStatus, AppError> {
    let id = Uuid::parse_str(id).map_err(|_| AppError::NotFound)?;
    db::opml::import_status(pool, id)
        .await?
        .ok_or(AppError::NotFound)
}

async fn create_import(
    pool: &PgPool,
    file_name: &str,
    feeds: &[OpmlFeed],
) -> Result<Uuid, AppError> {
    let id = Uuid::new_v4();
    let mut tx = pool.begin().await?;
    db::opml::create_import(&mut tx, id, file_name, feeds.len()).await?;
    db::opml::insert_import_feeds(&mut tx, id, feeds).await?;
    tx.commit().await?;
    Ok(id)
}

/// Does the claimable feeds of running imports (of import `only`, if
/// given) until none is left, finishing the imports that are done and
/// stopping those stuck on a feed.
async fn work_on_imports(
    pool: &PgPool,
    only: Option<Uuid>,
    on_progress: &mut impl FnMut(ImportProgress),
) -> Result<(), AppError> {
    let worker = format!("{}-{:08x}", std::process::id(), rand::random::<u32>());
    loop {
        stop_stuck_imports(pool).await?;
        let claimed =
            db::opml::claim_import_feeds(pool, &worker, only, BATCH, LEASE, MAX_ATTEMPTS).await?;
        if claimed.is_empty() {
            break;
        }
        let mut touched = BTreeSet::new();
        let mut added = false;
        for feed in &claimed {
            touched.insert(feed.import_id);
            match import_feed(pool, &worker, feed).await {
                Ok(Some((outcome, progress))) => {
                    added |= outcome == Outcome::Added;
                    on_progress(progress);
                }
                // Its lease ran out and another worker did it.
                Ok(None) => {}
                Err(error) => {
                    tracing::warn!(%error, import = %feed.import_id, position = feed.position,
                        "cannot import a feed of an OPML file now; trying it again shortly");
                    let message = error.to_string();
                    if let Err(error) =
                        db::opml::record_import_error(pool, feed, &worker, &message, RETRY_AFTER)
                            .await
                    {
                        tracing::warn!(%error, "cannot record that; the claim will expire");
                    }
                }
            }
        }
        if added {
            db::events::wake_pollers(pool).await?;
        }
        for id in touched {
            finish_if_done(pool, id).await?;
        }
    }
    // A worker that stopped between an import's last feed and its end.
    for id in db::opml::imports_done_but_open(pool).await? {
        if only.is_none_or(|only| only == id) {
            finish_if_done(pool, id).await?;
        }
    }
    Ok(())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Added,
    Duplicate,
    Invalid,
}

impl Outcome {
    fn as_str(self) -> &'static str {
        match self {
            Self::Added => "added",
            Self::Duplicate => "duplicate",
            Self::Invalid => "invalid",
        }
    }
}

/// One feed of an import, in one transaction: its URL checked and
/// normalised like one typed on the Feeds page, the feed added unless a
/// feed has that URL (the unique index decides, also against concurrent
/// adds), the outcome recorded and counted. `None` when the feed is no
/// longer this worker's.
async fn import_feed(
    pool: &PgPool,
    worker: &str,
    feed: &ClaimedImportFeed,
) -> Result<Option<(Outcome, ImportProgress)>, sqlx::Error> {
    let mut tx = pool.begin().await?;
    if !db::opml::lock_claimed_feed(&mut tx, feed, worker).await? {
        return Ok(None);
    }
    let (outcome, reason) = match normalise_feed_url(&feed.url) {
        Err(refused) => (Outcome::Invalid, Some(refused.to_string())),
        Ok(url) => {
            let new = OpmlFeed {
                url,
                title: feed.title.clone(),
                category: feed.category.clone(),
                site_url: feed.site_url.clone(),
            };
            if db::opml::insert_feed(&mut tx, &new).await? {
                (Outcome::Added, None)
            } else {
                (Outcome::Duplicate, None)
            }
        }
    };
    let progress =
        db::opml::record_import_outcome(&mut tx, feed, outcome.as_str(), reason.as_deref()).await?;
    tx.commit().await?;
    Ok(Some((outcome, progress)))
}

async fn finish_if_done(pool: &PgPool, id: Uuid) -> Result<(), AppError> {
    let summary = db::opml::import_outcomes(pool, id).await?;
    if db::opml::complete_import(pool, id, &summary).await? {
        tracing::info!(
            import = %id,
            added = summary.added,
            skipped_duplicates = summary.skipped_duplicates,
            invalid = summary.invalid.len(),
            "OPML import finished"
        );
    }
    Ok(())
}

/// Imports with a feed that was claimed again and again without being
/// done end here, with what they did so far and that feed's error.
async fn stop_stuck_imports(pool: &PgPool) -> Result<(), AppError> {
    for (id, last_error) in db::opml::imports_stuck(pool, MAX_ATTEMPTS).await? {
        let summary = db::opml::import_outcomes(pool, id).await?;
        let locale = lang::current();
        let cause =
            last_error.unwrap_or_else(|| td_string!(locale, feeds.opml_interrupted).to_owned());
        let error = lang::fill(td_string!(locale, feeds.opml_stopped), &[("cause", &cause)]);
        tracing::error!(import = %id, %error, "OPML import stopped");
        db::opml::fail_import(pool, id, Some(&summary), &error).await?;
    }
    Ok(())
}
