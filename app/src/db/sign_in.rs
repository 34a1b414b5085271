//! Queries on `sign_in_failures`, which sign-in throttling counts.

use chrono::{DateTime, Utc};
use sqlx::PgPool;

use crate::error::AppError;

/// Failures within the window, for an account and for a client address,
/// and when the oldest of each happened (the window slides from there).
pub struct RecentFailures {
    pub for_account: i64,
    pub account_oldest: Option<DateTime<Utc>>,
    pub from_address: i64,
    pub address_oldest: Option<DateTime<Utc>>,
}

pub async fn recent(
    pool: &PgPool,
    name_key: &str,
    client_addr: &str,
    window_secs: f64,
) -> Result<RecentFailures, AppError> {
    let row = sqlx::query!(
        r#"SELECT
             count(*) FILTER (WHERE name_key = $1) AS "for_account!",
             min(at) FILTER (WHERE name_key = $1) AS account_oldest,
             count(*) FILTER (WHERE client_addr = $2) AS "from_address!",
             min(at) FILTER (WHERE client_addr = $2) AS address_oldest
           FROM sign_in_failures
           WHERE (name_key = $1 OR client_addr = $2)
             AND at > now() - make_interval(secs => $3)"#,
        name_key,
        client_addr,
        window_secs
    )
    .fetch_one(pool)
    .await?;
    Ok(RecentFailures {
        for_account: row.for_account,
        account_oldest: row.account_oldest,
        from_address: row.from_address,
        address_oldest: row.address_oldest,
    })
}

pub async fn record(pool: &PgPool, name_key: &str, client_addr: &str) -> Result<(), AppError> {
    sqlx::query!(
        "INSERT INTO sign_in_failures (name_key, client_addr) VALUES ($1, $2)",
        name_key,
        client_addr
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// A successful sign-in forgives the account's earlier failures (not the
/// address's: one right guess must not reset an attacker's budget). The rows
/// stay, under the empty key no name has, so the addresses keep counting them.
pub async fn forget_account(pool: &PgPool, name_key: &str) -> Result<(), AppError> {
    sqlx::query!(
        "UPDATE sign_in_failures SET name_key = '' WHERE name_key = $1",
        name_key
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// Drops failures older than any throttling window looks at.
pub async fn prune(pool: &PgPool, older_than_secs: f64) -> Result<u64, AppError> {
    Ok(sqlx::query!(
        "DELETE FROM sign_in_failures WHERE at <= now() - make_interval(secs => $1)",
        older_than_secs
    )
    .execute(pool)
    .await?
    .rows_affected())
}
