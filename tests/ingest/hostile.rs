//! Every case of the security checklist against a real server: each ends
//! with the feed's error recorded (or the entry safely stored), no panic,
//! and the poller still serving the other feeds.

use newsdesk_server::ingest::{fetch::Fetcher, guard::AddressPolicy, Ingest};

use crate::{
    fixtures::{item, rss},
    harness,
    support::{assert_no_injection, xml_escape, INJECTION},
    test_settings,
};

/// Refreshes a feed at `path` and returns its recorded error.
async fn error_for(path: &str) -> String {
    let h = harness().await;
    let feed = h.add_feed(path).await;
    let report = h.refresh(feed).await;
    let state = h.feed(feed).await;
    assert_eq!(
        report.error, state.last_error,
        "the error is recorded on the feed"
    );
    assert_eq!(state.consecutive_failures, 1);
    assert!(state.enabled, "a failing feed is never dropped");
    state
        .last_error
        .unwrap_or_else(|| panic!("{path} must fail: {report:?}"))
}

#[tokio::test]
async fn gzip_bomb_is_capped() {
    assert_eq!(error_for("/gzip-bomb").await, "body larger than 10 MiB");
}

#[tokio::test]
async fn huge_bodies_are_capped() {
    assert_eq!(error_for("/huge").await, "body larger than 10 MiB");
    assert_eq!(error_for("/huge-declared").await, "body larger than 10 MiB");
    assert_eq!(error_for("/endless").await, "body larger than 10 MiB");
}

#[tokio::test]
async fn trickling_responses_time_out() {
    assert_eq!(error_for("/trickle").await, "timed out after 3 s");
}

#[tokio::test]
async fn redirect_loops_and_chains_are_cut() {
    assert_eq!(error_for("/loop-a").await, "redirect loop");
    assert_eq!(
        error_for("/chain/7").await,
        "too many redirects (more than 5)"
    );
}

#[tokio::test]
async fn redirects_to_private_addresses_are_blocked() {
    assert_eq!(
        error_for("/to-metadata").await,
        "blocked: address is private (169.254.169.254)"
    );
    assert_eq!(
        error_for("/to-private").await,
        "blocked: address is private (10.0.0.1)"
    );
}

#[tokio::test]
async fn without_the_allow_list_loopback_is_refused_in_every_spelling() {
    let h = harness().await;
    let strict = Ingest::new(
        h.pool.clone(),
        Fetcher::new(AddressPolicy::default(), test_settings()),
    );
    let port = h.server.addr.port();
    h.server.set_feed(
        "plain",
        rss("P", &[item("p", "P", "https://example.com/p")]),
    );
    let spellings = [
        (
            format!("http://127.0.0.1:{port}/feed/plain"),
            "blocked: address is private (127.0.0.1)".to_owned(),
        ),
        (
            format!("http://[::ffff:127.0.0.1]:{port}/feed/plain"),
            "blocked: address is private (::ffff:127.0.0.1)".to_owned(),
        ),
        (
            format!("http://localhost:{port}/feed/plain"),
            "blocked: address is private (localhost resolves to".to_owned(),
        ),
    ];
    for (url, expected) in spellings {
        let feed = crate::add_feed_url(&h.pool, &url).await;
        let report = strict.refresh_one(feed).await.unwrap().unwrap();
        let error = report.error.unwrap_or_default();
        assert!(error.starts_with(&expected), "{url}: {error}");
    }
    assert_eq!(
        h.server.seen.count("/feed/plain"),
        0,
        "nothing reached the server"
    );
}

#[tokio::test]
async fn non_feeds_get_plain_errors() {
    assert_eq!(error_for("/html").await, "not a feed: got text/html");
    assert_eq!(error_for("/empty").await, "empty body");
    assert_eq!(error_for("/status/404").await, "HTTP 404 Not Found");
    assert_eq!(
        error_for("/status/500").await,
        "HTTP 500 Internal Server Error"
    );
}

#[tokio::test]
async fn connection_refused_is_reported() {
    let h = harness().await;
    // Bind and drop: nothing listens on this port now.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let feed = crate::add_feed_url(&h.pool, &format!("http://127.0.0.1:{port}/feed.xml")).await;
    assert_eq!(
        h.refresh(feed).await.error.as_deref(),
        Some("connection refused")
    );
}

