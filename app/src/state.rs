//! Server-side state the app reads from the Leptos context.

use sqlx::PgPool;

/// Everything server functions need, provided once per request by the server.
#[derive(Clone)]
pub struct AppState {
    pub pool: PgPool,
}

impl AppState {
    /// The state of the current request. Server functions only run inside a
    /// request the server set up, so a missing state is a wiring bug.
    pub fn current() -> Result<Self, crate::error::AppError> {
        leptos::prelude::use_context::<Self>().ok_or_else(|| {
            crate::error::AppError::internal("AppState missing", "not provided in context")
        })
    }
}

/// The per-request Content-Security-Policy nonce, set by the server's
/// security-headers middleware as a request extension.
#[derive(Clone, Debug)]
pub struct CspNonce(pub String);
