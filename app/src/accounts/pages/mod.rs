//! Pages of signing in, invitations, the member's account, and the admins'
//! members page and audit log.

mod account;
mod audit;
mod invitation;
mod members;
mod preferences;
mod sign_in;

pub use account::AccountPage;
pub use audit::AuditPage;
pub use invitation::InvitationPage;
pub use members::MembersPage;
pub use sign_in::SignInPage;
