//! Delivering published issues into a git repository (a Zenn or Hugo
//! site): the target in Settings, the durable delivery job that writes the
//! export, commits and pushes, and the state members see with "Retry".

pub mod api;
pub mod model;
pub mod pages;

pub use model::*;

#[cfg(feature = "ssr")]
pub mod git;
#[cfg(feature = "ssr")]
pub mod job;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
mod workdir;
