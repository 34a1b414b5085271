//! Page chrome shared by every screen.

mod header;

pub use header::Header;
