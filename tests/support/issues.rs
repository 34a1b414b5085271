//! Issues in tests: the draft, its sections, a new pick in it, finding
//! picks in an issue's JSON.

use serde_json::{json, Value};
use sqlx::PgPool;

use super::{
    api::{get, patch_ok, post},
    TestApp,
};

pub async fn sections(app: &TestApp) -> Vec<i64> {
    get(app, "/api/v1/sections").await["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_i64().unwrap())
        .collect()
}

/// Inserts a candidate titled `title`, published now; returns its id.
pub async fn insert_candidate(pool: &PgPool, title: &str) -> i64 {
    super::seed::insert_candidate(pool, title, "", chrono::Utc::now()).await
}

/// Where candidate `id` is picked through the API.
pub fn pick_path(id: i64) -> String {
    format!("/api/v1/candidates/{id}/pick")
}

/// Picks a new candidate titled `title` into `section` of the draft;
/// returns the pick's id.
pub async fn new_pick(app: &TestApp, title: &str, section: i64) -> i64 {
    let candidate = insert_candidate(&app.pool, title).await;
    let (status, body) = post(app, &pick_path(candidate), json!({ "section_id": section })).await;
    assert_eq!(status, 201, "{body}");
    sqlx::query_scalar("SELECT id FROM picks WHERE candidate_id = $1")
        .bind(candidate)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

/// A new app whose draft holds one pick titled `title` in its first
/// section; the app, that section and the pick.
pub async fn app_with_pick(title: &str) -> (TestApp, i64, i64) {
    let app = super::spawn_app().await;
    let section = sections(&app).await[0];
    let pick = new_pick(&app, title, section).await;
    (app, section, pick)
}

/// A new app's first draft, with what saving its texts needs.
pub struct NewDraft {
    pub app: TestApp,
    pub issue: Value,
    pub number: i64,
    /// The issue in the JSON API.
    pub path: String,
    pub version: i64,
}

/// A new app and its first draft.
pub async fn new_draft() -> NewDraft {
    let app = super::spawn_app().await;
    let issue = draft(&app).await;
    let number = issue["number"].as_i64().unwrap();
    NewDraft {
        path: format!("/api/v1/issues/{number}"),
        version: issue["version"].as_i64().unwrap(),
        app,
        issue,
        number,
    }
}

/// The current draft, started when there is none (as the first pick or
/// "Start issue" would).
pub async fn draft(app: &TestApp) -> Value {
    let (status, body) = post(app, "/api/v1/issues", None).await;
    assert_eq!(status, 200, "POST /api/v1/issues: {body}");
    body["issue"].clone()
}

/// The version of pick `id` as the draft shows it, for a save based on it.
pub async fn pick_version(app: &TestApp, id: i64) -> i64 {
    find_pick(&draft(app).await, id)["version"]
        .as_i64()
        .unwrap()
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

/// Saves `text` as the commentary of pick `pick`, wherever it is, as the
/// admin.
pub async fn set_commentary(app: &TestApp, pick: i64, text: &str) {
    let issue = get(
        app,
        &format!("/api/v1/issues/{}", pick_issue(app, pick).await),
    )
    .await;
    let version = find_pick(&issue["issue"], pick)["version"]
        .as_i64()
        .unwrap();
    patch_ok(
        app,
        &format!("/api/v1/picks/{pick}"),
        json!({ "version": version, "commentary": text }),
    )
    .await;
}

/// The number of the issue pick `pick` is in.
async fn pick_issue(app: &TestApp, pick: i64) -> i32 {
    sqlx::query_scalar(
        "SELECT i.number FROM issues i JOIN picks p ON p.issue_id = i.id WHERE p.id = $1",
    )
    .bind(pick)
    .fetch_one(&app.pool)
    .await
    .unwrap()
}
