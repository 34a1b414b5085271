//! The poller: claims due feeds in PostgreSQL and refreshes them with
//! bounded concurrency overall and per host. Several pollers (replicas) can
//! share one database: claims use `FOR UPDATE SKIP LOCKED` and a lease, so
//! no feed is fetched by two of them at once and a crashed poller's feeds
//! return after the lease. `NOTIFY newsdesk_poll` wakes pollers early
//! ("refresh now", new feeds).

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::Duration,
};

use newsdesk_app::near_duplicates;
use sqlx::postgres::PgListener;
use tokio::{
    sync::{watch, Notify, Semaphore},
    task::JoinSet,
};

use newsdesk_app::db::events::POLL_CHANNEL;

use super::{store, Ingest, RefreshReport};

/// How long a claim lasts: well beyond the fetch deadline plus storing.
pub const LEASE: Duration = Duration::from_secs(10 * 60);
/// Longest sleep between looks at the schedule.
const IDLE_WAIT: Duration = Duration::from_secs(60);
/// Wait before reading the schedule again after the database failed.
const SCHEDULE_RETRY: Duration = Duration::from_secs(5);
/// `run_due_once` gives up after this many failed claims in a row.
const CLAIM_TRIES: u32 = 6;

#[derive(Debug, Clone, Copy)]
pub struct PollerSettings {
    pub concurrency: usize,
    pub per_host: usize,
}

impl Default for PollerSettings {
    fn default() -> Self {
        Self {
            concurrency: 16,
            per_host: 2,
        }
    }
}

#[derive(Clone)]
pub struct Poller {
    ingest: Ingest,
    settings: PollerSettings,
    slots: Arc<Semaphore>,
    hosts: Arc<HostLimits>,
}

impl Poller {
    pub fn new(ingest: Ingest, settings: PollerSettings) -> Self {
        Self {
            slots: Arc::new(Semaphore::new(settings.concurrency.max(1))),
            hosts: Arc::new(HostLimits::new(settings.per_host.max(1))),
            ingest,
            settings,
        }
    }

    /// Claims up to `limit` due feeds for this poller.
    async fn claim(&self, limit: usize) -> Result<Vec<store::ClaimedFeed>, sqlx::Error> {
        store::claim_due_feeds(
            self.ingest.pool(),
            self.ingest.worker(),
            limit as i64,
            LEASE,
        )
        .await
    }

    fn max_queued(&self) -> usize {
        self.settings.concurrency * 4
    }

    /// Refreshes every feed that is due now, then returns their reports.
    /// Tests and `newsdesk poll --once` use it instead of waiting for time.
    /// Fails only when claiming feeds keeps failing (the database is away).
    pub async fn run_due_once(&self) -> Result<Vec<RefreshReport>, sqlx::Error> {
        let mut tasks = JoinSet::new();
        let mut reports = Vec::new();
        let mut claim_failures = 0;
        loop {
            let room = self.max_queued().saturating_sub(tasks.len());
            let claimed = if room > 0 {
                match self.claim(room).await {
                    Ok(claimed) => {
                        claim_failures = 0;
                        claimed
                    }
                    // The feeds in flight finish meanwhile; a database
                    // that stays away ends the run.
                    Err(error) if claim_failures < CLAIM_TRIES => {
                        claim_failures += 1;
                        tracing::warn!(%error, "claiming due feeds failed; trying again");
                        tokio::time::sleep(SCHEDULE_RETRY).await;
                        continue;
                    }
                    Err(error) => {
                        tasks.join_all().await;
                        return Err(error);
                    }
                }
            } else {
                Vec::new()
            };
            let claimed_none = claimed.is_empty();
            for feed in claimed {
                self.spawn_refresh(&mut tasks, feed, None);
            }
            if claimed_none && tasks.is_empty() {
                return Ok(reports);
            }
            // Claim more only as refreshes finish, so claims do not wait
            // in a queue until their lease runs out.
            if claimed_none || tasks.len() >= self.max_queued() {
                match tasks.join_next().await {
                    Some(Ok(Ok(report))) => reports.push(report),
                    // Already logged, and the feed given back for later:
                    // the other refreshes go on.
                    Some(Ok(Err(_))) => {}
                    Some(Err(error)) => tracing::error!(%error, "a refresh task failed"),
                    None => {}
                }
            }
        }
    }

    /// Title keys for the last week's candidates stored before keys
    /// existed (`near_duplicates::add_missing_keys`), once at start; a
    /// failure only costs those candidates their matches.
    pub async fn add_missing_title_keys(&self) {
        match near_duplicates::add_missing_keys(self.ingest.pool()).await {
            Ok(0) => {}
            Ok(count) => tracing::info!(count, "title keys added for near-duplicate matching"),
            Err(error) => tracing::warn!(%error, "cannot add the missing title keys"),
        }
    }

