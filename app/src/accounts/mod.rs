//! Team accounts: who a member is (name, role), how they prove it (password,
//! session, API token, invitation), and the rules those follow. The role and
//! the plain data are shared with the browser; normalising, hashing,
//! sessions and token handling run on the server only. Queries live in
//! `crate::db`.

pub mod access;
pub mod api;
pub mod model;
pub mod pages;
mod role;

pub use model::{
    AccountOverview, ApiTokenInfo, AuditRecord, CreatedToken, Invite, InvitePurpose, Member,
    MembersOverview, SentInvite,
};
pub use role::Role;

#[cfg(feature = "ssr")]
pub mod actor;
#[cfg(feature = "ssr")]
pub mod identity;
#[cfg(feature = "ssr")]
pub mod invites;
#[cfg(feature = "ssr")]
pub mod manage;
#[cfg(feature = "ssr")]
pub mod names;
#[cfg(feature = "ssr")]
pub mod passwords;
#[cfg(feature = "ssr")]
pub mod sessions;
#[cfg(feature = "ssr")]
pub mod sign_in;
#[cfg(feature = "ssr")]
pub mod tokens;
