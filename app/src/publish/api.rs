//! Server functions of publishing and of the public archive: authorize,
//! call `service` or `archive`, return.

use leptos::prelude::*;

use super::{ArchiveEntry, IssueArticle, PublishCheck};
use crate::error::AppError;

#[cfg(feature = "ssr")]
use {
    super::{archive, service},
    crate::{
        accounts::{identity, Role},
        delivery,
        state::{request_host, AppState},
    },
};

#[server(endpoint = "check_publish")]
pub async fn check_publish(number: i32) -> Result<PublishCheck, AppError> {
    identity::require(Role::Publisher)?;
    service::check(&AppState::current()?.pool, number).await
}

/// Publishes the draft; returns the next draft's number.
#[server(endpoint = "publish_issue")]
pub async fn publish_issue(number: i32, accept_warnings: bool) -> Result<i32, AppError> {
    let member = identity::require(Role::Publisher)?;
    service::publish(&AppState::current()?.pool, number, accept_warnings, &member).await
}

/// Re-publishes a corrected issue.
#[server(endpoint = "republish_issue")]
pub async fn republish_issue(number: i32, accept_warnings: bool) -> Result<(), AppError> {
    let member = identity::require(Role::Publisher)?;
    service::republish(&AppState::current()?.pool, number, accept_warnings, &member).await
}

/// Hides a published issue from the archive and the feeds (or shows it again).
#[server(endpoint = "set_issue_hidden")]
pub async fn set_issue_hidden(number: i32, hidden: bool) -> Result<(), AppError> {
    identity::require(Role::Admin)?;
    archive::set_hidden(&AppState::current()?.pool, number, hidden).await
}

/// The public archive.
#[server(endpoint = "load_archive")]
pub async fn load_archive() -> Result<Vec<ArchiveEntry>, AppError> {
    archive::archive(&AppState::current()?.pool).await
}

/// A published issue's public page.
#[server(endpoint = "load_article")]
pub async fn load_article(number: i32) -> Result<IssueArticle, AppError> {
    let state = AppState::current()?;
    let host = request_host();
    let mut article = archive::article(&state.pool, number, &state.web, host.as_deref()).await?;
    // Readers get the issue; what is wrong with its storage, and how its
    // delivery went, are for the team.
    match identity::current_identity().member() {
        None => article.problem = None,
        Some(member) => {
            article.delivery = delivery::service::view(&state.pool, number, member).await?;
        }
    }
    Ok(article)
}

/// A new private URL of the draft's picks as RSS (the previous one stops
/// working). Shown once.
#[server(endpoint = "create_picks_feed")]
pub async fn create_picks_feed() -> Result<String, AppError> {
    let member = identity::require(Role::Viewer)?;
    let state = AppState::current()?;
    archive::new_picks_feed(&state.pool, &state.web, request_host().as_deref(), &member).await
}
