//! Managing feeds through the server functions: discovery on add, settings,
//! refresh now, refresh all, delete, the starter set, filter rules, and the
//! health the Feeds page shows.

use serde_json::Value;

use crate::{
    fixtures::{item, rss, FeedServer},
    support::{api::call_json, spawn_app, TestApp},
};

async fn add_exact(app: &TestApp, url: &str) -> i64 {
    let (status, body) = call_json(
        app,
        "add_feed",
        &[("url", url), ("title", ""), ("exact", "true")],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    body["Added"]["id"].as_i64().unwrap()
}

async fn overview(app: &TestApp) -> Value {
    call_json(app, "load_feeds", &[]).await.1
}

#[tokio::test]
async fn adding_a_site_url_finds_its_feed() {
    let app = spawn_app().await;
    let server = FeedServer::start().await;
    server.set_feed(
        "site",
        rss("Site feed", &[item("s", "S", "https://example.com/s")]),
    );
    // A feed URL is taken as it is (after following it).
    let feed_url = server.url("/feed/site");
    let (status, body) = call_json(&app, "add_feed", &[("url", &feed_url), ("title", "")]).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["Added"]["url"], feed_url);
    assert_eq!(body["Added"]["title"], "Site feed", "title from the feed");
}

#[tokio::test]
async fn an_unreachable_or_non_feed_address_is_refused_with_a_reason() {
    let app = spawn_app().await;
    let server = FeedServer::start().await;
    let (status, body) = call_json(
        &app,
        "add_feed",
        &[("url", &server.url("/status/404")), ("title", "")],
    )
    .await;
    assert_eq!(status, 422);
    let message = body["Invalid"]["message"].as_str().unwrap();
    assert!(
        message.contains("No feed could be read") && message.contains("HTTP 404"),
        "{message}"
    );
    assert_eq!(app.feed_count().await, 0);
    // Private addresses stay blocked for discovery too, unless allowed.
    let (status, body) = call_json(
        &app,
        "add_feed",
        &[("url", "http://10.0.0.1/feed"), ("title", "")],
    )
    .await;
    assert_eq!(status, 422);
    assert!(
        body["Invalid"]["message"]
            .as_str()
            .unwrap()
            .contains("blocked: address is private"),
        "{body}"
    );
}

