//! Server functions of the webhooks page (admins): authorize, call
//! `service`, return.

use leptos::prelude::*;

use super::{NewWebhook, WebhookView};
use crate::error::AppError;

#[cfg(feature = "ssr")]
use {
    super::{service, WebhookEvent},
    crate::{
        accounts::{identity, Role},
        state::AppState,
    },
};

#[server(endpoint = "load_webhooks")]
pub async fn load_webhooks() -> Result<Vec<WebhookView>, AppError> {
    identity::require(Role::Admin)?;
    service::list(&AppState::current()?.pool).await
}

/// Adds a webhook; returns its signing secret, shown once.
#[server(endpoint = "add_webhook")]
pub async fn add_webhook(
    url: String,
    kind: String,
    // One checkbox per event.
    #[server(default)] published: bool,
    #[server(default)] republished: bool,
    #[server(default)] delivery_failed: bool,
    #[server(default)] daily_summary: bool,
) -> Result<NewWebhook, AppError> {
    let member = identity::require(Role::Admin)?;
    let events = [
        (published, WebhookEvent::Published),
        (republished, WebhookEvent::Republished),
        (delivery_failed, WebhookEvent::DeliveryFailed),
        (daily_summary, WebhookEvent::DailySummary),
    ];
    let events: Vec<WebhookEvent> = events
        .into_iter()
        .filter_map(|(wanted, event)| wanted.then_some(event))
        .collect();
    service::add(&AppState::current()?.pool, &url, &kind, &events, &member).await
}

#[server(endpoint = "remove_webhook")]
pub async fn remove_webhook(id: i64) -> Result<(), AppError> {
    identity::require(Role::Admin)?;
    service::remove(&AppState::current()?.pool, id).await
}

/// The time of day (UTC) of the daily summary; empty when it is off.
#[server(endpoint = "load_summary_time")]
pub async fn load_summary_time() -> Result<String, AppError> {
    identity::require(Role::Admin)?;
    service::summary_time(&AppState::current()?.pool).await
}

#[server(endpoint = "save_summary_time")]
pub async fn save_summary_time(summary_time: String) -> Result<(), AppError> {
    identity::require(Role::Admin)?;
    service::set_summary_time(&AppState::current()?.pool, &summary_time).await
}
