//! The newsletter's settings (admin): name, templates, cadence, public URL,
//! front matter of the export, and the sections.

pub mod api;
pub mod model;
pub mod page;

pub use model::*;

#[cfg(feature = "ssr")]
pub mod sections;
#[cfg(feature = "ssr")]
pub mod service;
