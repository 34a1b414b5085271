//! The JSON API under `/api/v1`, documented in docs/api.md. Handlers are
//! thin: parse, call the service the web app uses too, answer JSON.

mod candidates;
mod error;
mod feeds;

use axum::{
    routing::{get, post},
    Router,
};

use super::HttpState;

pub fn routes() -> Router<HttpState> {
    Router::new()
        .route("/api/v1/feeds", get(feeds::list).post(feeds::create))
        .route("/api/v1/feeds/refresh", post(feeds::refresh_all))
        .route(
            "/api/v1/feeds/{id}",
            get(feeds::show).patch(feeds::update).delete(feeds::delete),
        )
        .route("/api/v1/feeds/{id}/refresh", post(feeds::refresh))
        .route("/api/v1/candidates", get(candidates::list))
        .route("/api/v1/candidates/{id}", get(candidates::show))
}
