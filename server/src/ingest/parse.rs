//! Stage 2, parse: raw bytes into a feed model with feed-rs (RSS 0.9x, 1.0,
//! 2.0, Atom, JSON Feed). feed-rs is given bytes, not text, so that the
//! document's own encoding declaration decides; its XML reader expands only
//! the predefined entities, so entity bombs and external entities stay inert.

use feed_rs::model;
use url::Url;

use super::error::FetchError;

/// Parses a fetched body. Entries without an id keep an empty id here (not
/// feed-rs's generated one), so that the normalise stage decides their key.
pub fn parse_feed(
    body: &[u8],
    content_type: Option<&str>,
    base: &Url,
) -> Result<model::Feed, FetchError> {
    let trimmed = body.trim_ascii_start();
    if trimmed.is_empty() {
        return Err(FetchError::EmptyBody);
    }
    if looks_like_html(trimmed, content_type) {
        let got = content_type
            .and_then(|value| value.split(';').next())
            .map(str::trim)
            .filter(|value| !value.is_empty())
            .unwrap_or("an HTML page");
        return Err(FetchError::NotAFeed(got.to_owned()));
    }
    feed_rs::parser::Builder::new()
        .base_uri(Some(base.as_str()))
        .id_generator(|_, _, _| String::new())
        .build()
        .parse(body)
        .map_err(|error| FetchError::Unparseable(short(&error.to_string())))
}

fn looks_like_html(body: &[u8], content_type: Option<&str>) -> bool {
    let declared_html = content_type.is_some_and(|value| {
        value
            .trim_start()
            .to_ascii_lowercase()
            .starts_with("text/html")
    });
    let head: Vec<u8> = body.iter().take(512).map(u8::to_ascii_lowercase).collect();
    let starts_like_html = head.starts_with(b"<!doctype html") || head.starts_with(b"<html");
    // Some servers label real feeds text/html; trust the bytes when they look like XML or JSON.
    starts_like_html
        || (declared_html
            && !head.starts_with(b"<?xml")
            && !head.starts_with(b"<rss")
            && !head.starts_with(b"<feed")
            && !head.starts_with(b"{"))
}

fn short(text: &str) -> String {
    const LIMIT: usize = 200;
    match text.char_indices().nth(LIMIT) {
        Some((index, _)) => format!("{}…", &text[..index]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Url {
        Url::parse("https://example.com/feed.xml").unwrap()
    }

    #[test]
    fn html_pages_are_not_feeds() {
        let error = parse_feed(
            b"<!DOCTYPE html><html><body>hi</body></html>",
            Some("text/html; charset=utf-8"),
            &base(),
        )
        .unwrap_err();
        assert_eq!(error.to_string(), "not a feed: got text/html");
    }

    #[test]
    fn feeds_served_as_text_html_still_parse() {
        let rss = br#"<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item><title>a</title></item></channel></rss>"#;
        assert_eq!(
            parse_feed(rss, Some("text/html"), &base())
                .unwrap()
                .entries
                .len(),
            1
        );
    }

    #[test]
    fn empty_and_garbage_bodies_are_errors() {
        assert_eq!(
            parse_feed(b"  \n ", None, &base()).unwrap_err().to_string(),
            "empty body"
        );
        let garbage = parse_feed(&[0xff, 0xfe, 0x00, 0x13, 0x37], None, &base()).unwrap_err();
        assert!(
            garbage.to_string().starts_with("not a valid feed"),
            "{garbage}"
        );
    }

    #[test]
    fn missing_ids_stay_empty() {
        let rss = br#"<rss version="2.0"><channel><title>t</title><item><title>a</title><link>https://e.com/a</link></item></channel></rss>"#;
        let feed = parse_feed(rss, None, &base()).unwrap();
        assert_eq!(feed.entries[0].id, "");
    }
}
