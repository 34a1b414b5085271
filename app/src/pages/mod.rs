//! Small pages that belong to no feature: 404 and load errors.

mod load_error;
mod not_found;

pub use load_error::LoadError;
pub use not_found::NotFound;
