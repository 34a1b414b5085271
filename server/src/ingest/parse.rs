//! Stage 2, parse: raw bytes into a feed model with feed-rs (RSS 0.9x, 1.0,
//! 2.0, Atom, JSON Feed), reading every feed a feed reader would.
//!
//! 1. The body is decoded to UTF-8 first ([`encoding`]: BOM, then the HTTP
//!    charset, then the XML declaration, per RFC 7303; a guess when none
//!    says anything and the bytes are not UTF-8).
//! 2. feed-rs parses it strictly. Its XML reader expands only the
//!    predefined entities, so entity bombs and external entities stay
//!    inert, and DOCTYPEs are skipped unread.
//! 3. Only when that fails, or finds no entries (or entries without
//!    content) where the document has some, is it [`rewrite`]n leniently
//!    and parsed again. Repairs the second pass needed make the feed "read
//!    with errors", like feedparser's `bozo`; old formats it adapts do not.

mod encoding;
mod rewrite;

use feed_rs::model;
use newsdesk_app::lang::model::{Stored, StoredText};
use url::Url;

use super::error::FetchError;

/// A parsed feed, and what was wrong with the document (shown as the
/// feed's health: "read with errors: …").
#[derive(Debug)]
pub struct ParsedFeed {
    pub feed: model::Feed,
    pub problems: Vec<Stored>,
}

impl ParsedFeed {
    /// The feed's health note, when the document had errors: the first
    /// few problems, and how many more there were.
    pub fn warning(&self) -> Option<Stored> {
        const SHOWN: usize = 3;
        if self.problems.is_empty() {
            return None;
        }
        let shown = self.problems[..self.problems.len().min(SHOWN)].to_vec();
        let more = self.problems.len().saturating_sub(SHOWN);
        Some(if more == 0 {
            Stored::listing(StoredText::FeedReadWithErrors, &[], shown)
        } else {
            let more = more.to_string();
            Stored::listing(
                StoredText::FeedReadWithErrorsMore,
                &[("more", &more)],
                shown,
            )
        })
    }
}

/// Parses a fetched body. Entries without an id keep an empty id here (not
/// feed-rs's generated one), so that the normalise stage decides their key.
pub fn parse_feed(
    body: &[u8],
    content_type: Option<&str>,
    base: &Url,
) -> Result<ParsedFeed, FetchError> {
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
    let decoded = encoding::decode(body, content_type);
    let mut problems: Vec<Stored> = decoded.problem.into_iter().collect();
    let text: &[u8] = &decoded.text;
    if text.trim_ascii().is_empty() {
        return Err(FetchError::EmptyBody);
    }
    let strict_error = if is_atom_03(text) {
        // feed-rs would read nothing of it; go straight to the rewrite.
        None
    } else {
        match strict_parse(text, base) {
            Ok(feed) if !may_hide_entries(&feed, text) => return Ok(ParsedFeed { feed, problems }),
            Ok(feed) => {
                // Well-formed, but its entries or their content are in a
                // shape feed-rs does not know: keep this result unless the
                // rewrite reads more.
                let rewritten = std::str::from_utf8(text)
                    .ok()
                    .map(rewrite::rewrite)
                    .and_then(|done| strict_parse(done.xml.as_bytes(), base).ok());
                let feed = match rewritten {
                    Some(better) if reads_more(&better, &feed) => better,
                    _ => feed,
                };
                return Ok(ParsedFeed { feed, problems });
            }
            Err(error) => Some(error),
        }
    };
    let Ok(source) = std::str::from_utf8(text) else {
        return Err(strict_error.unwrap_or_else(|| FetchError::Unparseable("not text".into())));
    };
    if !looks_like_xml(source) {
        return Err(
            strict_error.unwrap_or_else(|| FetchError::Unparseable("no root element".into()))
        );
    }
    let done = rewrite::rewrite(source);
    match strict_parse(done.xml.as_bytes(), base) {
        Ok(feed) => {
            problems.extend(done.repairs);
            Ok(ParsedFeed { feed, problems })
        }
        Err(error) => Err(strict_error.unwrap_or(error)),
    }
}

fn strict_parse(text: &[u8], base: &Url) -> Result<model::Feed, FetchError> {
    feed_rs::parser::Builder::new()
        .base_uri(Some(base.as_str()))
        .id_generator(|_, _, _| String::new())
        .build()
        .parse(text)
        .map_err(|error| FetchError::Unparseable(short(&error.to_string())))
}

/// Atom 0.3's namespace on the root element, which comes first.
fn is_atom_03(text: &[u8]) -> bool {
    let head = &text[..text.len().min(4096)];
    contains(head, b"purl.org/atom/ns#")
}

/// Whether a strictly parsed feed may have missed what the document holds:
/// no entries where there are `<item>`s or `<entry>`s; entries without
/// content where the document has an item `<body>` or `content:encoded`;
/// entries without a link but with a GUID that is one. Cheap for the usual
/// feed: it only looks at the text when a sign shows.
fn may_hide_entries(feed: &model::Feed, text: &[u8]) -> bool {
    if feed.entries.is_empty() {
        return [&b"<item"[..], b":item", b"<entry", b":entry"]
            .iter()
            .any(|needle| contains(text, needle));
    }
    let linkless_url_id = feed.entries.iter().any(|entry| {
        entry.links.is_empty()
            && (entry.id.starts_with("http://") || entry.id.starts_with("https://"))
    });
    let without_content = feed
        .entries
        .iter()
        .any(|entry| entry.content.is_none() && entry.summary.is_none());
    linkless_url_id
        || (without_content
            && [&b"<body"[..], b":body", b"content:encoded"]
                .iter()
                .any(|needle| contains(text, needle)))
}

