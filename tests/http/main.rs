//! HTTP-level tests against a real server on a free port and a fresh
//! database per test.

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
mod issues;
mod migrations;
mod opml;
mod publish;
mod series;
mod sessions;
mod sse;
mod web_basics;
mod webhooks;
