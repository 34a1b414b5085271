//! Team accounts: who a member is (name, role), how they prove it (password,
//! API token), and the rules those follow. The role and the plain data are
//! shared with the browser; normalising, hashing and token handling run on
//! the server only. Queries live in `crate::db::members`.

mod model;
mod role;

#[cfg(feature = "ssr")]
pub use model::AuditRecord;
pub use model::{ApiTokenInfo, Member};
pub use role::Role;

#[cfg(feature = "ssr")]
pub mod manage;
#[cfg(feature = "ssr")]
pub mod names;
#[cfg(feature = "ssr")]
pub mod passwords;
#[cfg(feature = "ssr")]
pub mod tokens;
