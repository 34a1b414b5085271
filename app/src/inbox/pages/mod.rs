//! The inbox screens: the list with filters, keyboard and live updates, and
//! adding a link by hand (with its bookmarklet).

mod actions;
mod add_page;
mod filters;
mod inbox_page;
mod keys;
mod list;
mod row;
mod shortcuts;
mod triage;

pub use add_page::AddLinkPage;
pub use inbox_page::InboxPage;