/// Whether a second reading found more than the first: entries, then
/// entries with content, then entries with a link.
fn reads_more(second: &model::Feed, first: &model::Feed) -> bool {
    let measure = |feed: &model::Feed| {
        (
            feed.entries.len(),
            feed.entries
                .iter()
                .filter(|entry| entry.content.is_some() || entry.summary.is_some())
                .count(),
            feed.entries
                .iter()
                .filter(|entry| !entry.links.is_empty())
                .count(),
        )
    };
    measure(second) > measure(first)
}

/// A document that starts like markup (JSON and plain text are not
/// rewritten).
fn looks_like_xml(text: &str) -> bool {
    text.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
        .starts_with('<')
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    memchr::memmem::find(haystack, needle).is_some()
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
    use newsdesk_app::lang::Locale;

    use super::*;

    fn base() -> Url {
        Url::parse("https://example.com/feed.xml").unwrap()
    }

    fn english(warning: Option<Stored>) -> Option<String> {
        warning.map(|warning| warning.words(Locale::en))
    }

    /// Repairs are stored as messages, not words: a Japanese reader reads
    /// them in Japanese, with the document's names kept as they were.
    #[test]
    fn a_warning_is_worded_in_the_readers_language() {
        let rss = b"<rss version=\"2.0\"><channel><title>t</title><item><title>Fish & chips &hellip;</title><link>https://e.com/a</link></item>";
        let warning = parse_feed(rss, None, &base()).unwrap().warning().unwrap();
        let stored: Stored =
            serde_json::from_str(&serde_json::to_string(&warning).unwrap()).unwrap();
        assert_eq!(
            stored.words(Locale::ja),
            "エラーを補って読み込みました: テキスト中にエスケープされていない & があります、\
             未定義の実体参照 &hellip; があります、<channel> が閉じられていません"
        );
        assert_eq!(
            stored.words(Locale::en),
            "read with errors: a bare & in text; undefined entity &hellip;; <channel> not closed"
        );
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
                .feed
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
        let feed = parse_feed(rss, None, &base()).unwrap().feed;
        assert_eq!(feed.entries[0].id, "");
    }

    #[test]
    fn broken_xml_is_read_and_says_what_was_wrong() {
        let rss = b"<rss version=\"2.0\"><channel><title>t</title><item><title>Fish & chips</title><link>https://e.com/a</link></item>";
        let parsed = parse_feed(rss, None, &base()).unwrap();
        assert_eq!(parsed.feed.entries.len(), 1);
        assert_eq!(
            english(parsed.warning()).as_deref(),
            Some("read with errors: a bare & in text; <channel> not closed")
        );
        // feed-rs drops an attribute it cannot read (here the version, so
        // the feed is refused); the second pass reads it and says so.
        let unquoted = b"<rss version=2.0><channel><title>t</title><item><title>a</title><link>https://e.com/a</link></item></channel></rss>";
        let parsed = parse_feed(unquoted, None, &base()).unwrap();
        assert_eq!(parsed.feed.entries.len(), 1);
        assert_eq!(
            english(parsed.warning()).as_deref(),
            Some("read with errors: a broken attribute in <rss>")
        );
    }

    #[test]
    fn old_formats_are_not_errors() {
        let atom03 = br#"<feed version="0.3" xmlns="http://purl.org/atom/ns#"><title>t</title><entry><title>e</title><link rel="alternate" type="text/html" href="https://e.com/e"/><content type="text/html" mode="escaped">&lt;p&gt;x&lt;/p&gt;</content></entry></feed>"#;
        let parsed = parse_feed(atom03, None, &base()).unwrap();
        assert_eq!(parsed.warning(), None);
        let entry = &parsed.feed.entries[0];
        assert_eq!(
            entry.content.as_ref().and_then(|c| c.body.as_deref()),
            Some("<p>x</p>")
        );
        let rss093 = br#"<rss version="0.93"><channel><title>t</title><item><title>e</title><link>https://e.com/e</link></item></channel></rss>"#;
        let parsed = parse_feed(rss093, None, &base()).unwrap();
        assert_eq!((parsed.feed.entries.len(), parsed.warning()), (1, None));
    }

    #[test]
    fn many_problems_are_summed_up() {
        let rss = br#"<rss version="2.0"><channel><title>t</title></channel></rss>"#;
        let mut parsed = parse_feed(rss, None, &base()).unwrap();
        parsed.problems = (1..=5)
            .map(|n| Stored::quoted(format!("problem {n}")))
            .collect();
        assert_eq!(
            english(parsed.warning()).as_deref(),
            Some("read with errors: problem 1; problem 2; problem 3 and 2 more")
        );
        let japanese = parsed.warning().unwrap().words(Locale::ja);
        assert!(
            japanese.ends_with("problem 1、problem 2、problem 3、ほか 2 件"),
            "{japanese}"
        );
    }
}
