//! Server functions of the issue editor: authorize, call `service`, return.
//! Saves answer 409 (`AppError::Conflict`) when based on an old version.

use leptos::prelude::*;

use super::{IssueSummary, IssueView, LinkCheck, Present, Revision, SavedSection, TextField};
use crate::{error::AppError, settings::Settings};

#[cfg(feature = "ssr")]
use {
    super::{service, structure, Placement},
    crate::{
        accounts::{identity, Role},
        state::AppState,
    },
};

#[server(endpoint = "list_issues")]
pub async fn list_issues() -> Result<Vec<IssueSummary>, AppError> {
    identity::require(Role::Viewer)?;
    service::list(&AppState::current()?.pool).await
}

/// The current draft, started when there is none (the Issues page's
/// "Start issue" on a new newsletter; picking starts one too).
#[server(endpoint = "start_draft")]
pub async fn start_draft() -> Result<IssueView, AppError> {
    identity::require(Role::Editor)?;
    service::start_draft(&AppState::current()?.pool).await
}

/// Issue `number`, or the current draft for `0`.
#[server(endpoint = "load_issue")]
pub async fn load_issue(number: i32) -> Result<IssueView, AppError> {
    identity::require(Role::Viewer)?;
    service::issue(&AppState::current()?.pool, number).await
}

/// The settings the preview renders with.
#[server(endpoint = "load_render_settings")]
pub async fn load_render_settings() -> Result<Settings, AppError> {
    identity::require(Role::Viewer)?;
    service::render_settings(&AppState::current()?.pool).await
}

/// Saves the headline, intro, closing heading or closing text; returns
/// the new version.
#[server(endpoint = "save_issue_text")]
pub async fn save_issue_text(
    number: i32,
    field: TextField,
    value: String,
    version: i32,
) -> Result<i32, AppError> {
    let member = identity::require(Role::Editor)?;
    service::save_issue_text(
        &AppState::current()?.pool,
        number,
        field,
        &value,
        version,
        &member,
    )
    .await
}

/// Saves a pick's title, commentary or link; returns the new version.
#[server(endpoint = "save_pick_text")]
pub async fn save_pick_text(
    pick: i64,
    field: TextField,
    value: String,
    version: i32,
) -> Result<i32, AppError> {
    let member = identity::require(Role::Editor)?;
    service::save_pick_text(
        &AppState::current()?.pool,
        pick,
        field,
        &value,
        version,
        &member,
    )
    .await
}

/// Adds a link typed into the issue.
#[server(endpoint = "add_pick_link")]
pub async fn add_pick_link(number: i32, section: i64, url: String) -> Result<i64, AppError> {
    let member = identity::require(Role::Editor)?;
    service::add_link(&AppState::current()?, number, section, &url, &member).await
}

/// Moves a pick to a section, at `index` among the picks there.
#[server(endpoint = "move_pick")]
pub async fn move_pick(pick: i64, section: i64, index: i32) -> Result<(), AppError> {
    let member = identity::require(Role::Editor)?;
    let placement = Placement {
        section_id: section,
        index,
    };
    service::move_pick(&AppState::current()?.pool, pick, placement, &member).await
}

/// Removes a pick; returns what `restore_pick` takes to undo it.
#[server(endpoint = "remove_pick")]
pub async fn remove_pick(pick: i64) -> Result<i64, AppError> {
    let member = identity::require(Role::Editor)?;
    service::remove_pick(&AppState::current()?.pool, pick, &member).await
}

#[server(endpoint = "restore_pick")]
pub async fn restore_pick(removed: i64) -> Result<i64, AppError> {
    let member = identity::require(Role::Editor)?;
    service::restore_pick(&AppState::current()?.pool, removed, &member).await
}

/// Moves a pick on to the next issue; returns that issue's number.
#[server(endpoint = "move_pick_to_next")]
pub async fn move_pick_to_next(pick: i64) -> Result<i32, AppError> {
    let member = identity::require(Role::Editor)?;
    service::move_to_next_issue(&AppState::current()?.pool, pick, &member).await
}

#[server(endpoint = "add_note")]
pub async fn add_note(pick: i64, body: String) -> Result<i64, AppError> {
    let member = identity::require(Role::Editor)?;
    service::add_note(&AppState::current()?.pool, pick, &body, &member).await
}

/// Appends a note to the commentary (based on the commentary's `version`).
#[server(endpoint = "promote_note")]
pub async fn promote_note(note: i64, version: i32) -> Result<i32, AppError> {
    let member = identity::require(Role::Editor)?;
    service::promote_note(&AppState::current()?.pool, note, version, &member).await
}

