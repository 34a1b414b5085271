//! `/api/v1/feeds`: list, create (with discovery), show, update, delete,
//! refresh.

use axum::{
    extract::{Path, State},
    http::StatusCode,
    response::IntoResponse,
    Json,
};
use newsdesk_app::{
    feeds::model::{AddFeedOutcome, FeedChanges, FeedFetch, FeedHealth, FilterRule},
    feeds::service,
};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::{Body, Id, Result};
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
    new: Body<NewFeed>,
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
    id: Id<i64>,
) -> Result<impl IntoResponse> {
    let Path(id) = id?;
    let (feed, fetches, rules) = service::feed_details(&state.app.pool, id).await?;
    Ok(Json(FeedDetails {
        feed,
        fetches,
        rules,
    }))
}

pub async fn update(
    Admin(_): Admin,
    State(state): State<HttpState>,
    id: Id<i64>,
    changes: Body<FeedChanges>,
) -> Result<impl IntoResponse> {
    let (Path(id), Json(changes)) = (id?, changes?);
    let feed = service::patch_feed(&state.app.pool, id, changes).await?;
    Ok(Json(json!({ "feed": feed })))
}

pub async fn delete(
    Admin(caller): Admin,
    State(state): State<HttpState>,
    id: Id<i64>,
) -> Result<impl IntoResponse> {
    let Path(id) = id?;
    service::delete_feed(&state.app.pool, &caller.actor(), id).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn refresh(
    Editor(_): Editor,
    State(state): State<HttpState>,
    id: Id<i64>,
) -> Result<impl IntoResponse> {
    let Path(id) = id?;
    Ok(Json(service::refresh_feed(&state.app, id).await?))
}

pub async fn refresh_all(_: Editor, State(state): State<HttpState>) -> Result<impl IntoResponse> {
    let queued = service::refresh_all(&state.app.pool).await?;
    Ok(Json(json!({ "queued": queued })))
}
