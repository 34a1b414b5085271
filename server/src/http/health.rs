//! `GET /healthz`: 200 only when the database answers, for load balancers
//! and process supervisors.

use std::time::Duration;

use axum::{extract::State, http::header, http::StatusCode, response::IntoResponse};

use super::HttpState;

pub async fn healthz(State(state): State<HttpState>) -> impl IntoResponse {
    let ping = sqlx::query("SELECT 1").execute(&state.app.pool);
    let (status, body) = match tokio::time::timeout(Duration::from_secs(2), ping).await {
        Ok(Ok(_)) => (StatusCode::OK, "ok\n"),
        Ok(Err(error)) => {
            tracing::warn!(%error, "health check: database error");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable\n")
        }
        Err(_) => {
            tracing::warn!("health check: database did not answer within 2 s");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable\n")
        }
    };
    (status, [(header::CACHE_CONTROL, "no-store")], body)
}
