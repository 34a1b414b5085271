//! The Feeds page and its server functions: add, list, validation,
//! duplicates, plain (no-JS) form posts.

use newsdesk_app::accounts::Role;
use serde_json::Value;

use crate::support::{body_of, spawn_app};

/// Adds without discovery ("add without checking"): these URLs are not
/// reachable from the test.
async fn add(app: &crate::support::TestApp, url: &str, title: &str) -> (u16, Value) {
    let response = app
        .call(
            "add_feed",
            &[("url", url), ("title", title), ("exact", "true")],
        )
        .await;
    let status = response.status().as_u16();
    let body: Value = response.json().await.expect("JSON answer");
    match body.get("Added") {
        Some(feed) => (status, feed.clone()),
        None => (status, body),
    }
}

fn invalid(body: &Value, field: &str) -> String {
    let error = &body["Invalid"];
    assert_eq!(error["field"], field, "error names the field: {body}");
    error["message"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn adding_a_feed_stores_it_and_lists_it() {
    let app = spawn_app().await;
    let (status, feed) = add(
        &app,
        " HTTPS://Kubernetes.io/feed.xml#latest ",
        " Kubernetes Blog ",
    )
    .await;
    assert_eq!(status, 200, "{feed}");
    assert_eq!(feed["url"], "https://kubernetes.io/feed.xml");
    assert_eq!(feed["title"], "Kubernetes Blog");

    let overview: Value = app.call("load_feeds", &[]).await.json().await.unwrap();
    let listed = overview["feeds"].as_array().unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["id"], feed["id"]);
    assert_eq!(listed[0]["status"], "New", "not fetched yet");

    // The server-rendered page shows it without any JavaScript.
    let page = app.page("/feeds").await;
    assert!(page.contains("Kubernetes Blog"), "page lists the feed");
    assert!(page.contains("https://kubernetes.io/feed.xml"));
    assert!(page.contains("1 feed<"));
}

#[tokio::test]
async fn title_is_optional() {
    let app = spawn_app().await;
    let (status, feed) = add(&app, "https://www.cncf.io/feed/", "").await;
    assert_eq!(status, 200);
    assert_eq!(feed["title"], Value::Null);
}

#[tokio::test]
async fn invalid_urls_are_refused_with_a_message_and_nothing_is_stored() {
    let app = spawn_app().await;
    let too_long = format!("https://example.com/{}", "a".repeat(2100));
    let cases = [
        ("", "Enter the feed's URL."),
        ("   ", "Enter the feed's URL."),
        ("ftp://example.com/feed", "Only http and https"),
        ("javascript:alert(1)", "Only http and https"),
        ("example.com/feed.xml", "https://example.com/feed.xml"),
        ("https://", "not a valid URL"),
        (too_long.as_str(), "too long"),
    ];
    for (url, expected) in cases {
        let (status, body) = add(&app, url, "").await;
        assert_eq!(status, 422, "input errors are 422: {url:?} {body}");
        let message = invalid(&body, "url");
        assert!(
            message.contains(expected),
            "{url:?}: {message:?} should contain {expected:?}"
        );
    }
    let (status, body) = add(&app, "https://example.com/feed", &"t".repeat(201)).await;
    assert_eq!(status, 422);
    assert!(invalid(&body, "title").contains("too long"));
    assert_eq!(app.feed_count().await, 0);
}

#[tokio::test]
async fn duplicate_urls_are_refused_even_when_spelled_differently() {
    let app = spawn_app().await;
    let (status, _) = add(&app, "https://kubernetes.io/feed.xml", "Kubernetes Blog").await;
    assert_eq!(status, 200);
    for spelling in [
        "https://kubernetes.io/feed.xml",
        "HTTPS://KUBERNETES.IO/feed.xml",
        "https://kubernetes.io:443/feed.xml#top",
    ] {
        let (status, body) = add(&app, spelling, "Another title").await;
        assert_eq!(status, 422);
        let message = invalid(&body, "url");
        assert!(
            message.contains("already in the list as “Kubernetes Blog”"),
            "{message}"
        );
    }
    assert_eq!(app.feed_count().await, 1);
}

#[tokio::test]
async fn concurrent_adds_of_one_url_store_exactly_one_feed() {
    let app = spawn_app().await;
    let mut attempts = tokio::task::JoinSet::new();
    for _ in 0..12 {
        let app = app.clone();
        attempts.spawn(async move { add(&app, "https://example.com/race.xml", "").await });
    }
    let results = attempts.join_all().await;
    let successes = results.iter().filter(|(status, _)| *status == 200).count();
    assert_eq!(successes, 1, "{results:?}");
    for (_, body) in results.iter().filter(|(status, _)| *status != 200) {
        assert!(invalid(body, "url").contains("already in the list"));
    }
    assert_eq!(app.feed_count().await, 1);
}

#[tokio::test]
async fn plain_form_posts_redirect_back_and_show_the_error_next_to_the_field() {
    let app = spawn_app().await;
    let post = |url: &'static str| {
        app.client
            .post(app.url("/api/add_feed"))
            .header("origin", app.origin())
            .header("accept", "text/html,application/xhtml+xml")
            .header("referer", app.url("/feeds"))
            .form(&[("url", url), ("title", ""), ("exact", "true")])
            .send()
    };

    let ok = post("https://go.dev/blog/feed.atom").await.unwrap();
    assert_eq!(ok.status(), 302);
    let back = ok.headers()["location"].to_str().unwrap();
    assert_eq!(
        back.trim_end_matches('?'),
        app.url("/feeds"),
        "back to the page, no error"
    );

    let failed = post("gopher://example.com").await.unwrap();
    assert_eq!(failed.status(), 302);
    let location = failed.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.starts_with(&app.url("/feeds?")), "{location}");

    let page = body_of(&app.client, &location).await;
    let error_paragraph = page
        .split(r#"id="feed-url-error""#)
        .nth(1)
        .and_then(|rest| rest.split("</p>").next())
        .expect("the URL field has an error slot");
    assert!(
        error_paragraph.contains("Only http and https"),
        "{error_paragraph}"
    );
    assert!(page.contains(r#"aria-invalid="true""#));
    assert!(
        page.contains("go.dev/blog/feed.atom"),
        "the earlier add is listed"
    );
    assert_eq!(app.feed_count().await, 1);
}

#[tokio::test]
async fn cross_origin_writes_are_refused() {
    let app = spawn_app().await;
    let attempts = [
        vec![("origin", "http://evil.example".to_owned())],
        vec![("sec-fetch-site", "cross-site".to_owned())],
        vec![],
    ];
    for headers in attempts {
        let mut request = app.client.post(app.url("/api/add_feed")).form(&[
            ("url", "https://example.com/feed"),
            ("title", ""),
            ("exact", "true"),
        ]);
        for (name, value) in &headers {
            request = request.header(*name, value);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), 403, "{headers:?}");
    }
    assert_eq!(app.feed_count().await, 0);

    let same_site = app
        .client
        .post(app.url("/api/add_feed"))
        .header("sec-fetch-site", "same-origin")
        .form(&[
            ("url", "https://example.com/feed"),
            ("title", ""),
            ("exact", "true"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(same_site.status(), 200);
    assert_eq!(app.feed_count().await, 1);
}

#[tokio::test]
async fn malformed_requests_get_400_and_store_nothing() {
    let app = spawn_app().await;
    let response = app.call("add_feed", &[("title", "no url field")]).await;
    assert_eq!(response.status(), 400);
    let body: Value = response.json().await.unwrap();
    assert!(body["BadRequest"].is_string(), "{body}");
    assert_eq!(app.feed_count().await, 0);
}

#[tokio::test]
async fn server_functions_accept_post_only() {
    let app = spawn_app().await;
    let response = app
        .client
        .get(app.url("/api/load_feeds"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 405);
}

/// A feed read with errors is healthy (its entries are in) and says so in
/// plain words on the Feeds page and its own page.
#[tokio::test]
async fn a_feed_read_with_errors_says_so_without_failing() {
    let app = spawn_app().await;
    let server = crate::fixtures::FeedServer::start().await;
    server.set_feed(
        "broken",
        r#"<rss version="2.0"><channel><title>Broken</title>
<item><guid>x</guid><title>Fish & chips</title><link>https://example.com/x</link></item>"#,
    );
    let url = server.url("/feed/broken");
    let (status, feed) = add(&app, &url, "").await;
    assert_eq!(status, 200, "{feed}");
    let id = feed["id"].as_i64().unwrap();
    let refreshed = app.call("refresh_feed", &[("id", &id.to_string())]).await;
    assert!(refreshed.status().is_success());

    let overview: Value = app.call("load_feeds", &[]).await.json().await.unwrap();
    let listed = &overview["feeds"][0];
    assert_eq!(listed["status"], "Ok", "{listed}");
    let note = listed["last_error"].as_str().unwrap_or_default().to_owned();
    assert!(note.starts_with("read with errors: "), "{note}");
    assert!(note.contains("a bare & in text"), "{note}");
    let escaped = note
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    let list = app.page("/feeds").await;
    assert!(
        list.contains(&format!(r#"<div class="feed-note muted">{escaped}</div>"#)),
        "{list}"
    );
    // On the feed's own page too, as a note, not in the error colour.
    let own = app.page(&format!("/feeds/{id}")).await;
    assert!(
        own.contains(&format!(r#"<dd class="feed-note muted">{escaped}</dd>"#)),
        "{own}"
    );

    // Asked again, the feed is unchanged (304): its errors still hold, and
    // a member who reads Japanese reads them in Japanese. (A refresh is
    // allowed once a minute: the last one is made a minute older.)
    sqlx::query("UPDATE feeds SET last_attempt_at = last_attempt_at - interval '1 minute'")
        .execute(&app.pool)
        .await
        .unwrap();
    let refreshed = app.call("refresh_feed", &[("id", &id.to_string())]).await;
    assert!(refreshed.status().is_success());
    let outcome: String = sqlx::query_scalar(
        "SELECT outcome FROM feed_fetches WHERE feed_id = $1 ORDER BY id DESC LIMIT 1",
    )
    .bind(id)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(outcome, "not_modified");
    let (hana, japanese) = app.client_as("Hana", Role::Viewer).await;
    app.set_language(&hana, "ja").await;
    let note_ja =
        "エラーを補って読み込みました: テキスト中にエスケープされていない &amp; があります";
    for path in ["/feeds".to_owned(), format!("/feeds/{id}")] {
        let html = body_of(&japanese, &app.url(&path)).await;
        assert!(html.contains(note_ja), "{path}: {html}");
        assert!(!html.contains("a bare &amp; in text"), "{path}: {html}");
    }
}
