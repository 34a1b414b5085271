//! Works out, once per request, where it comes from ([`Client`]) and who
//! makes it ([`Identity`]: session cookie, Bearer token, or nobody), and
//! stores both as request extensions for the guards in server functions and
//! API handlers. Also the page gate: a page that is not public redirects an
//! anonymous visitor to the sign-in page. API calls and server functions
//! are not gated here; each checks its own role and answers 401 or 403.

use std::net::{IpAddr, SocketAddr};

use axum::{
    extract::{ConnectInfo, Request, State},
    http::{header, HeaderMap, HeaderValue, Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Redirect, Response},
};
use ipnet::IpNet;
use newsdesk_app::{
    accounts::{
        access,
        identity::{Client, Identity},
        sessions, tokens,
    },
    i18n::{td_string, Locale},
};

use super::HttpState;

/// Paths that never need to know who asks; spares a database query per asset.
const ANONYMOUS_PREFIXES: &[&str] = &["/pkg/", "/favicon.svg", "/healthz"];

pub async fn identify(
    State(state): State<HttpState>,
    mut request: Request,
    next: Next,
) -> Response {
    let client = client_of(&request, &state.trusted_proxies);
    let path = request.uri().path();
    let identity = if ANONYMOUS_PREFIXES.iter().any(|p| path.starts_with(p)) {
        Identity::Anonymous
    } else {
        // This runs before the language middleware, so `lang::current()`
        // would be English here: the messages follow the request's headers.
        let locale = newsdesk_app::lang::resolve_headers(request.headers(), None, None);
        match identity_of(&state, request.headers(), locale).await {
            Ok(identity) => identity,
            Err(()) => {
                return (
                    StatusCode::SERVICE_UNAVAILABLE,
                    format!(
                        "{}\n",
                        td_string!(locale, accounts.identity_database_unreachable)
                    ),
                )
                    .into_response()
            }
        }
    };
    let stale_cookie = matches!(identity, Identity::Rejected(_))
        && !request.headers().contains_key(header::AUTHORIZATION);

    if let Some(redirect) = page_gate(&request, &identity, &state.route_paths) {
        return with_cleared_cookie(redirect, stale_cookie, &state);
    }
    request.extensions_mut().insert(identity);
    request.extensions_mut().insert(client);
    let response = next.run(request).await;
    with_cleared_cookie(response, stale_cookie, &state)
}

async fn identity_of(
    state: &HttpState,
    headers: &HeaderMap,
    locale: Locale,
) -> Result<Identity, ()> {
    let pool = &state.app.pool;
    // A request with an Authorization header is judged by it alone, never by
    // cookies: that is what lets Bearer calls skip the CSRF check safely.
    if let Some(authorization) = headers.get(header::AUTHORIZATION) {
        let Some(token) = authorization
            .to_str()
            .ok()
            .and_then(|value| value.strip_prefix("Bearer "))
        else {
            return Ok(Identity::Rejected(
                td_string!(locale, accounts.identity_unsupported_authorization).into(),
            ));
        };
        return match tokens::member_for_token(pool, token).await {
            Ok(Some(member)) => Ok(Identity::Token { member }),
            Ok(None) => Ok(Identity::Rejected(
                td_string!(locale, accounts.identity_token_invalid).into(),
            )),
            Err(_) => Err(()),
        };
    }
    let Some(cookie) = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find_map(sessions::from_cookie_header)
    else {
        return Ok(Identity::Anonymous);
    };
    match sessions::resolve(pool, cookie).await {
        Ok(Some((member, session))) => Ok(Identity::Session { member, session }),
        Ok(None) => Ok(Identity::Rejected(
            td_string!(locale, accounts.identity_session_ended).into(),
        )),
        Err(_) => Err(()),
    }
}

/// Sends an anonymous visitor of a members-only page to the sign-in page,
/// remembering where they wanted to go. API calls (Authorization header,
/// `/api/`) and the non-page routes get their handler's 401 instead.
fn page_gate(request: &Request, identity: &Identity, routes: &[&str]) -> Option<Response> {
    let path = request.uri().path();
    let is_page_view = matches!(*request.method(), Method::GET | Method::HEAD)
        && !request.headers().contains_key(header::AUTHORIZATION)
        && !path.starts_with("/api/")
        && !routes.contains(&path)
        && !access::is_public_page(path);
    if !is_page_view || identity.member().is_some() {
        return None;
    }
    let wanted = request
        .uri()
        .path_and_query()
        .map_or(path, |pq| pq.as_str());
    let next: String = url::form_urlencoded::byte_serialize(wanted.as_bytes()).collect();
    let ended = if matches!(identity, Identity::Rejected(_)) {
        "&ended=1"
    } else {
        ""
    };
    Some(Redirect::to(&format!("/sign-in?next={next}{ended}")).into_response())
}

