//! The poller: claims keep replicas apart, leases expire, limits hold.

use std::{sync::atomic::Ordering, time::Duration};

use newsdesk_server::ingest::{
    poller::{Poller, PollerSettings},
    Ingest,
};
use sqlx::postgres::PgPoolOptions;

use crate::{
    fixtures::{item, rss},
    harness, loopback_fetcher,
};

#[tokio::test]
async fn two_pollers_never_fetch_the_same_feed() {
    let h = harness().await;
    add_slow_feeds(&h, "f", 24).await;
    let settings = PollerSettings {
        concurrency: 8,
        per_host: 8,
    };
    let first = h.poller(settings);
    let second = newsdesk_server::ingest::poller::Poller::new(
        Ingest::new(h.pool.clone(), loopback_fetcher()),
        settings,
    );
    let (a, b) = tokio::join!(first.run_due_once(), second.run_due_once());
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(
        a.len() + b.len(),
        24,
        "every feed refreshed once: {} + {}",
        a.len(),
        b.len()
    );
    for n in 0..24 {
        assert_eq!(
            h.server.seen.count(&format!("/slow/f{n}")),
            1,
            "feed f{n} fetched exactly once"
        );
    }
    assert_eq!(h.candidate_count().await, 24);
}

#[tokio::test]
async fn an_expired_claim_is_taken_over() {
    let h = harness().await;
    let feed = h
        .serve_rss("x", "X", &[item("x", "X", "https://example.com/x")])
        .await;
    sqlx::query("UPDATE feeds SET claimed_by = 'crashed-worker', claimed_until = now() + interval '5 minutes'")
        .execute(&h.pool)
        .await
        .unwrap();
    assert!(
        h.ingest.refresh_one(feed).await.unwrap().is_none(),
        "a live claim is respected"
    );
    assert!(h.poll_due_once().await.is_empty());

    sqlx::query("UPDATE feeds SET claimed_until = now() - interval '1 second'")
        .execute(&h.pool)
        .await
        .unwrap();
    let reports = h.poll_due_once().await;
    assert_eq!(reports.len(), 1);
    let claimed_by: Option<String> = sqlx::query_scalar("SELECT claimed_by FROM feeds")
        .fetch_one(&h.pool)
        .await
        .unwrap();
    assert_eq!(claimed_by, None, "the claim is released after the refresh");
}

#[tokio::test]
async fn one_host_gets_at_most_per_host_requests_at_a_time() {
    let h = harness().await;
    add_slow_feeds(&h, "h", 10).await;
    let reports = h
        .poller(PollerSettings {
            concurrency: 16,
            per_host: 2,
        })
        .run_due_once()
        .await
        .unwrap();
    assert_eq!(reports.len(), 10);
    let max = h.server.seen.max_in_flight.load(Ordering::SeqCst);
    assert_eq!(
        max, 2,
        "two at a time on one host (never more, and the limit is used)"
    );
}

/// The per-host limit is about what a site sees: a host's turn ends when
/// its answer is read, so its next feed is fetched while the first one
/// waits for the database (issue 18: holding the turn through the store
/// kept one host's feeds to one or two refreshes at a time).
#[tokio::test]
async fn a_host_is_asked_for_its_next_feed_while_the_last_one_is_stored() {
    let h = harness().await;
    for name in ["first", "second"] {
        h.serve_rss(
            name,
            name,
            &[item(name, name, &format!("https://example.com/{name}"))],
        )
        .await;
    }
    // Storing waits: the test holds a lock that new candidates need.
    let mut blocker = h.pool.begin().await.unwrap();
    sqlx::query("LOCK TABLE candidates IN EXCLUSIVE MODE")
        .execute(&mut *blocker)
        .await
        .unwrap();
    let poller = h.poller(PollerSettings {
        concurrency: 4,
        per_host: 1,
    });
    let run = tokio::spawn(async move { poller.run_due_once().await });
    let mut arrived = h.server.seen.arrived.subscribe();
    let both_fetched = arrived.wait_for(|count| *count >= 2);
    let fetched = tokio::time::timeout(Duration::from_secs(10), both_fetched).await;
    blocker.rollback().await.unwrap();
    let reports = run.await.unwrap().unwrap();
    assert!(
        fetched.is_ok(),
        "the second feed of the host was not fetched while the first waited to be stored"
    );
    assert_eq!(reports.len(), 2);
    assert!(reports.iter().all(|r| r.counts.new == 1), "{reports:?}");
}

#[tokio::test]
async fn refreshed_feeds_are_scheduled_an_interval_later_with_jitter() {
    let h = harness().await;
    let feed = h
        .serve_rss("s", "S", &[item("s", "S", "https://example.com/s")])
        .await;
    let before = chrono::Utc::now();
    h.refresh(feed).await;
    let next = h.feed(feed).await.next_check_at;
    let minutes = (next - before).num_seconds() as f64 / 60.0;
    assert!((54.0..=66.1).contains(&minutes), "{minutes}");
    assert!(h.poll_due_once().await.is_empty(), "not due again yet");
}

#[tokio::test]
async fn disabled_feeds_are_not_polled() {
    let h = harness().await;
    let feed = h
        .serve_rss("d", "D", &[item("d", "D", "https://example.com/d")])
        .await;
    sqlx::query("UPDATE feeds SET enabled = false WHERE id = $1")
        .bind(feed)
        .execute(&h.pool)
        .await
        .unwrap();
    assert!(h.poll_due_once().await.is_empty());
    assert_eq!(h.server.seen.count("/feed/d"), 0);
}

