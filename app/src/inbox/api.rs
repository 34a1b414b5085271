//! Server functions of the inbox: authorize, call `service`, return.

use leptos::prelude::*;

use super::{AddedLink, CandidateState, FilterChoices, InboxItem, InboxPage, InboxStart};
use crate::error::AppError;

#[cfg(feature = "ssr")]
use {
    super::{service, InboxQuery},
    crate::{
        accounts::{identity, Role},
        state::AppState,
    },
};

/// Reads an inbox view from its query string (`q=…&state=…`).
#[cfg(feature = "ssr")]
pub fn parse_view(query: &str) -> InboxQuery {
    let pairs: Vec<(String, String)> =
        url::form_urlencoded::parse(query.trim_start_matches('?').as_bytes())
            .into_owned()
            .collect();
    InboxQuery::from_params(|name| {
        pairs
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.clone())
    })
}

/// The inbox page's data: the first page of `view` (its query string) and
/// the draft to pick into.
#[server(endpoint = "start_inbox")]
pub async fn start_inbox(view: String) -> Result<InboxStart, AppError> {
    let member = identity::require(Role::Viewer)?;
    service::start(&AppState::current()?.pool, &parse_view(&view), &member).await
}

/// One page of the inbox; `view` is the page's query string.
#[server(endpoint = "load_inbox")]
pub async fn load_inbox(view: String) -> Result<InboxPage, AppError> {
    let member = identity::require(Role::Viewer)?;
    let pool = AppState::current()?.pool;
    service::page(&pool, &parse_view(&view), &member, service::PAGE_SIZE).await
}

/// Candidates as the inbox shows them, for rows changed live.
#[server(endpoint = "inbox_items")]
pub async fn inbox_items(ids: Vec<i64>) -> Result<Vec<InboxItem>, AppError> {
    let member = identity::require(Role::Viewer)?;
    service::items(&AppState::current()?.pool, &ids, &member).await
}

#[server(endpoint = "load_filter_choices")]
pub async fn load_filter_choices() -> Result<FilterChoices, AppError> {
    identity::require(Role::Viewer)?;
    service::filter_choices(&AppState::current()?).await
}

/// Sets the state of candidates; returns the previous states, for undo.
#[server(endpoint = "set_state")]
pub async fn set_state(
    ids: Vec<i64>,
    state: String,
) -> Result<Vec<(i64, CandidateState)>, AppError> {
    let member = identity::require(Role::Editor)?;
    service::change_state(&AppState::current()?.pool, &ids, &state, &member).await
}

/// Opening a candidate marks it seen.
#[server(endpoint = "mark_seen")]
pub async fn mark_seen(id: i64) -> Result<(), AppError> {
    let member = identity::require(Role::Editor)?;
    service::mark_seen(&AppState::current()?.pool, id, &member).await
}

/// +1 (`on`) or take it back, on one or several candidates.
#[server(endpoint = "vote")]
pub async fn vote(ids: Vec<i64>, on: bool) -> Result<Vec<i64>, AppError> {
    let member = identity::require(Role::Editor)?;
    service::vote(&AppState::current()?.pool, &ids, on, &member).await
}

/// Dismisses every open candidate of `view` older than candidate `than`.
#[server(endpoint = "dismiss_older")]
pub async fn dismiss_older(
    view: String,
    than: i64,
) -> Result<Vec<(i64, CandidateState)>, AppError> {
    let member = identity::require(Role::Editor)?;
    service::dismiss_older(
        &AppState::current()?.pool,
        &parse_view(&view),
        than,
        &member,
    )
    .await
}

/// Picks a candidate into a section of the current draft; returns the
/// issue number. `confirm` is set to pick a link an earlier issue covered.
#[server(endpoint = "pick")]
pub async fn pick(
    candidate_id: i64,
    section_id: i64,
    confirm: Option<String>,
) -> Result<i32, AppError> {
    let member = identity::require(Role::Editor)?;
    let pool = AppState::current()?.pool;
    service::pick(&pool, candidate_id, section_id, confirm.is_some(), &member).await
}

/// Adds a link by hand: the page is fetched for its title and description.
#[server(endpoint = "add_link")]
pub async fn add_link(url: String, title: String) -> Result<AddedLink, AppError> {
    let member = identity::require(Role::Editor)?;
    service::add_link(&AppState::current()?, &url, &title, &member).await
}
