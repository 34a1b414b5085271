//! What the webhooks page shows.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// How a webhook wants its posts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[derive(strum::EnumString, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(feature = "ssr", sqlx(type_name = "text", rename_all = "snake_case"))]
pub enum WebhookKind {
    /// `{"text": "…"}`, which Slack, Mattermost, Rocket.Chat and others take.
    Slack,
    /// The event as JSON, signed with HMAC-SHA256 in `X-Newsdesk-Signature`.
    Json,
}

words!(WebhookKind);

/// What a webhook may be told.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[derive(strum::EnumString, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(feature = "ssr", sqlx(type_name = "text", rename_all = "snake_case"))]
pub enum WebhookEvent {
    Published,
    Republished,
    DeliveryFailed,
    DailySummary,
}

impl WebhookEvent {
    pub const ALL: [Self; 4] = [
        Self::Published,
        Self::Republished,
        Self::DeliveryFailed,
        Self::DailySummary,
    ];

    /// The event's name in the UI's language (the Webhooks page).
    pub fn label(self) -> &'static str {
        use crate::i18n::td_string;
        let locale = crate::lang::current();
        match self {
            Self::Published => td_string!(locale, admin.webhook_event_published),
            Self::Republished => td_string!(locale, admin.webhook_event_republished),
            Self::DeliveryFailed => td_string!(locale, admin.webhook_event_delivery_failed),
            Self::DailySummary => td_string!(locale, admin.webhook_event_daily_summary),
        }
    }
}

words!(WebhookEvent);

/// A webhook as the page lists it; its URL shown only as scheme and host.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookView {
    pub id: i64,
    pub shown_url: String,
    pub kind: WebhookKind,
    pub events: Vec<WebhookEvent>,
    pub created_at: DateTime<Utc>,
    /// The newest posts first.
    pub log: Vec<WebhookPost>,
}

/// One post of an event, for the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookPost {
    pub event: String,
    /// queued, sent or failed.
    pub state: String,
    pub attempts: i32,
    pub response_status: Option<i32>,
    pub error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    pub next_attempt_at: Option<DateTime<Utc>>,
}

/// A webhook just made, with its signing secret (shown this once).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewWebhook {
    pub id: i64,
    pub secret: String,
}