#[tokio::test]
async fn a_busy_host_does_not_hold_slots_other_hosts_could_use() {
    let h = harness().await;
    // Six slow feeds on one host, then one feed on another host name.
    add_slow_feeds(&h, "busy", 6).await;
    h.server.set_feed(
        "other",
        rss("other", &[item("o", "o", "https://example.com/o")]),
    );
    let other = format!("http://localhost:{}/feed/other", h.server.addr.port());
    crate::add_feed_url(&h.pool, &other).await;

    let reports = h
        .poller(PollerSettings {
            concurrency: 2,
            per_host: 1,
        })
        .run_due_once()
        .await
        .unwrap();
    assert_eq!(reports.len(), 7);
    let order: Vec<String> = h
        .server
        .seen
        .requests
        .lock()
        .unwrap()
        .iter()
        .map(|r| r.path.clone())
        .collect();
    let position = order.iter().position(|path| path == "/feed/other").unwrap();
    assert!(
        position <= 1,
        "the other host was served at once, not after the busy one: {order:?}"
    );
}

#[tokio::test]
async fn the_running_poller_wakes_for_a_new_feed_and_stops_on_signal() {
    let h = harness().await;
    let mut listener = sqlx::postgres::PgListener::connect_with(&h.pool)
        .await
        .unwrap();
    listener.listen("newsdesk_candidates").await.unwrap();
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let poller = tokio::spawn(h.poller(PollerSettings::default()).run(stopped));

    // Added while the poller sleeps: the insert's NOTIFY wakes it.
    h.server.set_feed(
        "live",
        rss(
            "Live",
            &[item("l", "Live entry", "https://example.com/live")],
        ),
    );
    newsdesk_app::db::feeds::insert(&h.pool, &h.server.url("/feed/live"), None)
        .await
        .unwrap();
    // Without the wake-up the poller would sleep its full minute first.
    let announced = tokio::time::timeout(std::time::Duration::from_secs(30), listener.recv())
        .await
        .expect("the poller woke up well before its idle wait ended")
        .unwrap();
    assert!(announced.payload().contains("candidate_id"));
    assert_eq!(h.candidate_count().await, 1);

    stop.send(true).unwrap();
    poller.await.expect("the poller stops cleanly");
}

/// `count` one-entry feeds named `{prefix}{n}`, served slowly by the harness
/// server (so that concurrency is observable).
/// Far more refreshes at once than the pool has connections (issue 18:
/// with NEWSDESK_POLL_PER_HOST=16 the pool timed out, feeds were left
/// unfetched and `poll --once` failed): each waits for its turn at the
/// database instead of timing out in the pool's queue.
#[tokio::test]
async fn a_pool_of_two_connections_serves_thirty_two_refreshes_at_a_time() {
    let h = harness().await;
    const FEEDS: usize = 200;
    const ENTRIES: usize = 20;
    for n in 0..FEEDS {
        let name = format!("p{n}");
        let items: Vec<String> = (0..ENTRIES)
            .map(|e| {
                item(
                    &format!("{name}-{e}"),
                    &format!("Entry {e} of feed {name}"),
                    &format!("https://example.com/{name}/{e}"),
                )
            })
            .collect();
        h.server.set_feed(&name, rss(&name, &items));
        // Slow answers: fetches overlap, as on the network.
        h.add_feed(&format!("/slow/{name}")).await;
    }
    // A short wait for a connection, so that queueing in the pool fails
    // quickly where it would fail eventually.
    let small = PgPoolOptions::new()
        .max_connections(2)
        .acquire_timeout(Duration::from_millis(200))
        .connect_with((*h.pool.connect_options()).clone())
        .await
        .unwrap();
    let poller = Poller::new(
        Ingest::new(small.clone(), loopback_fetcher()),
        PollerSettings {
            concurrency: 32,
            per_host: 32,
        },
    );
    let reports = poller.run_due_once().await.expect("the run completes");
    assert_eq!(reports.len(), FEEDS, "every feed refreshed");
    assert!(
        reports
            .iter()
            .all(|r| r.error.is_none() && r.counts.new == ENTRIES as i32),
        "every feed stored"
    );
    let fetched: i64 =
        sqlx::query_scalar("SELECT count(*) FROM feed_fetches WHERE outcome = 'fetched'")
            .fetch_one(&h.pool)
            .await
            .unwrap();
    assert_eq!(fetched, FEEDS as i64);
    assert_eq!(h.candidate_count().await, (FEEDS * ENTRIES) as i64);
    let max_in_flight = h.server.seen.max_in_flight.load(Ordering::SeqCst);
    assert!(
        max_in_flight > 2,
        "fetching is not held to the pool's size: {max_in_flight} at once"
    );
}

async fn add_slow_feeds(h: &crate::Harness, prefix: &str, count: usize) {
    for n in 0..count {
        let name = format!("{prefix}{n}");
        h.server.set_feed(
            &name,
            rss(
                &name,
                &[item(&name, &name, &format!("https://example.com/{name}"))],
            ),
        );
        h.add_feed(&format!("/slow/{name}")).await;
    }
}
