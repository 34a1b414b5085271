//! `/api/v1/issues`: issues as JSON (the list, one issue, its texts, new
//! picks, publishing, delivery). Picks and notes are in `picks.rs`,
//! sections in `sections.rs`. Saves carry the `version` they are based on
//! and answer 409 with the current value when it is stale, like the editor.

use axum::{
    extract::{rejection::QueryRejection, Path, Query, State},
    http::StatusCode,
    response::IntoResponse,
    Json,
};
use newsdesk_app::{
    delivery,
    editor::{service, structure, TextField},
    error::AppError,
    publish,
    settings::FrontMatterKind,
};
use serde::Deserialize;
use serde_json::json;

use super::{Body, Id, Result};
use crate::http::{
    guard::{Admin, Editor, Publisher, Viewer},
    syndication, HttpState,
};

pub async fn list(_: Viewer, State(state): State<HttpState>) -> Result<impl IntoResponse> {
    Ok(Json(
        json!({ "issues": service::list(&state.app.pool).await? }),
    ))
}

/// Starts the current draft when there is none (a write: reads never
/// create one); answers with it either way.
pub async fn start(_: Editor, State(state): State<HttpState>) -> Result<impl IntoResponse> {
    Ok(Json(
        json!({ "issue": service::start_draft(&state.app.pool).await? }),
    ))
}

/// The current draft; 404 when there is none.
pub async fn current(_: Viewer, State(state): State<HttpState>) -> Result<impl IntoResponse> {
    Ok(Json(
        json!({ "issue": service::issue(&state.app.pool, 0).await? }),
    ))
}

pub async fn show(
    _: Viewer,
    State(state): State<HttpState>,
    number: Id<i32>,
) -> Result<impl IntoResponse> {
    let Path(number) = number?;
    if number <= 0 {
        return Err(AppError::NotFound.into());
    }
    Ok(Json(
        json!({ "issue": service::issue(&state.app.pool, number).await? }),
    ))
}

#[derive(Deserialize)]
pub struct ExportQuery {
    front_matter: Option<String>,
}

/// The export of an issue (a draft as it is, a published issue as frozen)
/// as Markdown; `?front_matter=none|yaml|zenn` overrides the configured one.
pub async fn markdown(
    _: Viewer,
    State(state): State<HttpState>,
    number: Id<i32>,
    query: std::result::Result<Query<ExportQuery>, QueryRejection>,
) -> Result<impl IntoResponse> {
    let (Path(number), Query(query)) = (number?, query?);
    let front_matter = query
        .front_matter
        .map(|kind| {
            FrontMatterKind::parse(&kind)
                .ok_or_else(|| AppError::BadRequest("front_matter is none, yaml or zenn".into()))
        })
        .transpose()?;
    let markdown = publish::archive::export(&state.app.pool, number, front_matter).await?;
    Ok(syndication::markdown_response(number, markdown))
}

/// A save of one text field: `{"version": 3, "headline": "…"}`, or of an
/// issue's number and date: `{"version": 3, "number": 30, "date": "…"}`.
#[derive(Deserialize)]
pub struct TextSave {
    pub(super) version: i32,
    headline: Option<String>,
    intro: Option<String>,
    closing_heading: Option<String>,
    closing: Option<String>,
    title: Option<String>,
    commentary: Option<String>,
    url: Option<String>,
    number: Option<i32>,
    date: Option<chrono::NaiveDate>,
}

impl TextSave {
    /// The one field the save sets.
    pub(super) fn field(
        self,
        allowed: &[TextField],
    ) -> std::result::Result<(TextField, String, i32), AppError> {
        let given: Vec<(TextField, String)> = [
            (TextField::Headline, self.headline),
            (TextField::Intro, self.intro),
            (TextField::ClosingHeading, self.closing_heading),
            (TextField::Closing, self.closing),
            (TextField::Title, self.title),
            (TextField::Commentary, self.commentary),
            (TextField::Url, self.url),
        ]
        .into_iter()
        .filter_map(|(field, value)| value.map(|value| (field, value)))
        .collect();
        match given.as_slice() {
            [(field, value)] if allowed.contains(field) => {
                Ok((*field, value.clone(), self.version))
            }
            _ => {
                let names: Vec<String> = allowed
                    .iter()
                    .map(|field| format!("\"{}\"", field.as_str()))
                    .collect();
                Err(AppError::BadRequest(format!(
                    "give \"version\" and exactly one of {}",
                    names.join(", ")
                )))
            }
        }
    }
}

