//! Importing back issues: Markdown files in the layouts teams publish
//! (embed card, Zenn link card, linked heading) read into published issues
//! with their own numbers, dates, sections and closing part.

#[cfg(feature = "ssr")]
pub mod parse;
