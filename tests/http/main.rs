//! HTTP-level tests against a real server on a free port and a fresh
//! database per test.

// Tests may unwrap: a panic is how a test fails (the workspace denies
// unwrap outside tests).
#![allow(clippy::unwrap_used)]

#[path = "../support/mod.rs"]
mod support;

mod accounts;
mod api;
mod authz;
mod delivery;
mod editor;
mod feed_admin;
mod feeds;
#[path = "../ingest/fixtures.rs"]
#[allow(dead_code)]
mod fixtures;
mod inbox;
mod languages;
mod migrations;
mod opml;
mod publish;
mod series;
mod sessions;
mod web_basics;
mod webhooks;
