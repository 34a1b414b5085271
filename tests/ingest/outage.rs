//! Our database failing during a refresh is not the feed's fault: the feed
//! keeps its health, is given back and is checked again within a minute.

use std::time::Duration;

use chrono::Utc;
use newsdesk_server::ingest::poller::PollerSettings;

use crate::{
    fixtures::{item, rss},
    harness, Harness,
};

/// Makes storing candidates fail the way a sick database does: with an
/// error from PostgreSQL in the middle of `ingest_entry_batch`.
async fn refuse_candidates(h: &Harness) {
    crate::support::seed::refuse(
        &h.pool,
        "refuse_candidates",
        "BEFORE INSERT ON candidates",
        "candidates cannot be stored (test)",
    )
    .await;
}

async fn accept_candidates(h: &Harness) {
    sqlx::raw_sql(
        "DROP TRIGGER refuse_candidates ON candidates; DROP FUNCTION refuse_candidates();",
    )
    .execute(&h.pool)
    .await
    .unwrap();
}

async fn claimed_by(h: &Harness, feed: i64) -> Option<String> {
    sqlx::query_scalar("SELECT claimed_by FROM feeds WHERE id = $1")
        .bind(feed)
        .fetch_one(&h.pool)
        .await
        .unwrap()
}

/// The feed looks as if the refresh never happened, except that it is due
/// again within a minute (and not at once, which would spin).
async fn assert_untouched_and_due_soon(h: &Harness, feed: i64, since: chrono::DateTime<Utc>) {
    let state = h.feed(feed).await;
    assert_eq!(state.consecutive_failures, 0, "{state:?}");
    assert_eq!(state.last_error, None, "{state:?}");
    assert_eq!(state.last_success_at, None, "{state:?}");
    assert_eq!(claimed_by(h, feed).await, None, "the claim is given back");
    let wait = (state.next_check_at - since).to_std().unwrap_or_default();
    assert!(
        wait >= Duration::from_secs(25) && wait <= Duration::from_secs(61),
        "checked again soon, but not at once: {wait:?}"
    );
    let recorded: i64 = sqlx::query_scalar("SELECT count(*) FROM feed_fetches WHERE feed_id = $1")
        .bind(feed)
        .fetch_one(&h.pool)
        .await
        .unwrap();
    assert_eq!(recorded, 0, "no fetch is recorded against the feed");
}

#[tokio::test]
async fn a_database_error_while_storing_is_not_counted_against_the_feed() {
    let h = harness().await;
    let feed = h
        .serve_rss(
            "calm",
            "Calm",
            &[
                item("c1", "One", "https://example.com/calm/1"),
                item("c2", "Two", "https://example.com/calm/2"),
            ],
        )
        .await;
    refuse_candidates(&h).await;

    let before = Utc::now();
    let outcome = h.ingest.refresh_one(feed).await;
    assert!(
        outcome.is_err(),
        "the database error is ours to report: {outcome:?}"
    );
    assert_untouched_and_due_soon(&h, feed, before).await;
    assert_eq!(h.candidate_count().await, 0);

    // The database is well again: the next refresh stores the entries.
    accept_candidates(&h).await;
    let report = h.refresh(feed).await;
    assert_eq!(report.error, None);
    assert_eq!(report.counts.new, 2);
    assert_eq!(h.server.seen.count("/feed/calm"), 2);
    let state = h.feed(feed).await;
    assert_eq!((state.consecutive_failures, state.last_error), (0, None));
}

#[tokio::test]
async fn the_poller_gives_back_every_feed_a_database_error_caught() {
    let h = harness().await;
    let mut feeds = Vec::new();
    for name in ["a", "b", "c"] {
        h.server.set_feed(
            name,
            rss(
                name,
                &[item(name, name, &format!("https://example.com/{name}"))],
            ),
        );
        feeds.push(h.add_feed(&format!("/feed/{name}")).await);
    }
    refuse_candidates(&h).await;
    let poller = h.poller(PollerSettings::default());

    let before = Utc::now();
    let reports = poller.run_due_once().await.expect("claiming works");
    assert!(
        reports.is_empty(),
        "nothing to report about the feeds: {reports:?}"
    );
    for feed in &feeds {
        assert_untouched_and_due_soon(&h, *feed, before).await;
    }
    assert!(
        poller.run_due_once().await.unwrap().is_empty(),
        "not due again at once"
    );
    accept_candidates(&h).await;
}
