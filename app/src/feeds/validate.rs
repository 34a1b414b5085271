//! Checks a feed URL and title typed by a person, and normalises the URL so
//! that trivially different spellings of one feed are one row.

use url::Url;

use crate::{
    db::feeds::FeedSettings,
    error::AppError,
    i18n::td_string,
    lang::{self, current as locale},
};

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
        return Err(AppError::invalid(
            "url",
            td_string!(locale(), feeds.error_url_empty),
        ));
    }
    let length = input.chars().count();
    if length > MAX_URL_CHARS {
        return Err(AppError::invalid(
            "url",
            lang::fill(
                td_string!(locale(), feeds.error_url_long),
                &[
                    ("length", &length.to_string()),
                    ("max", &MAX_URL_CHARS.to_string()),
                ],
            ),
        ));
    }
    let mut url = Url::parse(input).map_err(|error| match error {
        url::ParseError::RelativeUrlWithoutBase => AppError::invalid(
            "url",
            lang::fill(
                td_string!(locale(), feeds.error_url_relative),
                &[("input", input)],
            ),
        ),
        other => AppError::invalid(
            "url",
            lang::fill(
                td_string!(locale(), feeds.error_url_invalid),
                &[("error", &other.to_string())],
            ),
        ),
    })?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(AppError::invalid(
            "url",
            lang::fill(
                td_string!(locale(), feeds.error_url_scheme),
                &[("scheme", url.scheme())],
            ),
        ));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(AppError::invalid(
            "url",
            td_string!(locale(), feeds.error_url_host),
        ));
    }
    url.set_fragment(None);
    let normalised = String::from(url);
    // Normalising can lengthen a URL (percent-encoding), so check again.
    if normalised.chars().count() > MAX_URL_CHARS {
        return Err(AppError::invalid(
            "url",
            lang::fill(
                td_string!(locale(), feeds.error_url_long_encoded),
                &[("max", &MAX_URL_CHARS.to_string())],
            ),
        ));
    }
    Ok(normalised)
}

pub const MIN_INTERVAL_MINUTES: i32 = 5;
pub const MAX_INTERVAL_MINUTES: i32 = 7 * 24 * 60;
/// The `feeds.category` column allows at most this many characters.
pub const MAX_CATEGORY_CHARS: usize = 100;
const MAX_TAGS: usize = 20;
const MAX_TAG_CHARS: usize = 50;

/// Checks the editable settings of a feed, as typed in the edit form.
pub fn clean_settings(
    title: &str,
    category: &str,
    tags: &str,
    interval_minutes: &str,
    enabled: bool,
) -> Result<FeedSettings, AppError> {
    let interval = interval_minutes.trim().parse::<i32>().map_err(|_| {
        AppError::invalid(
            "interval",
            td_string!(locale(), feeds.error_interval_number),
        )
    })?;
    let tags: Vec<&str> = tags.split(',').collect();
    check_settings(title, category, &tags, interval, enabled)
}

/// [`clean_settings`] for values that arrive typed (the JSON API).
pub fn check_settings(
    title: &str,
    category: &str,
    tags: &[&str],
    interval: i32,
    enabled: bool,
) -> Result<FeedSettings, AppError> {
    let title = clean_title(title)?;
    let category = single_line("category", category, MAX_CATEGORY_CHARS)?;
    let mut tag_list: Vec<String> = Vec::new();
    for tag in tags
        .iter()
        .map(|tag| tag.trim())
        .filter(|tag| !tag.is_empty())
    {
        let tag = single_line("tags", tag, MAX_TAG_CHARS)?.unwrap_or_default();
        if !tag_list
            .iter()
            .any(|known| known.eq_ignore_ascii_case(&tag))
        {
            tag_list.push(tag);
        }
    }
    if tag_list.len() > MAX_TAGS {
        return Err(AppError::invalid(
            "tags",
            lang::fill(
                td_string!(locale(), feeds.error_tags_count),
                &[("max", &MAX_TAGS.to_string())],
            ),
        ));
    }
    if !(MIN_INTERVAL_MINUTES..=MAX_INTERVAL_MINUTES).contains(&interval) {
        return Err(AppError::invalid(
            "interval",
            lang::fill(
                td_string!(locale(), feeds.error_interval_range),
                &[
                    ("min", &MIN_INTERVAL_MINUTES.to_string()),
                    ("max", &MAX_INTERVAL_MINUTES.to_string()),
                ],
            ),
        ));
    }
    Ok(FeedSettings {
        title,
        category,
        tags: tag_list,
        poll_interval_minutes: interval,
        enabled,
    })
}

fn single_line(field: &str, input: &str, max_chars: usize) -> Result<Option<String>, AppError> {
    let value = input.trim();
    if value.is_empty() {
        return Ok(None);
    }
    if value.chars().any(char::is_control) {
        return Err(AppError::invalid(
            field,
            td_string!(locale(), feeds.error_single_line),
        ));
    }
    if value.chars().count() > max_chars {
        return Err(AppError::invalid(
            field,
            lang::fill(
                td_string!(locale(), feeds.error_too_long),
                &[("max", &max_chars.to_string())],
            ),
        ));
    }
    Ok(Some(value.to_owned()))
}

fn clean_title(input: &str) -> Result<Option<String>, AppError> {
    let title = input.trim();
    if title.is_empty() {
        return Ok(None);
    }
    if title.chars().any(char::is_control) {
        return Err(AppError::invalid(
            "title",
            td_string!(locale(), feeds.error_title_control),
        ));
    }
    let length = title.chars().count();
    if length > MAX_TITLE_CHARS {
        return Err(AppError::invalid(
            "title",
            lang::fill(
                td_string!(locale(), feeds.error_title_long),
                &[
                    ("length", &length.to_string()),
                    ("max", &MAX_TITLE_CHARS.to_string()),
                ],
            ),
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
    fn settings_are_checked() {
        let settings =
            clean_settings(" K8s ", "Kubernetes", "k8s, release, K8S, ", "30", true).unwrap();
        assert_eq!(settings.title.as_deref(), Some("K8s"));
        assert_eq!(settings.category.as_deref(), Some("Kubernetes"));
        assert_eq!(settings.tags, ["k8s", "release"]);
        assert_eq!(settings.poll_interval_minutes, 30);
        let field = |result: Result<FeedSettings, AppError>, field: &str| {
            result.unwrap_err().field_message(field).is_some()
        };
        assert!(field(clean_settings("", "", "", "4", true), "interval"));
        assert!(field(clean_settings("", "", "", "10081", true), "interval"));
        assert!(field(clean_settings("", "", "", "soon", true), "interval"));
        assert!(field(
            clean_settings("", &"c".repeat(101), "", "60", true),
            "category"
        ));
        assert!(field(clean_settings("", "", "a\nb", "60", true), "tags"));
    }

    #[test]
    fn japanese_titles_count_characters_not_bytes() {
        let title = "ネコ".repeat(MAX_TITLE_CHARS / 2);
        assert!(clean_title(&title).is_ok());
    }
}