pub async fn update(
    Editor(caller): Editor,
    State(state): State<HttpState>,
    number: Id<i32>,
    save: Body<TextSave>,
) -> Result<impl IntoResponse> {
    let (Path(number), Json(save)) = (number?, save?);
    if save.number.is_some() || save.date.is_some() {
        let version = structure::redate(
            &state.app.pool,
            number,
            save.number,
            save.date,
            save.version,
            &caller.member,
        )
        .await?;
        return Ok(Json(json!({ "version": version })));
    }
    let (field, value, version) = save.field(&[
        TextField::Headline,
        TextField::Intro,
        TextField::ClosingHeading,
        TextField::Closing,
    ])?;
    let version = service::save_issue_text(
        &state.app.pool,
        number,
        field,
        &value,
        version,
        &caller.member,
    )
    .await?;
    Ok(Json(json!({ "version": version })))
}

#[derive(Deserialize)]
pub struct NewPick {
    #[serde(default)]
    url: String,
    section_id: i64,
    /// Given: the pick is added as typed, without reading the page (a
    /// topic when `url` is empty).
    title: Option<String>,
}

/// Adds a pick to an issue: a link whose page is read through the SSRF
/// guard, or, with a `title`, a link (or a topic) as typed.
pub async fn add_pick(
    Editor(caller): Editor,
    State(state): State<HttpState>,
    number: Id<i32>,
    new: Body<NewPick>,
) -> Result<impl IntoResponse> {
    let (Path(number), Json(new)) = (number?, new?);
    let id = match &new.title {
        Some(title) => {
            structure::add_manual_pick(
                &state.app.pool,
                number,
                new.section_id,
                &new.url,
                title,
                &caller.member,
            )
            .await?
        }
        None => {
            service::add_link(&state.app, number, new.section_id, &new.url, &caller.member).await?
        }
    };
    Ok((StatusCode::CREATED, Json(json!({ "pick_id": id }))))
}

#[derive(Deserialize)]
pub struct Publish {
    /// Publish although the checks warned (empty commentary, links an
    /// earlier issue covered).
    #[serde(default)]
    accept_warnings: bool,
}

/// Publishes the current draft; 422 lists what the checks found.
pub async fn publish(
    Publisher(caller): Publisher,
    State(state): State<HttpState>,
    number: Id<i32>,
    body: Body<Publish>,
) -> Result<impl IntoResponse> {
    let (Path(number), Json(body)) = (number?, body?);
    let next = publish::service::publish(
        &state.app.pool,
        number,
        body.accept_warnings,
        &caller.member,
    )
    .await?;
    Ok(Json(json!({ "published": number, "next_draft": next })))
}

/// Re-publishes a corrected issue (new snapshot, `updated` time).
pub async fn republish(
    Publisher(caller): Publisher,
    State(state): State<HttpState>,
    number: Id<i32>,
    body: Body<Publish>,
) -> Result<impl IntoResponse> {
    let (Path(number), Json(body)) = (number?, body?);
    publish::service::republish(
        &state.app.pool,
        number,
        body.accept_warnings,
        &caller.member,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// An issue's delivery to git (`null` when it has none).
pub async fn delivery(
    Viewer(caller): Viewer,
    State(state): State<HttpState>,
    number: Id<i32>,
) -> Result<impl IntoResponse> {
    let Path(number) = number?;
    let delivery = delivery::service::view(&state.app.pool, number, &caller.member).await?;
    Ok(Json(json!({ "delivery": delivery })))
}

/// Tries a failed delivery to git again now.
pub async fn retry_delivery(
    _: Publisher,
    State(state): State<HttpState>,
    number: Id<i32>,
) -> Result<impl IntoResponse> {
    let Path(number) = number?;
    let delivery = delivery::service::retry(&state.app.pool, number).await?;
    Ok(Json(json!({ "delivery": delivery })))
}

#[derive(Deserialize)]
pub struct Hidden {
    hidden: bool,
}

/// Unpublishes (hides) a published issue, or shows it again.
pub async fn set_hidden(
    _: Admin,
    State(state): State<HttpState>,
    number: Id<i32>,
    body: Body<Hidden>,
) -> Result<impl IntoResponse> {
    let (Path(number), Json(body)) = (number?, body?);
    newsdesk_app::publish::archive::set_hidden(&state.app.pool, number, body.hidden).await?;
    Ok(StatusCode::NO_CONTENT)
}