#[tokio::test]
async fn a_host_name_that_does_not_resolve_is_reported_as_such() {
    let h = harness().await;
    // `.invalid` never resolves (RFC 2606), and no network is needed to
    // find that out.
    let feed = crate::add_feed_url(&h.pool, "http://newsdesk-feed.invalid/feed.xml").await;
    let report = h.refresh(feed).await;
    assert_eq!(
        report.error.as_deref(),
        Some("host not found: newsdesk-feed.invalid")
    );
    assert_eq!(h.feed(feed).await.consecutive_failures, 1);
}

#[tokio::test]
async fn retry_after_is_honoured_on_429_and_503() {
    let h = harness().await;
    for (path, seconds, error) in [
        ("/limited", 7200, "HTTP 429 Too Many Requests"),
        ("/unavailable", 600, "HTTP 503 Service Unavailable"),
    ] {
        let feed = h.add_feed(path).await;
        let before = chrono::Utc::now();
        h.refresh(feed).await;
        let state = h.feed(feed).await;
        assert!(
            state.next_check_at >= before + chrono::Duration::seconds(seconds),
            "{path}: {state:?}"
        );
        assert_eq!(state.last_error.as_deref(), Some(error));
    }
}

#[tokio::test]
async fn failures_back_off_and_success_resets() {
    let h = harness().await;
    let feed = h.add_feed("/feed/later").await;
    let mut windows = Vec::new();
    for _ in 0..3 {
        let before = chrono::Utc::now();
        assert_eq!(
            h.refresh(feed).await.error.as_deref(),
            Some("HTTP 404 Not Found")
        );
        windows.push((h.feed(feed).await.next_check_at - before).num_seconds());
    }
    assert_eq!(h.feed(feed).await.consecutive_failures, 3);
    assert!((150..=300).contains(&windows[0]), "{windows:?}");
    assert!((300..=600).contains(&windows[1]), "{windows:?}");
    assert!((600..=1200).contains(&windows[2]), "{windows:?}");

    h.server.set_feed(
        "later",
        rss("Later", &[item("l", "Back", "https://example.com/back")]),
    );
    assert_eq!(h.refresh(feed).await.error, None);
    let state = h.feed(feed).await;
    assert_eq!(state.consecutive_failures, 0);
    assert_eq!(state.last_error, None);
}

fn hostile_xml(name: &str) -> String {
    match name {
        "billion-laughs" => r#"<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol9 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
]>
<rss version="2.0"><channel><title>&lol9;</title><item><guid>b</guid><title>&lol9;</title><link>https://example.com/b</link></item></channel></rss>"#
            .into(),
        "xxe" => r#"<?xml version="1.0"?>
<!DOCTYPE foo [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
<rss version="2.0"><channel><title>x</title><item><guid>x</guid><title>&xxe;</title><description>&xxe;</description><link>https://example.com/x</link></item></channel></rss>"#
            .into(),
        "truncated" => r#"<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item><guid>t</guid><title>Cut off"#.into(),
        "wrong-charset" => "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss version=\"2.0\"><channel><title>c</title><item><guid>c</guid><title>日本語のタイトル</title><link>https://example.com/c</link></item></channel></rss>".into(),
        "guids" => rss("G", &[
            item("dup", "First", "https://example.com/1"),
            item("dup", "Second with same guid", "https://example.com/2"),
            "<item><title>No guid</title><link>https://example.com/3</link></item>".into(),
            "<item><title>No guid, no link</title><description>just text</description></item>".into(),
        ]),
        "dates" => rss("D", &[
            "<item><guid>future</guid><title>Future</title><pubDate>Fri, 01 Jan 2100 00:00:00 GMT</pubDate></item>".into(),
            "<item><guid>garbage</guid><title>Garbage</title><pubDate>yesterday-ish</pubDate></item>".into(),
        ]),
        "xss" => rss("X", &[
            r#"<item><guid>xss</guid><title>&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;Safe title</title><link>javascript:alert(3)</link><description>&lt;a href="javascript:alert(4)"&gt;x&lt;/a&gt;&lt;img src="data:text/html,evil" onerror="alert(5)"&gt;&lt;p style="x" onclick="y"&gt;text&lt;/p&gt;&amp;lt;script&amp;gt;encoded&amp;lt;/script&amp;gt;</description></item>"#.into(),
        ]),
        _ => unreachable!(),
    }
}

