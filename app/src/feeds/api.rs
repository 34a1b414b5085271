//! Server functions of the Feeds screen. Thin on purpose: fetch the request
//! state, call the module that owns the logic, return.

use leptos::prelude::*;

use crate::{error::AppError, model::Feed};

#[server(endpoint = "list_feeds")]
pub async fn list_feeds() -> Result<Vec<Feed>, AppError> {
    let state = crate::state::AppState::current()?;
    Ok(crate::db::feeds::list(&state.pool).await?)
}

/// `title` may be empty: the form always sends the field.
#[server(endpoint = "add_feed")]
pub async fn add_feed(url: String, title: String) -> Result<Feed, AppError> {
    let state = crate::state::AppState::current()?;
    super::service::add_feed(&state.pool, &url, &title).await
}
