//! The git delivery target (one row) and the deliveries of published
//! issues: queued in the publishing transaction, claimed by workers with
//! `FOR UPDATE SKIP LOCKED` and a lease, finished or failed with a retry
//! time.

use std::time::Duration;

use chrono::NaiveDate;
use sqlx::{types::Json, PgConnection, PgExecutor, PgPool};

use crate::{
    delivery::model::{CredentialKind, DeliveryState, DeliveryTarget, DeliveryView},
    error::AppError,
    lang::model::Stored,
};

pub async fn load_target(db: impl PgExecutor<'_>) -> Result<DeliveryTarget, AppError> {
    let row = sqlx::query!(
        r#"SELECT enabled, remote, branch, path_template, slug_template, author_name,
                  author_email, credential_kind AS "credential_kind: CredentialKind",
                  credential_ref, version
           FROM delivery_target"#
    )
    .fetch_one(db)
    .await?;
    Ok(DeliveryTarget {
        enabled: row.enabled,
        remote: row.remote,
        branch: row.branch,
        path_template: row.path_template,
        slug_template: row.slug_template,
        author_name: row.author_name,
        author_email: row.author_email,
        credential_kind: row.credential_kind,
        credential_ref: row.credential_ref,
        version: row.version,
    })
}

/// Saves a checked target if `target.version` is still the stored one;
/// returns the new version.
pub async fn save_target(
    pool: &PgPool,
    target: &DeliveryTarget,
    member_id: i64,
) -> Result<Option<i32>, AppError> {
    let saved = sqlx::query_scalar!(
        r#"UPDATE delivery_target SET enabled = $1, remote = $2, branch = $3,
               path_template = $4, slug_template = $5, author_name = $6, author_email = $7,
               credential_kind = $8, credential_ref = $9,
               version = version + 1, updated_at = now(), updated_by = $10
           WHERE version = $11 RETURNING version"#,
        target.enabled,
        target.remote,
        target.branch,
        target.path_template,
        target.slug_template,
        target.author_name,
        target.author_email,
        target.credential_kind.as_str(),
        target.credential_ref,
        member_id,
        target.version
    )
    .fetch_optional(pool)
    .await?;
    Ok(saved)
}

