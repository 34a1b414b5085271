//! A real HTTP server on 127.0.0.1 that serves feed fixtures, including the
//! hostile ones, and records what it was asked.

use std::{
    net::SocketAddr,
    sync::{
        atomic::{AtomicUsize, Ordering},
        Arc, Mutex,
    },
    time::Duration,
};

use axum::{
    body::{Body, Bytes},
    extract::{Path, Request, State},
    http::{header, HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    routing::get,
    Router,
};

/// Requests seen, for assertions.
#[derive(Default)]
pub struct Seen {
    pub requests: Mutex<Vec<SeenRequest>>,
    pub in_flight: AtomicUsize,
    pub max_in_flight: AtomicUsize,
    /// How many requests arrived, for a test to wait on.
    pub arrived: tokio::sync::watch::Sender<usize>,
}

#[derive(Debug, Clone)]
pub struct SeenRequest {
    pub path: String,
    pub user_agent: String,
    pub if_none_match: Option<String>,
    pub if_modified_since: Option<String>,
}

impl Seen {
    pub fn count(&self, path: &str) -> usize {
        self.requests
            .lock()
            .unwrap()
            .iter()
            .filter(|r| r.path == path)
            .count()
    }

    pub fn last(&self, path: &str) -> Option<SeenRequest> {
        self.requests
            .lock()
            .unwrap()
            .iter()
            .rev()
            .find(|r| r.path == path)
            .cloned()
    }
}

/// Mutable fixture content, so a test can change a feed between polls.
#[derive(Default)]
pub struct Content {
    pub feeds: Mutex<std::collections::HashMap<String, String>>,
    /// HTML pages served at `/page/{name}`.
    pub pages: Mutex<std::collections::HashMap<String, String>>,
    /// Bodies served as they are at `/raw/{name}`: (Content-Type, bytes).
    pub raw: Mutex<std::collections::HashMap<String, (String, Vec<u8>)>>,
}

pub struct FeedServer {
    pub addr: SocketAddr,
    pub seen: Arc<Seen>,
    pub content: Arc<Content>,
}

#[derive(Clone)]
struct AppState {
    seen: Arc<Seen>,
    content: Arc<Content>,
    addr: SocketAddr,
}

impl FeedServer {
    pub async fn start() -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let seen = Arc::new(Seen::default());
        let content = Arc::new(Content::default());
        let state = AppState {
            seen: Arc::clone(&seen),
            content: Arc::clone(&content),
            addr,
        };
        let router = Router::new()
            .route("/feed/{name}", get(feed))
            .route("/slow/{name}", get(slow_feed))
            .route("/html", get(html))
            .route("/page/{name}", get(page))
            .route("/raw/{name}", get(raw))
            .route("/site", get(site))
            .route("/empty", get(|| async { "" }))
            .route("/gzip-bomb", get(gzip_bomb))
            .route("/huge", get(huge))
            .route("/huge-declared", get(huge_declared))
            .route("/endless", get(endless))
            .route("/trickle", get(trickle))
            .route(
                "/loop-a",
                get(|| async { redirect(StatusCode::FOUND, "/loop-b") }),
            )
            .route(
                "/loop-b",
                get(|| async { redirect(StatusCode::FOUND, "/loop-a") }),
            )
            .route("/chain/{n}", get(chain))
            .route(
                "/to-metadata",
                get(|| async {
                    redirect(
                        StatusCode::FOUND,
                        "http://169.254.169.254/latest/meta-data/",
                    )
                }),
            )
            .route(
                "/to-private",
                get(|| async {
                    redirect(StatusCode::MOVED_PERMANENTLY, "http://10.0.0.1/feed.xml")
                }),
            )
            .route("/moved/{name}", get(moved))
            .route("/limited", get(limited))
            .route("/unavailable", get(unavailable))
            .route("/status/{code}", get(status))
            .layer(axum::middleware::from_fn_with_state(state.clone(), record))
            .with_state(state);
        tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
        Self {
            addr,
            seen,
            content,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Serves `html` at `/page/{name}` as `text/html` (404 until set).
    #[allow(dead_code)] // the ingest tests read feeds only
    pub fn set_page(&self, name: &str, html: impl Into<String>) {
        self.content
            .pages
            .lock()
            .unwrap()
            .insert(name.to_owned(), html.into());
    }

    /// Serves `body` at `/raw/{name}` byte for byte, as `content_type`
    /// (legacy encodings, declarations that disagree with the header).
    #[allow(dead_code)] // the http tests use the other fixtures
    pub fn set_raw(&self, name: &str, content_type: &str, body: impl Into<Vec<u8>>) {
        self.content
            .raw
            .lock()
            .unwrap()
            .insert(name.to_owned(), (content_type.to_owned(), body.into()));
    }

    /// Serves `body` at `/feed/{name}` (and `/slow/{name}`), with an ETag
    /// derived from the body.
    pub fn set_feed(&self, name: &str, body: impl Into<String>) {
        self.content
            .feeds
            .lock()
            .unwrap()
            .insert(name.to_owned(), body.into());
    }
}

async fn record(
    State(state): State<AppState>,
    request: Request,
    next: axum::middleware::Next,
) -> Response {
    let headers = request.headers();
    let text = |name: header::HeaderName| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    state.seen.requests.lock().unwrap().push(SeenRequest {
        path: request.uri().path().to_owned(),
        user_agent: text(header::USER_AGENT).unwrap_or_default(),
        if_none_match: text(header::IF_NONE_MATCH),
        if_modified_since: text(header::IF_MODIFIED_SINCE),
    });
    state.seen.arrived.send_modify(|count| *count += 1);
    let now = state.seen.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    state.seen.max_in_flight.fetch_max(now, Ordering::SeqCst);
    let response = next.run(request).await;
    state.seen.in_flight.fetch_sub(1, Ordering::SeqCst);
    response
}

const LAST_MODIFIED: &str = "Tue, 24 Nov 2026 10:00:00 GMT";

async fn feed(
    State(state): State<AppState>,
    Path(name): Path<String>,
    headers: HeaderMap,
) -> Response {
    let Some(body) = state.content.feeds.lock().unwrap().get(&name).cloned() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let etag = format!(
        "\"{:x}\"",
        body.len() * 31 + body.bytes().map(usize::from).sum::<usize>()
    );
    if headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        == Some(etag.as_str())
    {
        return StatusCode::NOT_MODIFIED.into_response();
    }
    (
        [
            (
                header::CONTENT_TYPE,
                "application/rss+xml; charset=utf-8".to_owned(),
            ),
            (header::ETAG, etag),
            (header::LAST_MODIFIED, LAST_MODIFIED.to_owned()),
        ],
        body,
    )
        .into_response()
}

/// Like `feed`, but takes a while: for concurrency limits.
async fn slow_feed(state: State<AppState>, name: Path<String>, headers: HeaderMap) -> Response {
    tokio::time::sleep(Duration::from_millis(150)).await;
    feed(state, name, headers).await
}

async fn html() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        "<!DOCTYPE html><html><head><title>A blog</title></head><body>Hello</body></html>",
    )
}