    /// Polls until `stop` turns true, then lets in-flight refreshes finish.
    pub async fn run(self, mut stop: watch::Receiver<bool>) {
        tracing::info!(
            concurrency = self.settings.concurrency,
            per_host = self.settings.per_host,
            "poller started"
        );
        self.add_missing_title_keys().await;
        let mut listener = match PgListener::connect_with(self.ingest.pool()).await {
            Ok(mut listener) => match listener.listen(POLL_CHANNEL).await {
                Ok(()) => Some(listener),
                Err(error) => {
                    tracing::warn!(%error, "poller cannot LISTEN; it will only look at the schedule");
                    None
                }
            },
            Err(error) => {
                tracing::warn!(%error, "poller cannot LISTEN; it will only look at the schedule");
                None
            }
        };
        let finished = Arc::new(Notify::new());
        let mut tasks = JoinSet::new();
        while !*stop.borrow() {
            // Reap finished refreshes; their database errors are logged
            // where they happened.
            while let Some(result) = tasks.try_join_next() {
                if let Err(error) = result {
                    tracing::error!(%error, "a refresh task failed");
                }
            }
            // Claimed feeds wait for their host without a slot; bound how
            // many may wait, so that leases do not run out in the queue.
            let free = self
                .slots
                .available_permits()
                .min(self.max_queued().saturating_sub(tasks.len()));
            if free > 0 {
                match self.claim(free).await {
                    Ok(claimed) => {
                        let full = claimed.len() == free;
                        for feed in claimed {
                            self.spawn_refresh(&mut tasks, feed, Some(Arc::clone(&finished)));
                        }
                        if full {
                            // Maybe more are due: look again as soon as a slot frees.
                            tokio::select! {
                                _ = finished.notified() => continue,
                                _ = stop.changed() => break,
                            }
                        }
                    }
                    Err(error) => tracing::error!(%error, "claiming due feeds failed"),
                }
            }
            let wait = self.time_until_next_due().await;
            tokio::select! {
                _ = stop.changed() => break,
                _ = finished.notified() => {}
                _ = tokio::time::sleep(wait) => {}
                _ = wake(&mut listener) => {}
            }
        }
        tracing::info!(in_flight = tasks.len(), "poller stopping");
        tasks.join_all().await;
        tracing::info!("poller stopped");
    }

    /// Waits for the host's turn first and only then takes a global slot,
    /// so that feeds queued behind one busy host (many GitHub release feeds,
    /// say) never hold slots other hosts could use. The host's turn ends
    /// when its response is read (see `Ingest::refresh_feed_after_turn`);
    /// the global slot when the feed is stored.
    fn spawn_refresh(
        &self,
        tasks: &mut JoinSet<Result<RefreshReport, sqlx::Error>>,
        feed: store::ClaimedFeed,
        finished: Option<Arc<Notify>>,
    ) {
        let slots = Arc::clone(&self.slots);
        let host = Arc::clone(&self.hosts).limit_for(&feed.url);
        let ingest = self.ingest.clone();
        tasks.spawn(async move {
            let host_turn = host
                .acquire_owned()
                .await
                .expect("the semaphore is never closed");
            let slot = slots
                .acquire_owned()
                .await
                .expect("the semaphore is never closed");
            let report = ingest.refresh_feed_after_turn(feed, Some(host_turn)).await;
            drop(slot);
            if let Some(finished) = finished {
                finished.notify_one();
            }
            report
        });
    }

    async fn time_until_next_due(&self) -> Duration {
        let next = sqlx::query_scalar!(
            r#"SELECT extract(epoch FROM min(next_check_at) - now())::float8 AS "seconds"
               FROM feeds WHERE enabled"#
        )
        .fetch_one(self.ingest.pool())
        .await;
        match next {
            Ok(Some(seconds)) if seconds > 0.0 => Duration::from_secs_f64(seconds).min(IDLE_WAIT),
            Ok(Some(_)) => Duration::from_secs(1), // due but claimed elsewhere: look again soon
            Ok(None) => IDLE_WAIT,
            // The database is away (restarting, say): look again soon
            // rather than a whole idle wait later.
            Err(error) => {
                tracing::warn!(%error, "cannot read the schedule");
                SCHEDULE_RETRY
            }
        }
    }
}

/// Resolves on the next wake-up notification (never, without a listener).
async fn wake(listener: &mut Option<PgListener>) {
    match listener {
        Some(listener) => {
            if let Err(error) = listener.recv().await {
                tracing::warn!(%error, "poller lost its LISTEN connection; reconnecting");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
        None => std::future::pending().await,
    }
}

/// One semaphore per host, so that one site never sees more than
/// `per_host` requests from this poller at a time.
struct HostLimits {
    per_host: usize,
    hosts: Mutex<HashMap<String, Arc<Semaphore>>>,
}

impl HostLimits {
    fn new(per_host: usize) -> Self {
        Self {
            per_host,
            hosts: Mutex::new(HashMap::new()),
        }
    }

    fn limit_for(self: Arc<Self>, url: &str) -> Arc<Semaphore> {
        let host = url::Url::parse(url)
            .ok()
            .and_then(|url| url.host_str().map(str::to_ascii_lowercase))
            .unwrap_or_default();
        let mut hosts = self.hosts.lock().expect("host limits lock");
        // Forget hosts nobody is fetching from, so the map stays small.
        hosts.retain(|_, semaphore| {
            semaphore.available_permits() < self.per_host || Arc::strong_count(semaphore) > 1
        });
        Arc::clone(
            hosts
                .entry(host)
                .or_insert_with(|| Arc::new(Semaphore::new(self.per_host))),
        )
    }
}
