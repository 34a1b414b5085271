//! The role guards of axum handlers: one extractor per role, each the
//! signed-in member (session or Bearer token) whose role includes it.
//! Without one the handler never runs: 401 for nobody, 403 for a lower role.

use axum::{extract::FromRequestParts, http::request::Parts};
use newsdesk_app::accounts::{
    actor::Actor,
    identity::{Client, Identity},
    Member, Role,
};

use super::api::error::ApiError;

/// The member a guard let through, and where the request came from.
pub struct Caller {
    pub member: Member,
    pub client: Client,
}

impl Caller {
    /// Who acts, for the audit log.
    pub fn actor(&self) -> Actor {
        Actor::web(&self.member, &self.client)
    }

    fn from_parts(parts: &Parts, role: Role) -> Result<Self, ApiError> {
        let identity = parts
            .extensions
            .get::<Identity>()
            .cloned()
            .unwrap_or(Identity::Anonymous);
        let member = identity.require(role)?;
        let client = parts
            .extensions
            .get::<Client>()
            .cloned()
            .unwrap_or_default();
        Ok(Self { member, client })
    }
}

macro_rules! role_guard {
    ($($(#[$doc:meta])* $name:ident => $role:expr;)*) => {$(
        $(#[$doc])*
        pub struct $name(pub Caller);

        impl<S: Send + Sync> FromRequestParts<S> for $name {
            type Rejection = ApiError;

            async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
                Caller::from_parts(parts, $role).map($name)
            }
        }
    )*};
}

role_guard! {
    /// Any signed-in member: reading.
    Viewer => Role::Viewer;
    /// Triage, picking, writing, adding feeds.
    Editor => Role::Editor;
    /// Publishing issues.
    Publisher => Role::Publisher;
    /// Members, feed settings, newsletter settings.
    Admin => Role::Admin;
}