#[tokio::test]
async fn entity_expansion_and_external_entities_stay_inert() {
    let h = harness().await;
    for name in ["billion-laughs", "xxe"] {
        h.server.set_feed(name, hostile_xml(name));
        let feed = h.add_feed(&format!("/feed/{name}")).await;
        let report = h.refresh(feed).await;
        // Either refused as invalid or stored without expansion.
        if report.error.is_none() {
            let longest: Option<i32> = sqlx::query_scalar(
                "SELECT max(length(title) + length(summary_html)) FROM candidates",
            )
            .fetch_one(&h.pool)
            .await
            .unwrap();
            assert!(longest.unwrap_or(0) < 1000, "{name}: no entity expansion");
            let leaked: i64 = sqlx::query_scalar("SELECT count(*) FROM candidates WHERE summary_html LIKE '%root:%' OR title LIKE '%root:%'")
                .fetch_one(&h.pool)
                .await
                .unwrap();
            assert_eq!(leaked, 0, "{name}: no file contents");
        }
    }
}

#[tokio::test]
async fn malformed_and_mislabelled_feeds_do_not_panic() {
    let h = harness().await;
    h.server.set_feed("truncated", hostile_xml("truncated"));
    let feed = h.add_feed("/feed/truncated").await;
    let report = h.refresh(feed).await;
    assert!(
        report.error.is_some() || report.counts.new <= 1,
        "{report:?}"
    );

    h.server.set_feed("charset", hostile_xml("wrong-charset"));
    let feed = h.add_feed("/feed/charset").await;
    let report = h.refresh(feed).await;
    assert_eq!(report.error, None, "{report:?}");
    assert_eq!(report.counts.new, 1);
}

#[tokio::test]
async fn duplicate_and_missing_guids_are_stable_across_polls() {
    let h = harness().await;
    h.server.set_feed("guids", hostile_xml("guids"));
    let feed = h.add_feed("/feed/guids").await;
    assert_eq!(
        h.refresh(feed).await.counts.new,
        3,
        "duplicate GUID kept once"
    );
    sqlx::query("UPDATE feeds SET etag = NULL, last_modified = NULL")
        .execute(&h.pool)
        .await
        .unwrap();
    let again = h.refresh(feed).await;
    assert_eq!(
        (again.counts.new, again.counts.unchanged),
        (0, 3),
        "re-poll finds the same keys"
    );
}

#[tokio::test]
async fn future_and_garbage_dates_become_the_first_seen_time() {
    let h = harness().await;
    h.server.set_feed("dates", hostile_xml("dates"));
    let feed = h.add_feed("/feed/dates").await;
    let before = chrono::Utc::now();
    assert_eq!(h.refresh(feed).await.counts.new, 2);
    let dates: Vec<chrono::DateTime<chrono::Utc>> =
        sqlx::query_scalar("SELECT published_at FROM candidates")
            .fetch_all(&h.pool)
            .await
            .unwrap();
    for date in dates {
        assert!(
            date >= before - chrono::Duration::seconds(1) && date <= chrono::Utc::now(),
            "{date}"
        );
    }
}

#[tokio::test]
async fn scripts_handlers_and_javascript_links_are_stripped() {
    let h = harness().await;
    h.server.set_feed("xss", hostile_xml("xss"));
    let feed = h.add_feed("/feed/xss").await;
    assert_eq!(h.refresh(feed).await.counts.new, 1);
    let (title, url, summary): (String, Option<String>, String) =
        sqlx::query_as("SELECT title, url, summary_html FROM candidates")
            .fetch_one(&h.pool)
            .await
            .unwrap();
    assert_eq!(title, "Safe title");
    assert_eq!(url, None);
    for forbidden in [
        "<script",
        "onerror",
        "onclick",
        "javascript:",
        "data:text",
        "style=",
    ] {
        assert!(!summary.contains(forbidden), "{forbidden} in {summary}");
    }
    assert!(summary.contains("text"));
}

#[tokio::test]
async fn the_poller_keeps_serving_good_feeds_among_hostile_ones() {
    let h = harness().await;
    let good = h
        .serve_rss(
            "good",
            "Good",
            &[item("g", "Good news", "https://example.com/good")],
        )
        .await;
    for path in [
        "/gzip-bomb",
        "/loop-a",
        "/html",
        "/empty",
        "/to-metadata",
        "/status/500",
        "/huge",
    ] {
        h.add_feed(path).await;
    }
    let reports = h.poll_due_once().await;
    assert_eq!(reports.len(), 8);
    let good_report = reports.iter().find(|r| r.feed_id == good).unwrap();
    assert_eq!(good_report.error, None);
    assert_eq!(good_report.counts.new, 1);
    assert_eq!(reports.iter().filter(|r| r.error.is_some()).count(), 7);
}

