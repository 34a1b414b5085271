//! `POST /edit/import`: back issues uploaded from the Issues page (admins),
//! as a plain multipart form so it works without JavaScript: one or more
//! `file` fields and an optional `first_number`. The files are imported in
//! the background and the browser is sent to the batch's progress page.
//! Each file is read up to the size an issue may have; a bigger one is
//! drained, not kept, and fails alone in the report.

use axum::{
    extract::{Multipart, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use newsdesk_app::import::{
    parse::MAX_IMPORT_BYTES,
    service::{self, ImportFile, MAX_FILES},
    FileReport,
};

use super::{guard::Admin, HttpState};

/// The whole upload: many files, each drained past its own limit.
pub const UPLOAD_LIMIT: usize = 256 * 1024 * 1024;

pub async fn upload(
    Admin(caller): Admin,
    State(state): State<HttpState>,
    multipart: Multipart,
) -> Response {
    let pool = state.app.pool.clone();
    let (files, refused, first_number) = match read_form(multipart).await {
        Ok(form) => form,
        Err(message) => return (StatusCode::BAD_REQUEST, message).into_response(),
    };
    if files.is_empty() && refused.is_empty() {
        return (StatusCode::BAD_REQUEST, "choose at least one file").into_response();
    }
    let member_id = Some(caller.member.id);
    let batch = match service::start_batch(&pool, member_id, files.len() + refused.len()).await {
        Ok(batch) => batch,
        Err(error) => {
            tracing::error!(%error, "starting an import of back issues");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    tokio::spawn(newsdesk_app::lang::keep(async move {
        for report in refused {
            if let Err(error) = service::add_report(&pool, batch, &report).await {
                tracing::error!(%error, "recording an import report");
            }
        }
        service::run_batch(pool, batch, files, first_number, member_id).await;
    }));
    Redirect::to(&format!("/edit/import/{batch}")).into_response()
}

type Form = (Vec<ImportFile>, Vec<FileReport>, Option<i32>);

/// The files (those too big already refused) and the first number.
async fn read_form(mut multipart: Multipart) -> Result<Form, String> {
    let mut files = Vec::new();
    let mut refused = Vec::new();
    let mut first_number = None;
    let broke_off = |error: axum::extract::multipart::MultipartError| {
        format!("the upload broke off: {}", error.body_text())
    };
    while let Some(mut field) = multipart.next_field().await.map_err(broke_off)? {
        match field.name() {
            Some("first_number") => {
                let text = field.text().await.map_err(broke_off)?;
                let text = text.trim();
                if !text.is_empty() {
                    first_number = Some(
                        text.parse::<i32>()
                            .ok()
                            .filter(|n| *n > 0)
                            .ok_or("the first number is a whole number above 0")?,
                    );
                }
            }
            Some("file") => {
                let name = field
                    .file_name()
                    .map(str::to_owned)
                    .filter(|name| !name.is_empty())
                    .unwrap_or_else(|| "(unnamed file)".into());
                let mut bytes = Vec::new();
                let mut size = 0usize;
                while let Some(chunk) = field.chunk().await.map_err(broke_off)? {
                    size += chunk.len();
                    if size <= MAX_IMPORT_BYTES {
                        bytes.extend_from_slice(&chunk);
                    }
                }
                if files.len() + refused.len() >= MAX_FILES {
                    refused.push(FileReport::failed(
                        &name,
                        format!("at most {MAX_FILES} files are imported at once"),
                    ));
                } else if let Err(message) = service::check_size(size) {
                    refused.push(FileReport::failed(&name, message));
                } else if size == 0 && name == "(unnamed file)" {
                    // An empty file input sends one nameless, empty part.
                } else {
                    files.push(ImportFile { name, bytes });
                }
            }
            _ => {}
        }
    }
    Ok((files, refused, first_number))
}
