//! Feed ingestion, in four stages — fetch → parse → normalise → store —
//! orchestrated per feed by [`Ingest::refresh_feed`]. The [`poller`]
//! decides when each feed is refreshed.
//!
//! Somewhat long: one refresh's stages and their outcomes, in order.

pub mod discover;
pub mod error;
pub mod fetch;
pub mod filters;
pub mod for_app;
pub mod github;
pub mod guard;
pub mod normalise;
pub mod page;
pub mod page_info;
pub mod parse;
pub mod poller;
pub mod retention;
pub mod schedule;
pub mod store;

use std::{
    sync::Arc,
    time::{Duration, Instant},
};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use chrono::Utc;
use newsdesk_app::lang::{model::Stored, Locale};
use sqlx::PgPool;
use tracing::{field::Empty, Instrument};
use url::Url;

use self::{
    error::FetchError,
    fetch::{Fetched, Fetcher, Validators},
    filters::Filter,
    store::{Attempt, AttemptResult, ClaimedFeed, StoreCounts},
};

/// Everything a refresh needs; cheap to clone.
#[derive(Clone)]
pub struct Ingest {
    pool: PgPool,
    fetcher: Fetcher,
    worker: Arc<str>,
    /// Refreshes past their fetch wait here for their turn at the
    /// database, so that however many fetch at once, no more of them use
    /// the pool than it serves: waiting in the pool's queue ends in a
    /// timeout (which used to abort `poll --once`), waiting here does not.
    database_turns: Arc<Semaphore>,
    /// Parsing is CPU work: no more feeds are parsed at once than there
    /// are cores. More at once is no faster, and each keeps a blocking
    /// thread's allocations alive (peak memory).
    parse_turns: Arc<Semaphore>,
}

/// What one refresh did, for logs, tests and the benchmark.
#[derive(Debug, Clone)]
pub struct RefreshReport {
    pub feed_id: i64,
    pub http_status: Option<u16>,
    pub bytes: u64,
    pub counts: StoreCounts,
    pub not_modified: bool,
    pub error: Option<String>,
    /// Read, but with errors: what the feed's health says, in English.
    pub warning: Option<String>,
    pub duration: Duration,
}

impl Ingest {
    pub fn new(pool: PgPool, fetcher: Fetcher) -> Self {
        let worker = format!(
            "{}-{}-{:08x}",
            nix::unistd::gethostname()
                .ok()
                .and_then(|name| name.into_string().ok())
                .unwrap_or_else(|| "host".into()),
            std::process::id(),
            rand::random::<u32>()
        );
        Self {
            database_turns: Arc::new(Semaphore::new(database_turns(&pool))),
            parse_turns: Arc::new(Semaphore::new(
                std::thread::available_parallelism().map_or(1, usize::from),
            )),
            pool,
            fetcher,
            worker: worker.into(),
        }
    }

    pub fn pool(&self) -> &PgPool {
        &self.pool
    }

    pub fn worker(&self) -> &str {
        &self.worker
    }

    /// Claims and refreshes one feed right away, due or not. `None` when
    /// another poller holds it.
    pub async fn refresh_one(&self, feed_id: i64) -> Result<Option<RefreshReport>, sqlx::Error> {
        match store::claim_feed(&self.pool, &self.worker, feed_id, poller::LEASE).await? {
            Some(feed) => self.refresh_feed(feed).await.map(Some),
            None => Ok(None),
        }
    }

    /// Refreshes a feed this worker has claimed, records the outcome on it
    /// and releases the claim. Feed problems are recorded, not returned;
    /// only a failing database is an error here, and then nothing is
    /// recorded on the feed, which is given back to be checked soon.
    pub async fn refresh_feed(&self, feed: ClaimedFeed) -> Result<RefreshReport, sqlx::Error> {
        self.refresh_feed_after_turn(feed, None).await
    }

