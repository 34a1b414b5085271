//! API errors as JSON: `{"error": {"kind", "message", "field"?}}` with the
//! status the error deserves. Internal causes were logged where they arose.

use axum::{
    extract::rejection::{JsonRejection, PathRejection, QueryRejection},
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    Json,
};
use newsdesk_app::error::AppError;
use serde_json::json;

pub struct ApiError(pub AppError);

impl From<AppError> for ApiError {
    fn from(error: AppError) -> Self {
        Self(error)
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(error: sqlx::Error) -> Self {
        Self(error.into())
    }
}

macro_rules! bad_request_from {
    ($($rejection:ty),*) => {$(
        impl From<$rejection> for ApiError {
            fn from(rejection: $rejection) -> Self {
                Self(AppError::BadRequest(rejection.body_text()))
            }
        }
    )*};
}
bad_request_from!(JsonRejection, PathRejection, QueryRejection);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status =
            StatusCode::from_u16(self.0.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let (kind, field) = match &self.0 {
            AppError::Invalid { field, .. } => ("invalid", Some(field.clone())),
            AppError::NotFound => ("not_found", None),
            AppError::Unauthenticated(_) => ("unauthenticated", None),
            AppError::Forbidden(_) => ("forbidden", None),
            AppError::Throttled(_) => ("throttled", None),
            AppError::Conflict { .. } => ("conflict", None),
            AppError::BadRequest(_) => ("bad_request", None),
            AppError::Internal | AppError::Transport(_) => ("internal", None),
        };
        let mut error = json!({ "kind": kind, "message": self.0.to_string() });
        if let Some(field) = field {
            error["field"] = json!(field);
        }
        if let AppError::Conflict {
            version,
            value,
            changed_by,
        } = &self.0
        {
            error["current"] =
                json!({ "version": version, "value": value, "changed_by": changed_by });
        }
        let mut response = (status, Json(json!({ "error": error }))).into_response();
        if status == StatusCode::UNAUTHORIZED {
            // RFC 6750: tell clients which scheme to use.
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"newsdesk\""),
            );
        }
        response
    }
}
