//! Outgoing webhooks and their posts: queued with the event that causes
//! them, claimed by senders with `FOR UPDATE SKIP LOCKED` and a lease,
//! recorded as sent or failed with a retry time; the newest posts of each
//! webhook are its log.

use std::time::Duration;

use sqlx::{types::Json, PgConnection, PgPool};

use crate::{
    error::AppError,
    lang::model::Stored,
    webhooks::model::{WebhookEvent, WebhookKind, WebhookPost, WebhookView},
};

/// Posts each webhook's log shows.
const LOG_SIZE: i64 = 10;

pub async fn add(
    pool: &PgPool,
    url: &str,
    kind: WebhookKind,
    secret: &str,
    events: &[WebhookEvent],
    member_id: i64,
) -> Result<i64, AppError> {
    let events: Vec<String> = events.iter().map(|e| e.as_str().to_owned()).collect();
    Ok(sqlx::query_scalar!(
        r#"INSERT INTO webhooks (url, kind, secret, events, created_by)
           VALUES ($1, $2, $3, $4, $5) RETURNING id"#,
        url,
        kind.as_str(),
        secret,
        &events,
        member_id
    )
    .fetch_one(pool)
    .await?)
}

pub async fn remove(pool: &PgPool, id: i64) -> Result<(), AppError> {
    let removed = sqlx::query!("DELETE FROM webhooks WHERE id = $1", id)
        .execute(pool)
        .await?;
    if removed.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}

/// A webhook's URL (the caller shows only its host), the webhook with its
/// log, and each log entry's error as stored for wording (`None` where
/// there is none, or only the English words).
pub type Listed = (String, WebhookView, Vec<Option<Stored>>);

/// Every webhook with its URL and log.
pub async fn list(pool: &PgPool) -> Result<Vec<Listed>, AppError> {
    let hooks = sqlx::query!(
        r#"SELECT id, url, kind AS "kind: WebhookKind", events AS "events: Vec<WebhookEvent>",
                  created_at
           FROM webhooks ORDER BY id"#
    )
    .fetch_all(pool)
    .await?;
    let mut views = Vec::with_capacity(hooks.len());
    for hook in hooks {
        let rows = sqlx::query!(
            r#"SELECT event, state, attempts, response_status, last_error, last_error_stored,
                      created_at, sent_at, next_attempt_at
                 FROM webhook_posts WHERE webhook_id = $1 ORDER BY id DESC LIMIT $2"#,
            hook.id,
            LOG_SIZE
        )
        .fetch_all(pool)
        .await?;
        let mut log = Vec::with_capacity(rows.len());
        let mut stored = Vec::with_capacity(rows.len());
        for row in rows {
            log.push(WebhookPost {
                event: row.event,
                state: row.state,
                attempts: row.attempts,
                response_status: row.response_status,
                error: row.last_error,
                created_at: row.created_at,
                sent_at: row.sent_at,
                next_attempt_at: row.next_attempt_at,
            });
            stored.push(super::stored_message(row.last_error_stored));
        }
        views.push((
            hook.url,
            WebhookView {
                id: hook.id,
                shown_url: String::new(),
                kind: hook.kind,
                events: hook.events,
                created_at: hook.created_at,
                log,
            },
            stored,
        ));
    }
    Ok(views)
}

