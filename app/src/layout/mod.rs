//! Page chrome shared by every screen.

mod field;
mod header;
pub mod parts;

pub use field::Field;
pub use header::Header;
