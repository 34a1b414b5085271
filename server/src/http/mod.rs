//! The HTTP surface: the Leptos app (pages and server functions), static
//! assets, health, and the middleware every response passes through.

mod abandoned;
mod admission;
mod api;
mod assets;
mod events;
pub mod guard;
mod health;
mod identity;
mod issue_import;
mod language;
mod metrics;
mod opml;
mod opml_upload;
pub mod routes;
mod same_origin;
mod security_headers;
mod server_fn_status;
pub(crate) mod syndication;
mod watched_body;

use std::sync::Arc;

use axum::{extract::FromRef, middleware, Router};
use ipnet::IpNet;
use tokio::sync::watch;

use crate::live::LiveHub;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes};
use newsdesk_app::{shell, state::AppState, App};
use tower_http::{
    compression::CompressionLayer,
    trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer},
    CompressionLevel,
};
use tracing::Level;

#[derive(Clone)]
pub struct HttpState {
    pub leptos: LeptosOptions,
    pub app: AppState,
    /// Proxies whose `X-Forwarded-For` is believed (see `identity`).
    pub trusted_proxies: Arc<Vec<IpNet>>,
    /// Paths of the routes in `routes::table()`: not pages, so never
    /// redirected to sign-in (their handlers answer 401 or 403).
    pub route_paths: Arc<Vec<&'static str>>,
    pub live: LiveHub,
    /// Turns true when the server shuts down; ends live event streams.
    pub stopping: watch::Receiver<bool>,
}

/// What the router needs besides the app state.
pub struct RouterParts {
    pub site_root: std::path::PathBuf,
    pub trusted_proxies: Vec<IpNet>,
    /// Requests worked on at once (see `admission`).
    pub max_in_flight: usize,
    pub live: LiveHub,
    pub stopping: watch::Receiver<bool>,
}

impl FromRef<HttpState> for LeptosOptions {
    fn from_ref(state: &HttpState) -> Self {
        state.leptos.clone()
    }
}

/// The app's routes, found once per process. Finding them renders the app
/// with resource loading switched off process-wide (a global flag in
/// leptos_server), so a page rendering at that moment in another server of
/// the same process (tests, a second router) could wait forever for its
/// resource (leptos-rs/leptos#4773).
fn route_list() -> Vec<AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<AxumRouteListing>> = std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// Server-sent events: a body that ends only when the client goes.
fn is_event_stream(response: &axum::response::Response) -> bool {
    response
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .is_some_and(|kind| kind.as_bytes().starts_with(b"text/event-stream"))
}

pub fn router(app: AppState, parts: RouterParts) -> Router {
    let site_root = parts.site_root.as_path();
    metrics::install();
    let assets = assets::SiteAssets::load(site_root);
    let leptos = LeptosOptions::builder()
        .output_name(assets.output_name.clone())
        .site_root(site_root.display().to_string())
        .site_pkg_dir(assets.site_pkg_dir.clone())
        .build();
    let table = routes::table();
    let state = HttpState {
        leptos: leptos.clone(),
        app,
        trusted_proxies: Arc::new(parts.trusted_proxies),
        route_paths: Arc::new(table.routes.iter().map(|route| route.path).collect()),
        live: parts.live,
        stopping: parts.stopping,
    };
    let context = {
        let app = state.app.clone();
        move || provide_context(app.clone())
    };
    let render = {
        let leptos = leptos.clone();
        move || shell(leptos.clone())
    };

    table
        .router
        .nest_service("/pkg", assets.service())
        // Pages and server functions (`/api/...`, POST only).
        .leptos_routes_with_context(&state, route_list(), context.clone(), render.clone())
        .fallback(leptos_axum::render_app_to_stream_with_context(
            context, render,
        ))
        .with_state(state.clone())
        .layer(middleware::from_fn_with_state(
            state.clone(),
            syndication::issue_markdown,
        ))
        .layer(middleware::from_fn(server_fn_status::set_error_status))
        // Inside `identify`: a member's own language comes first.
        .layer(middleware::from_fn_with_state(
            state.clone(),
            language::choose,
        ))
        .layer(middleware::from_fn_with_state(state, identity::identify))
        .layer(middleware::from_fn(same_origin::refuse_cross_origin_writes))
        .layer(middleware::from_fn(security_headers::security_headers))
        // Inside compression: an abandoned page is rendered to the end, but
        // not compressed.
        .layer(middleware::from_fn(abandoned::finish_abandoned))
        // The fastest level: pages are made per request, and at the default
        // level brotli costs more CPU than rendering them.
        .layer(CompressionLayer::new().quality(CompressionLevel::Fastest))
        // Outside compression: a request keeps its place while its body is
        // rendered and compressed.
        .layer(middleware::from_fn_with_state(
            admission::Admission::new(parts.max_in_flight),
            admission::admit,
        ))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(DefaultMakeSpan::new().level(Level::INFO))
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
}
