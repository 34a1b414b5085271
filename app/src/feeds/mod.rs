//! The Feeds screens: the list with health, adding (with discovery and the
//! starter set), a feed's settings, filter rules and fetch history.

mod api;
pub mod model;
mod detail_page;
mod filters_page;
mod page;
mod parts;
mod rules_editor;
pub mod starter;

#[cfg(feature = "ssr")]
pub mod import_job;
mod import_page;
#[cfg(feature = "ssr")]
pub mod opml;
#[cfg(feature = "ssr")]
pub mod rules;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod validate;

pub use api::*;
pub use detail_page::FeedPage;
pub use filters_page::TeamFiltersPage;
pub use import_page::ImportPage;
pub use page::FeedsPage;