    /// [`Self::refresh_feed`] for a feed fetched in its host's turn
    /// (`host_turn`, the poller's per-host limit): the turn is given back
    /// as soon as the response is read, so that the host's next feed is
    /// fetched while this one is parsed and stored. The limit is about
    /// what a site sees, and a site sees nothing of our parsing and
    /// storing; holding the turn through them kept one host's feeds to one
    /// or two refreshes at a time, with both cores half idle.
    pub async fn refresh_feed_after_turn(
        &self,
        feed: ClaimedFeed,
        host_turn: Option<OwnedSemaphorePermit>,
    ) -> Result<RefreshReport, sqlx::Error> {
        let span = tracing::info_span!(
            "refresh_feed",
            feed_id = feed.id,
            url = %feed.url,
            status = Empty,
            bytes = Empty,
            new = Empty,
            updated = Empty,
            ms = Empty,
        );
        self.refresh_feed_inner(feed, host_turn)
            .instrument(span)
            .await
    }

    async fn refresh_feed_inner(
        &self,
        feed: ClaimedFeed,
        host_turn: Option<OwnedSemaphorePermit>,
    ) -> Result<RefreshReport, sqlx::Error> {
        let started_at = Utc::now();
        let clock = Instant::now();
        let fetched = self.fetch(&feed).await;
        drop(host_turn);
        let _turn = self
            .database_turns
            .acquire()
            .await
            .expect("the semaphore is never closed");
        let result = match fetched {
            Ok(fetched) => match self.parse_store(&feed, fetched).await {
                Ok(done) => Ok(done),
                Err(Failure::Feed(error)) => Err(error),
                Err(Failure::Database(error)) => return Err(self.defer(&feed, error).await),
            },
            Err(error) => Err(error),
        };
        let attempt = attempt_from(&feed, result, started_at, clock.elapsed());
        let recorded =
            when_pool_is_busy(|| store::record_attempt(&self.pool, &self.worker, &feed, &attempt))
                .await;
        if let Err(error) = recorded {
            return Err(self.defer(&feed, error).await);
        }
        let report = RefreshReport::from_attempt(feed.id, &attempt);
        report.record_metrics();
        let span = tracing::Span::current();
        span.record("status", report.http_status.unwrap_or(0));
        span.record("bytes", report.bytes);
        span.record("new", report.counts.new);
        span.record("updated", report.counts.updated);
        span.record("ms", report.duration.as_millis() as u64);
        match (&report.error, &report.warning) {
            (Some(error), _) => tracing::warn!(%error, "feed refresh failed"),
            (None, Some(warning)) => tracing::info!(%warning, "feed refreshed"),
            (None, None) => tracing::info!("feed refreshed"),
        }
        Ok(report)
    }

    /// The database failed us during a refresh: that says nothing about
    /// the feed, so nothing is recorded on it (no failure counted, no error
    /// shown, no backoff). The claim is given back with the next check
    /// soon, trying for a while in case PostgreSQL is restarting; if it
    /// stays away, the claim's lease runs out instead.
    async fn defer(&self, feed: &ClaimedFeed, error: sqlx::Error) -> sqlx::Error {
        let retry_in = schedule::after_database_error(&mut rand::rng());
        tracing::error!(
            %error,
            retry_in_s = retry_in.as_secs(),
            "database error during a feed refresh; the feed is not blamed and is checked again soon"
        );
        metrics::counter!("newsdesk_feed_refreshes_total", "outcome" => "deferred").increment(1);
        for attempt in 1..=RELEASE_ATTEMPTS {
            match store::release_claim(&self.pool, &self.worker, feed.id, retry_in).await {
                Ok(()) => break,
                Err(release_error) if attempt == RELEASE_ATTEMPTS => {
                    tracing::warn!(%release_error, "cannot give the feed back; its claim will expire");
                }
                Err(_) => tokio::time::sleep(RELEASE_PAUSE).await,
            }
        }
        error
    }