fn with_cleared_cookie(mut response: Response, clear: bool, state: &HttpState) -> Response {
    // Signing in (or accepting an invitation) over a stale cookie sets a new
    // session; browsers apply Set-Cookie headers in order, so clearing after
    // it would sign the member straight out again.
    let prefix = format!("{}=", sessions::COOKIE_NAME);
    let sets_session = response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .any(|value| value.as_bytes().starts_with(prefix.as_bytes()));
    if clear && !sets_session {
        if let Ok(value) =
            HeaderValue::from_str(&sessions::clearing_cookie(state.app.web.secure_cookies))
        {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}

/// The client's address: the peer, unless the peer is a trusted proxy, in
/// which case the nearest untrusted address in `X-Forwarded-For` (anything
/// further left could have been written by the client itself).
fn client_of(request: &Request, trusted: &[IpNet]) -> Client {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| canonical(addr.ip()));
    let addr = match peer {
        Some(peer) if is_trusted(peer, trusted) => forwarded_client(request.headers(), trusted)
            .unwrap_or(peer)
            .to_string(),
        Some(peer) => peer.to_string(),
        None => "unknown".to_owned(),
    };
    let user_agent = request
        .headers()
        .get(header::USER_AGENT)
        .and_then(|value| value.to_str().ok())
        .map(|value| value.chars().take(300).collect());
    Client { addr, user_agent }
}

fn forwarded_client(headers: &HeaderMap, trusted: &[IpNet]) -> Option<IpAddr> {
    let hops: Vec<IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .filter_map(|hop| hop.trim().parse::<IpAddr>().ok().map(canonical))
        .collect();
    hops.iter()
        .rev()
        .find(|hop| !is_trusted(**hop, trusted))
        .or(hops.first())
        .copied()
}

fn is_trusted(addr: IpAddr, trusted: &[IpNet]) -> bool {
    trusted.iter().any(|net| net.contains(&addr))
}

/// `::ffff:10.0.0.1` and `10.0.0.1` are one client.
fn canonical(addr: IpAddr) -> IpAddr {
    match addr {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(addr, IpAddr::V4),
        v4 => v4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;

    fn request(peer: &str, forwarded: Option<&str>) -> Request {
        let mut builder = Request::builder().uri("/");
        if let Some(forwarded) = forwarded {
            builder = builder.header("x-forwarded-for", forwarded);
        }
        let mut request = builder.body(Body::empty()).unwrap();
        request
            .extensions_mut()
            .insert(ConnectInfo(peer.parse::<SocketAddr>().unwrap()));
        request
    }

    fn trusted() -> Vec<IpNet> {
        vec!["10.0.0.0/8".parse().unwrap()]
    }

    #[test]
    fn forwarded_for_is_ignored_unless_the_peer_is_a_trusted_proxy() {
        let spoofed = request("203.0.113.9:5000", Some("198.51.100.1"));
        assert_eq!(client_of(&spoofed, &trusted()).addr, "203.0.113.9");
        assert_eq!(client_of(&spoofed, &[]).addr, "203.0.113.9");
    }

    #[test]
    fn behind_a_trusted_proxy_the_nearest_untrusted_hop_is_the_client() {
        // The client wrote "1.1.1.1" itself; the proxy appended the real address.
        let proxied = request("10.0.0.2:5000", Some("1.1.1.1, 198.51.100.7, 10.0.0.3"));
        assert_eq!(client_of(&proxied, &trusted()).addr, "198.51.100.7");
        let direct = request("10.0.0.2:5000", None);
        assert_eq!(client_of(&direct, &trusted()).addr, "10.0.0.2");
        let mapped = request("[::ffff:10.0.0.2]:5000", Some("198.51.100.7"));
        assert_eq!(client_of(&mapped, &trusted()).addr, "198.51.100.7");
    }
}
