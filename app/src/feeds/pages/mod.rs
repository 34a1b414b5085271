//! The Feeds screens: the list with health and adding (discovery, the
//! starter set), a feed's settings and fetch history, the team's filter
//! rules, and the OPML import's progress.

mod detail;
mod filters;
mod import;
mod list;
mod parts;
mod rules_editor;

pub use detail::FeedPage;
pub use filters::TeamFiltersPage;
pub use import::ImportPage;
pub use list::FeedsPage;
