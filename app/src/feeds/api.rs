//! Server functions of the Feeds screens. Thin on purpose: fetch the request
//! state, call the service that owns the logic, return.

use leptos::prelude::*;

use crate::{
    error::AppError,
    feeds::model::{
        AddFeedOutcome, FeedFetch, FeedHealth, FeedsOverview, FilterRule, ImportStatus,
        RefreshOutcome,
    },
};

#[cfg(feature = "ssr")]
use {
    super::service,
    crate::{
        accounts::{actor, identity, Role},
        state::AppState,
    },
};

#[server(endpoint = "load_feeds")]
pub async fn load_feeds() -> Result<FeedsOverview, AppError> {
    identity::require(Role::Viewer)?;
    service::overview(&AppState::current()?.pool).await
}

/// `title` may be empty; `exact` is the "add without checking" checkbox.
#[server(endpoint = "add_feed")]
pub async fn add_feed(
    url: String,
    title: String,
    exact: Option<String>,
) -> Result<AddFeedOutcome, AppError> {
    identity::require(Role::Editor)?;
    service::add_feed(&AppState::current()?, &url, &title, exact.is_some()).await
}

#[server(endpoint = "add_starter_set")]
pub async fn add_starter_set() -> Result<usize, AppError> {
    identity::require(Role::Editor)?;
    service::add_starter_set(&AppState::current()?.pool).await
}

#[server(endpoint = "refresh_all")]
pub async fn refresh_all() -> Result<u64, AppError> {
    identity::require(Role::Editor)?;
    service::refresh_all(&AppState::current()?.pool).await
}

#[server(endpoint = "refresh_feed")]
pub async fn refresh_feed(id: i64) -> Result<RefreshOutcome, AppError> {
    identity::require(Role::Editor)?;
    service::refresh_feed(&AppState::current()?, id).await
}

#[server(endpoint = "feed_details")]
pub async fn feed_details(
    id: i64,
) -> Result<(FeedHealth, Vec<FeedFetch>, Vec<FilterRule>), AppError> {
    identity::require(Role::Viewer)?;
    service::feed_details(&AppState::current()?.pool, id).await
}

/// `enabled` is a checkbox: present when ticked.
#[server(endpoint = "update_feed")]
pub async fn update_feed(
    id: i64,
    title: String,
    category: String,
    tags: String,
    interval: String,
    enabled: Option<String>,
) -> Result<(), AppError> {
    identity::require(Role::Admin)?;
    let pool = AppState::current()?.pool;
    service::update_feed(
        &pool,
        id,
        &title,
        &category,
        &tags,
        &interval,
        enabled.is_some(),
    )
    .await
}

#[server(endpoint = "delete_feed")]
pub async fn delete_feed(id: i64) -> Result<(), AppError> {
    let (_, actor) = actor::require_actor(Role::Admin)?;
    service::delete_feed(&AppState::current()?.pool, &actor, id).await?;
    // A plain form post lands on the list, not on the deleted feed's page.
    #[cfg(feature = "ssr")]
    leptos_axum::redirect("/feeds");
    Ok(())
}

/// Rules of a feed, or the team-wide rules when `feed_id` is None.
#[server(endpoint = "list_rules")]
pub async fn list_rules(feed_id: Option<i64>) -> Result<Vec<FilterRule>, AppError> {
    identity::require(Role::Viewer)?;
    service::rules(&AppState::current()?.pool, feed_id).await
}

/// `feed_id` is empty for a team-wide rule.
#[server(endpoint = "add_rule")]
pub async fn add_rule(
    feed_id: String,
    action: String,
    field: String,
    pattern: String,
) -> Result<FilterRule, AppError> {
    identity::require(Role::Admin)?;
    let feed_id = match feed_id.trim() {
        "" => None,
        id => Some(
            id.parse::<i64>()
                .map_err(|_| AppError::BadRequest("feed_id is not a number".into()))?,
        ),
    };
    service::add_rule(
        &AppState::current()?.pool,
        feed_id,
        &action,
        &field,
        &pattern,
    )
    .await
}

#[server(endpoint = "delete_rule")]
pub async fn delete_rule(id: i64) -> Result<(), AppError> {
    identity::require(Role::Admin)?;
    service::delete_rule(&AppState::current()?.pool, id).await
}

/// Progress and outcome of an OPML import started by an upload.
#[server(endpoint = "import_progress")]
pub async fn import_progress(id: String) -> Result<ImportStatus, AppError> {
    identity::require(Role::Viewer)?;
    super::opml::import::status(&AppState::current()?.pool, &id).await
}
