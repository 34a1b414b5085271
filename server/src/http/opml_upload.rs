//! `POST /feeds/import`: an OPML file uploaded from the Feeds page (a plain
//! multipart form, so it works without JavaScript). Starts a background
//! import and redirects to its progress page.

use axum::{
    extract::{Multipart, State},
    response::{IntoResponse, Redirect, Response},
};
use newsdesk_app::feeds::opml::import::{self as import_job, MAX_FILE_BYTES};

use super::{guard::Editor, HttpState};

pub async fn upload(_: Editor, State(state): State<HttpState>, multipart: Multipart) -> Response {
    let pool = &state.app.pool;
    let started = match read_file(multipart).await {
        Ok((name, text)) => import_job::start_import(pool, &name, text).await,
        Err((name, reason)) => import_job::record_failed_upload(pool, &name, &reason).await,
    };
    match started {
        Ok(id) => Redirect::to(&format!("/feeds/import/{id}")).into_response(),
        Err(error) => (
            axum::http::StatusCode::INTERNAL_SERVER_ERROR,
            error.to_string(),
        )
            .into_response(),
    }
}

/// The `file` field as text; the error names what is wrong with it.
async fn read_file(mut multipart: Multipart) -> Result<(String, String), (String, String)> {
    let unnamed = || "(no file)".to_owned();
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => return Err((unnamed(), "no file was uploaded".into())),
            Err(error) => {
                return Err((
                    unnamed(),
                    format!("the upload broke off: {}", error.body_text()),
                ))
            }
        };
        if field.name() != Some("file") {
            continue;
        }
        let name = field
            .file_name()
            .map(str::to_owned)
            .filter(|name| !name.is_empty())
            .unwrap_or_else(|| "upload.opml".into());
        let bytes = match field.bytes().await {
            Ok(bytes) => bytes,
            Err(error) => {
                return Err((name, format!("the upload broke off: {}", error.body_text())))
            }
        };
        if bytes.is_empty() {
            return Err((name, "the file is empty".into()));
        }
        if bytes.len() > MAX_FILE_BYTES {
            return Err((
                name,
                format!(
                    "the file is larger than {} MiB",
                    MAX_FILE_BYTES / (1024 * 1024)
                ),
            ));
        }
        return match String::from_utf8(bytes.to_vec()) {
            Ok(text) => Ok((name, text)),
            Err(_) => Err((
                name,
                "the file is not UTF-8 text (is it an OPML file?)".into(),
            )),
        };
    }
}
