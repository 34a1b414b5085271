//! Database queries, one file per table group. Server-only.

pub mod feeds;
