//! What readers fetch: `/feed.atom` and `/feed.xml` (published issues,
//! with ETag and Last-Modified so readers can revalidate), `/picks.xml` (a
//! member's private feed of the draft, by token) and `/issues/{n}.md`.

use axum::{
    body::Body,
    extract::{Query, Request, State},
    http::{header, HeaderMap, HeaderValue, Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};
use chrono::DateTime;
use newsdesk_app::{
    accounts::identity::Identity,
    publish::readers::{self, FeedDoc, FeedFormat},
};
use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::{api::error::ApiError, HttpState};

const ATOM: &str = "application/atom+xml; charset=utf-8";
const RSS: &str = "application/rss+xml; charset=utf-8";

fn host(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::HOST)
        .and_then(|host| host.to_str().ok())
}

pub async fn atom(
    State(state): State<HttpState>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let app = &state.app;
    let feed = readers::issues_feed(&app.pool, &app.web, host(&headers), FeedFormat::Atom).await?;
    Ok(conditional(&headers, ATOM, feed))
}

pub async fn rss(State(state): State<HttpState>, headers: HeaderMap) -> Result<Response, ApiError> {
    let app = &state.app;
    let feed = readers::issues_feed(&app.pool, &app.web, host(&headers), FeedFormat::Rss).await?;
    Ok(conditional(&headers, RSS, feed))
}

/// 304 when the reader's copy is current (`If-None-Match`, else
/// `If-Modified-Since`), else the body with its validators.
fn conditional(
    headers: &HeaderMap,
    content_type: &'static str,
    FeedDoc { body, modified }: FeedDoc,
) -> Response {
    let digest = Sha256::digest(body.as_bytes());
    let etag: String = format!(
        "\"{}\"",
        digest[..16]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    );
    let last_modified = modified.format("%a, %d %b %Y %H:%M:%S GMT").to_string();
    let not_modified = match headers.get(header::IF_NONE_MATCH) {
        Some(tags) => tags.to_str().is_ok_and(|tags| {
            tags.split(',')
                .any(|tag| tag.trim() == etag || tag.trim() == "*")
        }),
        None => headers
            .get(header::IF_MODIFIED_SINCE)
            .and_then(|since| since.to_str().ok())
            .and_then(|since| DateTime::parse_from_rfc2822(since).ok())
            .is_some_and(|since| modified.timestamp() <= since.timestamp()),
    };
    let validators = [
        (header::ETAG, etag),
        (header::LAST_MODIFIED, last_modified),
        (header::CACHE_CONTROL, "no-cache".to_owned()),
    ];
    if not_modified {
        return (StatusCode::NOT_MODIFIED, validators).into_response();
    }
    let mut response = (validators, body).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}

#[derive(Deserialize)]
pub struct TokenQuery {
    #[serde(default)]
    token: String,
}

/// The current draft's picks for the member whose feed token is given.
pub async fn picks(
    State(state): State<HttpState>,
    headers: HeaderMap,
    Query(query): Query<TokenQuery>,
) -> Result<Response, ApiError> {
    let app = &state.app;
    let feed = readers::picks_feed(&app.pool, &app.web, host(&headers), &query.token).await?;
    Ok(conditional(&headers, RSS, feed))
}

/// `GET /issues/{number}.md`: the Markdown export. Published issues are
/// public; drafts and hidden issues only for members (others get 404, as
/// if they did not exist). Everything else passes through.
pub async fn issue_markdown(
    State(state): State<HttpState>,
    request: Request,
    next: Next,
) -> Response {
    let number = request
        .uri()
        .path()
        .strip_prefix("/issues/")
        .and_then(|rest| rest.strip_suffix(".md"))
        .and_then(|n| n.parse::<i32>().ok());
    let (Some(number), true) = (number, request.method() == Method::GET) else {
        return next.run(request).await;
    };
    let member = request
        .extensions()
        .get::<Identity>()
        .and_then(Identity::member)
        .is_some();
    match readers::markdown_for(&state.app.pool, number, member).await {
        Ok(markdown) => markdown_response(number, markdown),
        Err(error) => ApiError(error).into_response(),
    }
}

/// An issue's Markdown as a response, named `issue-{number}.md`.
pub(crate) fn markdown_response(number: i32, markdown: String) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                "text/markdown; charset=utf-8".to_owned(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"issue-{number}.md\""),
            ),
        ],
        Body::from(markdown),
    )
        .into_response()
}