/// Feed titles in every format, escaped once (the title is the markup as
/// text) and twice (an author's way to get markup past a first decoding),
/// stay text on the feed page, in its `<title>` and in the inbox.
#[tokio::test]
async fn hostile_feed_titles_stay_text_in_every_format() {
    let app = crate::support::spawn_app().await;
    let server = crate::fixtures::FeedServer::start().await;
    let once = xml_escape(INJECTION);
    let twice = xml_escape(&once);
    let json_title = serde_json::to_string(INJECTION).unwrap();
    let cases = [
        (
            "rss-once",
            rss(&once, &[item("a", &once, "https://example.com/a")]),
        ),
        (
            "rss-twice",
            rss(&twice, &[item("b", &twice, "https://example.com/b")]),
        ),
        (
            "atom-text",
            format!(
                r#"<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">
<title type="text">{once}</title><id>urn:x:atom-text</id><updated>2026-11-24T09:00:00Z</updated>
<entry><title type="text">{once}</title><id>urn:x:c</id><link href="https://example.com/c"/><updated>2026-11-24T09:00:00Z</updated></entry></feed>"#
            ),
        ),
        (
            "atom-html",
            format!(
                r#"<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">
<title type="html">{twice}</title><id>urn:x:atom-html</id><updated>2026-11-24T09:00:00Z</updated>
<entry><title type="html">{twice}</title><id>urn:x:d</id><link href="https://example.com/d"/><updated>2026-11-24T09:00:00Z</updated></entry></feed>"#
            ),
        ),
        (
            "json",
            format!(
                r#"{{"version":"https://jsonfeed.org/version/1.1","title":{json_title},
"items":[{{"id":"e","url":"https://example.com/e","title":{json_title},"content_text":"x"}}]}}"#
            ),
        ),
    ];
    for (name, body) in cases {
        server.set_feed(name, body);
        let response = app
            .call(
                "add_feed",
                &[
                    ("url", &server.url(&format!("/feed/{name}"))),
                    ("title", ""),
                ],
            )
            .await;
        assert_eq!(response.status(), 200, "{name}");
        let body: serde_json::Value = response.json().await.unwrap();
        let id = body["Added"]["id"].as_i64().unwrap();
        let stored: Option<String> = sqlx::query_scalar("SELECT title FROM feeds WHERE id = $1")
            .bind(id)
            .fetch_one(&app.pool)
            .await
            .unwrap();
        eprintln!("{name}: stored title {stored:?}");
        assert!(
            stored.is_some_and(|title| !title.is_empty()),
            "{name}: a title"
        );
        assert_no_injection(&app.page(&format!("/feeds/{id}")).await, name);
        let refresh = app.call("refresh_feed", &[("id", &id.to_string())]).await;
        assert!(refresh.status().is_success(), "{name}: refresh");
    }
    assert!(
        sqlx::query_scalar::<_, i64>("SELECT count(*) FROM candidates")
            .fetch_one(&app.pool)
            .await
            .unwrap()
            >= 5,
        "every format's entry was stored"
    );
    assert_no_injection(&app.page("/").await, "inbox");
    assert_no_injection(&app.page("/feeds").await, "feeds page");
}

/// The same through OPML, whose `text` and `title` attributes name feeds.
#[tokio::test]
async fn hostile_opml_titles_stay_text() {
    let app = crate::support::spawn_app().await;
    let once = xml_escape(INJECTION);
    let twice = xml_escape(&once);
    let opml = format!(
        r#"<?xml version="1.0"?><opml version="2.0"><head><title>x</title></head><body>
<outline type="rss" text="{once}" title="{once}" xmlUrl="https://example.com/once.xml"/>
<outline type="rss" text="{twice}" title="{twice}" xmlUrl="https://example.com/twice.xml"/>
</body></opml>"#
    );
    newsdesk_app::feeds::opml::import::import_opml(&app.pool, &opml, |_| {})
        .await
        .expect("the file imports");
    let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM feeds ORDER BY id")
        .fetch_all(&app.pool)
        .await
        .unwrap();
    assert_eq!(ids.len(), 2);
    for id in ids {
        assert_no_injection(&app.page(&format!("/feeds/{id}")).await, "opml feed");
    }
    assert_no_injection(&app.page("/feeds").await, "feeds page");
}
