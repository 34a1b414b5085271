//! `/api/v1/candidates`: the inbox as JSON (same filters and cursors as the
//! inbox page's URL), one candidate, state changes, +1s, picking, and links
//! added by hand.

use axum::{
    extract::{Path, RawQuery, State},
    http::StatusCode,
    response::IntoResponse,
    Json,
};
use newsdesk_app::{
    error::AppError,
    inbox::{api::parse_view, service},
};
use serde::Deserialize;
use serde_json::json;

use super::{Body, Id, Result};
use crate::http::{
    guard::{Editor, Viewer},
    HttpState,
};

const MAX_LIMIT: i64 = 200;

/// Query parameters as on the inbox page (`q`, `feed`, `category`, `tag`,
/// `state`, `from`, `to`, `mine`, `voted`, `sort`, `after`), plus `limit`.
pub async fn list(
    Viewer(caller): Viewer,
    State(state): State<HttpState>,
    RawQuery(query): RawQuery,
) -> Result<impl IntoResponse> {
    let query = query.unwrap_or_default();
    let view = parse_view(&query);
    let limit = url::form_urlencoded::parse(query.as_bytes())
        .find(|(name, _)| name == "limit")
        .map(|(_, value)| {
            value
                .parse::<i64>()
                .map_err(|_| AppError::BadRequest(format!("invalid limit {value:?}")))
        })
        .transpose()?
        .unwrap_or(service::PAGE_SIZE)
        .clamp(1, MAX_LIMIT);
    let page = service::page(&state.app.pool, &view, &caller.member, limit).await?;
    Ok(Json(json!({ "candidates": page.items, "next": page.next })))
}

pub async fn show(
    _: Viewer,
    State(state): State<HttpState>,
    id: Id<i64>,
) -> Result<impl IntoResponse> {
    let Path(id) = id?;
    let candidate = service::candidate(&state.app.pool, id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Json(json!({ "candidate": candidate })))
}

#[derive(Deserialize)]
pub struct NewLink {
    url: String,
    #[serde(default)]
    title: String,
}

/// 201 with the new candidate, or 200 with the one that had this link.
pub async fn add(
    Editor(caller): Editor,
    State(state): State<HttpState>,
    new: Body<NewLink>,
) -> Result<impl IntoResponse> {
    let Json(new) = new?;
    let added = service::add_link(&state.app, &new.url, &new.title, &caller.member).await?;
    let status = if added.created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((
        status,
        Json(json!({ "candidate": added.item, "created": added.created })),
    ))
}

#[derive(Deserialize)]
pub struct StateChange {
    ids: Vec<i64>,
    state: String,
}

/// Returns the candidates that changed with their previous state.
pub async fn set_state(
    Editor(caller): Editor,
    State(state): State<HttpState>,
    change: Body<StateChange>,
) -> Result<impl IntoResponse> {
    let Json(change) = change?;
    let changed =
        service::change_state(&state.app.pool, &change.ids, &change.state, &caller.member).await?;
    let changed: Vec<_> = changed
        .into_iter()
        .map(|(id, previous)| json!({ "id": id, "previous": previous }))
        .collect();
    Ok(Json(json!({ "changed": changed })))
}

#[derive(Deserialize)]
pub struct Votes {
    ids: Vec<i64>,
    /// `true` to +1, `false` to take it back.
    on: bool,
}

pub async fn vote(
    Editor(caller): Editor,
    State(state): State<HttpState>,
    votes: Body<Votes>,
) -> Result<impl IntoResponse> {
    let Json(votes) = votes?;
    let changed = service::vote(&state.app.pool, &votes.ids, votes.on, &caller.member).await?;
    Ok(Json(json!({ "changed": changed })))
}

#[derive(Deserialize)]
pub struct Pick {
    section_id: i64,
    /// Pick even though an earlier issue covered the link.
    #[serde(default)]
    confirm: bool,
}

pub async fn pick(
    Editor(caller): Editor,
    State(state): State<HttpState>,
    id: Id<i64>,
    pick: Body<Pick>,
) -> Result<impl IntoResponse> {
    let (Path(id), Json(pick)) = (id?, pick?);
    let issue_number = service::pick(
        &state.app.pool,
        id,
        pick.section_id,
        pick.confirm,
        &caller.member,
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "issue_number": issue_number })),
    ))
}
