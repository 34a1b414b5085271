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