#[server(endpoint = "load_revisions")]
pub async fn load_revisions(
    number: i32,
    pick: Option<i64>,
    field: TextField,
) -> Result<Vec<Revision>, AppError> {
    identity::require(Role::Viewer)?;
    service::revisions(&AppState::current()?.pool, number, pick, field).await
}

#[server(endpoint = "check_link")]
pub async fn check_link(pick: i64) -> Result<LinkCheck, AppError> {
    identity::require(Role::Editor)?;
    service::check_link(&AppState::current()?, pick).await
}

/// A tab's heartbeat: it views issue `number` and edits `editing`.
/// Returns who is there.
#[server(endpoint = "heartbeat")]
pub async fn heartbeat(
    number: i32,
    client: String,
    editing: Option<i64>,
) -> Result<Vec<Present>, AppError> {
    let member = identity::require(Role::Viewer)?;
    service::heartbeat(
        &AppState::current()?.pool,
        number,
        &client,
        editing,
        &member,
    )
    .await
}

#[server(endpoint = "leave_issue")]
pub async fn leave_issue(client: String) -> Result<(), AppError> {
    let member = identity::require(Role::Viewer)?;
    service::leave(&AppState::current()?.pool, &client, &member).await
}

/// Meeting mode: the presenter shows `pick` now (`None` ends the meeting).
#[server(endpoint = "present_pick")]
pub async fn present_pick(number: i32, pick: Option<i64>) -> Result<(), AppError> {
    let member = identity::require(Role::Editor)?;
    service::present(&AppState::current()?.pool, number, pick, &member).await
}

/// The saved sections an editor can add to an issue.
#[server(endpoint = "saved_sections")]
pub async fn saved_sections() -> Result<Vec<SavedSection>, AppError> {
    identity::require(Role::Viewer)?;
    structure::saved_sections(&AppState::current()?.pool).await
}

/// Adds a section to issue `number` only: saved section `saved` (titled
/// `title` here when given), or a new one titled `title`.
#[server(endpoint = "add_issue_section")]
pub async fn add_issue_section(
    number: i32,
    saved: Option<i64>,
    title: String,
) -> Result<i64, AppError> {
    let member = identity::require(Role::Editor)?;
    structure::add_section(&AppState::current()?.pool, number, saved, &title, &member).await
}

/// Renames a section in issue `number` only.
#[server(endpoint = "rename_issue_section")]
pub async fn rename_issue_section(
    number: i32,
    section: i64,
    title: String,
) -> Result<(), AppError> {
    let member = identity::require(Role::Editor)?;
    structure::rename_section(&AppState::current()?.pool, number, section, &title, &member).await
}

/// Puts the sections of issue `number` in the order of `ids`.
#[server(endpoint = "order_issue_sections")]
pub async fn order_issue_sections(number: i32, ids: Vec<i64>) -> Result<(), AppError> {
    let member = identity::require(Role::Editor)?;
    structure::order_sections(&AppState::current()?.pool, number, &ids, &member).await
}

/// Takes an empty section out of issue `number`.
#[server(endpoint = "remove_issue_section")]
pub async fn remove_issue_section(number: i32, section: i64) -> Result<(), AppError> {
    let member = identity::require(Role::Editor)?;
    structure::remove_section(&AppState::current()?.pool, number, section, &member).await
}

/// Gives a draft another number and date; returns the new version.
#[server(endpoint = "redate_issue")]
pub async fn redate_issue(
    number: i32,
    new_number: i32,
    date: chrono::NaiveDate,
    version: i32,
) -> Result<i32, AppError> {
    let member = identity::require(Role::Editor)?;
    structure::redate(
        &AppState::current()?.pool,
        number,
        Some(new_number),
        Some(date),
        version,
        &member,
    )
    .await
}

/// Sets a pick's layout; an empty `layout` follows the newsletter's.
#[server(endpoint = "set_pick_layout")]
pub async fn set_pick_layout(pick: i64, layout: String) -> Result<(), AppError> {
    let member = identity::require(Role::Editor)?;
    let layout = match layout.as_str() {
        "" => None,
        text => Some(crate::render::PickLayout::parse(text).ok_or_else(|| {
            AppError::invalid(
                "layout",
                crate::i18n::td_string!(crate::lang::current(), editor.err_choose_layout),
            )
        })?),
    };
    structure::set_pick_layout(&AppState::current()?.pool, pick, layout, &member).await
}

/// Adds a pick by hand without fetching: a link and a title, or a title
/// alone for a topic whose links are in its commentary.
#[server(endpoint = "add_manual_pick")]
pub async fn add_manual_pick(
    number: i32,
    section: i64,
    url: String,
    title: String,
) -> Result<i64, AppError> {
    let member = identity::require(Role::Editor)?;
    structure::add_manual_pick(
        &AppState::current()?.pool,
        number,
        section,
        &url,
        &title,
        &member,
    )
    .await
}
