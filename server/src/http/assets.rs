//! The browser assets built by `scripts/build-site.sh`: content-hashed
//! files under `pkg/`, named in `manifest.json`, cached for a year.

use std::path::{Path, PathBuf};

use axum::{
    extract::Request,
    http::{header, HeaderValue, StatusCode},
    middleware::{self, Next},
    response::{IntoResponse, Response},
    Router,
};
use tower_http::services::ServeDir;

/// Used when no build exists (e.g. Rust-only tests): pages still render,
/// they just are not hydrated.
const UNBUILT_OUTPUT_NAME: &str = "newsdesk-unbuilt";

pub struct SiteAssets {
    pub output_name: String,
    pkg_dir: PathBuf,
}

#[derive(serde::Deserialize)]
struct Manifest {
    output_name: String,
}

impl SiteAssets {
    pub fn load(site_root: &Path) -> Self {
        let manifest_path = site_root.join("manifest.json");
        let output_name = match std::fs::read_to_string(&manifest_path)
            .map_err(|e| e.to_string())
            .and_then(|text| serde_json::from_str::<Manifest>(&text).map_err(|e| e.to_string()))
        {
            Ok(manifest) => manifest.output_name,
            Err(error) => {
                tracing::warn!(
                    manifest = %manifest_path.display(),
                    %error,
                    "browser assets not found: pages will render without interactivity; run scripts/build-site.sh"
                );
                UNBUILT_OUTPUT_NAME.to_owned()
            }
        };
        Self {
            output_name,
            pkg_dir: site_root.join("pkg"),
        }
    }

    pub fn service(&self) -> Router {
        Router::new()
            .fallback_service(ServeDir::new(&self.pkg_dir).precompressed_gzip())
            .layer(middleware::from_fn(cache_forever_when_found))
    }
}

/// Every file under `pkg/` has a content hash in its name (or its folder's
/// name, for wasm-bindgen snippets), so a found file never changes.
async fn cache_forever_when_found(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    if response.status() == StatusCode::OK {
        response.headers_mut().insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=31536000, immutable"),
        );
    }
    response
}

pub async fn favicon() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        include_str!("../../../style/favicon.svg"),
    )
}
