//! The JSON API under `/api/v1`, documented in docs/api.md. Handlers are
//! thin: check the role, parse, call the service the web app uses too,
//! answer JSON. Routes are listed in `super::routes`.

pub mod candidates;
pub mod error;
pub mod feeds;
pub mod issues;
pub mod picks;
pub mod sections;
pub mod settings;

use axum::{
    extract::{
        rejection::{JsonRejection, PathRejection},
        Path,
    },
    Json,
};

/// What a handler answers: its response, or the API's JSON error.
pub type Result<T> = std::result::Result<T, error::ApiError>;
/// A JSON body as a handler takes it, so that a malformed one is answered
/// as the API's 400 rather than axum's plain text.
pub type Body<T> = std::result::Result<Json<T>, JsonRejection>;
/// A path parameter, likewise.
pub type Id<T> = std::result::Result<Path<T>, PathRejection>;
