//! Stage 1, fetch: one conditional GET of a feed URL, following redirects
//! by hand so that every hop passes the SSRF guard, with a connect timeout,
//! a total deadline and a cap on the decompressed body.

use std::{
    sync::Arc,
    time::{Duration, SystemTime},
};

use reqwest::{
    header::{self, HeaderMap, HeaderValue},
    StatusCode,
};
use url::Url;

use super::{
    error::FetchError,
    guard::{AddressPolicy, Blocked, Unresolvable},
};

#[derive(Debug, Clone)]
pub struct FetchSettings {
    pub connect_timeout: Duration,
    pub total_timeout: Duration,
    pub max_body_bytes: u64,
    pub max_redirects: usize,
    pub user_agent: String,
}

impl Default for FetchSettings {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(10),
            total_timeout: Duration::from_secs(30),
            max_body_bytes: 10 * 1024 * 1024,
            max_redirects: 5,
            user_agent: format!(
                "newsdesk/{} (+{})",
                env!("CARGO_PKG_VERSION"),
                env!("CARGO_PKG_REPOSITORY")
            ),
        }
    }
}

/// What the caller knows from the previous fetch.
#[derive(Debug, Default, Clone)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

#[derive(Debug)]
pub enum Fetched {
    NotModified(Response),
    Body(Response, Vec<u8>),
}

/// Facts about the final response, whatever its body.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub final_url: Url,
    /// Set when every redirect hop was permanent (301/308).
    pub moved_permanently_to: Option<Url>,
    pub content_type: Option<String>,
    pub validators: Validators,
    /// From `Cache-Control: max-age`, capped at a day.
    pub max_age: Option<Duration>,
}

#[derive(Clone)]
pub struct Fetcher {
    client: reqwest::Client,
    policy: Arc<AddressPolicy>,
    settings: FetchSettings,
}

impl Fetcher {
    pub fn new(policy: AddressPolicy, settings: FetchSettings) -> Self {
        let policy = Arc::new(policy);
        let client = reqwest::Client::builder()
            .user_agent(settings.user_agent.clone())
            // The total deadline is enforced around the whole fetch (all
            // redirect hops and the body) in `fetch`, not per request.
            .connect_timeout(settings.connect_timeout)
            .redirect(reqwest::redirect::Policy::none())
            .dns_resolver(policy.resolver())
            .no_proxy()
            .gzip(true)
            .brotli(true)
            .deflate(true)
            .build()
            .expect("the HTTP client configuration is valid");
        Self {
            client,
            policy,
            settings,
        }
    }

    /// GETs `url` (conditionally, with `validators`) within the total deadline.
    pub async fn fetch(&self, url: &Url, validators: &Validators) -> Result<Fetched, FetchError> {
        let deadline = self.settings.total_timeout;
        tokio::time::timeout(deadline, self.fetch_following_redirects(url, validators))
            .await
            .unwrap_or(Err(FetchError::Timeout(deadline)))
    }

    async fn fetch_following_redirects(
        &self,
        start: &Url,
        validators: &Validators,
    ) -> Result<Fetched, FetchError> {
        let mut url = start.clone();
        let mut visited = vec![start.clone()];
        let mut all_permanent = true;
        loop {
            check_scheme(&url)?;
            self.policy.check_url(&url).map_err(FetchError::Blocked)?;
            let response = self
                .client
                .get(url.clone())
                .headers(conditional_headers(validators))
                .send()
                .await
                .map_err(|error| FetchError::from_reqwest(&error, &self.settings))?;
            let status = response.status();
            if status.is_redirection() && status != StatusCode::NOT_MODIFIED {
                let next = redirect_target(&url, response.headers())?;
                all_permanent &= matches!(
                    status,
                    StatusCode::MOVED_PERMANENTLY | StatusCode::PERMANENT_REDIRECT
                );
                if visited.contains(&next) {
                    return Err(FetchError::RedirectLoop);
                }
                if visited.len() > self.settings.max_redirects {
                    return Err(FetchError::TooManyRedirects(self.settings.max_redirects));
                }
                visited.push(next.clone());
                url = next;
                continue;
            }
            let facts = Response {
                status: status.as_u16(),
                moved_permanently_to: (visited.len() > 1 && all_permanent).then(|| url.clone()),
                final_url: url.clone(),
                content_type: header_text(response.headers(), header::CONTENT_TYPE),
                validators: Validators {
                    etag: header_text(response.headers(), header::ETAG),
                    last_modified: header_text(response.headers(), header::LAST_MODIFIED),
                },
                max_age: max_age(response.headers()),
            };
            if status == StatusCode::NOT_MODIFIED {
                return Ok(Fetched::NotModified(facts));
            }
            if !status.is_success() {
                let retry_after = retry_after(response.headers());
                return Err(FetchError::Status {
                    status: status.as_u16(),
                    retry_after,
                });
            }
            let body = self.read_capped(response).await?;
            return Ok(Fetched::Body(facts, body));
        }
    }