/// Queues a post of `event` with `payload` to every webhook that wants it,
/// in the caller's transaction.
pub async fn queue(
    conn: &mut PgConnection,
    event: WebhookEvent,
    payload: &serde_json::Value,
) -> Result<(), AppError> {
    sqlx::query!(
        r#"INSERT INTO webhook_posts (webhook_id, event, payload)
           SELECT id, $1, $2 FROM webhooks WHERE $1 = ANY (events)"#,
        event.as_str(),
        payload
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A post a sender has claimed, with where and how to send it.
#[derive(Debug, Clone)]
pub struct ClaimedPost {
    pub id: i64,
    pub url: String,
    pub kind: String,
    pub secret: String,
    pub event: String,
    pub payload: serde_json::Value,
    pub attempts: i32,
}

/// Claims the post due first for `worker` for `lease` (see the git
/// deliveries' claim).
pub async fn claim_due(
    pool: &PgPool,
    worker: &str,
    lease: Duration,
) -> Result<Option<ClaimedPost>, sqlx::Error> {
    sqlx::query_as!(
        ClaimedPost,
        r#"WITH next AS (
               SELECT id FROM webhook_posts
               WHERE next_attempt_at <= now()
                 AND (claimed_until IS NULL OR claimed_until < now())
               ORDER BY next_attempt_at, id
               LIMIT 1
               FOR UPDATE SKIP LOCKED
           )
           UPDATE webhook_posts p
              SET claimed_until = now() + make_interval(secs => $2), claimed_by = $1,
                  attempts = attempts + 1
             FROM next, webhooks w
            WHERE p.id = next.id AND w.id = p.webhook_id
           RETURNING p.id, w.url, w.kind, w.secret, p.event, p.payload, p.attempts"#,
        worker,
        lease.as_secs_f64()
    )
    .fetch_optional(pool)
    .await
}

/// Records what became of a post: sent (`error` is `None`), or failed,
/// with its English words and the message to word for readers, and a
/// retry time (`None`: not again).
pub async fn record(
    pool: &PgPool,
    post: &ClaimedPost,
    worker: &str,
    status: Option<i32>,
    error: Option<(&str, &Stored)>,
    retry_in: Option<Duration>,
) -> Result<(), sqlx::Error> {
    let (words, stored) = error.unzip();
    sqlx::query!(
        r#"UPDATE webhook_posts
              SET state = CASE WHEN $3 THEN 'sent' ELSE 'failed' END,
                  sent_at = CASE WHEN $3 THEN now() END,
                  response_status = $4, last_error = $5, last_error_stored = $7,
                  next_attempt_at = CASE WHEN $3 THEN NULL
                                         ELSE now() + make_interval(secs => $6) END,
                  claimed_until = NULL, claimed_by = NULL
            WHERE id = $1 AND claimed_by = $2"#,
        post.id,
        worker,
        words.is_none(),
        status,
        words,
        retry_in.map(|retry| retry.as_secs_f64()),
        stored.map(Json) as _
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// The time of day (UTC) of the daily summary, if it is sent.
pub async fn summary_time(pool: &PgPool) -> Result<Option<chrono::NaiveTime>, AppError> {
    Ok(
        sqlx::query_scalar!("SELECT summary_time FROM webhook_schedule")
            .fetch_one(pool)
            .await?,
    )
}

pub async fn set_summary_time(
    pool: &PgPool,
    time: Option<chrono::NaiveTime>,
) -> Result<(), AppError> {
    // A time later today than now still sends today's summary.
    sqlx::query!(
        "UPDATE webhook_schedule SET summary_time = $1, last_summary_on = NULL",
        time
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// Claims today's summary in the caller's transaction: true for exactly
/// one caller per day, once its time has come.
pub async fn claim_todays_summary(conn: &mut PgConnection) -> Result<bool, AppError> {
    let claimed = sqlx::query!(
        r#"UPDATE webhook_schedule
              SET last_summary_on = (now() AT TIME ZONE 'UTC')::date
            WHERE summary_time IS NOT NULL
              AND (now() AT TIME ZONE 'UTC')::time >= summary_time
              AND (last_summary_on IS NULL OR last_summary_on < (now() AT TIME ZONE 'UTC')::date)"#
    )
    .execute(&mut *conn)
    .await?;
    Ok(claimed.rows_affected() == 1)
}

/// Who +1'd each of `candidates`, in the order they did.
pub async fn plus_ones(
    conn: &mut PgConnection,
    candidates: &[i64],
) -> Result<Vec<(i64, String)>, AppError> {
    let rows = sqlx::query!(
        r#"SELECT v.candidate_id, m.name FROM candidate_votes v JOIN members m ON m.id = v.member_id
            WHERE v.candidate_id = ANY ($1) ORDER BY v.created_at"#,
        candidates
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| (row.candidate_id, row.name))
        .collect())
}