/// Queues the delivery of issue `issue_id` (published or re-published by
/// `member_id`) in the caller's transaction, when a target is enabled. A
/// delivery already queued, running or done becomes due again as a new
/// generation.
pub async fn enqueue(
    conn: &mut PgConnection,
    issue_id: i64,
    reason: &str,
    member_id: i64,
) -> Result<(), AppError> {
    sqlx::query!(
        r#"INSERT INTO git_deliveries (issue_id, reason, requested_by, next_attempt_at)
           SELECT $1, $2, $3, now() FROM delivery_target WHERE enabled
           ON CONFLICT (issue_id) DO UPDATE
              SET reason = EXCLUDED.reason, requested_by = EXCLUDED.requested_by,
                  requested_at = now(), generation = git_deliveries.generation + 1,
                  state = 'queued', attempts = 0, next_attempt_at = now(),
                  last_error = NULL, last_error_stored = NULL"#,
        issue_id,
        reason,
        member_id
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A delivery a worker has claimed, with what its commit needs.
#[derive(Debug, Clone)]
pub struct ClaimedDelivery {
    pub issue_id: i64,
    pub number: i32,
    pub date: NaiveDate,
    pub generation: i32,
    pub reason: String,
    pub attempts: i32,
    /// Who published, for the commit message.
    pub publisher: Option<String>,
}

/// Claims the delivery due first for `worker`
/// for `lease`. `SKIP LOCKED` keeps concurrent workers apart; the lease
/// lets the delivery of a worker that died be claimed again once it runs out.
pub async fn claim_due(
    pool: &PgPool,
    worker: &str,
    lease: Duration,
) -> Result<Option<ClaimedDelivery>, sqlx::Error> {
    sqlx::query_as!(
        ClaimedDelivery,
        r#"WITH next AS (
               SELECT issue_id FROM git_deliveries
               WHERE next_attempt_at <= now()
                 AND (claimed_until IS NULL OR claimed_until < now())
               ORDER BY next_attempt_at
               LIMIT 1
               FOR UPDATE SKIP LOCKED
           )
           UPDATE git_deliveries d
              SET claimed_until = now() + make_interval(secs => $2), claimed_by = $1,
                  attempts = attempts + 1
             FROM next WHERE d.issue_id = next.issue_id
           RETURNING d.issue_id, d.generation, d.reason, d.attempts,
                     (SELECT number FROM issues WHERE id = d.issue_id) AS "number!",
                     (SELECT issue_date FROM issues WHERE id = d.issue_id) AS "date!",
                     (SELECT name FROM members WHERE id = d.requested_by) AS publisher"#,
        worker,
        lease.as_secs_f64()
    )
    .fetch_optional(pool)
    .await
}

/// Records a delivery done, if the claim is still `worker`'s and nothing
/// was published since it was claimed; otherwise only gives the claim
/// back (a newer generation is due). Returns whether it was recorded.
pub async fn record_delivered(
    pool: &PgPool,
    claim: &ClaimedDelivery,
    worker: &str,
    commit_id: &str,
    path: &str,
) -> Result<bool, sqlx::Error> {
    let updated = sqlx::query!(
        r#"UPDATE git_deliveries
              SET state = 'delivered', commit_id = $4, path = $5, delivered_at = now(),
                  last_error = NULL, last_error_stored = NULL, next_attempt_at = NULL,
                  claimed_until = NULL, claimed_by = NULL
            WHERE issue_id = $1 AND claimed_by = $2 AND generation = $3"#,
        claim.issue_id,
        worker,
        claim.generation,
        commit_id,
        path
    )
    .execute(pool)
    .await?
    .rows_affected();
    recorded_or_released(pool, claim, worker, updated).await
}

/// Records a failed attempt in plain words, to be tried again after
/// `retry_in` (never by itself when `None`). Returns whether it was
/// recorded (see [`record_delivered`]).
pub async fn record_failure(
    pool: &PgPool,
    claim: &ClaimedDelivery,
    worker: &str,
    error: &str,
    stored: &Stored,
    retry_in: Option<Duration>,
) -> Result<bool, sqlx::Error> {
    let updated = sqlx::query!(
        r#"UPDATE git_deliveries
              SET state = 'failed', last_error = $4, last_error_stored = $6,
                  next_attempt_at = now() + make_interval(secs => $5),
                  claimed_until = NULL, claimed_by = NULL
            WHERE issue_id = $1 AND claimed_by = $2 AND generation = $3"#,
        claim.issue_id,
        worker,
        claim.generation,
        error,
        retry_in.map(|retry| retry.as_secs_f64()),
        Json(stored) as _
    )
    .execute(pool)
    .await?
    .rows_affected();
    recorded_or_released(pool, claim, worker, updated).await
}

/// Whether the update of the claimed row was made (`updated` rows, one
/// when it was); when it was not, the claim is given back.
async fn recorded_or_released(
    pool: &PgPool,
    claim: &ClaimedDelivery,
    worker: &str,
    updated: u64,
) -> Result<bool, sqlx::Error> {
    let recorded = updated == 1;
    if !recorded {
        release(pool, claim, worker).await?;
    }
    Ok(recorded)
}

async fn release(pool: &PgPool, claim: &ClaimedDelivery, worker: &str) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE git_deliveries SET claimed_until = NULL, claimed_by = NULL
          WHERE issue_id = $1 AND claimed_by = $2",
        claim.issue_id,
        worker
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// Makes a failed delivery of issue `number` due now, with its attempts
/// counted afresh. `false` when it has no failed delivery.
pub async fn retry(pool: &PgPool, number: i32) -> Result<bool, AppError> {
    let updated = sqlx::query!(
        r#"UPDATE git_deliveries d
              SET state = 'queued', attempts = 0, next_attempt_at = now()
             FROM issues i
            WHERE i.id = d.issue_id AND i.number = $1 AND d.state = 'failed'"#,
        number
    )
    .execute(pool)
    .await?;
    Ok(updated.rows_affected() == 1)
}

/// The delivery of issue `number`, if it has one, and its last error as
/// stored for wording (the view's `error` holds the English words).
pub async fn view(
    pool: &PgPool,
    number: i32,
) -> Result<Option<(DeliveryView, Option<Stored>)>, AppError> {
    let row = sqlx::query!(
        r#"SELECT d.state AS "state: DeliveryState", d.commit_id, d.path, d.last_error, d.attempts,
                  d.next_attempt_at,
                  d.delivered_at, d.last_error_stored
             FROM git_deliveries d JOIN issues i ON i.id = d.issue_id
            WHERE i.number = $1"#,
        number
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|row| {
        let stored = super::stored_message(row.last_error_stored);
        let view = DeliveryView {
            number,
            state: row.state,
            commit_id: row.commit_id,
            path: row.path,
            error: row.last_error,
            attempts: row.attempts,
            next_attempt_at: row.next_attempt_at,
            delivered_at: row.delivered_at,
            can_retry: false,
        };
        (view, stored)
    }))
}
