//! The HTTP surface: the Leptos app (pages and server functions), static
//! assets, health, and the middleware every response passes through.

mod api;
mod assets;
mod health;
mod metrics;
mod opml;
mod opml_upload;
mod same_origin;
mod security_headers;
mod server_fn_status;

use std::path::Path;

use axum::{
    extract::{DefaultBodyLimit, FromRef},
    middleware,
    routing::{get, post},
    Router,
};
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use newsdesk_app::{shell, state::AppState, App};
use tower_http::{
    compression::CompressionLayer,
    trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer},
};
use tracing::Level;

#[derive(Clone)]
pub struct HttpState {
    pub leptos: LeptosOptions,
    pub app: AppState,
}

impl FromRef<HttpState> for LeptosOptions {
    fn from_ref(state: &HttpState) -> Self {
        state.leptos.clone()
    }
}

pub fn router(app: AppState, site_root: &Path) -> Router {
    metrics::install();
    let assets = assets::SiteAssets::load(site_root);
    let leptos = LeptosOptions::builder()
        .output_name(assets.output_name.clone())
        .site_root(site_root.display().to_string())
        .site_pkg_dir("pkg")
        .build();
    let state = HttpState {
        leptos: leptos.clone(),
        app,
    };
    let context = {
        let app = state.app.clone();
        move || provide_context(app.clone())
    };
    let render = {
        let leptos = leptos.clone();
        move || shell(leptos.clone())
    };

    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/metrics", get(metrics::metrics))
        .merge(api::routes())
        .route("/feeds.opml", get(opml::export))
        .route(
            "/feeds/import",
            post(opml_upload::upload).layer(DefaultBodyLimit::max(
                newsdesk_app::feeds::import_job::MAX_FILE_BYTES + 64 * 1024,
            )),
        )
        .route("/favicon.svg", get(assets::favicon))
        .nest_service("/pkg", assets.service())
        // Pages and server functions (`/api/...`, POST only).
        .leptos_routes_with_context(
            &state,
            generate_route_list(App),
            context.clone(),
            render.clone(),
        )
        .fallback(leptos_axum::render_app_to_stream_with_context(
            context, render,
        ))
        .with_state(state)
        .layer(middleware::from_fn(server_fn_status::set_error_status))
        .layer(middleware::from_fn(same_origin::refuse_cross_origin_writes))
        .layer(middleware::from_fn(security_headers::security_headers))
        .layer(CompressionLayer::new())
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(DefaultMakeSpan::new().level(Level::INFO))
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
}
