//! Page chrome shared by every screen.

mod field;
mod header;
mod live;
pub mod parts;

pub use field::Field;
pub use header::Header;
pub use live::LiveEvents;
