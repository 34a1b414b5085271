//! `/api/v1/settings`: the newsletter's settings as JSON (admins). A PATCH
//! carries the `version` it is based on and the fields it changes; a stale
//! version answers 409, like the Settings page.

use axum::{extract::State, response::IntoResponse, Json};
use newsdesk_app::settings::service;
use serde_json::{json, Map, Value};

use super::{Body, Result};
use crate::http::{guard::Admin, HttpState};

pub async fn show(_: Admin, State(state): State<HttpState>) -> Result<impl IntoResponse> {
    let (settings, sections) = service::load(&state.app.pool).await?;
    Ok(Json(json!({ "settings": settings, "sections": sections })))
}

pub async fn update(
    Admin(caller): Admin,
    State(state): State<HttpState>,
    body: Body<Map<String, Value>>,
) -> Result<impl IntoResponse> {
    let Json(changes) = body?;
    let version = service::patch(&state.app.pool, changes, &caller.member).await?;
    Ok(Json(json!({ "version": version })))
}
