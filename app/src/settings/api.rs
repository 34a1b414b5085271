//! Server functions of the settings page (admins only): authorize, call
//! `service` or `sections`, return.

use leptos::prelude::*;

use super::{SectionSetting, Settings};
use crate::error::AppError;

#[cfg(feature = "ssr")]
use {
    super::{sections, service},
    crate::{
        accounts::{identity, Role},
        state::AppState,
    },
};

#[server(endpoint = "load_settings")]
pub async fn load_settings() -> Result<(Settings, Vec<SectionSetting>), AppError> {
    identity::require(Role::Admin)?;
    service::load(&AppState::current()?.pool).await
}

/// Saves the settings, based on `settings.version`; returns the new version.
#[server(endpoint = "save_settings")]
pub async fn save_settings(settings: Settings) -> Result<i32, AppError> {
    let member = identity::require(Role::Admin)?;
    service::save(&AppState::current()?.pool, settings, &member).await
}

#[server(endpoint = "add_section")]
pub async fn add_section(title: String) -> Result<i64, AppError> {
    identity::require(Role::Admin)?;
    let title = service::section_title(&title)?;
    sections::add(&AppState::current()?.pool, &title).await
}

#[server(endpoint = "rename_section")]
pub async fn rename_section(id: i64, title: String) -> Result<(), AppError> {
    identity::require(Role::Admin)?;
    let title = service::section_title(&title)?;
    sections::rename(&AppState::current()?.pool, id, &title).await
}

/// Puts the sections in this order (all sections in use, by id).
#[server(endpoint = "order_sections")]
pub async fn order_sections(ids: Vec<i64>) -> Result<(), AppError> {
    identity::require(Role::Admin)?;
    sections::order(&AppState::current()?.pool, &ids).await
}

#[server(endpoint = "remove_section")]
pub async fn remove_section(id: i64) -> Result<(), AppError> {
    identity::require(Role::Admin)?;
    sections::remove(&AppState::current()?.pool, id).await
}
