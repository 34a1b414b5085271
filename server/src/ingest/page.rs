//! Fetching one page for discovery and link previews: what a user typed
//! read as a URL, the page fetched through the SSRF-guarded fetcher, and
//! parsing kept off the async worker threads.

use url::Url;

use super::{
    error::FetchError,
    fetch::{Fetched, Fetcher, Validators},
};

/// Accepts full URLs, and also bare "example.com/blog", which people paste
/// as often as a full URL.
pub(super) fn parse_input(input: &str) -> Result<Url, FetchError> {
    let input = input.trim();
    match Url::parse(input) {
        Err(url::ParseError::RelativeUrlWithoutBase) => Url::parse(&format!("https://{input}")),
        parsed => parsed,
    }
    .map_err(|error| FetchError::InvalidUrl(error.to_string()))
}

/// A fetched document and where it ended up after redirects.
pub(super) struct Page {
    pub url: Url,
    pub content_type: Option<String>,
    pub body: Vec<u8>,
}

pub(super) async fn fetch_page(fetcher: &Fetcher, url: &Url) -> Result<Page, FetchError> {
    match fetcher.fetch(url, &Validators::default()).await? {
        Fetched::Body(response, body) => Ok(Page {
            url: response.final_url,
            content_type: response.content_type,
            body,
        }),
        // Nothing was sent to revalidate, so a 304 is the server misbehaving.
        Fetched::NotModified(response) => Err(FetchError::Status {
            status: response.status,
            retry_after: None,
        }),
    }
}

/// Parsing feeds and HTML is CPU work; keep it off the async worker threads.
pub(super) async fn off_thread<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, FetchError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|error| FetchError::ParserCrashed(error.to_string()))
}

/// An address a browser would open: http or https.
pub(super) fn is_web_url(url: &Url) -> bool {
    matches!(url.scheme(), "http" | "https")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_host_names_get_https() {
        assert_eq!(
            parse_input("  example.com/blog ").unwrap().as_str(),
            "https://example.com/blog"
        );
        assert_eq!(
            parse_input("http://example.com").unwrap().as_str(),
            "http://example.com/"
        );
        assert!(parse_input("")
            .unwrap_err()
            .to_string()
            .starts_with("invalid URL"));
    }
}
