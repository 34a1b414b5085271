//! Server functions of delivery: authorize, call `service`, return.

use leptos::prelude::*;

use super::{DeliveryTarget, DeliveryView};
use crate::error::AppError;

#[cfg(feature = "ssr")]
use {
    super::service,
    crate::{
        accounts::{identity, Role},
        state::AppState,
    },
};

/// The git delivery target (admins).
#[server(endpoint = "load_delivery_target")]
pub async fn load_delivery_target() -> Result<DeliveryTarget, AppError> {
    identity::require(Role::Admin)?;
    service::load_target(&AppState::current()?.pool).await
}

/// Saves the target, based on `target.version`; returns the new version.
#[server(endpoint = "save_delivery_target")]
pub async fn save_delivery_target(target: DeliveryTarget) -> Result<i32, AppError> {
    let member = identity::require(Role::Admin)?;
    service::save_target(&AppState::current()?.pool, target, &member).await
}

/// Issue `number`'s delivery, if it has one (members).
#[server(endpoint = "load_delivery")]
pub async fn load_delivery(number: i32) -> Result<Option<DeliveryView>, AppError> {
    let member = identity::require(Role::Viewer)?;
    service::view(&AppState::current()?.pool, number, &member).await
}

/// Tries a failed delivery again now (publishers).
#[server(endpoint = "retry_delivery")]
pub async fn retry_delivery(number: i32) -> Result<DeliveryView, AppError> {
    identity::require(Role::Publisher)?;
    service::retry(&AppState::current()?.pool, number).await
}
