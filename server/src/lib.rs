//! The newsdesk server: configuration, startup, HTTP routing and the
//! database it runs on. `main.rs` only parses the command line and calls
//! [`run`].

// Deeply nested views (the issue editor) have deeply nested types.
#![recursion_limit = "256"]

pub mod background;
pub mod commands;
pub mod config;
pub mod database;
pub mod error;
pub mod http;
pub mod ingest;
pub mod live;
pub mod maintenance;
pub mod startup;
pub mod telemetry;
pub mod webhooks;

pub use commands::run;
pub use error::Error;
