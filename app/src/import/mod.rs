//! Importing back issues: Markdown files in the layouts teams publish
//! (embed card, Zenn link card, linked heading) read into published issues
//! with their own numbers, dates, sections and closing part.

pub mod api;
pub mod model;
pub mod pages;

pub use model::*;

#[cfg(feature = "ssr")]
pub mod parse;
#[cfg(feature = "ssr")]
pub mod service;
