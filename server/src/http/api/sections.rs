//! `/api/v1/issues/{n}/sections` and `/api/v1/sections`: an issue's own
//! sections, and the saved ones it can add.

use axum::{
    extract::{Path, State},
    http::StatusCode,
    response::IntoResponse,
    Json,
};
use newsdesk_app::editor::structure;
use serde::Deserialize;
use serde_json::json;

use super::{Body, Id, Result};
use crate::http::{
    guard::{Editor, Viewer},
    HttpState,
};

#[derive(Deserialize)]
pub struct NewSection {
    /// A saved section (`GET /api/v1/sections/saved`).
    saved_id: Option<i64>,
    /// The title in this issue; a new section when `saved_id` is absent.
    #[serde(default)]
    title: String,
}

/// Adds a section to one issue.
pub async fn add_section(
    Editor(caller): Editor,
    State(state): State<HttpState>,
    number: Id<i32>,
    new: Body<NewSection>,
) -> Result<impl IntoResponse> {
    let (Path(number), Json(new)) = (number?, new?);
    let id = structure::add_section(
        &state.app.pool,
        number,
        new.saved_id,
        &new.title,
        &caller.member,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(json!({ "section_id": id }))))
}

#[derive(Deserialize)]
pub struct SectionTitle {
    title: String,
}

/// Renames a section in one issue.
pub async fn rename_section(
    Editor(caller): Editor,
    State(state): State<HttpState>,
    ids: Id<(i32, i64)>,
    body: Body<SectionTitle>,
) -> Result<impl IntoResponse> {
    let (Path((number, id)), Json(body)) = (ids?, body?);
    structure::rename_section(&state.app.pool, number, id, &body.title, &caller.member).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Takes an empty section out of one issue.
pub async fn remove_section(
    Editor(caller): Editor,
    State(state): State<HttpState>,
    ids: Id<(i32, i64)>,
) -> Result<impl IntoResponse> {
    let Path((number, id)) = ids?;
    structure::remove_section(&state.app.pool, number, id, &caller.member).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
pub struct SectionOrder {
    ids: Vec<i64>,
}

/// Orders the sections of one issue.
pub async fn order_sections(
    Editor(caller): Editor,
    State(state): State<HttpState>,
    number: Id<i32>,
    body: Body<SectionOrder>,
) -> Result<impl IntoResponse> {
    let (Path(number), Json(body)) = (number?, body?);
    structure::order_sections(&state.app.pool, number, &body.ids, &caller.member).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The saved sections an issue can be given.
pub async fn saved_sections(
    _: Viewer,
    State(state): State<HttpState>,
) -> Result<impl IntoResponse> {
    Ok(Json(
        json!({ "sections": structure::saved_sections(&state.app.pool).await? }),
    ))
}

pub async fn sections(_: Viewer, State(state): State<HttpState>) -> Result<impl IntoResponse> {
    Ok(Json(
        json!({ "sections": newsdesk_app::settings::sections::in_use(&state.app.pool).await? }),
    ))
}
