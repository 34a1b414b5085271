//! `GET /feeds.opml`: the feed list as an OPML download, to move it into a
//! feed reader or another newsdesk.

use axum::{
    extract::State,
    http::{header, StatusCode},
    response::{IntoResponse, Response},
};
use newsdesk_app::{feeds::opml::export_opml, i18n::td_string};

use super::{guard::Viewer, HttpState};

pub async fn export(_: Viewer, State(state): State<HttpState>) -> Response {
    match export_opml(&state.app.pool).await {
        Ok(document) => (
            [
                (header::CONTENT_TYPE, "text/x-opml; charset=utf-8"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"newsdesk-feeds.opml\"",
                ),
                // The list changes whenever someone adds a feed.
                (header::CACHE_CONTROL, "no-store"),
            ],
            document,
        )
            .into_response(),
        Err(error) => {
            tracing::error!(%error, "OPML export failed");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
                format!(
                    "{}\n",
                    td_string!(newsdesk_app::lang::current(), feeds.opml_export_failed)
                ),
            )
                .into_response()
        }
    }
}
