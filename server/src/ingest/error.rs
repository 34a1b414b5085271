//! Why refreshing a feed failed, in words a user understands; these texts
//! are what the Feeds page shows as a feed's last error, and what adding a
//! feed or a link answers when it cannot.

use std::{fmt, time::Duration};

use newsdesk_app::{
    i18n::td_string,
    lang::{self, fill},
};

use super::guard::Blocked;

#[derive(Debug, Clone)]
pub enum FetchError {
    Blocked(Blocked),
    ConnectionRefused,
    HostNotFound(String),
    Timeout(Duration),
    TooLarge(u64),
    TooManyRedirects(usize),
    RedirectLoop,
    RedirectWithoutLocation,
    /// Where the redirect pointed.
    RedirectInvalid(String),
    UnsupportedScheme(String),
    Status {
        status: u16,
        retry_after: Option<Duration>,
    },
    /// The content type that came back.
    NotAFeed(String),
    EmptyBody,
    /// What the feed parser said.
    Unparseable(String),
    /// Discovery found neither a feed nor a link to one; holds the URL tried.
    NoFeedFound(String),
    /// What a member typed is no URL; holds the URL parser's reason.
    InvalidUrl(String),
    /// A stored feed URL the URL parser refuses; holds its reason.
    InvalidFeedUrl(String),
    /// A link to add is not http or https.
    LinkSchemeUnsupported,
    /// A link whose address cannot be normalised into a key.
    NoUsableAddress,
    /// The parsing thread panicked; holds its message.
    ParserCrashed(String),
    ConnectionReset,
    /// Connecting failed otherwise; holds the cause.
    CannotConnect(String),
    /// The body stopped arriving or could not be decoded; holds the cause.
    BodyBrokeOff(String),
    /// Anything else the HTTP client reported, quoted.
    Other(String),
}

impl std::error::Error for FetchError {}

/// In the words of the catalogue (`feeds.fetch_*`), in the language of the
/// request that asked (the poller, with none, writes English). Causes
/// quoted from elsewhere (a parser, a URL, the server's status line) stay
/// as they came.
impl fmt::Display for FetchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let locale = lang::current();
        let text = |text: &str, values: &[(&str, &str)]| fill(text, values);
        let said = match self {
            Self::Blocked(blocked) => return blocked.fmt(f),
            Self::ConnectionRefused => td_string!(locale, feeds.fetch_connection_refused).into(),
            Self::HostNotFound(host) => text(
                td_string!(locale, feeds.fetch_host_not_found),
                &[("host", host)],
            ),
            Self::Timeout(limit) => text(
                td_string!(locale, feeds.fetch_timeout),
                &[("seconds", &limit.as_secs().to_string())],
            ),
            Self::TooLarge(bytes) => text(
                td_string!(locale, feeds.fetch_too_large),
                &[("size", &size_text(*bytes))],
            ),
            Self::TooManyRedirects(max) => text(
                td_string!(locale, feeds.fetch_too_many_redirects),
                &[("max", &max.to_string())],
            ),
            Self::RedirectLoop => td_string!(locale, feeds.fetch_redirect_loop).into(),
            Self::RedirectWithoutLocation => {
                td_string!(locale, feeds.fetch_redirect_without_location).into()
            }
            Self::RedirectInvalid(location) => text(
                td_string!(locale, feeds.fetch_redirect_invalid),
                &[("location", location)],
            ),
            Self::UnsupportedScheme(scheme) => text(
                td_string!(locale, feeds.fetch_unsupported_scheme),
                &[("scheme", scheme)],
            ),
            Self::Status { status, .. } => status_text(*status),
            Self::NotAFeed(kind) => text(
                td_string!(locale, feeds.fetch_not_a_feed),
                &[("kind", kind)],
            ),
            Self::EmptyBody => td_string!(locale, feeds.fetch_empty_body).into(),
            Self::Unparseable(detail) => text(
                td_string!(locale, feeds.fetch_unparseable),
                &[("detail", detail)],
            ),
            Self::NoFeedFound(url) => text(
                td_string!(locale, feeds.fetch_no_feed_found),
                &[("url", url)],
            ),
            Self::InvalidUrl(detail) => text(
                td_string!(locale, feeds.fetch_invalid_url),
                &[("detail", detail)],
            ),
            Self::InvalidFeedUrl(detail) => text(
                td_string!(locale, feeds.fetch_invalid_feed_url),
                &[("detail", detail)],
            ),
            Self::LinkSchemeUnsupported => {
                td_string!(locale, feeds.fetch_link_scheme_unsupported).into()
            }
            Self::NoUsableAddress => td_string!(locale, feeds.fetch_no_usable_address).into(),
            Self::ParserCrashed(detail) => text(
                td_string!(locale, feeds.fetch_parser_crashed),
                &[("detail", detail)],
            ),
            Self::ConnectionReset => td_string!(locale, feeds.fetch_connection_reset).into(),
            Self::CannotConnect(cause) => text(
                td_string!(locale, feeds.fetch_cannot_connect),
                &[("cause", cause)],
            ),
            Self::BodyBrokeOff(cause) => text(
                td_string!(locale, feeds.fetch_body_broke_off),
                &[("cause", cause)],
            ),
            Self::Other(cause) => cause.clone(),
        };
        f.write_str(&said)
    }
}

impl FetchError {
    pub fn http_status(&self) -> Option<u16> {
        match self {
            Self::Status { status, .. } => Some(*status),
            _ => None,
        }
    }

    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Self::Status { retry_after, .. } => *retry_after,
            _ => None,
        }
    }
}

fn size_text(bytes: u64) -> String {
    if bytes >= 1024 * 1024 && bytes.is_multiple_of(1024 * 1024) {
        format!("{} MiB", bytes / (1024 * 1024))
    } else if bytes >= 1024 {
        format!("{} KiB", bytes / 1024)
    } else {
        format!("{bytes} bytes")
    }
}

/// The status line as HTTP has it (`HTTP 404 Not Found`): a quotation, the
/// same in every language.
fn status_text(status: u16) -> String {
    let reason = reqwest::StatusCode::from_u16(status)
        .ok()
        .and_then(|code| code.canonical_reason())
        .unwrap_or("");
    format!("HTTP {status} {reason}").trim_end().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_plain_words() {
        assert_eq!(
            FetchError::TooLarge(10 * 1024 * 1024).to_string(),
            "body larger than 10 MiB"
        );
        assert_eq!(
            FetchError::NotAFeed("text/html".into()).to_string(),
            "not a feed: got text/html"
        );
        assert_eq!(
            FetchError::Status {
                status: 404,
                retry_after: None
            }
            .to_string(),
            "HTTP 404 Not Found"
        );
        assert_eq!(
            FetchError::Timeout(Duration::from_secs(30)).to_string(),
            "timed out after 30 s"
        );
        assert_eq!(
            FetchError::ConnectionRefused.to_string(),
            "connection refused"
        );
    }
}
