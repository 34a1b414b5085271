//! Feed ingestion against real HTTP servers on 127.0.0.1 and a real
//! PostgreSQL: the pipeline, dedupe, the poller, and hostile feeds.

// Tests may unwrap: a panic is how a test fails (the workspace denies
// unwrap outside tests).
#![allow(clippy::unwrap_used)]

#[path = "../support/mod.rs"]
mod support;

mod corpus;
mod discover;
mod fixtures;
mod hostile;
mod outage;
mod pipeline;
mod polling;
mod readable;

use std::time::Duration;

use chrono::{DateTime, Utc};
use newsdesk_server::ingest::{
    fetch::{FetchSettings, Fetcher},
    guard::AddressPolicy,
    poller::{Poller, PollerSettings},
    Ingest, RefreshReport,
};
use sqlx::PgPool;

use crate::fixtures::FeedServer;

pub struct Harness {
    pub pool: PgPool,
    pub ingest: Ingest,
    pub server: FeedServer,
}

/// Fetch limits small enough to keep hostile cases quick.
pub fn test_settings() -> FetchSettings {
    FetchSettings {
        total_timeout: Duration::from_secs(3),
        connect_timeout: Duration::from_secs(2),
        ..FetchSettings::default()
    }
}

/// Tests opt in to fetching from 127.0.0.1 explicitly.
pub fn loopback_fetcher() -> Fetcher {
    Fetcher::new(
        AddressPolicy::new("127.0.0.1".parse().unwrap()),
        test_settings(),
    )
}

pub async fn harness() -> Harness {
    let pool = support::fresh_database().await;
    let ingest = Ingest::new(pool.clone(), loopback_fetcher());
    let server = FeedServer::start().await;
    Harness {
        pool,
        ingest,
        server,
    }
}

impl Harness {
    pub async fn add_feed(&self, path: &str) -> i64 {
        add_feed_url(&self.pool, &self.server.url(path)).await
    }

    /// Serves an RSS feed titled `title` with `items` at `/feed/{name}`
    /// and adds it; returns the feed's id.
    pub async fn serve_rss(&self, name: &str, title: &str, items: &[String]) -> i64 {
        self.server.set_feed(name, fixtures::rss(title, items));
        self.add_feed(&format!("/feed/{name}")).await
    }

    pub async fn refresh(&self, feed_id: i64) -> RefreshReport {
        self.ingest
            .refresh_one(feed_id)
            .await
            .expect("database works")
            .expect("feed was not claimed elsewhere")
    }

    pub fn poller(&self, settings: PollerSettings) -> Poller {
        Poller::new(self.ingest.clone(), settings)
    }

    /// One round of a poller with the default settings: the refreshes of
    /// the feeds that were due.
    pub async fn poll_due_once(&self) -> Vec<RefreshReport> {
        self.poller(PollerSettings::default())
            .run_due_once()
            .await
            .unwrap()
    }

    pub async fn candidate_count(&self) -> i64 {
        sqlx::query_scalar("SELECT count(*) FROM candidates")
            .fetch_one(&self.pool)
            .await
            .unwrap()
    }

    pub async fn feed(&self, feed_id: i64) -> FeedState {
        sqlx::query_as(
            "SELECT url, last_error, last_http_status, consecutive_failures, next_check_at,
                    last_success_at, etag, title, enabled
             FROM feeds WHERE id = $1",
        )
        .bind(feed_id)
        .fetch_one(&self.pool)
        .await
        .unwrap()
    }
}

pub async fn add_feed_url(pool: &PgPool, url: &str) -> i64 {
    use newsdesk_app::db::feeds::Inserted;
    match newsdesk_app::db::feeds::insert(pool, url, None)
        .await
        .expect("feed inserts")
    {
        Inserted::New(feed) | Inserted::Exists(feed) => feed.id,
    }
}

#[derive(Debug, sqlx::FromRow)]
pub struct FeedState {
    pub url: String,
    pub last_error: Option<String>,
    pub last_http_status: Option<i32>,
    pub consecutive_failures: i32,
    pub next_check_at: DateTime<Utc>,
    pub last_success_at: Option<DateTime<Utc>>,
    pub etag: Option<String>,
    pub title: Option<String>,
    pub enabled: bool,
}
