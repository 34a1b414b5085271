//! The Feeds screens: the list with health, adding (with discovery and the
//! starter set), a feed's settings, filter rules and fetch history.

mod api;
pub mod model;
pub mod pages;
pub mod starter;

#[cfg(feature = "ssr")]
pub mod opml;
#[cfg(feature = "ssr")]
pub mod rules;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod validate;

pub use api::*;
pub use pages::{FeedPage, FeedsPage, ImportPage, TeamFiltersPage};
