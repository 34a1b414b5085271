//! Helpers for tests of issues: API calls, a pick in the draft, finding
//! picks in an issue's JSON.

use reqwest::{Client, Method};
use serde_json::{json, Value};
use sqlx::PgPool;

use crate::support::TestApp;

pub async fn send(
    app: &TestApp,
    client: &Client,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let mut request = client.request(method, app.url(path));
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.expect("request reaches the server");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

pub async fn get(app: &TestApp, path: &str) -> Value {
    let (status, body) = send(app, &app.api, Method::GET, path, None).await;
    assert_eq!(status, 200, "GET {path}: {body}");
    body
}

pub async fn sections(app: &TestApp) -> Vec<i64> {
    get(app, "/api/v1/sections").await["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_i64().unwrap())
        .collect()
}

pub async fn insert_candidate(pool: &PgPool, title: &str) -> i64 {
    let slug = uuid::Uuid::new_v4().simple().to_string();
    sqlx::query_scalar(
        "INSERT INTO candidates (url, url_key, title, published_at)
         VALUES ($1, $2, $3, now()) RETURNING id",
    )
    .bind(format!("https://example.com/{slug}"))
    .bind(format!("//example.com/{slug}"))
    .bind(title)
    .fetch_one(pool)
    .await
    .expect("candidate inserted")
}

/// Picks a new candidate titled `title` into `section` of the draft;
/// returns the pick's id.
pub async fn new_pick(app: &TestApp, title: &str, section: i64) -> i64 {
    let candidate = insert_candidate(&app.pool, title).await;
    let (status, body) = send(
        app,
        &app.api,
        Method::POST,
        &format!("/api/v1/candidates/{candidate}/pick"),
        Some(json!({ "section_id": section })),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    sqlx::query_scalar("SELECT id FROM picks WHERE candidate_id = $1")
        .bind(candidate)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

/// The current draft, started when there is none (as the first pick or
/// "Start issue" would).
pub async fn draft(app: &TestApp) -> Value {
    let (status, body) = send(app, &app.api, Method::POST, "/api/v1/issues", None).await;
    assert_eq!(status, 200, "POST /api/v1/issues: {body}");
    body["issue"].clone()
}

pub fn find_pick(issue: &Value, id: i64) -> Value {
    issue["sections"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["picks"].as_array().unwrap().iter())
        .find(|p| p["id"] == id)
        .unwrap_or_else(|| panic!("pick {id} in {issue}"))
        .clone()
}
