//! CSRF defence: a browser only sends unsafe requests (POST, PUT, PATCH,
//! DELETE; server functions included) for us if they come from our own
//! pages. Browsers say where a request comes from in `Sec-Fetch-Site` and
//! `Origin`; a request that shows neither is refused too. Requests with an
//! `Authorization: Bearer` token are exempt: they are authenticated by the
//! token alone (cookies are ignored then), which no other site can attach.

use axum::{
    extract::Request,
    http::{header, Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};
use newsdesk_app::i18n::td_string;

pub async fn refuse_cross_origin_writes(request: Request, next: Next) -> Response {
    if is_safe_method(request.method()) || is_same_origin(&request) || has_bearer_token(&request) {
        return next.run(request).await;
    }
    tracing::warn!(
        method = %request.method(),
        path = request.uri().path(),
        origin = ?request.headers().get(header::ORIGIN),
        "refused a cross-origin write"
    );
    // Before the language middleware: the message follows the headers.
    let locale = newsdesk_app::lang::resolve_headers(request.headers(), None, None);
    (
        StatusCode::FORBIDDEN,
        format!("{}\n", td_string!(locale, common.error_cross_origin)),
    )
        .into_response()
}

fn has_bearer_token(request: &Request) -> bool {
    request
        .headers()
        .get(header::AUTHORIZATION)
        .is_some_and(|value| value.as_bytes().starts_with(b"Bearer "))
}

fn is_safe_method(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

fn is_same_origin(request: &Request) -> bool {
    let headers = request.headers();
    if let Some(site) = headers.get("sec-fetch-site") {
        return site.as_bytes() == b"same-origin";
    }
    let (Some(origin), Some(host)) = (headers.get(header::ORIGIN), headers.get(header::HOST))
    else {
        return false;
    };
    let (Ok(origin), Ok(host)) = (origin.to_str(), host.to_str()) else {
        return false;
    };
    origin_authority(origin).is_some_and(|authority| authority.eq_ignore_ascii_case(host))
}

/// `https://example.com:8443` → `example.com:8443`; `null` and other
/// opaque origins → None.
fn origin_authority(origin: &str) -> Option<&str> {
    let (scheme, authority) = origin.split_once("://")?;
    matches!(scheme, "http" | "https").then_some(authority)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;

    fn post(headers: &[(&str, &str)]) -> Request {
        let mut builder = Request::builder().method(Method::POST).uri("/api/add_feed");
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        builder.body(Body::empty()).unwrap()
    }

    #[test]
    fn sec_fetch_site_decides_when_present() {
        assert!(is_same_origin(&post(&[("sec-fetch-site", "same-origin")])));
        assert!(!is_same_origin(&post(&[("sec-fetch-site", "cross-site")])));
        assert!(!is_same_origin(&post(&[("sec-fetch-site", "same-site")])));
        // A lying Origin does not override a cross-site fetch.
        assert!(!is_same_origin(&post(&[
            ("sec-fetch-site", "cross-site"),
            ("origin", "http://localhost:3000"),
            ("host", "localhost:3000"),
        ])));
    }

    #[test]
    fn origin_must_match_host() {
        assert!(is_same_origin(&post(&[
            ("origin", "http://localhost:3000"),
            ("host", "localhost:3000")
        ])));
        assert!(!is_same_origin(&post(&[
            ("origin", "http://evil.example"),
            ("host", "localhost:3000")
        ])));
        assert!(!is_same_origin(&post(&[
            ("origin", "null"),
            ("host", "localhost:3000")
        ])));
        assert!(!is_same_origin(&post(&[("host", "localhost:3000")])));
    }

    #[test]
    fn only_bearer_authorization_is_exempt() {
        assert!(has_bearer_token(&post(&[("authorization", "Bearer nd_x")])));
        assert!(!has_bearer_token(&post(&[("authorization", "Basic eDp5")])));
        assert!(!has_bearer_token(&post(&[(
            "cookie",
            "newsdesk_session=x"
        )])));
    }
}
