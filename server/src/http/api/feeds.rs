//! `/api/v1/feeds`: list, create (with discovery), show, update, delete,
//! refresh.

use axum::{
    extract::{
        rejection::{JsonRejection, PathRejection},
        Path, State,
    },
    http::StatusCode,
    response::IntoResponse,
    Json,
};
use newsdesk_app::{
    feeds::model::{AddFeedOutcome, FeedFetch, FeedHealth, FilterRule},
    feeds::service,
};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::Result;
use crate::http::{
    guard::{Admin, Editor, Viewer},
    HttpState,
};

pub async fn list(_: Viewer, State(state): State<HttpState>) -> Result<impl IntoResponse> {
    Ok(Json(service::overview(&state.app.pool).await?))
}

#[derive(Deserialize)]
pub struct NewFeed {
    url: String,
    #[serde(default)]
    title: String,
    /// Skip discovery: store the URL as given.
    #[serde(default)]
    exact: bool,
}

/// 201 with the feed, or 300 with the feeds found when there are several.
pub async fn create(
    Editor(_): Editor,
    State(state): State<HttpState>,
    new: std::result::Result<Json<NewFeed>, JsonRejection>,
) -> Result<impl IntoResponse> {
    let Json(new) = new?;
    Ok(
        match service::add_feed(&state.app, &new.url, &new.title, new.exact).await? {
            AddFeedOutcome::Added(feed) => (StatusCode::CREATED, Json(json!({ "feed": feed }))),
            AddFeedOutcome::Choose(found) => (
                StatusCode::MULTIPLE_CHOICES,
                Json(json!({ "choose": found })),
            ),
        },
    )
}

#[derive(Serialize)]
pub struct FeedDetails {
    feed: FeedHealth,
    fetches: Vec<FeedFetch>,
    rules: Vec<FilterRule>,
}

pub async fn show(
    Viewer(_): Viewer,
    State(state): State<HttpState>,
    id: std::result::Result<Path<i64>, PathRejection>,
) -> Result<impl IntoResponse> {
    let Path(id) = id?;
    let (feed, fetches, rules) = service::feed_details(&state.app.pool, id).await?;
    Ok(Json(FeedDetails {
        feed,
        fetches,
        rules,
    }))
}

/// Every field is optional; absent ones keep their value.
#[derive(Deserialize)]
pub struct FeedChanges {
    title: Option<String>,
    category: Option<String>,
    tags: Option<Vec<String>>,
    poll_interval_minutes: Option<i32>,
    enabled: Option<bool>,
}

pub async fn update(
    Admin(_): Admin,
    State(state): State<HttpState>,
    id: std::result::Result<Path<i64>, PathRejection>,
    changes: std::result::Result<Json<FeedChanges>, JsonRejection>,
) -> Result<impl IntoResponse> {
    let (Path(id), Json(changes)) = (id?, changes?);
    let pool = &state.app.pool;
    let (current, ..) = service::feed_details(pool, id).await?;
    let title = changes.title.or(current.title).unwrap_or_default();
    let category = changes.category.or(current.category).unwrap_or_default();
    let tags = changes.tags.unwrap_or(current.tags).join(",");
    let interval = changes
        .poll_interval_minutes
        .unwrap_or(current.poll_interval_minutes)
        .to_string();
    let enabled = changes.enabled.unwrap_or(current.enabled);
    service::update_feed(pool, id, &title, &category, &tags, &interval, enabled).await?;
    let (feed, ..) = service::feed_details(pool, id).await?;
    Ok(Json(json!({ "feed": feed })))
}

pub async fn delete(
    Admin(caller): Admin,
    State(state): State<HttpState>,
    id: std::result::Result<Path<i64>, PathRejection>,
) -> Result<impl IntoResponse> {
    let Path(id) = id?;
    service::delete_feed(&state.app.pool, &caller.actor(), id).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn refresh(
    Editor(_): Editor,
    State(state): State<HttpState>,
    id: std::result::Result<Path<i64>, PathRejection>,
) -> Result<impl IntoResponse> {
    let Path(id) = id?;
    Ok(Json(service::refresh_feed(&state.app, id).await?))
}

pub async fn refresh_all(_: Editor, State(state): State<HttpState>) -> Result<impl IntoResponse> {
    let queued = service::refresh_all(&state.app.pool).await?;
    Ok(Json(json!({ "queued": queued })))
}