    async fn fetch(&self, feed: &ClaimedFeed) -> Result<Fetched, FetchError> {
        let url = Url::parse(&feed.url).map_err(|e| FetchError::InvalidFeedUrl(e.to_string()))?;
        let validators = Validators {
            etag: feed.etag.clone(),
            last_modified: feed.last_modified.clone(),
        };
        self.fetcher.fetch(&url, &validators).await
    }

    async fn parse_store(&self, feed: &ClaimedFeed, fetched: Fetched) -> Result<Done, Failure> {
        let (response, body) = match fetched {
            Fetched::NotModified(response) => {
                return Ok(Done::NotModified {
                    max_age: response.max_age,
                    moved_to: response.moved_permanently_to.map(String::from),
                })
            }
            Fetched::Body(response, body) => (response, body),
        };
        let filter = when_pool_is_busy(|| Filter::load(&self.pool, feed.id))
            .await
            .map_err(Failure::Database)?;
        let fetched_at = Utc::now();
        let content_type = response.content_type.clone();
        let base = response.final_url.clone();
        let bytes = body.len() as u64;
        // Parsing is CPU work; keep it off the async worker threads.
        let parse_turn = self
            .parse_turns
            .acquire()
            .await
            .expect("the semaphore is never closed");
        let parsed = tokio::task::spawn_blocking(move || {
            let parsed = parse::parse_feed(&body, content_type.as_deref(), &base)?;
            let warning = parsed.warning();
            let feed = parsed.feed;
            let entries: Vec<_> = normalise::normalise_entries(&feed.entries, fetched_at)
                .into_iter()
                .filter(|entry| filter.allows(entry))
                .collect();
            let title = feed
                .title
                .map(|text| normalise::html_to_text(&text.content).trim().to_owned());
            let site_url = feed
                .links
                .iter()
                .filter(|link| link.rel.as_deref().is_none_or(|rel| rel == "alternate"))
                .find_map(|link| Url::parse(&link.href).ok())
                .filter(|url| matches!(url.scheme(), "http" | "https"))
                .map(String::from);
            Ok::<_, FetchError>((entries, title, site_url, warning))
        })
        .await
        .map_err(|e| FetchError::ParserCrashed(e.to_string()))?;
        drop(parse_turn);
        let (entries, feed_title, site_url, warning) = parsed?;
        let counts = when_pool_is_busy(|| store::store_entries(&self.pool, feed.id, &entries))
            .await
            .map_err(Failure::Database)?;
        Ok(Done::Fetched {
            status: response.status,
            bytes,
            counts,
            max_age: response.max_age,
            validators: response.validators,
            feed_title,
            site_url,
            moved_to: response.moved_permanently_to.map(String::from),
            warning,
        })
    }
}

/// Turns a refresh's result into what is recorded, including when to look
/// again.
fn attempt_from(
    feed: &ClaimedFeed,
    result: Result<Done, FetchError>,
    started_at: chrono::DateTime<Utc>,
    duration: Duration,
) -> Attempt {
    let mut rng = rand::rng();
    let (http_status, bytes, next_check_in, result) = match result {
        Ok(Done::Fetched {
            status,
            bytes,
            counts,
            max_age,
            validators,
            feed_title,
            site_url,
            moved_to,
            warning,
        }) => (
            Some(status),
            bytes,
            schedule::after_success(feed.poll_interval_minutes, max_age, &mut rng),
            AttemptResult::Fetched {
                counts,
                etag: validators.etag,
                last_modified: validators.last_modified,
                feed_title,
                site_url,
                moved_to,
                warning,
            },
        ),
        Ok(Done::NotModified { max_age, moved_to }) => (
            Some(304),
            0,
            schedule::after_success(feed.poll_interval_minutes, max_age, &mut rng),
            AttemptResult::NotModified { moved_to },
        ),
        Err(error) => (
            error.http_status(),
            0,
            schedule::after_failure(feed.consecutive_failures + 1, error.retry_after(), &mut rng),
            AttemptResult::Failed { error },
        ),
    };
    Attempt {
        started_at,
        duration,
        http_status,
        bytes,
        next_check_in,
        result,
    }
}

