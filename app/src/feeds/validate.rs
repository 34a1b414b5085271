//! Checks a feed URL and title typed by a person, and normalises the URL so
//! that trivially different spellings of one feed are one row.

use url::Url;

use crate::error::AppError;

pub const MAX_URL_CHARS: usize = 2048;
pub const MAX_TITLE_CHARS: usize = 200;

#[derive(Debug, PartialEq, Eq)]
pub struct NewFeed {
    pub url: String,
    pub title: Option<String>,
}

pub fn validate_new_feed(url: &str, title: &str) -> Result<NewFeed, AppError> {
    Ok(NewFeed {
        url: normalise_feed_url(url)?,
        title: clean_title(title)?,
    })
}

/// Lowercases scheme and host, drops the default port and the fragment (the
/// `url` crate does the first two while parsing).
pub fn normalise_feed_url(input: &str) -> Result<String, AppError> {
    let input = input.trim();
    if input.is_empty() {
        return Err(AppError::invalid("url", "Enter the feed's URL."));
    }
    let length = input.chars().count();
    if length > MAX_URL_CHARS {
        return Err(AppError::invalid(
            "url",
            format!("That URL is too long ({length} characters; at most {MAX_URL_CHARS})."),
        ));
    }
    let mut url = Url::parse(input).map_err(|error| match error {
        url::ParseError::RelativeUrlWithoutBase => AppError::invalid(
            "url",
            format!("Enter a full address starting with https:// or http://, for example https://{input}"),
        ),
        other => AppError::invalid("url", format!("That is not a valid URL: {other}.")),
    })?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(AppError::invalid(
            "url",
            format!(
                "Only http and https feeds can be polled; this URL uses “{}:”.",
                url.scheme()
            ),
        ));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(AppError::invalid("url", "The URL has no host name."));
    }
    url.set_fragment(None);
    let normalised = String::from(url);
    // Normalising can lengthen a URL (percent-encoding), so check again.
    if normalised.chars().count() > MAX_URL_CHARS {
        return Err(AppError::invalid(
            "url",
            format!("That URL is too long once encoded (at most {MAX_URL_CHARS} characters)."),
        ));
    }
    Ok(normalised)
}

fn clean_title(input: &str) -> Result<Option<String>, AppError> {
    let title = input.trim();
    if title.is_empty() {
        return Ok(None);
    }
    if title.chars().any(char::is_control) {
        return Err(AppError::invalid(
            "title",
            "The title cannot contain control characters such as line breaks.",
        ));
    }
    let length = title.chars().count();
    if length > MAX_TITLE_CHARS {
        return Err(AppError::invalid(
            "title",
            format!("The title is too long ({length} characters; at most {MAX_TITLE_CHARS})."),
        ));
    }
    Ok(Some(title.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url_error(input: &str) -> String {
        normalise_feed_url(input)
            .unwrap_err()
            .field_message("url")
            .expect("error is about the url field")
    }

    #[test]
    fn normalises_case_default_port_and_fragment() {
        assert_eq!(
            normalise_feed_url("  HTTPS://Kubernetes.IO:443/feed.xml#top ").unwrap(),
            "https://kubernetes.io/feed.xml"
        );
        assert_eq!(
            normalise_feed_url("http://example.com").unwrap(),
            "http://example.com/"
        );
    }

    #[test]
    fn keeps_path_and_query_case() {
        assert_eq!(
            normalise_feed_url("https://example.com/Feed?Tag=K8s").unwrap(),
            "https://example.com/Feed?Tag=K8s"
        );
    }

    #[test]
    fn rejects_empty_and_blank() {
        assert_eq!(url_error(""), "Enter the feed's URL.");
        assert_eq!(url_error("   "), "Enter the feed's URL.");
    }

    #[test]
    fn rejects_other_schemes() {
        assert!(url_error("ftp://example.com/feed").contains("Only http and https"));
        assert!(url_error("javascript:alert(1)").contains("“javascript:”"));
        assert!(url_error("file:///etc/passwd").contains("“file:”"));
    }

    #[test]
    fn suggests_a_scheme_for_bare_hosts() {
        assert!(url_error("kubernetes.io/feed.xml").contains("https://kubernetes.io/feed.xml"));
    }

    #[test]
    fn rejects_too_long_urls() {
        let long = format!("https://example.com/{}", "a".repeat(MAX_URL_CHARS));
        assert!(url_error(&long).contains("too long"));
        let fits = format!("https://example.com/{}", "a".repeat(MAX_URL_CHARS - 20));
        assert!(normalise_feed_url(&fits).is_ok());
    }

    #[test]
    fn title_is_optional_trimmed_and_bounded() {
        assert_eq!(clean_title("  ").unwrap(), None);
        assert_eq!(
            clean_title(" CNCF blog ").unwrap().as_deref(),
            Some("CNCF blog")
        );
        assert!(clean_title(&"x".repeat(MAX_TITLE_CHARS)).is_ok());
        let error = clean_title(&"x".repeat(MAX_TITLE_CHARS + 1)).unwrap_err();
        assert!(error.field_message("title").unwrap().contains("too long"));
        assert!(clean_title("a\nb")
            .unwrap_err()
            .field_message("title")
            .is_some());
    }

    #[test]
    fn japanese_titles_count_characters_not_bytes() {
        let title = "ネコ".repeat(MAX_TITLE_CHARS / 2);
        assert!(clean_title(&title).is_ok());
    }
}
