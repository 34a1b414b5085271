//! Page chrome shared by every screen.

pub mod dom;
mod erased;
mod field;
mod header;
mod live;
pub mod parts;
mod server_text;
mod title;

pub use erased::Erase;
pub use field::Field;
pub use header::Header;
pub use live::LiveEvents;
pub use server_text::server_text;
pub use title::SiteTitle;