enum Done {
    Fetched {
        status: u16,
        bytes: u64,
        counts: StoreCounts,
        max_age: Option<Duration>,
        validators: Validators,
        feed_title: Option<String>,
        site_url: Option<String>,
        moved_to: Option<String>,
        /// The feed was read, but with errors ("read with errors: …").
        warning: Option<Stored>,
    },
    NotModified {
        max_age: Option<Duration>,
        moved_to: Option<String>,
    },
}

/// Why a refresh ended without an outcome to record.
enum Failure {
    /// The feed or its server: recorded on the feed, which backs off.
    Feed(FetchError),
    /// Our database: not the feed's fault (see [`Ingest::defer`]).
    Database(sqlx::Error),
}

impl From<FetchError> for Failure {
    fn from(error: FetchError) -> Self {
        Self::Feed(error)
    }
}

/// Giving a feed back after a database error: tries this often, this far
/// apart (about the time PostgreSQL takes to restart).
const RELEASE_ATTEMPTS: u32 = 10;
const RELEASE_PAUSE: Duration = Duration::from_secs(3);

/// How many refreshes use the database at once: all of the pool but two
/// connections (one to claim feeds with, one for the web server in
/// `serve`), at least one.
fn database_turns(pool: &PgPool) -> usize {
    (pool.options().get_max_connections() as usize)
        .saturating_sub(2)
        .max(1)
}

/// A pool that stays busy (the web server's requests, say) is no fault of
/// the feed's nor a broken database: the work is tried again, a few
/// times, before the feed is deferred like for any database error. Safe
/// because each try is whole transactions (a timeout rolls one back).
const BUSY_POOL_TRIES: u32 = 5;

async fn when_pool_is_busy<T, F, Fut>(mut work: F) -> Result<T, sqlx::Error>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, sqlx::Error>>,
{
    let mut tries = 1;
    loop {
        match work().await {
            Err(sqlx::Error::PoolTimedOut) if tries < BUSY_POOL_TRIES => {
                tracing::warn!(tries, "the database pool stayed busy; trying again");
                tries += 1;
            }
            other => return other,
        }
    }
}

impl RefreshReport {
    /// Prometheus counters and histograms (served on `/metrics`).
    fn record_metrics(&self) {
        let outcome = match (&self.error, self.not_modified) {
            (Some(_), _) => "failed",
            (None, true) => "not_modified",
            (None, false) => "fetched",
        };
        metrics::counter!("newsdesk_feed_refreshes_total", "outcome" => outcome).increment(1);
        metrics::histogram!("newsdesk_feed_fetch_seconds").record(self.duration.as_secs_f64());
        metrics::counter!("newsdesk_feed_fetch_bytes_total").increment(self.bytes);
        for (kind, count) in [
            ("new", self.counts.new),
            ("updated", self.counts.updated),
            ("linked", self.counts.linked),
        ] {
            metrics::counter!("newsdesk_entries_total", "kind" => kind)
                .increment(count.max(0) as u64);
        }
    }

    fn from_attempt(feed_id: i64, attempt: &Attempt) -> Self {
        let (counts, not_modified, error, warning) = match &attempt.result {
            AttemptResult::Fetched {
                counts, warning, ..
            } => (
                *counts,
                false,
                None,
                warning.as_ref().map(|warning| warning.words(Locale::en)),
            ),
            AttemptResult::NotModified { .. } => (StoreCounts::default(), true, None, None),
            AttemptResult::Failed { error } => {
                (StoreCounts::default(), false, Some(error.to_string()), None)
            }
        };
        Self {
            feed_id,
            http_status: attempt.http_status,
            bytes: attempt.bytes,
            counts,
            not_modified,
            error,
            warning,
            duration: attempt.duration,
        }
    }
}
