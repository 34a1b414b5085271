//! `/api/v1/picks` and `/api/v1/notes`: a pick's texts (versioned, 409 when
//! stale), layout, place, removal with undo, history, and its notes.

use axum::{
    extract::{rejection::QueryRejection, Path, Query, State},
    http::StatusCode,
    response::IntoResponse,
    Json,
};
use newsdesk_app::{
    editor::{service, structure, Placement, TextField},
    error::AppError,
    render::PickLayout,
};
use serde::Deserialize;
use serde_json::json;

use super::{Body, Id, Result};
use crate::http::{
    guard::{Editor, Viewer},
    HttpState,
};

use super::issues::TextSave;

#[derive(Deserialize)]
pub struct Layout {
    /// `linked_heading`, `heading_card`, `heading_quote`, or null for the
    /// newsletter's layout.
    layout: Option<String>,
}

/// Sets a pick's layout.
pub async fn set_layout(
    Editor(caller): Editor,
    State(state): State<HttpState>,
    id: Id<i64>,
    body: Body<Layout>,
) -> Result<impl IntoResponse> {
    let (Path(id), Json(body)) = (id?, body?);
    let layout = body
        .layout
        .map(|text| {
            PickLayout::parse(&text).ok_or_else(|| {
                AppError::BadRequest(
                    "layout is linked_heading, heading_card, heading_quote or null".into(),
                )
            })
        })
        .transpose()?;
    structure::set_pick_layout(&state.app.pool, id, layout, &caller.member).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn update_pick(
    Editor(caller): Editor,
    State(state): State<HttpState>,
    id: Id<i64>,
    save: Body<TextSave>,
) -> Result<impl IntoResponse> {
    let (Path(id), Json(save)) = (id?, save?);
    let (field, value, version) =
        save.field(&[TextField::Title, TextField::Commentary, TextField::Url])?;
    let version =
        service::save_pick_text(&state.app.pool, id, field, &value, version, &caller.member)
            .await?;
    Ok(Json(json!({ "version": version })))
}

pub async fn move_pick(
    Editor(caller): Editor,
    State(state): State<HttpState>,
    id: Id<i64>,
    placement: Body<Placement>,
) -> Result<impl IntoResponse> {
    let (Path(id), Json(placement)) = (id?, placement?);
    service::move_pick(&state.app.pool, id, placement, &caller.member).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn next_issue(
    Editor(caller): Editor,
    State(state): State<HttpState>,
    id: Id<i64>,
) -> Result<impl IntoResponse> {
    let Path(id) = id?;
    let number = service::move_to_next_issue(&state.app.pool, id, &caller.member).await?;
    Ok(Json(json!({ "issue_number": number })))
}

/// Removes a pick; `removed` undoes it through `POST /api/v1/picks/restore`.
pub async fn remove_pick(
    Editor(caller): Editor,
    State(state): State<HttpState>,
    id: Id<i64>,
) -> Result<impl IntoResponse> {
    let Path(id) = id?;
    let removed = service::remove_pick(&state.app.pool, id, &caller.member).await?;
    Ok(Json(json!({ "removed": removed })))
}

#[derive(Deserialize)]
pub struct Restore {
    removed: i64,
}

pub async fn restore_pick(
    Editor(caller): Editor,
    State(state): State<HttpState>,
    restore: Body<Restore>,
) -> Result<impl IntoResponse> {
    let Json(restore) = restore?;
    let id = service::restore_pick(&state.app.pool, restore.removed, &caller.member).await?;
    Ok(Json(json!({ "pick_id": id })))
}

#[derive(Deserialize)]
pub struct NewNote {
    body: String,
}

pub async fn add_note(
    Editor(caller): Editor,
    State(state): State<HttpState>,
    id: Id<i64>,
    note: Body<NewNote>,
) -> Result<impl IntoResponse> {
    let (Path(id), Json(note)) = (id?, note?);
    let note = service::add_note(&state.app.pool, id, &note.body, &caller.member).await?;
    Ok((StatusCode::CREATED, Json(json!({ "note_id": note }))))
}

#[derive(Deserialize)]
pub struct Promote {
    /// The pick's version the commentary is based on.
    version: i32,
}

pub async fn promote_note(
    Editor(caller): Editor,
    State(state): State<HttpState>,
    id: Id<i64>,
    promote: Body<Promote>,
) -> Result<impl IntoResponse> {
    let (Path(id), Json(promote)) = (id?, promote?);
    let version =
        service::promote_note(&state.app.pool, id, promote.version, &caller.member).await?;
    Ok(Json(json!({ "version": version })))
}

#[derive(Deserialize)]
pub struct HistoryQuery {
    field: String,
}

pub async fn revisions(
    _: Viewer,
    State(state): State<HttpState>,
    id: Id<i64>,
    query: std::result::Result<Query<HistoryQuery>, QueryRejection>,
) -> Result<impl IntoResponse> {
    let (Path(id), Query(query)) = (id?, query?);
    let field = TextField::parse(&query.field)
        .filter(|field| field.of_pick())
        .ok_or_else(|| AppError::BadRequest("field is title, commentary or url".into()))?;
    let revisions = service::pick_revisions(&state.app.pool, id, field).await?;
    Ok(Json(json!({ "revisions": revisions })))
}