async fn page(State(state): State<AppState>, Path(name): Path<String>) -> Response {
    match state.content.pages.lock().unwrap().get(&name).cloned() {
        Some(html) => ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

async fn raw(State(state): State<AppState>, Path(name): Path<String>) -> Response {
    match state.content.raw.lock().unwrap().get(&name).cloned() {
        Some((content_type, body)) => {
            ([(header::CONTENT_TYPE, content_type)], body).into_response()
        }
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// A site page announcing two feeds.
async fn site() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        r#"<!DOCTYPE html><html><head><title>Site</title>
        <link rel="alternate" type="application/rss+xml" title="Posts" href="/feed/posts">
        <link rel="alternate" type="application/atom+xml" title="Releases" href="/feed/releases">
        </head><body>Hello</body></html>"#,
    )
}

/// 256 MiB of zeros, gzipped to a few hundred KiB (built once per run).
async fn gzip_bomb() -> impl IntoResponse {
    static BOMB: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    let compressed = BOMB
        .get_or_init(|| {
            use std::io::Write;
            let mut encoder =
                flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            let zeros = vec![0u8; 1024 * 1024];
            for _ in 0..256 {
                encoder.write_all(&zeros).unwrap();
            }
            encoder.finish().unwrap()
        })
        .clone();
    (
        [
            (header::CONTENT_TYPE, "application/rss+xml"),
            (header::CONTENT_ENCODING, "gzip"),
        ],
        compressed,
    )
}

/// 100 MB streamed without a Content-Length.
async fn huge() -> impl IntoResponse {
    let chunk = Bytes::from(vec![b'x'; 64 * 1024]);
    let stream =
        futures_util::stream::iter((0..1600).map(move |_| Ok::<_, std::io::Error>(chunk.clone())));
    (
        [(header::CONTENT_TYPE, "application/rss+xml")],
        Body::from_stream(stream),
    )
}

/// Announces 100 MB up front, so the client can refuse before reading.
async fn huge_declared() -> Response {
    let chunk = Bytes::from(vec![b'x'; 64 * 1024]);
    let stream =
        futures_util::stream::iter((0..1526).map(move |_| Ok::<_, std::io::Error>(chunk.clone())));
    Response::builder()
        .header(header::CONTENT_TYPE, "application/rss+xml")
        .header(header::CONTENT_LENGTH, 1526 * 64 * 1024)
        .body(Body::from_stream(stream))
        .unwrap()
}

/// A body that never ends.
async fn endless() -> impl IntoResponse {
    let chunk = Bytes::from(vec![b' '; 16 * 1024]);
    let stream = futures_util::stream::repeat(chunk).map(Ok::<_, std::io::Error>);
    (
        [(header::CONTENT_TYPE, "application/rss+xml")],
        Body::from_stream(stream),
    )
}

/// One byte per second, forever.
async fn trickle() -> impl IntoResponse {
    let stream = futures_util::stream::unfold((), |()| async {
        tokio::time::sleep(Duration::from_secs(1)).await;
        Some((Ok::<_, std::io::Error>(Bytes::from_static(b"<")), ()))
    });
    (
        [(header::CONTENT_TYPE, "application/rss+xml")],
        Body::from_stream(stream),
    )
}

/// An answer that sends the client on to `to`.
pub fn redirect(status: StatusCode, to: &str) -> Response {
    Response::builder()
        .status(status)
        .header(header::LOCATION, to)
        .body(Body::empty())
        .unwrap()
}

async fn chain(Path(n): Path<u32>) -> Response {
    if n == 0 {
        return redirect(StatusCode::FOUND, "/feed/plain");
    }
    redirect(StatusCode::FOUND, &format!("/chain/{}", n - 1))
}

/// A permanent redirect to `/feed/{name}`.
async fn moved(State(state): State<AppState>, Path(name): Path<String>) -> Response {
    redirect(
        StatusCode::MOVED_PERMANENTLY,
        &format!("http://{}/feed/{name}", state.addr),
    )
}

async fn limited() -> Response {
    Response::builder()
        .status(StatusCode::TOO_MANY_REQUESTS)
        .header(header::RETRY_AFTER, "7200")
        .body(Body::empty())
        .unwrap()
}

async fn unavailable() -> Response {
    Response::builder()
        .status(StatusCode::SERVICE_UNAVAILABLE)
        .header(header::RETRY_AFTER, "600")
        .body(Body::empty())
        .unwrap()
}

async fn status(Path(code): Path<u16>) -> StatusCode {
    StatusCode::from_u16(code).unwrap_or(StatusCode::BAD_REQUEST)
}

use futures_util::StreamExt as _;

/// An RSS 2.0 document with the given `<item>` elements.
pub fn rss(title: &str, items: &[String]) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>{title}</title><link>https://example.com/</link>
{}
</channel></rss>"#,
        items.join("\n")
    )
}

pub fn item(guid: &str, title: &str, link: &str) -> String {
    format!(
        "<item><guid>{guid}</guid><title>{title}</title><link>{link}</link>\
         <description>About {title}</description><pubDate>Tue, 24 Nov 2026 09:00:00 GMT</pubDate></item>"
    )
}
