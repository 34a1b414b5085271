//! Outgoing webhooks against a local HTTP receiver started here, with the
//! sender driven by `run_due_once`: the messages of published and
//! re-published issues (Slack-compatible text, and generic JSON with its
//! HMAC-SHA256 signature checked independently), a retry after a 500 with
//! the same body, a private address refused, a failed delivery to git
//! told once, and the per-webhook log.

use std::{
    net::SocketAddr,
    sync::{Arc, Mutex},
};

use hmac::{Hmac, Mac};
use newsdesk_app::delivery::job;
use newsdesk_server::webhooks::{run_due_once, WebhookSender};
use reqwest::Method;
use serde_json::{json, Value};
use sha2::Sha256;

use crate::{
    publish::publish_one,
    support::api::{post, send},
    support::{spawn_app, TestApp},
};

#[derive(Clone, Debug)]
struct Received {
    path: String,
    headers: http::HeaderMap,
    body: String,
}

/// A receiver on 127.0.0.1 that records every POST and answers with the
/// next of `statuses` (200 once they are used up).
async fn receiver(statuses: Vec<u16>) -> (SocketAddr, Arc<Mutex<Vec<Received>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let statuses = Arc::new(Mutex::new(statuses));
    let log = seen.clone();
    let app = axum::Router::new().fallback(
        move |uri: http::Uri, headers: http::HeaderMap, body: String| {
            let (log, statuses) = (log.clone(), statuses.clone());
            async move {
                log.lock().unwrap().push(Received {
                    path: uri.path().to_owned(),
                    headers,
                    body,
                });
                let mut statuses = statuses.lock().unwrap();
                let status = if statuses.is_empty() {
                    200
                } else {
                    statuses.remove(0)
                };
                http::StatusCode::from_u16(status).unwrap()
            }
        },
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    (addr, seen)
}

/// The sender as `serve` runs it with `--allow-private-hosts 127.0.0.1`.
fn sender() -> WebhookSender {
    WebhookSender::new("127.0.0.1".parse().unwrap())
}

async fn add_webhook(app: &TestApp, url: &str, kind: &str, events: &[&str]) -> Value {
    let mut form = vec![("url", url), ("kind", kind)];
    form.extend(events.iter().map(|event| (*event, "true")));
    let response = app.call("add_webhook", &form).await;
    let status = response.status();
    let body = response.text().await.unwrap();
    assert_eq!(status, 200, "{body}");
    serde_json::from_str(&body).unwrap()
}

async fn webhooks(app: &TestApp) -> Value {
    app.call("load_webhooks", &[]).await.json().await.unwrap()
}

fn hmac_hex(secret: &str, body: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(body.as_bytes());
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

#[tokio::test]
async fn publishing_tells_slack_and_signed_json_webhooks() {
    let app = spawn_app().await;
    sqlx::query("UPDATE newsletter SET public_base_url = 'https://news.example.com'")
        .execute(&app.pool)
        .await
        .unwrap();
    let (addr, seen) = receiver(Vec::new()).await;
    add_webhook(
        &app,
        &format!("http://{addr}/services/T000/B000/XXXX"),
        "slack",
        &["published", "republished"],
    )
    .await;
    let json_hook = add_webhook(&app, &format!("http://{addr}/json"), "json", &["published"]).await;
    let secret = json_hook["secret"].as_str().unwrap().to_owned();

    let number = publish_one(&app, "Kubernetes <1.35> & more").await;
    assert!(seen.lock().unwrap().is_empty(), "publishing does not wait");
    assert_eq!(run_due_once(&app.pool, &sender()).await.unwrap(), 2);
    let received = seen.lock().unwrap().clone();
    let slack = received
        .iter()
        .find(|post| post.path.starts_with("/services/"))
        .expect("the Slack webhook got a post");
    let text: Value = serde_json::from_str(&slack.body).unwrap();
    let title: String =
        sqlx::query_scalar("SELECT snapshot->>'title' FROM issues WHERE number = $1")
            .bind(number as i32)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(
        text,
        json!({ "text": format!(
            "📰 *Weekly #1* was published by admin: <https://news.example.com/issues/1|{}>",
            title.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
        ) })
    );
    assert!(slack.headers.get("x-newsdesk-signature").is_none());

    let signed = received
        .iter()
        .find(|post| post.path == "/json")
        .expect("the JSON webhook got a post");
    let event: Value = serde_json::from_str(&signed.body).unwrap();
    assert_eq!(event["event"], "issue.published");
    assert_eq!(event["newsletter"], "Weekly");
    assert_eq!(event["issue"]["number"], 1);
    assert_eq!(event["issue"]["title"], title.as_str());
    assert_eq!(event["issue"]["url"], "https://news.example.com/issues/1");
    assert_eq!(event["by"], "admin");
    assert_eq!(
        signed.headers["x-newsdesk-signature"],
        format!("sha256={}", hmac_hex(&secret, &signed.body)).as_str()
    );
    assert_eq!(signed.headers["x-newsdesk-event"], "published");
    assert_eq!(signed.headers["content-type"], "application/json");

    // A correction: only the webhook that wants re-publishing hears of it.
    let (status, body) = post(
        &app,
        &format!("/api/v1/issues/{number}/republish"),
        json!({ "accept_warnings": true }),
    )
    .await;
    assert!((200..300).contains(&status), "{body}");
    assert_eq!(run_due_once(&app.pool, &sender()).await.unwrap(), 1);
    let last = seen.lock().unwrap().last().cloned().unwrap();
    assert!(last.path.starts_with("/services/"));
    assert!(
        last.body.contains("re-published with corrections by admin"),
        "{}",
        last.body
    );

    // The log per webhook, with the URL shown only as scheme and host and
    // the secret nowhere.
    let listed = webhooks(&app).await;
    let listed_text = listed.to_string();
    assert!(
        !listed_text.contains("XXXX") && !listed_text.contains(&secret),
        "{listed}"
    );
    let slack_hook = &listed[0];
    assert_eq!(slack_hook["shown_url"], "http://127.0.0.1/…");
    let log = slack_hook["log"].as_array().unwrap();
    assert_eq!(log.len(), 2);
    assert_eq!(log[0]["event"], "republished");
    assert_eq!(log[0]["state"], "sent");
    assert_eq!(log[0]["response_status"], 200);
    let page = app.page("/settings/webhooks").await;
    assert!(
        page.contains("webhook-log") && page.contains("republished"),
        "{page}"
    );
}

#[tokio::test]
async fn a_post_answered_500_is_sent_again_later_with_the_same_body() {
    let app = spawn_app().await;
    let (addr, seen) = receiver(vec![500]).await;
    add_webhook(&app, &format!("http://{addr}/hook"), "json", &["published"]).await;
    publish_one(&app, "etcd").await;

    run_due_once(&app.pool, &sender()).await.unwrap();
    let log = &webhooks(&app).await[0]["log"][0];
    assert_eq!(log["state"], "failed", "{log}");
    assert_eq!(log["response_status"], 500);
    assert!(log["error"].as_str().unwrap().contains("500"), "{log}");
    assert!(log["next_attempt_at"].is_string(), "retried later");
    // Not due yet.
    assert_eq!(run_due_once(&app.pool, &sender()).await.unwrap(), 0);

    sqlx::query("UPDATE webhook_posts SET next_attempt_at = now()")
        .execute(&app.pool)
        .await
        .unwrap();
    assert_eq!(run_due_once(&app.pool, &sender()).await.unwrap(), 1);
    let log = &webhooks(&app).await[0]["log"][0];
    assert_eq!(log["state"], "sent", "{log}");
    assert_eq!(log["response_status"], 200);
    assert_eq!(log["attempts"], 2);
    let received = seen.lock().unwrap().clone();
    assert_eq!(received.len(), 2);
    assert_eq!(received[0].body, received[1].body);
    assert_eq!(
        received[0].headers["x-newsdesk-delivery"],
        received[1].headers["x-newsdesk-delivery"]
    );
    assert_eq!(run_due_once(&app.pool, &sender()).await.unwrap(), 0);
}

#[tokio::test]
async fn a_private_address_is_refused_and_not_retried() {
    let app = spawn_app().await;
    // The cloud metadata address: link-local, never allowed here.
    add_webhook(
        &app,
        "http://169.254.169.254/latest/hook",
        "slack",
        &["published"],
    )
    .await;
    // A private network the server was not told to allow.
    add_webhook(&app, "http://10.1.2.3:9/hook", "json", &["published"]).await;
    publish_one(&app, "Cilium").await;
    assert_eq!(run_due_once(&app.pool, &sender()).await.unwrap(), 2);
    for hook in webhooks(&app).await.as_array().unwrap() {
        let log = &hook["log"][0];
        assert_eq!(log["state"], "failed", "{log}");
        assert!(
            log["error"]
                .as_str()
                .unwrap()
                .contains("blocked: address is private"),
            "{log}"
        );
        assert!(log["next_attempt_at"].is_null(), "not retried: {log}");
        assert!(log["response_status"].is_null());
    }
    // The sender found out with no reader: each reader gets the reason in
    // their own language.
    app.set_language(&app.admin, "ja").await;
    for hook in webhooks(&app).await.as_array().unwrap() {
        let error = hook["log"][0]["error"].as_str().unwrap();
        assert!(
            error.starts_with("拒否しました: プライベートなアドレスです ("),
            "{error}"
        );
    }
}

#[tokio::test]
async fn a_failed_delivery_to_git_is_told_once() {
    let app = spawn_app().await;
    let (addr, seen) = receiver(Vec::new()).await;
    add_webhook(
        &app,
        &format!("http://{addr}/hook"),
        "json",
        &["delivery_failed"],
    )
    .await;
    let missing = std::env::temp_dir().join(format!(
        "newsdesk-missing-{}.git",
        uuid::Uuid::new_v4().simple()
    ));
    sqlx::query("UPDATE delivery_target SET enabled = true, remote = $1")
        .bind(missing.to_str().unwrap())
        .execute(&app.pool)
        .await
        .unwrap();
    publish_one(&app, "Envoy").await;
    // Published: nobody is told (this webhook only wants failures).
    assert_eq!(run_due_once(&app.pool, &sender()).await.unwrap(), 0);

    job::run_due_once(&app.pool).await.unwrap();
    assert_eq!(run_due_once(&app.pool, &sender()).await.unwrap(), 1);
    let body: Value = serde_json::from_str(&seen.lock().unwrap()[0].body).unwrap();
    assert_eq!(body["event"], "delivery.failed");
    assert_eq!(body["issue"]["number"], 1);
    assert!(
        body["error"]
            .as_str()
            .unwrap()
            .contains("could not be reached"),
        "{body}"
    );

    // The retry fails too: the chat is not told again.
    sqlx::query("UPDATE git_deliveries SET next_attempt_at = now()")
        .execute(&app.pool)
        .await
        .unwrap();
    job::run_due_once(&app.pool).await.unwrap();
    assert_eq!(run_due_once(&app.pool, &sender()).await.unwrap(), 0);
}

#[tokio::test]
async fn webhook_urls_must_be_http() {
    let app = spawn_app().await;
    let response = app
        .call(
            "add_webhook",
            &[
                ("url", "file:///etc/passwd"),
                ("kind", "slack"),
                ("published", "true"),
            ],
        )
        .await;
    assert_eq!(response.status(), 422);
    let response = app
        .call(
            "add_webhook",
            &[("url", "https://chat.example.com/hook"), ("kind", "slack")],
        )
        .await;
    assert_eq!(response.status(), 422, "no event chosen");
    assert_eq!(webhooks(&app).await, json!([]));
}

#[tokio::test]
async fn the_daily_summary_tells_picks_per_section_and_who_plus_oned_them_once_a_day() {
    let app = spawn_app().await;
    let (addr, seen) = receiver(Vec::new()).await;
    add_webhook(
        &app,
        &format!("http://{addr}/slack"),
        "slack",
        &["daily_summary"],
    )
    .await;
    add_webhook(
        &app,
        &format!("http://{addr}/json"),
        "json",
        &["daily_summary"],
    )
    .await;
    let sections = crate::support::issues::sections(&app).await;
    let first = crate::support::issues::new_pick(&app, "Gateway API <v1.3>", sections[0]).await;
    crate::support::issues::new_pick(&app, "Kueue", sections[0]).await;
    crate::support::issues::new_pick(&app, "Headlamp", sections[1]).await;
    let candidate: i64 = sqlx::query_scalar("SELECT candidate_id FROM picks WHERE id = $1")
        .bind(first)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let mika = app
        .add_member("Mika", newsdesk_app::accounts::Role::Editor)
        .await;
    let editor = app.token_client(&mika).await;
    for client in [&app.api, &editor] {
        let (status, body) = send(
            &app,
            client,
            Method::POST,
            "/api/v1/candidates/votes",
            Some(json!({ "ids": [candidate], "on": true })),
        )
        .await;
        assert_eq!(status, 200, "{body}");
    }

    // Off until a time is set.
    assert!(!summary_now(&app).await);
    let refused = app
        .call("save_summary_time", &[("summary_time", "5pm")])
        .await;
    assert_eq!(refused.status(), 422);
    // Midnight UTC: the time has always come today.
    let saved = app
        .call("save_summary_time", &[("summary_time", "00:00")])
        .await;
    assert_eq!(saved.status(), 200);
    let shown: Value = app
        .call("load_summary_time", &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(shown, "00:00");
    let page = app.page("/settings/webhooks").await;
    assert!(
        page.contains(r#"id="summary_time""#) && page.contains(r#"value="00:00""#),
        "{page}"
    );

    assert!(summary_now(&app).await, "today's summary is queued");
    assert!(!summary_now(&app).await, "once a day");
    assert_eq!(run_due_once(&app.pool, &sender()).await.unwrap(), 2);

    let received = seen.lock().unwrap().clone();
    let slack = received.iter().find(|post| post.path == "/slack").unwrap();
    let text: Value = serde_json::from_str(&slack.body).unwrap();
    let text = text["text"].as_str().unwrap();
    let titles: Vec<String> = sqlx::query_scalar("SELECT title FROM sections ORDER BY position")
        .fetch_all(&app.pool)
        .await
        .unwrap();
    assert_eq!(
        text,
        format!(
            "🗓️ *Weekly #1* so far: 3 picks\n• {}: 2\n    – Gateway API &lt;v1.3&gt; (+1 admin, Mika)\n    – Kueue\n• {}: 1\n    – Headlamp\n• {}: 0",
            titles[0], titles[1], titles[2]
        )
    );
    let json_post = received.iter().find(|post| post.path == "/json").unwrap();
    let summary: Value = serde_json::from_str(&json_post.body).unwrap();
    assert_eq!(summary["event"], "draft.summary");
    assert_eq!(summary["picks"], 3);
    assert_eq!(summary["sections"][0]["count"], 2);
    assert_eq!(
        summary["sections"][0]["picks"][0]["plus_ones"],
        json!(["admin", "Mika"])
    );
    assert_eq!(json_post.headers["x-newsdesk-event"], "daily_summary");
}

async fn summary_now(app: &TestApp) -> bool {
    newsdesk_app::webhooks::service::queue_daily_summary(&app.pool)
        .await
        .unwrap()
}
