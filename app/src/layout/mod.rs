//! Page chrome shared by every screen.

mod header;
pub mod parts;

pub use header::Header;
