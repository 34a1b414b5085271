//! Works out, once per request, the UI language and time zone (see
//! `newsdesk_app::lang`) and stores them as request extensions for the page
//! and the server functions. A `?lang=` choice is kept in a cookie.

use axum::{
    extract::{Request, State},
    http::{header, HeaderValue},
    middleware::Next,
    response::Response,
};
use newsdesk_app::{
    accounts::{identity::Identity, sessions::cookie_value},
    lang::{self, clock, DocumentLanguage, RequestLanguage},
    settings::service::newsletter_language,
};

use super::HttpState;

pub async fn choose(State(state): State<HttpState>, mut request: Request, next: Next) -> Response {
    let headers = request.headers();
    let cookie_header = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .collect::<Vec<_>>()
        .join("; ");
    let query_lang = request.uri().query().and_then(|query| {
        url::form_urlencoded::parse(query.as_bytes())
            .find(|(name, _)| name == "lang")
            .and_then(|(_, value)| lang::from_tag(&value))
    });
    let member = request
        .extensions()
        .get::<Identity>()
        .and_then(Identity::member);
    let locale = lang::resolve_headers(
        headers,
        query_lang.map(lang::tag),
        member.and_then(|m| m.language.as_deref()),
    );
    let zone = member
        .and_then(|m| m.time_zone.clone())
        .or_else(|| cookie_value(&cookie_header, clock::ZONE_COOKIE).map(str::to_owned))
        .filter(|zone| clock::is_known_zone(zone));

    // The public archive is the newsletter's, written in its language.
    if request.uri().path().starts_with("/issues") {
        match newsletter_language(&state.app.pool).await {
            Ok(tag) => {
                request.extensions_mut().insert(DocumentLanguage(tag));
            }
            Err(error) => tracing::warn!(%error, "the newsletter's language is unknown"),
        }
    }
    request.extensions_mut().insert(RequestLanguage(locale));
    request.extensions_mut().insert(clock::Zone(zone));
    let mut response = lang::scope(locale, next.run(request)).await;
    if let Some(chosen) = query_lang {
        if let Ok(value) = HeaderValue::from_str(&lang::cookie(chosen)) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}