#[tokio::test]
async fn refresh_now_fetches_and_is_rate_limited() {
    let app = spawn_app().await;
    let server = FeedServer::start().await;
    server.set_feed(
        "r",
        rss(
            "R",
            &[
                item("r1", "One", "https://example.com/1"),
                item("r2", "Two", "https://example.com/2"),
            ],
        ),
    );
    let id = add_exact(&app, &server.url("/feed/r")).await;
    let (status, outcome) = call_json(&app, "refresh_feed", &[("id", &id.to_string())]).await;
    assert_eq!(status, 200, "{outcome}");
    assert_eq!(outcome["new"], 2);
    assert_eq!(outcome["error"], Value::Null);

    let (status, body) = call_json(&app, "refresh_feed", &[("id", &id.to_string())]).await;
    assert_eq!(status, 422);
    assert!(
        body["Invalid"]["message"]
            .as_str()
            .unwrap()
            .contains("try again in"),
        "{body}"
    );
    assert_eq!(server.seen.count("/feed/r"), 1);

    let feeds = overview(&app).await;
    let feed = &feeds["feeds"][0];
    assert_eq!(feed["status"], "Ok");
    assert_eq!(feed["entries_30d"], 2);
    assert!(feed["latency"]["median_ms"].as_f64().is_some());

    let (status, _) = call_json(&app, "refresh_feed", &[("id", "999999")]).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn failing_feeds_show_their_error_on_the_page() {
    let app = spawn_app().await;
    let server = FeedServer::start().await;
    let id = add_exact(&app, &server.url("/html")).await;
    let (_, outcome) = call_json(&app, "refresh_feed", &[("id", &id.to_string())]).await;
    assert_eq!(outcome["error"], "not a feed: got text/html");
    let feeds = overview(&app).await;
    assert_eq!(feeds["failing"], 1);
    assert_eq!(feeds["feeds"][0]["status"], "Failing");
    let page = app.page("/feeds").await;
    assert!(page.contains("1 failing"), "summary");
    assert!(
        page.contains("not a feed: got text/html"),
        "error in plain words"
    );
    assert!(page.contains("badge-failing"));
}

#[tokio::test]
async fn refresh_all_queues_every_feed_for_the_pollers() {
    let app = spawn_app().await;
    let a = add_exact(&app, "https://example.com/a.xml").await;
    add_exact(&app, "https://example.com/b.xml").await;
    sqlx::query("UPDATE feeds SET next_check_at = now() + interval '1 hour'")
        .execute(&app.pool)
        .await
        .unwrap();
    sqlx::query("UPDATE feeds SET last_attempt_at = now() WHERE id = $1")
        .bind(a)
        .execute(&app.pool)
        .await
        .unwrap();
    let (status, queued) = call_json(&app, "refresh_all", &[]).await;
    assert_eq!(status, 200);
    assert_eq!(queued, 1, "the feed checked a moment ago is left alone");
    let due: i64 = sqlx::query_scalar("SELECT count(*) FROM feeds WHERE next_check_at <= now()")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(due, 1);
}

#[tokio::test]
async fn settings_are_validated_and_saved() {
    let app = spawn_app().await;
    let id = add_exact(&app, "https://example.com/feed.xml").await;
    let id = id.to_string();
    let save = |interval: &'static str, tags: &'static str| {
        let id = id.clone();
        let app = app.clone();
        async move {
            call_json(
                &app,
                "update_feed",
                &[
                    ("id", &id),
                    ("title", "Example"),
                    ("category", "Blogs"),
                    ("tags", tags),
                    ("interval", interval),
                    ("enabled", "true"),
                ],
            )
            .await
        }
    };
    let (status, body) = save("3", "a").await;
    assert_eq!(status, 422);
    assert_eq!(body["Invalid"]["field"], "interval");

    let (status, _) = save("30", "k8s, news").await;
    assert_eq!(status, 200);
    let (title, category, tags, interval, enabled): (String, String, Vec<String>, i32, bool) =
        sqlx::query_as("SELECT title, category, tags, poll_interval_minutes, enabled FROM feeds")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(
        (title.as_str(), category.as_str(), interval, enabled),
        ("Example", "Blogs", 30, true)
    );
    assert_eq!(tags, ["k8s", "news"]);

    // Unticked checkbox: the field is absent.
    let (status, _) = call_json(
        &app,
        "update_feed",
        &[
            ("id", &id),
            ("title", ""),
            ("category", ""),
            ("tags", ""),
            ("interval", "60"),
        ],
    )
    .await;
    assert_eq!(status, 200);
    let enabled: bool = sqlx::query_scalar("SELECT enabled FROM feeds")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert!(!enabled);
    let feeds = overview(&app).await;
    assert_eq!(feeds["feeds"][0]["status"], "Disabled");
}

#[tokio::test]
async fn deleting_a_feed_keeps_candidates_other_feeds_carry() {
    let app = spawn_app().await;
    let server = FeedServer::start().await;
    server.set_feed(
        "one",
        rss(
            "One",
            &[
                item("1", "Only here", "https://example.com/only"),
                item("2", "Shared", "https://example.com/shared"),
            ],
        ),
    );
    server.set_feed(
        "two",
        rss(
            "Two",
            &[item(
                "x",
                "Shared too",
                "https://example.com/shared?utm_source=two",
            )],
        ),
    );
    let one = add_exact(&app, &server.url("/feed/one")).await;
    let two = add_exact(&app, &server.url("/feed/two")).await;
    call_json(&app, "refresh_feed", &[("id", &one.to_string())]).await;
    call_json(&app, "refresh_feed", &[("id", &two.to_string())]).await;
    let count = || async {
        sqlx::query_scalar::<_, i64>("SELECT count(*) FROM candidates")
            .fetch_one(&app.pool)
            .await
            .unwrap()
    };
    assert_eq!(count().await, 2);

    let (status, _) = call_json(&app, "delete_feed", &[("id", &one.to_string())]).await;
    assert_eq!(status, 200);
    assert_eq!(count().await, 1);
    let left: String = sqlx::query_scalar("SELECT url FROM candidates")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert!(left.contains("/shared"));
    assert_eq!(app.feed_count().await, 1);
    let (status, _) = call_json(&app, "delete_feed", &[("id", &one.to_string())]).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn the_starter_set_is_added_once_and_only_on_request() {
    let app = spawn_app().await;
    assert_eq!(app.feed_count().await, 0, "nothing is added silently");
    let page = app.page("/feeds").await;
    assert!(
        page.contains("Kubernetes Blog") && page.contains("Add these"),
        "offered on the empty page"
    );
    let (status, added) = call_json(&app, "add_starter_set", &[]).await;
    assert_eq!(status, 200);
    let expected = newsdesk_app::feeds::starter::STARTER_FEEDS.len() as i64;
    assert_eq!(added, expected);
    let (_, again) = call_json(&app, "add_starter_set", &[]).await;
    assert_eq!(again, 0);
    assert_eq!(app.feed_count().await, expected);
    let categorised: i64 =
        sqlx::query_scalar("SELECT count(*) FROM feeds WHERE category IS NOT NULL")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(categorised, expected);
}

#[tokio::test]
async fn filter_rules_are_validated_listed_and_removed() {
    let app = spawn_app().await;
    let id = add_exact(&app, "https://example.com/feed.xml")
        .await
        .to_string();
    let (status, body) = call_json(
        &app,
        "add_rule",
        &[
            ("feed_id", &id),
            ("action", "block"),
            ("field", "title"),
            ("pattern", "(unclosed"),
        ],
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(body["Invalid"]["field"], "pattern");

    let (status, rule) = call_json(
        &app,
        "add_rule",
        &[
            ("feed_id", &id),
            ("action", "block"),
            ("field", "title"),
            ("pattern", "^\\[ad\\]"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{rule}");
    let (status, _) = call_json(
        &app,
        "add_rule",
        &[
            ("feed_id", ""),
            ("action", "keep"),
            ("field", "category"),
            ("pattern", "kubernetes"),
        ],
    )
    .await;
    assert_eq!(status, 200);

    let (_, feed_rules) = call_json(&app, "list_rules", &[("feed_id", &id)]).await;
    assert_eq!(feed_rules.as_array().unwrap().len(), 1);
    let (_, team_rules) = call_json(&app, "list_rules", &[]).await;
    assert_eq!(team_rules.as_array().unwrap().len(), 1);
    assert_eq!(team_rules[0]["feed_id"], Value::Null);

    let (status, _) = call_json(&app, "delete_rule", &[("id", &rule["id"].to_string())]).await;
    assert_eq!(status, 200);
    let (_, feed_rules) = call_json(&app, "list_rules", &[("feed_id", &id)]).await;
    assert!(feed_rules.as_array().unwrap().is_empty());
}

#[tokio::test]
async fn the_feed_page_renders_settings_and_history_and_404s_for_unknown_feeds() {
    let app = spawn_app().await;
    let server = FeedServer::start().await;
    server.set_feed(
        "p",
        rss("Page feed", &[item("p", "P", "https://example.com/p")]),
    );
    let id = add_exact(&app, &server.url("/feed/p")).await;
    call_json(&app, "refresh_feed", &[("id", &id.to_string())]).await;
    let page = app
        .client
        .get(app.url(&format!("/feeds/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let page = page.text().await.unwrap();
    for expected in [
        "Page feed",
        "Settings",
        "Recent fetches",
        "Filter rules for this feed",
        "Delete this feed",
        "fetched",
    ] {
        assert!(page.contains(expected), "{expected}");
    }
    let missing = app
        .client
        .get(app.url("/feeds/987654"))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
    let filters = app
        .client
        .get(app.url("/feeds/filters"))
        .send()
        .await
        .unwrap();
    assert_eq!(filters.status(), 200);
    assert!(filters.text().await.unwrap().contains("Team filter rules"));
}

async fn upload(app: &TestApp, name: &str, bytes: Vec<u8>) -> String {
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned()),
    );
    app.upload_form("/feeds/import", form).await
}

/// Waits for the background import to finish (bounded).
async fn finished_import(app: &TestApp, location: &str) -> Value {
    let id = location.rsplit('/').next().unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let (status, body) = call_json(app, "import_progress", &[("id", id)]).await;
        assert_eq!(status, 200, "{body}");
        if !body["summary"].is_null() || !body["error"].is_null() {
            return body;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "import did not finish: {body}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn an_uploaded_opml_file_is_imported_in_the_background() {
    let app = spawn_app().await;
    let file = std::fs::read(
        crate::support::workspace_dir().join("tests/fixtures/opml/miniflux-style.opml"),
    )
    .unwrap();
    let location = upload(&app, "miniflux.opml", file).await;
    assert!(location.starts_with("/feeds/import/"), "{location}");
    let status = finished_import(&app, &location).await;
    assert_eq!(status["summary"]["added"], 3, "{status}");
    assert_eq!(status["progress"]["done"], 3);
    assert_eq!(app.feed_count().await, 3);
    let page = app.page(&location).await;
    assert!(
        page.contains("Done: 3 added, 0 duplicates skipped, 0 refused."),
        "{page}"
    );
    assert!(
        !page.contains("http-equiv=\"refresh\""),
        "a finished import stops refreshing"
    );
}

#[tokio::test]
async fn unreadable_uploads_say_what_is_wrong_and_import_nothing() {
    let app = spawn_app().await;
    for (bytes, expected) in [
        (vec![0xff, 0xfe, 0x00], "not UTF-8"),
        (Vec::new(), "empty"),
        (b"<opml><body><outline".to_vec(), "Nothing was imported"),
    ] {
        let location = upload(&app, "bad.opml", bytes).await;
        let status = finished_import(&app, &location).await;
        assert!(!status["error"].is_null(), "{status}");
        let page = app.page(&location).await;
        assert!(
            page.contains(expected) || status["error"].as_str().unwrap().contains(expected),
            "{expected}: {status}"
        );
    }
    assert_eq!(app.feed_count().await, 0);
    let (status, _) = call_json(&app, "import_progress", &[("id", "not-a-uuid")]).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn a_feed_far_slower_than_its_history_and_the_fleet_is_marked_slow() {
    let app = spawn_app().await;
    let mut ids = Vec::new();
    for n in 0..4 {
        ids.push(add_exact(&app, &format!("https://example.com/{n}.xml")).await);
    }
    // 20 older fetches at ~100 ms for every feed, then 5 recent ones: the
    // first feed jumps to 5 s, the others stay fast.
    for (index, id) in ids.iter().enumerate() {
        for minutes_ago in (1..=25).rev() {
            let slow = index == 0 && minutes_ago <= 5;
            sqlx::query(
                "INSERT INTO feed_fetches (feed_id, started_at, duration_ms, http_status, outcome)
                 VALUES ($1, now() - make_interval(mins => $2), $3, 200, 'fetched')",
            )
            .bind(id)
            .bind(minutes_ago)
            .bind(if slow { 5000 } else { 100 })
            .execute(&app.pool)
            .await
            .unwrap();
        }
    }
    sqlx::query("UPDATE feeds SET last_attempt_at = now(), last_success_at = now()")
        .execute(&app.pool)
        .await
        .unwrap();
    let feeds = overview(&app).await;
    assert_eq!(feeds["slow"], 1, "{feeds}");
    let slow: Vec<i64> = feeds["feeds"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["status"] == "Slow")
        .map(|f| f["id"].as_i64().unwrap())
        .collect();
    assert_eq!(slow, [ids[0]]);
    let page = app.page("/feeds").await;
    assert!(page.contains("1 slow"));
}
