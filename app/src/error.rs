//! The one error type of the app crate. The browser only ever sees the
//! user-facing variants; causes of internal errors stay in the server log.

use leptos::server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};
use serde::{Deserialize, Serialize};

use crate::{
    i18n::td_string,
    lang::{self, fill},
};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// Input the user can fix; `field` names the form field it belongs to.
    #[error("{message}")]
    Invalid { field: String, message: String },
    #[error("{}", td_string!(lang::current(), common.error_not_found))]
    NotFound,
    /// No member is signed in (or the presented credentials are not valid).
    #[error("{0}")]
    Unauthenticated(String),
    /// A member is signed in but their role does not allow this.
    #[error("{0}")]
    Forbidden(String),
    /// Too many attempts in a short time (sign-in throttling).
    #[error("{0}")]
    Throttled(String),
    /// A save was based on an older version of the row (HTTP 409): the
    /// value and version as they are now, and who changed it.
    #[error("{}", conflict_text(.changed_by))]
    Conflict {
        version: i32,
        value: String,
        changed_by: String,
    },
    /// The request itself was malformed (missing or undecodable arguments).
    #[error("{}", bad_request_text(.0))]
    BadRequest(String),
    /// Something failed on the server; the cause has been logged there.
    #[error("{}", internal_text())]
    Internal,
    /// The request did not reach the server function or its answer was
    /// unreadable (network down, server restarted, …).
    #[error("{}", transport_text(.0))]
    Transport(String),
}

impl AppError {
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        Self::Invalid {
            field: field.to_owned(),
            message: message.into(),
        }
    }

    /// A save based on an older version: the version and value as they are
    /// now, and who changed it ("someone" when no member is recorded).
    pub fn conflict(version: i32, value: String, changed_by: Option<String>) -> Self {
        Self::Conflict {
            version,
            value,
            changed_by: changed_by
                .unwrap_or_else(|| td_string!(lang::current(), common.error_someone).into()),
        }
    }

    /// The message to show next to `field`, if this error is about it.
    pub fn field_message(&self, field: &str) -> Option<String> {
        match self {
            Self::Invalid { field: f, message } if f == field => Some(message.clone()),
            _ => None,
        }
    }

    /// Logs an unexpected server-side failure and returns the opaque error
    /// the browser may see.
    #[cfg(feature = "ssr")]
    pub fn internal(context: &str, cause: impl std::fmt::Display) -> Self {
        tracing::error!(%cause, "{context}");
        Self::Internal
    }
}

/// "Alice changed this while you were editing.", in the current language.
fn conflict_text(changed_by: &str) -> String {
    fill(
        td_string!(lang::current(), common.error_conflict),
        &[("name", changed_by)],
    )
}

/// "The request was malformed: …"
fn bad_request_text(detail: &str) -> String {
    fill(
        td_string!(lang::current(), common.error_bad_request),
        &[("detail", detail)],
    )
}

/// What the browser sees of an internal error.
fn internal_text() -> &'static str {
    td_string!(lang::current(), common.error_internal)
}

/// "The server could not be reached: …"
fn transport_text(detail: &str) -> String {
    fill(
        td_string!(lang::current(), common.error_transport),
        &[("detail", detail)],
    )
}

impl AppError {
    /// The HTTP status a server-function response with this error gets.
    pub fn status_code(&self) -> u16 {
        match self {
            Self::Invalid { .. } => 422,
            Self::NotFound => 404,
            Self::Unauthenticated(_) => 401,
            Self::Forbidden(_) => 403,
            Self::Throttled(_) => 429,
            Self::Conflict { .. } => 409,
            Self::BadRequest(_) => 400,
            Self::Internal | Self::Transport(_) => 500,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Request(message) | ServerFnErrorErr::Response(message) => {
                Self::Transport(message)
            }
            ServerFnErrorErr::Args(message) | ServerFnErrorErr::Deserialization(message) => {
                Self::BadRequest(message)
            }
            other => {
                #[cfg(feature = "ssr")]
                tracing::warn!(error = %other, "server function failed outside its body");
                #[cfg(not(feature = "ssr"))]
                let _ = other;
                Self::Internal
            }
        }
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(cause: sqlx::Error) -> Self {
        Self::internal("database error", cause)
    }
}
