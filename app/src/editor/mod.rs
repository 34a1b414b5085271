//! The issue editor: the list of issues, the draft with its sections and
//! picks, commentary in Markdown with a preview from the export's own
//! renderer, notes, history, presence, live updates and meeting mode.

pub mod api;
mod document;
pub mod model;
pub mod pages;

pub use document::document;
pub use model::*;

#[cfg(feature = "ssr")]
pub mod drafts;
#[cfg(feature = "ssr")]
pub mod picking;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod structure;
