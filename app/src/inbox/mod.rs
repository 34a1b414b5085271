//! The triage inbox: candidates with the team's signals, filters and
//! search in the URL, keyboard-driven actions, live updates, picking into
//! the current draft, and links added by hand.

pub mod api;
pub mod model;
pub mod pages;
mod query;

pub use model::*;

#[cfg(feature = "ssr")]
pub mod service;
