//! `/api/v1/issues`, `/api/v1/picks`, `/api/v1/notes`, `/api/v1/sections`:
//! the issue editor as JSON. Saves carry the `version` they are based on
//! and answer 409 with the current value when it is stale, like the editor.

use axum::{
    extract::{
        rejection::{JsonRejection, PathRejection, QueryRejection},
        Path, Query, State,
    },
    http::StatusCode,
    response::IntoResponse,
    Json,
};
use newsdesk_app::{
    delivery,
    editor::{service, structure, Placement, TextField},
    error::AppError,
    publish,
    render::PickLayout,
    settings::FrontMatterKind,
};
use serde::Deserialize;
use serde_json::json;

use super::error::ApiError;
use crate::http::{
    guard::{Admin, Editor, Publisher, Viewer},
    syndication, HttpState,
};

type Result<T> = std::result::Result<T, ApiError>;
type Body<T> = std::result::Result<Json<T>, JsonRejection>;
type Id<T> = std::result::Result<Path<T>, PathRejection>;

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
    let markdown = publish::service::export(&state.app.pool, number, front_matter).await?;
    Ok(syndication::markdown_response(number, markdown))
}

/// A save of one text field: `{"version": 3, "headline": "…"}`, or of an
/// issue's number and date: `{"version": 3, "number": 30, "date": "…"}`.
#[derive(Deserialize)]
pub struct TextSave {
    version: i32,
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
    fn field(
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

pub async fn sections(_: Viewer, State(state): State<HttpState>) -> Result<impl IntoResponse> {
    Ok(Json(
        json!({ "sections": newsdesk_app::settings::sections::in_use(&state.app.pool).await? }),
    ))
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
    newsdesk_app::publish::service::set_hidden(&state.app.pool, number, body.hidden).await?;
    Ok(StatusCode::NO_CONTENT)
}
