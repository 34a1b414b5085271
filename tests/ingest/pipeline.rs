//! fetch → parse → normalise → store on well-behaved feeds: storing,
//! conditional GET, cross-feed dedupe, updates, tombstones, NOTIFY.

use newsdesk_app::near_duplicates;
use sqlx::postgres::PgListener;

use crate::{
    fixtures::{item, rss},
    harness,
};

#[tokio::test]
async fn a_refresh_stores_entries_and_a_second_one_is_a_304() {
    let h = harness().await;
    let feed = h
        .serve_rss(
            "k8s",
            "Kubernetes Blog",
            &[
                item(
                    "k1",
                    "Kubernetes v1.35: Timbernetes",
                    "https://kubernetes.io/blog/2026/12/17/kubernetes-v1-35-release/",
                ),
                item(
                    "k2",
                    "Gateway API 1.4",
                    "https://kubernetes.io/blog/2026/11/gateway-api/",
                ),
            ],
        )
        .await;

    let first = h.refresh(feed).await;
    assert_eq!(first.error, None);
    assert_eq!(first.counts.new, 2);
    assert_eq!(h.candidate_count().await, 2);
    let state = h.feed(feed).await;
    assert_eq!(
        state.title.as_deref(),
        Some("Kubernetes Blog"),
        "title learnt from the feed"
    );
    assert!(state.etag.is_some());
    assert!(state.last_success_at.is_some());
    let seen = h.server.seen.last("/feed/k8s").unwrap();
    assert!(
        seen.user_agent.starts_with("newsdesk/"),
        "{}",
        seen.user_agent
    );

    let second = h.refresh(feed).await;
    assert!(second.not_modified, "{second:?}");
    assert_eq!(second.http_status, Some(304));
    let seen = h.server.seen.last("/feed/k8s").unwrap();
    assert_eq!(
        seen.if_none_match, state.etag,
        "conditional GET sends the ETag"
    );
    assert!(seen.if_modified_since.is_some());
    assert_eq!(h.candidate_count().await, 2);
}

#[tokio::test]
async fn the_same_article_from_two_feeds_is_one_candidate_with_two_sources() {
    let h = harness().await;
    h.server.set_feed(
        "a",
        rss(
            "A",
            &[item(
                "a-1",
                "Cilium 1.19",
                "https://cilium.io/blog/2026/cilium-1-19/?utm_source=a",
            )],
        ),
    );
    h.server.set_feed(
        "b",
        rss(
            "B",
            &[item(
                "b-9",
                "Cilium 1.19 released",
                "http://CILIUM.io/blog/2026/cilium-1-19#intro",
            )],
        ),
    );
    let a = h.add_feed("/feed/a").await;
    let b = h.add_feed("/feed/b").await;
    assert_eq!(h.refresh(a).await.counts.new, 1);
    let report = h.refresh(b).await;
    assert_eq!((report.counts.new, report.counts.linked), (0, 1));
    assert_eq!(h.candidate_count().await, 1);
    let sources: i64 = sqlx::query_scalar("SELECT count(*) FROM candidate_sources")
        .fetch_one(&h.pool)
        .await
        .unwrap();
    assert_eq!(sources, 2);
}

#[tokio::test]
async fn a_changed_title_updates_the_candidate_instead_of_duplicating_it() {
    let h = harness().await;
    let feed = h
        .serve_rss(
            "f",
            "F",
            &[item("g1", "Draft title", "https://example.com/post")],
        )
        .await;
    h.refresh(feed).await;
    h.server.set_feed(
        "f",
        rss(
            "F",
            &[item("g1", "Final title", "https://example.com/post")],
        ),
    );
    let report = h.refresh(feed).await;
    assert_eq!((report.counts.new, report.counts.updated), (0, 1));
    let title: String = sqlx::query_scalar("SELECT title FROM candidates")
        .fetch_one(&h.pool)
        .await
        .unwrap();
    assert_eq!(title, "Final title");
    assert_eq!(h.candidate_count().await, 1);
}

#[tokio::test]
async fn tombstoned_candidates_do_not_come_back() {
    let h = harness().await;
    let feed = h
        .serve_rss(
            "t",
            "T",
            &[
                item("x1", "Gone", "https://example.com/gone"),
                item("x2", "Stays", "https://example.com/stays"),
            ],
        )
        .await;
    h.refresh(feed).await;
    let gone: i64 = sqlx::query_scalar("SELECT id FROM candidates WHERE title = 'Gone'")
        .fetch_one(&h.pool)
        .await
        .unwrap();
    newsdesk_server::ingest::store::remove_candidates(&h.pool, &[gone], "deleted by test")
        .await
        .unwrap();

    // Changed content forces a full fetch (no 304).
    h.server.set_feed(
        "t",
        rss(
            "T",
            &[
                item("x1", "Gone", "https://example.com/gone"),
                item("x2", "Stays!", "https://example.com/stays"),
            ],
        ),
    );
    let report = h.refresh(feed).await;
    assert_eq!(report.counts.tombstoned, 1);
    assert_eq!(h.candidate_count().await, 1);

    // Another feed carrying the same URL does not resurrect it either.
    let other = h
        .serve_rss(
            "u",
            "U",
            &[item(
                "other-guid",
                "Gone again",
                "https://example.com/gone?utm_campaign=x",
            )],
        )
        .await;
    assert_eq!(h.refresh(other).await.counts.tombstoned, 1);
    assert_eq!(h.candidate_count().await, 1);
}

