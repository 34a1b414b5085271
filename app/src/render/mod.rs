//! The one renderer of a newsletter issue: Markdown for export, and HTML
//! from that Markdown for previews, the public archive and the feeds. It is
//! pure and compiled into both the server and the browser, so what an
//! editor previews is byte for byte what readers get.

mod escape;
#[cfg(test)]
pub(crate) mod generated;
mod html;
mod markdown;
pub mod model;
#[cfg(test)]
mod tests;

#[cfg(feature = "ssr")]
pub use html::markdown_to_public_html;
pub use html::{issue_html, markdown_to_html, section_anchor};
pub use markdown::{render_body, render_issue};
pub use model::{FrontMatter, IssueDoc, PickDoc, PickLayout, Rendering, SectionDoc};
