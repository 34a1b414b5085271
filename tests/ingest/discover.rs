//! Feed discovery against small sites served on 127.0.0.1 by this file's
//! own server: alternate links, well-known paths, redirects, GitHub
//! repositories and the SSRF guard.

use std::{
    net::SocketAddr,
    sync::{Arc, Mutex},
    time::Duration,
};

use axum::{
    extract::{Request, State},
    http::{header, StatusCode},
    response::{IntoResponse, Response},
    routing::get,
    Router,
};
use newsdesk_app::feeds::model::DiscoveredFeed;
use newsdesk_server::ingest::{
    discover::discover_feeds,
    error::FetchError,
    fetch::{FetchSettings, Fetcher},
    guard::AddressPolicy,
};

use crate::{fixtures::redirect, loopback_fetcher, test_settings};

/// A site on its own port (so its well-known paths are its own), recording
/// the paths it was asked for.
struct Site {
    addr: SocketAddr,
    requests: Arc<Mutex<Vec<String>>>,
}

impl Site {
    /// Serves the router `routes` builds; it gets the site's address so
    /// that pages can carry absolute links to themselves.
    async fn start(routes: impl FnOnce(SocketAddr) -> Router) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let router = routes(addr).layer(axum::middleware::from_fn_with_state(
            Arc::clone(&requests),
            record,
        ));
        tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
        Self { addr, requests }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }

    /// Discovers the feeds of the page at `path`, with a fetcher that may
    /// reach 127.0.0.1.
    async fn discover(&self, path: &str) -> Result<Vec<DiscoveredFeed>, FetchError> {
        discover_feeds(&loopback_fetcher(), &self.url(path)).await
    }
}

async fn record(
    State(requests): State<Arc<Mutex<Vec<String>>>>,
    request: Request,
    next: axum::middleware::Next,
) -> Response {
    requests
        .lock()
        .unwrap()
        .push(request.uri().path().to_owned());
    next.run(request).await
}

fn html(body: String) -> Response {
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], body).into_response()
}

fn rss(title: &str) -> Response {
    let body = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>{title}</title><link>https://example.com/</link><item><title>One</title><link>https://example.com/1</link></item></channel></rss>"#
    );
    ([(header::CONTENT_TYPE, "application/rss+xml")], body).into_response()
}

fn atom(title: &str) -> Response {
    let body = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>{title}</title><id>urn:x</id><updated>2026-11-24T10:00:00Z</updated></feed>"#
    );
    ([(header::CONTENT_TYPE, "application/atom+xml")], body).into_response()
}

/// A blog that announces its feeds, plus a feed served directly and one
/// reached through redirects.
fn blog(addr: SocketAddr) -> Router {
    let home = format!(
        r#"<!DOCTYPE html><html><head><title>Blog</title>
        <link rel="stylesheet" href="/style.css">
        <link rel="alternate" type="application/rss+xml" title="Blog posts" href="/blog/rss.xml">
        <link rel="alternate" type="application/atom+xml" title="Blog (Atom)" href="http://{addr}/blog/atom.xml">
        <link rel="alternate" type="application/rss+xml" title="Duplicate" href="blog/rss.xml">
        </head><body><h1>Blog</h1></body></html>"#
    );
    let guide = r#"<!DOCTYPE html><html><head><title>Guide</title>
        <link rel="Alternate Feed" type="application/feed+json" title="Guide changes" href="changes.json">
        </head><body></body></html>"#;
    Router::new()
        .route("/", get(move || std::future::ready(html(home.clone()))))
        .route(
            "/docs/guide/",
            get(move || async move { html(guide.into()) }),
        )
        .route("/feeds/main.xml", get(|| async { rss("Main feed") }))
        .route(
            "/go",
            get(|| async { redirect(StatusCode::FOUND, "/moved") }),
        )
        .route(
            "/moved",
            get(|| async { redirect(StatusCode::MOVED_PERMANENTLY, "/feeds/main.xml") }),
        )
}

/// A site with no alternate links whose feeds sit at well-known paths; one
/// path is a soft 404, one redirects to another, one to a private address.
fn unlinked(_: SocketAddr) -> Router {
    let home = "<!DOCTYPE html><html><head><title>Quiet</title></head><body>hi</body></html>";
    Router::new()
        .route("/", get(move || async move { html(home.into()) }))
        .route("/feed.xml", get(|| async { rss("Probed RSS") }))
        .route(
            "/atom.xml",
            get(|| async { html("<!DOCTYPE html><p>Page not found</p>".into()) }),
        )
        .route("/index.xml", get(|| async { atom("Probed Atom") }))
        .route(
            "/rss.xml",
            get(|| async {
                redirect(
                    StatusCode::FOUND,
                    "http://169.254.169.254/latest/meta-data/",
                )
            }),
        )
        .route(
            "/rss",
            get(|| async { redirect(StatusCode::MOVED_PERMANENTLY, "/feed.xml") }),
        )
}

/// A page and nothing else.
fn bare(_: SocketAddr) -> Router {
    Router::new().route(
        "/",
        get(|| async { html("<!DOCTYPE html><html><body>Nothing here</body></html>".into()) }),
    )
}

fn found(url: String, title: &str, format: &str) -> DiscoveredFeed {
    DiscoveredFeed {
        url,
        title: Some(title.to_owned()),
        format: format.to_owned(),
    }
}

