//! Small pages that belong to no feature: 404 and not-yet-built screens.

mod not_built_yet;
mod not_found;

pub use not_built_yet::NotBuiltYet;
pub use not_found::NotFound;