    /// Reads the body, counting decompressed bytes, so that neither a huge
    /// body nor a small gzip bomb can exhaust memory.
    async fn read_capped(&self, mut response: reqwest::Response) -> Result<Vec<u8>, FetchError> {
        let cap = self.settings.max_body_bytes;
        let compressed = response.headers().contains_key(header::CONTENT_ENCODING);
        let mut expected = 0;
        if let Some(length) = response.content_length() {
            if !compressed && length > cap {
                return Err(FetchError::TooLarge(cap));
            }
            expected = if compressed { 0 } else { length };
        }
        // Sized once when the length is known: growing by doubling copied
        // each body several times and left up to twice its size allocated,
        // with many refreshes reading at once (peak memory, issue 18).
        let mut body = Vec::with_capacity(expected.min(cap) as usize);
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|error| FetchError::from_reqwest(&error, &self.settings))?
        {
            if body.len() as u64 + chunk.len() as u64 > cap {
                return Err(FetchError::TooLarge(cap));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    }
}

fn check_scheme(url: &Url) -> Result<(), FetchError> {
    match url.scheme() {
        "http" | "https" => Ok(()),
        other => Err(FetchError::UnsupportedScheme(other.to_owned())),
    }
}

fn conditional_headers(validators: &Validators) -> HeaderMap {
    let mut headers = HeaderMap::new();
    let pairs = [
        (header::IF_NONE_MATCH, &validators.etag),
        (header::IF_MODIFIED_SINCE, &validators.last_modified),
    ];
    for (name, value) in pairs {
        if let Some(value) = value.as_deref().and_then(|v| HeaderValue::from_str(v).ok()) {
            headers.insert(name, value);
        }
    }
    headers.insert(
        header::ACCEPT,
        HeaderValue::from_static(
            "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5",
        ),
    );
    headers
}

fn redirect_target(from: &Url, headers: &HeaderMap) -> Result<Url, FetchError> {
    let location = headers
        .get(header::LOCATION)
        .and_then(|value| value.to_str().ok())
        .ok_or(FetchError::RedirectWithoutLocation)?;
    from.join(location)
        .map_err(|_| FetchError::RedirectInvalid(location.to_string()))
}

fn header_text(headers: &HeaderMap, name: header::HeaderName) -> Option<String> {
    headers
        .get(name)
        .and_then(|value| value.to_str().ok())
        .map(str::trim)
        .filter(|value| !value.is_empty() && value.len() <= 1024)
        .map(str::to_owned)
}

const ONE_DAY: Duration = Duration::from_secs(24 * 60 * 60);

fn max_age(headers: &HeaderMap) -> Option<Duration> {
    let cache_control = headers.get(header::CACHE_CONTROL)?.to_str().ok()?;
    cache_control.split(',').find_map(|directive| {
        let (name, value) = directive.trim().split_once('=')?;
        if !name.trim().eq_ignore_ascii_case("max-age") {
            return None;
        }
        let seconds: u64 = value.trim().trim_matches('"').parse().ok()?;
        Some(Duration::from_secs(seconds).min(ONE_DAY))
    })
}

/// `Retry-After` as seconds or as an HTTP date, capped at a day.
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(header::RETRY_AFTER)?.to_str().ok()?.trim();
    let wait = match value.parse::<u64>() {
        Ok(seconds) => Duration::from_secs(seconds),
        Err(_) => {
            let date = chrono::DateTime::parse_from_rfc2822(value).ok()?;
            let at = SystemTime::from(date);
            at.duration_since(SystemTime::now()).unwrap_or_default()
        }
    };
    Some(wait.min(ONE_DAY))
}

impl FetchError {
    fn from_reqwest(error: &reqwest::Error, settings: &FetchSettings) -> Self {
        // The resolver's refusals arrive wrapped in connect errors.
        let mut source: Option<&(dyn std::error::Error + 'static)> = Some(error);
        while let Some(cause) = source {
            if let Some(blocked) = cause.downcast_ref::<Blocked>() {
                return Self::Blocked(blocked.clone());
            }
            if let Some(unresolvable) = cause.downcast_ref::<Unresolvable>() {
                return Self::HostNotFound(unresolvable.host.clone());
            }
            if let Some(io) = cause.downcast_ref::<std::io::Error>() {
                match io.kind() {
                    std::io::ErrorKind::ConnectionRefused => return Self::ConnectionRefused,
                    std::io::ErrorKind::ConnectionReset => return Self::ConnectionReset,
                    _ => {}
                }
            }
            source = cause.source();
        }
        if error.is_timeout() {
            // Only connecting has its own (shorter) timeout.
            return Self::Timeout(settings.connect_timeout);
        }
        if error.is_connect() {
            return Self::CannotConnect(root_cause(error));
        }
        if error.is_decode() || error.is_body() {
            return Self::BodyBrokeOff(root_cause(error));
        }
        Self::Other(root_cause(error))
    }
}

fn root_cause(error: &(dyn std::error::Error + 'static)) -> String {
    let mut cause = error;
    while let Some(next) = cause.source() {
        cause = next;
    }
    cause.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_str(value).unwrap());
        }
        map
    }

    #[test]
    fn max_age_is_read_and_capped() {
        assert_eq!(
            max_age(&headers(&[("cache-control", "public, max-age=600")])),
            Some(Duration::from_secs(600))
        );
        assert_eq!(
            max_age(&headers(&[("cache-control", "max-age=99999999")])),
            Some(ONE_DAY)
        );
        assert_eq!(max_age(&headers(&[("cache-control", "no-cache")])), None);
        assert_eq!(
            max_age(&headers(&[("cache-control", "max-age=garbage")])),
            None
        );
    }

    #[test]
    fn retry_after_takes_seconds_or_dates() {
        assert_eq!(
            retry_after(&headers(&[("retry-after", "120")])),
            Some(Duration::from_secs(120))
        );
        let future = (chrono::Utc::now() + chrono::Duration::hours(2)).to_rfc2822();
        let wait = retry_after(&headers(&[("retry-after", &future)])).unwrap();
        assert!(
            wait > Duration::from_secs(7000) && wait <= Duration::from_secs(7200),
            "{wait:?}"
        );
        assert_eq!(
            retry_after(&headers(&[(
                "retry-after",
                "Wed, 01 Jan 2020 00:00:00 GMT"
            )])),
            Some(Duration::ZERO)
        );
        assert_eq!(retry_after(&headers(&[("retry-after", "soon")])), None);
    }
}
