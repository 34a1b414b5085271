//! Page chrome shared by every screen.

#[cfg(feature = "ssr")]
mod chunk_preloads;
pub mod dom;
mod erased;
mod field;
mod header;
mod live;
pub mod parts;
mod server_text;
mod title;

#[cfg(feature = "ssr")]
pub use chunk_preloads::preload_chunks_of;
pub use erased::Erase;
pub use field::Field;
pub use header::Header;
pub use live::LiveEvents;
pub use server_text::server_text;
pub use title::SiteTitle;