#[tokio::test]
async fn new_candidates_are_announced_with_notify() {
    let h = harness().await;
    let mut listener = PgListener::connect_with(&h.pool).await.unwrap();
    listener.listen("newsdesk_candidates").await.unwrap();
    let feed = h
        .serve_rss(
            "n",
            "N",
            &[item("n1", "Fresh", "https://example.com/fresh")],
        )
        .await;
    h.refresh(feed).await;
    let notification = listener.recv().await.unwrap();
    let payload: serde_json::Value = serde_json::from_str(notification.payload()).unwrap();
    let id: i64 = sqlx::query_scalar("SELECT id FROM candidates")
        .fetch_one(&h.pool)
        .await
        .unwrap();
    assert_eq!(payload["candidate_id"], id);
    assert_eq!(payload["feed_id"], feed);
}

#[tokio::test]
async fn a_permanent_redirect_seen_three_times_moves_the_feed() {
    let h = harness().await;
    h.server.set_feed(
        "new-home",
        rss("Moved", &[item("m1", "Hello", "https://example.com/m1")]),
    );
    let feed = h.add_feed("/moved/new-home").await;
    let target = h.server.url("/feed/new-home");
    for round in 1..=2 {
        assert_eq!(h.refresh(feed).await.error, None);
        assert_ne!(
            h.feed(feed).await.url,
            target,
            "not yet after {round} sighting(s)"
        );
        sqlx::query("UPDATE feeds SET etag = NULL")
            .execute(&h.pool)
            .await
            .unwrap();
    }
    h.refresh(feed).await;
    assert_eq!(h.feed(feed).await.url, target);
}

#[tokio::test]
async fn filter_rules_block_and_keep_entries() {
    let h = harness().await;
    let feed = h
        .serve_rss(
            "mixed",
            "Mixed",
            &[
                item("1", "[Sponsored] Buy our thing", "https://example.com/ad"),
                item("2", "Kubernetes news", "https://example.com/k8s"),
                item("3", "Cooking tips", "https://example.com/food"),
            ],
        )
        .await;
    sqlx::query("INSERT INTO filter_rules (feed_id, action, field, pattern) VALUES (NULL, 'block', 'title', '^\\[sponsored\\]'), ($1, 'keep', 'title', 'kubernetes|sponsored')")
        .bind(feed)
        .execute(&h.pool)
        .await
        .unwrap();
    assert_eq!(h.refresh(feed).await.counts.new, 1);
    let title: String = sqlx::query_scalar("SELECT title FROM candidates")
        .fetch_one(&h.pool)
        .await
        .unwrap();
    assert_eq!(title, "Kubernetes news");
}

#[tokio::test]
async fn retention_prunes_old_candidates_and_keeps_them_out() {
    let h = harness().await;
    let feed = h
        .serve_rss(
            "old",
            "Old",
            &[
                item("o1", "Ancient", "https://example.com/ancient"),
                item("o2", "Recent", "https://example.com/recent"),
            ],
        )
        .await;
    h.refresh(feed).await;
    sqlx::query(
        "UPDATE candidates SET first_seen_at = now() - interval '200 days' WHERE title = 'Ancient'",
    )
    .execute(&h.pool)
    .await
    .unwrap();
    let removed = newsdesk_server::ingest::retention::prune(&h.pool, 180)
        .await
        .unwrap();
    assert_eq!(removed, 1);
    let titles: Vec<String> = sqlx::query_scalar("SELECT title FROM candidates")
        .fetch_all(&h.pool)
        .await
        .unwrap();
    assert_eq!(titles, ["Recent"]);
    // The feed still carries it; the tombstone keeps it out.
    h.server.set_feed(
        "old",
        rss(
            "Old",
            &[
                item("o1", "Ancient", "https://example.com/ancient"),
                item("o2", "Recent!", "https://example.com/recent"),
            ],
        ),
    );
    let report = h.refresh(feed).await;
    assert_eq!((report.counts.new, report.counts.tombstoned), (0, 1));
}

/// Candidates stored before title keys existed get them at the poller's
/// start, so that new arrivals are still compared with the last week's.
#[tokio::test]
async fn candidates_from_before_title_keys_are_matched_once_given_keys() {
    let h = harness().await;
    let old: i64 = sqlx::query_scalar(
        "INSERT INTO candidates (url, url_key, title, published_at)
         VALUES ('https://old.example/k8s', 'old.example/k8s',
                 'Kubernetes v1.35 released with sidecar containers', now())
         RETURNING id",
    )
    .fetch_one(&h.pool)
    .await
    .unwrap();
    assert_eq!(near_duplicates::add_missing_keys(&h.pool).await.unwrap(), 1);
    assert_eq!(
        near_duplicates::add_missing_keys(&h.pool).await.unwrap(),
        0,
        "given once"
    );
    let published = chrono::Utc::now().to_rfc2822();
    let feed = h.serve_rss("new", "New",
            &[format!(
                "<item><guid>n</guid><title>Kubernetes v1.35 released, with sidecar containers!</title>\
                 <link>https://new.example/k8s</link><pubDate>{published}</pubDate></item>"
            )]).await;
    h.refresh(feed).await;
    let similar: Option<i64> = sqlx::query_scalar(
        "SELECT similar_to FROM candidates WHERE url = 'https://new.example/k8s'",
    )
    .fetch_one(&h.pool)
    .await
    .unwrap();
    assert_eq!(similar, Some(old));
}