#[tokio::test]
async fn a_page_offers_its_alternate_links_in_document_order() {
    let site = Site::start(blog).await;
    let feeds = site.discover("/").await.unwrap();
    assert_eq!(
        feeds,
        vec![
            found(site.url("/blog/rss.xml"), "Blog posts", "rss"),
            found(site.url("/blog/atom.xml"), "Blog (Atom)", "atom"),
        ]
    );
    assert_eq!(site.requests(), ["/"], "links are offered, not fetched");
}

#[tokio::test]
async fn relative_links_resolve_against_the_page() {
    let site = Site::start(blog).await;
    let feeds = site.discover("/docs/guide/").await.unwrap();
    assert_eq!(
        feeds,
        vec![found(
            site.url("/docs/guide/changes.json"),
            "Guide changes",
            "json"
        )]
    );
}

#[tokio::test]
async fn a_feed_url_is_its_own_feed() {
    let site = Site::start(blog).await;
    let feeds = site.discover("/feeds/main.xml").await.unwrap();
    assert_eq!(
        feeds,
        vec![found(site.url("/feeds/main.xml"), "Main feed", "rss")]
    );
    assert_eq!(site.requests(), ["/feeds/main.xml"]);
}

#[tokio::test]
async fn redirects_are_followed_to_the_feed() {
    let site = Site::start(blog).await;
    let feeds = site.discover("/go").await.unwrap();
    assert_eq!(
        feeds,
        vec![found(site.url("/feeds/main.xml"), "Main feed", "rss")]
    );
    assert_eq!(site.requests(), ["/go", "/moved", "/feeds/main.xml"]);
}

#[tokio::test]
async fn without_links_well_known_paths_are_tried() {
    let site = Site::start(unlinked).await;
    let feeds = site.discover("/").await.unwrap();
    assert_eq!(
        feeds,
        vec![
            found(site.url("/feed.xml"), "Probed RSS", "rss"),
            found(site.url("/index.xml"), "Probed Atom", "atom"),
        ],
        "the soft 404, the private redirect and the duplicate are dropped"
    );
    let mut asked = site.requests();
    asked.sort();
    assert_eq!(
        asked,
        [
            "/",
            "/atom.xml",
            "/feed",
            "/feed.xml",
            "/feed.xml",
            "/feed/",
            "/index.xml",
            "/rss",
            "/rss.xml",
        ],
        "the page, each well-known path once, and /rss's redirect to /feed.xml"
    );
}

#[tokio::test]
async fn a_site_without_feeds_says_so() {
    let site = Site::start(bare).await;
    let error = site.discover("/").await.unwrap_err();
    assert!(matches!(error, FetchError::NoFeedFound(_)), "{error:?}");
    assert_eq!(
        error.to_string(),
        format!("no feed found at {}", site.url("/"))
    );
    assert_eq!(
        site.requests().len(),
        8,
        "the page and seven well-known paths"
    );
}

#[tokio::test]
async fn errors_fetching_the_page_are_reported_as_they_are() {
    let site = Site::start(bare).await;
    let error = site.discover("/missing").await.unwrap_err();
    assert_eq!(error.to_string(), "HTTP 404 Not Found");
    assert_eq!(site.requests(), ["/missing"], "no probing after a failure");
}

/// A fetcher that cannot complete any request: its deadline passes (at the
/// timer's next millisecond tick) long before a response could arrive.
fn fetcher_that_cannot_fetch() -> Fetcher {
    Fetcher::new(
        AddressPolicy::default(),
        FetchSettings {
            total_timeout: Duration::ZERO,
            ..test_settings()
        },
    )
}

#[tokio::test]
async fn github_repositories_become_their_releases_feed_without_a_request() {
    let fetcher = fetcher_that_cannot_fetch();
    for input in [
        "https://github.com/tokio-rs/axum",
        "https://github.com/tokio-rs/axum/",
        "https://github.com/tokio-rs/axum/releases",
        "https://github.com/tokio-rs/axum.git",
        "https://github.com/tokio-rs/axum/tree/main/axum-core",
        "github.com/tokio-rs/axum",
    ] {
        let feeds = discover_feeds(&fetcher, input).await.unwrap();
        assert_eq!(
            feeds,
            vec![found(
                "https://github.com/tokio-rs/axum/releases.atom".into(),
                "tokio-rs/axum releases",
                "atom"
            )],
            "{input}"
        );
    }
    // Pages that are not repositories (github.com/features, an owner alone)
    // are told apart in the unit tests; fetching them here would need DNS.
    // Refused before any lookup, this one shows that the shortcut is not
    // taken for everything on github.com.
    let error = discover_feeds(&fetcher, "ftp://github.com/tokio-rs/axum")
        .await
        .unwrap_err();
    assert!(
        matches!(error, FetchError::UnsupportedScheme(_)),
        "{error:?}"
    );
}

#[tokio::test]
async fn private_addresses_are_refused_before_any_request() {
    let site = Site::start(blog).await;
    let strict = Fetcher::new(AddressPolicy::default(), test_settings());
    let error = discover_feeds(&strict, &site.url("/")).await.unwrap_err();
    assert!(
        error.to_string().starts_with("blocked: address is private"),
        "{error}"
    );
    assert!(site.requests().is_empty());
}
