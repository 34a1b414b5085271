//! Who is making the current request, and the one guard every server
//! function and API handler calls before doing anything. The server's
//! identity middleware works out the [`Identity`] once per request (from
//! the session cookie or a Bearer token) and stores it, with the
//! [`Client`], as request extensions; this module reads them back.

use leptos::prelude::use_context;

use super::{Member, Role};
use crate::{
    error::AppError,
    i18n::td_string,
    lang::{self, fill},
};

/// How the caller proved who they are.
#[derive(Debug, Clone)]
pub enum Identity {
    /// No cookie, no Authorization header.
    Anonymous,
    /// A signed-in browser; `session` is the stored hash of its session id.
    Session { member: Member, session: Vec<u8> },
    /// An API token (`Authorization: Bearer`); cookies are ignored then.
    Token { member: Member },
    /// Credentials were presented but are not valid (tampered or expired
    /// cookie, revoked token, …); the message says which.
    Rejected(String),
}

impl Identity {
    pub fn member(&self) -> Option<&Member> {
        match self {
            Self::Session { member, .. } | Self::Token { member } => Some(member),
            Self::Anonymous | Self::Rejected(_) => None,
        }
    }

    /// The signed-in member if their role includes `role`: 401 when nobody
    /// is signed in, 403 when the role is too low.
    pub fn require(&self, role: Role) -> Result<Member, AppError> {
        match (self, self.member()) {
            (_, Some(member)) if member.role.includes(role) => Ok(member.clone()),
            (_, Some(member)) => {
                // English needs "an editor" but "a viewer".
                let text = if matches!(member.role, Role::Editor | Role::Admin) {
                    td_string!(lang::current(), accounts.role_too_low_an)
                } else {
                    td_string!(lang::current(), accounts.role_too_low_a)
                };
                Err(AppError::Forbidden(fill(
                    text,
                    &[
                        ("role", role.label()),
                        ("name", &member.name),
                        ("member_role", member.role.label()),
                    ],
                )))
            }
            (Self::Rejected(message), None) => Err(AppError::Unauthenticated(message.clone())),
            _ => Err(AppError::Unauthenticated(
                td_string!(lang::current(), accounts.sign_in_to_continue).to_owned(),
            )),
        }
    }
}

/// Where a request comes from: the client address (the peer, or the
/// forwarded address when the peer is a trusted proxy) and its User-Agent.
#[derive(Debug, Clone, Default)]
pub struct Client {
    pub addr: String,
    pub user_agent: Option<String>,
}

/// The current request's parts; server functions run inside one.
fn request_parts() -> Option<http::request::Parts> {
    use_context::<http::request::Parts>()
}

/// The identity of the current request; anonymous outside a request.
pub fn current_identity() -> Identity {
    request_parts()
        .and_then(|parts| parts.extensions.get::<Identity>().cloned())
        .unwrap_or(Identity::Anonymous)
}

pub fn current_client() -> Client {
    request_parts()
        .and_then(|parts| parts.extensions.get::<Client>().cloned())
        .unwrap_or_default()
}

/// The guard of server functions: the signed-in member if their role
/// includes `role`, otherwise 401 or 403.
pub fn require(role: Role) -> Result<Member, AppError> {
    current_identity().require(role)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(role: Role) -> Member {
        Member {
            id: 1,
            name: "Erika".into(),
            role,
            active: true,
            created_at: chrono::Utc::now(),
            deactivated_at: None,
            language: None,
            time_zone: None,
        }
    }

    #[test]
    fn nobody_gets_401_and_a_low_role_403() {
        assert!(matches!(
            Identity::Anonymous.require(Role::Viewer),
            Err(AppError::Unauthenticated(_))
        ));
        let rejected = Identity::Rejected("The API token is not valid.".into());
        assert_eq!(
            rejected.require(Role::Viewer),
            Err(AppError::Unauthenticated(
                "The API token is not valid.".into()
            ))
        );
        let viewer = Identity::Token {
            member: member(Role::Viewer),
        };
        let refused = viewer.require(Role::Editor).unwrap_err();
        assert_eq!(refused.status_code(), 403);
        assert!(refused.to_string().contains("needs the editor role"));
        assert_eq!(viewer.require(Role::Viewer).unwrap().name, "Erika");
        let admin = Identity::Session {
            member: member(Role::Admin),
            session: vec![1],
        };
        for role in Role::ALL {
            assert!(admin.require(role).is_ok());
        }
    }
}
