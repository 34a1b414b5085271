//! Publishing: checks, the frozen snapshot, corrections, the public archive,
//! the Markdown export and the Atom/RSS feeds of issues.

pub mod api;
pub mod model;
pub mod pages;

pub use model::*;

#[cfg(feature = "ssr")]
pub mod archive;
#[cfg(feature = "ssr")]
pub mod readers;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod snapshot;
#[cfg(feature = "ssr")]
pub mod syndication;
