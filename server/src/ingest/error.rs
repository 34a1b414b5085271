//! Why refreshing a feed failed, in words a user understands; these texts
//! are what the Feeds page shows as a feed's last error.

use std::time::Duration;

use super::guard::Blocked;

#[derive(Debug, Clone, thiserror::Error)]
pub enum FetchError {
    #[error("{0}")]
    Blocked(Blocked),
    #[error("connection refused")]
    ConnectionRefused,
    #[error("host not found: {0}")]
    HostNotFound(String),
    #[error("{}", timeout_text(*.0))]
    Timeout(Duration),
    #[error("body larger than {}", size_text(*.0))]
    TooLarge(u64),
    #[error("too many redirects (more than {0})")]
    TooManyRedirects(usize),
    #[error("redirect loop")]
    RedirectLoop,
    #[error("only http and https URLs can be fetched, not {0}:")]
    UnsupportedScheme(String),
    #[error("{}", status_text(*.status))]
    Status {
        status: u16,
        retry_after: Option<Duration>,
    },
    #[error("not a feed: got {0}")]
    NotAFeed(String),
    #[error("empty body")]
    EmptyBody,
    #[error("not a valid feed: {0}")]
    Unparseable(String),
    /// Discovery found neither a feed nor a link to one; holds the URL tried.
    #[error("no feed found at {0}")]
    NoFeedFound(String),
    #[error("{0}")]
    Other(String),
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

fn timeout_text(limit: Duration) -> String {
    format!("timed out after {} s", limit.as_secs())
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
