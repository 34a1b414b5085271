//! `/api/v1/candidates`: newest first, filtered, paginated by cursor.

use axum::{
    extract::{
        rejection::{PathRejection, QueryRejection},
        Path, Query, State,
    },
    response::IntoResponse,
    Json,
};
use chrono::{DateTime, Utc};
use newsdesk_app::{
    db::candidates::{self, CandidateFilter, Cursor},
    error::AppError,
};
use serde::Deserialize;
use serde_json::json;

use super::error::ApiError;
use crate::http::{guard::Viewer, HttpState};

const DEFAULT_LIMIT: i64 = 50;
const MAX_LIMIT: i64 = 200;

#[derive(Deserialize)]
pub struct ListQuery {
    feed: Option<i64>,
    category: Option<String>,
    q: Option<String>,
    since: Option<DateTime<Utc>>,
    until: Option<DateTime<Utc>>,
    /// The `next` value of the previous page.
    after: Option<String>,
    limit: Option<i64>,
}

pub async fn list(
    _: Viewer,
    State(state): State<HttpState>,
    query: Result<Query<ListQuery>, QueryRejection>,
) -> Result<impl IntoResponse, ApiError> {
    let Query(query) = query?;
    let after = query.after.as_deref().map(parse_cursor).transpose()?;
    let limit = query.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT);
    let filter = CandidateFilter {
        feed_id: query.feed,
        category: query.category.filter(|c| !c.trim().is_empty()),
        text: query
            .q
            .map(|q| q.trim().to_owned())
            .filter(|q| !q.is_empty()),
        since: query.since,
        until: query.until,
    };
    let page = candidates::list(&state.app.pool, &filter, after, limit).await?;
    let next = (page.len() as i64 == limit)
        .then(|| {
            page.last()
                .map(|last| format!("{}_{}", last.published_at.timestamp_micros(), last.id))
        })
        .flatten();
    Ok(Json(json!({ "candidates": page, "next": next })))
}

pub async fn show(
    _: Viewer,
    State(state): State<HttpState>,
    id: Result<Path<i64>, PathRejection>,
) -> Result<impl IntoResponse, ApiError> {
    let Path(id) = id?;
    let candidate = candidates::get(&state.app.pool, id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Json(json!({ "candidate": candidate })))
}

/// Cursors are `<published_at in µs>_<id>`: opaque to clients, stable.
fn parse_cursor(text: &str) -> Result<Cursor, ApiError> {
    let invalid = || ApiError(AppError::BadRequest(format!("invalid cursor: {text:?}")));
    let (micros, id) = text.split_once('_').ok_or_else(invalid)?;
    let published_at = DateTime::from_timestamp_micros(micros.parse().map_err(|_| invalid())?)
        .ok_or_else(invalid)?;
    Ok(Cursor {
        published_at,
        id: id.parse().map_err(|_| invalid())?,
    })
}
