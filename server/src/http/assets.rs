//! The browser assets built by `scripts/build-site.sh`: content-hashed
//! files under `pkg/`, named in `manifest.json`, cached for a year. A build
//! puts its files (the main wasm and JS, one wasm chunk per page, the
//! stylesheet) in a folder named by their content hash, `pkg/newsdesk-HASH/`,
//! so their names inside it can stay fixed (the wasm chunks find each other
//! by relative names). Each file is also stored gzip- and brotli-compressed.

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
    /// Where the build's files are, relative to the site root and as a URL
    /// path: `pkg` or a folder under it (`pkg/newsdesk-HASH`).
    pub site_pkg_dir: String,
    pkg_dir: PathBuf,
}

#[derive(serde::Deserialize)]
struct Manifest {
    output_name: String,
    #[serde(default = "default_pkg_dir")]
    pkg_dir: String,
}

fn default_pkg_dir() -> String {
    "pkg".to_owned()
}

impl SiteAssets {
    pub fn load(site_root: &Path) -> Self {
        let manifest_path = site_root.join("manifest.json");
        let manifest = std::fs::read_to_string(&manifest_path)
            .map_err(|e| e.to_string())
            .and_then(|text| serde_json::from_str::<Manifest>(&text).map_err(|e| e.to_string()))
            .and_then(|manifest| {
                // Served under /pkg: anything else would not be found.
                let inside_pkg = manifest.pkg_dir == "pkg"
                    || manifest.pkg_dir.strip_prefix("pkg/").is_some_and(|folder| {
                        !folder.is_empty()
                            && folder
                                .chars()
                                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
                    });
                if inside_pkg {
                    Ok(manifest)
                } else {
                    Err(format!(
                        "pkg_dir {:?} is not a folder under pkg/",
                        manifest.pkg_dir
                    ))
                }
            });
        let (output_name, site_pkg_dir) = match manifest {
            Ok(manifest) => (manifest.output_name, manifest.pkg_dir),
            Err(error) => {
                tracing::warn!(
                    manifest = %manifest_path.display(),
                    %error,
                    "browser assets not found: pages will render without interactivity; run scripts/build-site.sh"
                );
                (UNBUILT_OUTPUT_NAME.to_owned(), default_pkg_dir())
            }
        };
        Self {
            output_name,
            site_pkg_dir,
            pkg_dir: site_root.join("pkg"),
        }
    }

    pub fn service(&self) -> Router {
        Router::new()
            .fallback_service(
                ServeDir::new(&self.pkg_dir)
                    .precompressed_br()
                    .precompressed_gzip(),
            )
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
