//! HTTP-level tests against a real server on a free port and a fresh
//! database per test.

#[path = "../support/mod.rs"]
mod support;

mod feeds;
mod web_basics;
