//! Webhooks after authorization: checks of a new webhook, the log as the
//! page shows it, queuing events, and the retry policy of posts.

use std::time::Duration;

use sqlx::{PgConnection, PgPool};

use super::{
    message::{self, IssueRef},
    NewWebhook, WebhookEvent, WebhookKind, WebhookPost, WebhookView,
};
use crate::i18n::td_string;
use crate::{accounts::Member, db, error::AppError, lang};

/// Adds a webhook; its signing secret is returned this once.
pub async fn add(
    pool: &PgPool,
    url: &str,
    kind: &str,
    events: &[WebhookEvent],
    member: &Member,
) -> Result<NewWebhook, AppError> {
    let url = check_url(url)?;
    let kind = WebhookKind::parse(kind).ok_or_else(|| {
        AppError::invalid("kind", td_string!(lang::current(), admin.webhooks_err_kind))
    })?;
    if events.is_empty() {
        return Err(AppError::invalid(
            "events",
            td_string!(lang::current(), admin.webhooks_err_no_events),
        ));
    }
    let secret = crate::accounts::tokens::new_secret("ndw_").token;
    let id = db::webhooks::add(pool, url.as_str(), kind, &secret, events, member.id).await?;
    Ok(NewWebhook { id, secret })
}

/// Every webhook with its log; URLs only as scheme and host (a Slack
/// webhook's URL is its credential).
pub async fn list(pool: &PgPool) -> Result<Vec<WebhookView>, AppError> {
    Ok(db::webhooks::list(pool)
        .await?
        .into_iter()
        .map(|(url, view, stored)| {
            // The sender found out with no reader: its reasons are worded
            // here, in the reader's language.
            let log = view
                .log
                .into_iter()
                .zip(stored)
                .map(|(post, stored)| WebhookPost {
                    error: lang::shown(stored, post.error),
                    ..post
                })
                .collect();
            WebhookView {
                shown_url: shown_url(&url),
                log,
                ..view
            }
        })
        .collect())
}

fn shown_url(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(url) => format!("{}://{}/…", url.scheme(), url.host_str().unwrap_or("")),
        Err(_) => "(unreadable URL)".into(),
    }
}

fn check_url(url: &str) -> Result<url::Url, AppError> {
    let refuse = || AppError::invalid("url", td_string!(lang::current(), admin.webhooks_err_url));
    let parsed = url::Url::parse(url.trim()).map_err(|_| refuse())?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host().is_none() {
        return Err(refuse());
    }
    Ok(parsed)
}

/// Queues `event` about an issue to the webhooks that want it, in the
/// caller's transaction (so publishing and telling are one).
pub async fn queue(
    conn: &mut PgConnection,
    event: WebhookEvent,
    issue: &IssueRef<'_>,
    by: &str,
    error: Option<&str>,
) -> Result<(), AppError> {
    let payload = message::payload(event, issue, by, error);
    db::webhooks::queue(conn, event, &payload).await
}

/// Queues today's "picks so far" of the current draft to the webhooks
/// that want it, once its time of day has come; true when this call did
/// today's (one process a day does). A day without a draft sends nothing.
pub async fn queue_daily_summary(pool: &PgPool) -> Result<bool, AppError> {
    let mut tx = pool.begin().await?;
    if !db::webhooks::claim_todays_summary(&mut tx).await? {
        return Ok(false);
    }
    if let Some(number) = db::publish::current_draft_number(&mut tx).await? {
        let issue = db::issue_view::load_with(&mut tx, number).await?;
        let settings = db::settings::load(&mut *tx).await?;
        let candidates: Vec<i64> = issue.picks().filter_map(|pick| pick.candidate_id).collect();
        let plus_ones = db::webhooks::plus_ones(&mut tx, &candidates).await?;
        let payload = message::summary(&settings.name, &settings.language, &issue, &plus_ones);
        db::webhooks::queue(&mut tx, WebhookEvent::DailySummary, &payload).await?;
    }
    tx.commit().await?;
    Ok(true)
}

/// The time of day (UTC) of the daily summary as the form shows it
/// (`09:30`; empty: not sent).
pub async fn summary_time(pool: &PgPool) -> Result<String, AppError> {
    Ok(db::webhooks::summary_time(pool)
        .await?
        .map(|time| time.format("%H:%M").to_string())
        .unwrap_or_default())
}

/// Sets the time of day (UTC, `hh:mm`) of the daily summary; empty turns it off.
pub async fn set_summary_time(pool: &PgPool, time: &str) -> Result<(), AppError> {
    let time = time.trim();
    let parsed = if time.is_empty() {
        None
    } else {
        let parsed = chrono::NaiveTime::parse_from_str(time, "%H:%M")
            .ok()
            .filter(|_| time.len() == 5)
            .ok_or_else(|| {
                AppError::invalid(
                    "summary_time",
                    td_string!(lang::current(), admin.webhooks_err_summary_time),
                )
            })?;
        Some(parsed)
    };
    db::webhooks::set_summary_time(pool, parsed).await
}

/// The wait before the next attempt after `attempts` failed ones; `None`
/// when the post is given up. The same policy as git deliveries.
pub fn retry_after(attempts: i32) -> Option<Duration> {
    crate::delivery::job::backoff(attempts)
}

/// Removes a webhook.
pub async fn remove(pool: &PgPool, id: i64) -> Result<(), AppError> {
    db::webhooks::remove(pool, id).await
}
