//! Small pages that belong to no feature: 404, load errors and not-yet-built
//! screens.

mod load_error;
mod not_built_yet;
mod not_found;

pub use load_error::LoadError;
pub use not_built_yet::NotBuiltYet;
pub use not_found::NotFound;
