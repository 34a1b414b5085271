//! The daily maintenance run: old candidates (`ingest::retention`),
//! expired sessions and old failed sign-ins go once a day. One process per
//! day does it, whichever claims the run first.

use std::time::Duration;

use sqlx::PgPool;
use tokio::sync::watch;

use crate::ingest::retention::prune;

const CHECK_EVERY: Duration = Duration::from_secs(60 * 60);

/// Claims today's run: true for exactly one caller per day.
async fn claim_daily_run(pool: &PgPool) -> Result<bool, sqlx::Error> {
    let claimed = sqlx::query!(
        r#"UPDATE maintenance_runs SET last_run_at = now()
           WHERE job = 'retention' AND last_run_at < now() - interval '23 hours'"#
    )
    .execute(pool)
    .await?
    .rows_affected();
    Ok(claimed == 1)
}

/// Sessions past their limits, and failed sign-ins older than a day (far
/// beyond the throttling window).
async fn prune_accounts(pool: &PgPool) {
    match newsdesk_app::accounts::sessions::prune(pool).await {
        Ok(removed) => tracing::info!(removed, "retention: pruned expired sessions"),
        Err(error) => tracing::error!(%error, "pruning sessions failed"),
    }
    if let Err(error) = newsdesk_app::db::sign_in::prune(pool, 24.0 * 3600.0).await {
        tracing::error!(%error, "pruning failed sign-ins failed");
    }
}

/// Runs [`prune`] daily until `stop` turns true.
pub async fn run_daily(pool: PgPool, days: i32, mut stop: watch::Receiver<bool>) {
    while !*stop.borrow() {
        match claim_daily_run(&pool).await {
            Ok(true) => match prune(&pool, days).await {
                Ok(removed) => {
                    tracing::info!(removed, days, "retention: pruned old candidates");
                    prune_accounts(&pool).await;
                }
                Err(error) => tracing::error!(%error, "retention failed"),
            },
            Ok(false) => {}
            Err(error) => tracing::warn!(%error, "retention: cannot claim the daily run"),
        }
        tokio::select! {
            _ = stop.changed() => {}
            _ = tokio::time::sleep(CHECK_EVERY) => {}
        }
    }
}
