//! Outgoing webhooks to the team chat: Slack-compatible incoming webhooks
//! or generic JSON signed with HMAC-SHA256, told when an issue is
//! published or re-published, when its delivery to git fails, and once a
//! day of the draft's picks so far. Posts are
//! durable (queued with the event, retried with backoff; the server's
//! SSRF-guarded sender does them) and each webhook keeps a log.

pub mod api;
pub mod model;
pub mod page;

pub use model::*;

#[cfg(feature = "ssr")]
pub mod message;
#[cfg(feature = "ssr")]
pub mod service;
