//! The Feeds screen: the list of sources and the form to add one.

mod api;
mod page;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod validate;

pub use api::{add_feed, list_feeds, AddFeed, ListFeeds};
pub use page::FeedsPage;
