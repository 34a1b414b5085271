//! Why refreshing a feed failed, in words a user understands; these texts
//! are what the Feeds page shows as a feed's last error, and what adding a
//! feed or a link answers when it cannot.

use std::{fmt, time::Duration};

use newsdesk_app::lang::model::{Stored, StoredText};

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
        self.stored().fmt(f)
    }
}

impl FetchError {
    /// The reason as a message to store: the Feeds page words it in its
    /// reader's language, whoever fetched the feed.
    pub fn stored(&self) -> Stored {
        use StoredText as T;
        let with = |text, name: &str, value: &str| Stored::new(text, &[(name, value)]);
        match self {
            Self::Blocked(blocked) => blocked.stored(T::FetchBlocked, T::FetchBlockedResolved),
            Self::ConnectionRefused => Stored::new(T::FetchConnectionRefused, &[]),
            Self::ConnectionReset => Stored::new(T::FetchConnectionReset, &[]),
            Self::CannotConnect(cause) => with(T::FetchCannotConnect, "cause", cause),
            Self::HostNotFound(host) => with(T::FetchHostNotFound, "host", host),
            Self::Timeout(limit) => with(T::FetchTimeout, "seconds", &limit.as_secs().to_string()),
            Self::TooLarge(bytes) => with(T::FetchTooLarge, "size", &size_text(*bytes)),
            Self::TooManyRedirects(max) => with(T::FetchTooManyRedirects, "max", &max.to_string()),
            Self::RedirectLoop => Stored::new(T::FetchRedirectLoop, &[]),
            Self::RedirectWithoutLocation => Stored::new(T::FetchRedirectWithoutLocation, &[]),
            Self::RedirectInvalid(location) => with(T::FetchRedirectInvalid, "location", location),
            Self::UnsupportedScheme(scheme) => with(T::FetchUnsupportedScheme, "scheme", scheme),
            Self::Status { status, .. } => Stored::quoted(status_text(*status)),
            Self::NotAFeed(kind) => with(T::FetchNotAFeed, "kind", kind),
            Self::EmptyBody => Stored::new(T::FetchEmptyBody, &[]),
            Self::Unparseable(detail) => with(T::FetchUnparseable, "detail", detail),
            Self::NoFeedFound(url) => with(T::FetchNoFeedFound, "url", url),
            Self::InvalidUrl(detail) => with(T::FetchInvalidUrl, "detail", detail),
            Self::InvalidFeedUrl(detail) => with(T::FetchInvalidFeedUrl, "detail", detail),
            Self::LinkSchemeUnsupported => Stored::new(T::FetchLinkSchemeUnsupported, &[]),
            Self::NoUsableAddress => Stored::new(T::FetchNoUsableAddress, &[]),
            Self::ParserCrashed(detail) => with(T::FetchParserCrashed, "detail", detail),
            Self::BodyBrokeOff(cause) => with(T::FetchBodyBrokeOff, "cause", cause),
            Self::Other(cause) => Stored::quoted(cause.as_str()),
        }
    }

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
