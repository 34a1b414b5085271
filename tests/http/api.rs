//! The JSON API (`/api/v1`): feeds and candidates, errors as JSON.

use serde_json::{json, Value};

use crate::{
    fixtures::{item, rss, FeedServer},
    support::{
        api::{delete, error_message, get_answer, patch, post},
        spawn_app,
    },
};

#[tokio::test]
async fn feeds_can_be_managed_through_the_api() {
    let app = spawn_app().await;
    let server = FeedServer::start().await;
    server.set_feed(
        "api",
        rss(
            "API feed",
            &[
                item("a1", "First", "https://example.com/first"),
                item("a2", "Second", "https://example.com/second"),
            ],
        ),
    );

    let (status, created) = post(
        &app,
        "/api/v1/feeds",
        json!({ "url": server.url("/feed/api") }),
    )
    .await;
    assert_eq!(status, 201, "{created}");
    let id = created["feed"]["id"].as_i64().unwrap();
    assert_eq!(created["feed"]["title"], "API feed");

    let (status, error) = post(
        &app,
        "/api/v1/feeds",
        json!({ "url": "ftp://x", "exact": true }),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(error["error"]["kind"], "invalid");
    assert_eq!(error["error"]["field"], "url");

    let (status, updated) = patch(
        &app,
        &format!("/api/v1/feeds/{id}"),
        json!({ "poll_interval_minutes": 15, "tags": ["k8s"] }),
    )
    .await;
    assert_eq!(status, 200, "{updated}");
    assert_eq!(updated["feed"]["poll_interval_minutes"], 15);
    assert_eq!(updated["feed"]["tags"], json!(["k8s"]));
    assert_eq!(
        updated["feed"]["title"], "API feed",
        "absent fields keep their value"
    );

    let (status, refreshed) = post(&app, &format!("/api/v1/feeds/{id}/refresh"), json!({})).await;
    assert_eq!(status, 200);
    assert_eq!(refreshed["new"], 2);

    let (status, list) = get_answer(&app, "/api/v1/feeds").await;
    assert_eq!(status, 200);
    assert_eq!(list["feeds"][0]["status"], "Ok");

    let (status, details) = get_answer(&app, &format!("/api/v1/feeds/{id}")).await;
    assert_eq!(status, 200);
    assert_eq!(details["fetches"].as_array().unwrap().len(), 1);

    let (status, _) = delete(&app, &format!("/api/v1/feeds/{id}")).await;
    assert_eq!(status, 204);
    let (status, missing) = get_answer(&app, &format!("/api/v1/feeds/{id}")).await;
    assert_eq!(status, 404);
    assert_eq!(missing["error"]["kind"], "not_found");
}

#[tokio::test]
async fn several_feeds_at_a_site_answer_300_with_the_choices() {
    let app = spawn_app().await;
    let server = FeedServer::start().await;
    let (status, body) = post(&app, "/api/v1/feeds", json!({ "url": server.url("/site") })).await;
    assert_eq!(status, 300, "{body}");
    let urls: Vec<&str> = body["choose"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["url"].as_str().unwrap())
        .collect();
    assert_eq!(
        urls,
        [server.url("/feed/posts"), server.url("/feed/releases")]
    );
    assert_eq!(
        app.feed_count().await,
        0,
        "nothing added until the client chooses"
    );

    // A page without feeds is a 422 with the reason.
    let (status, body) = post(&app, "/api/v1/feeds", json!({ "url": server.url("/html") })).await;
    assert_eq!(status, 422, "{body}");
    assert!(error_message(&body).contains("No feed could be read"));
}

#[tokio::test]
async fn malformed_api_requests_get_400_json() {
    let app = spawn_app().await;
    let response = app
        .api
        .post(app.url("/api/v1/feeds"))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["kind"], "bad_request");
    let (status, _) = get_answer(&app, "/api/v1/feeds/not-a-number").await;
    assert_eq!(status, 400);
    let (status, _) = get_answer(&app, "/api/v1/candidates?after=garbage").await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn cross_site_form_posts_to_the_api_are_refused() {
    let app = spawn_app().await;
    let response = app
        .client
        .post(app.url("/api/v1/feeds"))
        .header("origin", "https://evil.example")
        .form(&[("url", "https://example.com/feed")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
    assert_eq!(app.feed_count().await, 0);
}

#[tokio::test]
async fn candidates_are_listed_newest_first_with_filters_and_cursors() {
    let app = spawn_app().await;
    let server = FeedServer::start().await;
    let items: Vec<String> =
        (0..7)
            .map(|n| {
                format!(
                "<item><guid>c{n}</guid><title>{} {n}</title><link>https://example.com/{n}</link>\
                 <pubDate>Tue, 1{n} Nov 2026 09:00:00 GMT</pubDate><category>{}</category></item>",
                if n % 2 == 0 { "Kubernetes リリース" } else { "Other" },
                if n % 2 == 0 { "k8s" } else { "misc" }
            )
            })
            .collect();
    server.set_feed("c", rss("C", &items));
    let (_, created) = post(
        &app,
        "/api/v1/feeds",
        json!({ "url": server.url("/feed/c"), "exact": true }),
    )
    .await;
    let id = created["feed"]["id"].as_i64().unwrap();
    post(&app, &format!("/api/v1/feeds/{id}/refresh"), json!({})).await;

    let mut seen = Vec::new();
    let mut path = "/api/v1/candidates?limit=3".to_owned();
    loop {
        let (status, page) = get_answer(&app, &path).await;
        assert_eq!(status, 200, "{page}");
        for candidate in page["candidates"].as_array().unwrap() {
            seen.push(candidate["title"].as_str().unwrap().to_owned());
            assert_eq!(candidate["sources"][0]["feed_id"], id);
        }
        match page["next"].as_str() {
            Some(next) => path = format!("/api/v1/candidates?limit=3&after={next}"),
            None => break,
        }
    }
    let expected: Vec<String> = (0..7)
        .rev()
        .map(|n| {
            format!(
                "{} {n}",
                if n % 2 == 0 {
                    "Kubernetes リリース"
                } else {
                    "Other"
                }
            )
        })
        .collect();
    assert_eq!(seen, expected, "newest first, no gaps, no repeats");

    let (_, japanese) = get_answer(
        &app,
        "/api/v1/candidates?q=%E3%83%AA%E3%83%AA%E3%83%BC%E3%82%B9",
    )
    .await;
    assert_eq!(
        japanese["candidates"].as_array().unwrap().len(),
        4,
        "substring search works for Japanese"
    );
    let (_, category) = get_answer(&app, "/api/v1/candidates?category=misc").await;
    assert_eq!(category["candidates"].as_array().unwrap().len(), 3);
    let first_id = category["candidates"][0]["id"].as_i64().unwrap();
    let (status, one) = get_answer(&app, &format!("/api/v1/candidates/{first_id}")).await;
    assert_eq!(status, 200);
    assert_eq!(one["candidate"]["title"], "Other 5");
}
