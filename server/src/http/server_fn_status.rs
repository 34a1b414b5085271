//! Server functions answer every error with 500; give each error its real
//! status instead (422 for input the user can fix, 400 for malformed
//! requests), so logs, monitoring and API clients can tell them apart.
//! Plain form posts are redirects and stay untouched.

use axum::{
    body::{to_bytes, Body},
    extract::Request,
    http::StatusCode,
    middleware::Next,
    response::Response,
};
use newsdesk_app::error::AppError;

/// Server-function error bodies are small JSON; anything larger is not one.
const MAX_ERROR_BODY: usize = 64 * 1024;

pub async fn set_error_status(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !response.headers().contains_key("serverfnerror")
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = match to_bytes(body, MAX_ERROR_BODY).await {
        Ok(bytes) => bytes,
        Err(error) => {
            tracing::warn!(%error, "unreadable server function error body");
            return Response::from_parts(parts, Body::empty());
        }
    };
    if let Ok(error) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status = StatusCode::from_u16(error.status_code()).unwrap_or(parts.status);
    }
    Response::from_parts(parts, Body::from(bytes))
}
