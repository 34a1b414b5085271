//! Server-side state the app reads from the Leptos context.

use std::{future::Future, pin::Pin, sync::Arc};

use sqlx::PgPool;

use crate::{
    error::AppError,
    feeds::model::{DiscoveredFeed, RefreshOutcome},
    inbox::{FilterChoices, PageInfo},
};

pub type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send>>;

/// What server functions need from the ingestion pipeline. The pipeline
/// lives in the server crate, which depends on this one, so it is handed in
/// as a trait object.
pub trait Ingestion: Send + Sync + 'static {
    /// Finds the feeds at a feed, site or GitHub repository URL, through the
    /// SSRF-guarded fetcher. An address that cannot be read is
    /// `AppError::Invalid` on field `url`, with the reason in plain words.
    fn discover(&self, url: String) -> BoxFuture<Result<Vec<DiscoveredFeed>, AppError>>;

    /// Fetches one feed now and stores its entries. `None` when a poller is
    /// refreshing it at this moment.
    fn refresh_now(&self, feed_id: i64) -> BoxFuture<Result<Option<RefreshOutcome>, AppError>>;

    /// Fetches a web page (SSRF-guarded, capped) and reads its title and
    /// description, for a link added by hand. A page that cannot be read is
    /// `AppError::Invalid` on field `url`, with the reason in plain words.
    fn read_page(&self, url: String) -> BoxFuture<Result<PageInfo, AppError>>;
}

/// An ingestion refusal (a page that cannot be read) worded for the page it
/// happens on; other errors pass unchanged.
pub fn reword_refusal(error: AppError, say: impl FnOnce(&str) -> String) -> AppError {
    match error {
        AppError::Invalid { field, message } => AppError::Invalid {
            message: say(&message),
            field,
        },
        other => other,
    }
}

/// How newsdesk is reached from outside, as configured for `serve`.
#[derive(Clone, Debug, Default)]
pub struct WebSettings {
    /// The URL people open (e.g. `https://news.example.com`), when newsdesk
    /// runs behind a proxy; links in invitations and the setup URL use it.
    pub public_url: Option<String>,
    /// Whether cookies get `Secure` (served over HTTPS).
    pub secure_cookies: bool,
}

impl WebSettings {
    /// The configured public URL (no trailing slash), else `http://` and
    /// the host a request was made to.
    pub fn origin(&self, host: Option<&str>) -> String {
        match &self.public_url {
            Some(url) => url.trim_end_matches('/').to_owned(),
            None => format!("http://{}", host.unwrap_or("localhost")),
        }
    }
}

/// Answers worth keeping for a little while in this process.
#[derive(Default)]
pub struct Caches {
    /// The inbox's filter menus: read on every inbox view, costly to
    /// compute (categories of recent candidates), and fine a minute stale.
    pub filter_choices: std::sync::Mutex<Option<(std::time::Instant, FilterChoices)>>,
}

/// Everything server functions need, provided once per request by the server.
#[derive(Clone)]
pub struct AppState {
    pub pool: PgPool,
    pub ingestion: Arc<dyn Ingestion>,
    pub web: WebSettings,
    pub caches: Arc<Caches>,
}

impl AppState {
    /// The state of the current request. Server functions only run inside a
    /// request the server set up, so a missing state is a wiring bug.
    pub fn current() -> Result<Self, AppError> {
        leptos::prelude::use_context::<Self>()
            .ok_or_else(|| AppError::internal("AppState missing", "not provided in context"))
    }

    /// `https://news.example.com`: the configured public URL, else the
    /// origin the current request was made to.
    pub fn site_origin(&self) -> String {
        self.web.origin(request_host().as_deref())
    }
}

/// The `Host` the current request was made to.
pub fn request_host() -> Option<String> {
    leptos::prelude::use_context::<http::request::Parts>().and_then(|parts| {
        parts
            .headers
            .get(http::header::HOST)
            .and_then(|host| host.to_str().ok())
            .map(str::to_owned)
    })
}

/// The per-request Content-Security-Policy nonce, set by the server's
/// security-headers middleware as a request extension.
#[derive(Clone, Debug)]
pub struct CspNonce(pub String);
