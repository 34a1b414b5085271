//! Stage 3, normalise: a parsed entry becomes what newsdesk stores — a
//! deterministic key, plain-text title, an http(s) link and its dedupe key,
//! a lenient date, and summary HTML sanitised with ammonia plus a plain-text
//! excerpt.

use std::{collections::HashSet, sync::LazyLock};

use chrono::{DateTime, Duration, Utc};
use feed_rs::model;
use serde::Serialize;
use sha2::{Digest, Sha256};
use url::Url;

// The key is shared with links added by hand and imported issues.
pub use newsdesk_app::links::article_url_key;

const MAX_KEY_CHARS: usize = 500;
const MAX_TITLE_CHARS: usize = 500;
const MAX_SUMMARY_BYTES: usize = 64 * 1024;
const MAX_EXCERPT_CHARS: usize = 300;
const MAX_CATEGORIES: usize = 20;

/// An entry as `ingest_entry_batch()` in the database stores it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Entry {
    pub key: String,
    pub url: Option<String>,
    pub url_key: Option<String>,
    pub title: String,
    pub summary_html: String,
    pub excerpt: String,
    pub author: Option<String>,
    pub categories: Vec<String>,
    pub published_at: DateTime<Utc>,
    pub hash: String,
}

/// Normalises all entries of a feed, dropping later duplicates of a key
/// (feeds do repeat GUIDs).
pub fn normalise_entries(entries: &[model::Entry], fetched_at: DateTime<Utc>) -> Vec<Entry> {
    let mut seen = HashSet::new();
    entries
        .iter()
        .map(|entry| normalise_entry(entry, fetched_at))
        .filter(|entry| seen.insert(entry.key.clone()))
        .collect()
}

pub fn normalise_entry(entry: &model::Entry, fetched_at: DateTime<Utc>) -> Entry {
    let url = entry_link(entry);
    let url_key = url.as_ref().and_then(|u| article_url_key(u));
    let summary_source = entry
        .content
        .as_ref()
        .and_then(|content| content.body.clone())
        .filter(|body| !body.trim().is_empty())
        .or_else(|| entry.summary.as_ref().map(|text| text.content.clone()))
        .unwrap_or_default();
    let summary_html = sanitise_html(&summary_source);
    let excerpt = truncate_chars(
        &collapse_whitespace(&html_to_text(&summary_html)),
        MAX_EXCERPT_CHARS,
    );
    let title = entry
        .title
        .as_ref()
        .map(|text| collapse_whitespace(&html_to_text(&text.content)))
        .filter(|title| !title.is_empty())
        .or_else(|| url.clone())
        .unwrap_or_else(|| "(untitled)".into());
    let title = truncate_chars(&title, MAX_TITLE_CHARS);
    let author = entry
        .authors
        .first()
        .map(|person| collapse_whitespace(&html_to_text(&person.name)))
        .filter(|name| !name.is_empty());
    let mut categories: Vec<String> = Vec::new();
    for category in &entry.categories {
        let name = collapse_whitespace(category.label.as_deref().unwrap_or(&category.term));
        if !name.is_empty() && !categories.contains(&name) && categories.len() < MAX_CATEGORIES {
            categories.push(truncate_chars(&name, 100));
        }
    }
    let key = entry_key(entry, url_key.as_deref(), &title, &summary_html);
    let published_at = lenient_date(entry.published.or(entry.updated), fetched_at);
    let hash = content_hash(&[
        &title,
        &summary_html,
        url.as_deref().unwrap_or(""),
        author.as_deref().unwrap_or(""),
        &categories.join("\u{1f}"),
    ]);
    Entry {
        key,
        url,
        url_key,
        title,
        summary_html,
        excerpt,
        author,
        categories,
        published_at,
        hash,
    }
}

/// GUID, else the normalised link, else a hash of title and content —
/// never anything random, so a re-poll finds the same key.
fn entry_key(entry: &model::Entry, url_key: Option<&str>, title: &str, summary: &str) -> String {
    let id = entry.id.trim();
    if !id.is_empty() {
        return if id.chars().count() > MAX_KEY_CHARS {
            format!("id-sha256:{}", content_hash(&[id]))
        } else {
            id.to_owned()
        };
    }
    match url_key {
        Some(key) => format!("url:{key}"),
        None => format!("sha256:{}", content_hash(&[title, summary])),
    }
}

/// Missing → when first seen; in the future (clock skew, typos) → now.
fn lenient_date(date: Option<DateTime<Utc>>, fetched_at: DateTime<Utc>) -> DateTime<Utc> {
    match date {
        Some(date) if date <= fetched_at + Duration::hours(1) => date,
        _ => fetched_at,
    }
}

/// The entry's article link: the first `alternate` (or unlabelled) link
/// with an http or https URL.
fn entry_link(entry: &model::Entry) -> Option<String> {
    entry
        .links
        .iter()
        .filter(|link| link.rel.as_deref().is_none_or(|rel| rel == "alternate"))
        .chain(entry.links.iter())
        .find_map(|link| {
            let url = Url::parse(link.href.trim()).ok()?;
            matches!(url.scheme(), "http" | "https").then(|| url.to_string())
        })
}

static SANITISER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::default();
    builder
        .url_schemes(HashSet::from(["http", "https", "mailto"]))
        .link_rel(Some("noopener noreferrer nofollow"))
        .strip_comments(true);
    builder
});

/// Feed HTML made safe to show: no scripts, handlers, styles or
/// javascript:/data: links. Over-long input is cut before cleaning.
pub fn sanitise_html(html: &str) -> String {
    let html = truncate_bytes(html, MAX_SUMMARY_BYTES);
    SANITISER.clean(html).to_string()
}

/// Text content of an HTML fragment, entities decoded.
pub fn html_to_text(html: &str) -> String {
    static STRIP_ALL: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
        let mut builder = ammonia::Builder::empty();
        builder.clean_content_tags(HashSet::from(["script", "style"]));
        builder
    });
    let escaped = STRIP_ALL.clean(html).to_string();
    decode_basic_entities(&escaped)
}

/// ammonia's output escapes only these; undo them for plain text.
fn decode_basic_entities(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", "\u{a0}")
        .replace("&amp;", "&")
}

fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn truncate_chars(text: &str, limit: usize) -> String {
    match text.char_indices().nth(limit) {
        Some((index, _)) => format!("{}…", text[..index].trim_end()),
        None => text.to_owned(),
    }
}

fn truncate_bytes(text: &str, limit: usize) -> &str {
    if text.len() <= limit {
        return text;
    }
    let mut end = limit;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

fn content_hash(parts: &[&str]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part.as_bytes());
        hasher.update([0u8]);
    }
    hasher
        .finalize()
        .iter()
        .take(16)
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(xml: &str) -> Vec<Entry> {
        let feed = super::super::parse::parse_feed(
            xml.as_bytes(),
            None,
            &Url::parse("https://example.com/feed").unwrap(),
        )
        .unwrap()
        .feed;
        normalise_entries(&feed.entries, "2026-11-26T12:00:00Z".parse().unwrap())
    }

    #[test]
    fn url_keys_ignore_tracking_scheme_case_and_fragments() {
        let key = article_url_key(
            "https://Kubernetes.IO/blog/2026/11/post/?utm_source=rss&utm_medium=feed#top",
        )
        .unwrap();
        assert_eq!(key, "//kubernetes.io/blog/2026/11/post");
        assert_eq!(
            article_url_key("http://kubernetes.io:80/blog/2026/11/post").unwrap(),
            key
        );
        assert_eq!(
            article_url_key("https://example.com/a?id=3&fbclid=x&gclid=y").unwrap(),
            "//example.com/a?id=3"
        );
        assert_eq!(
            article_url_key("https://example.com:8443/").unwrap(),
            "//example.com:8443"
        );
        assert_eq!(article_url_key("javascript:alert(1)"), None);
    }

    #[test]
    fn keys_are_guid_then_link_then_hash() {
        let entries = parse(
            r#"<rss version="2.0"><channel><title>t</title>
            <item><guid>tag:example.com,2026:1</guid><title>One</title><link>https://example.com/1</link></item>
            <item><title>Two</title><link>https://example.com/2?utm_source=x</link></item>
            <item><title>Three</title><description>no link</description></item>
            </channel></rss>"#,
        );
        assert_eq!(entries[0].key, "tag:example.com,2026:1");
        assert_eq!(entries[1].key, "url://example.com/2");
        assert!(entries[2].key.starts_with("sha256:"));
        assert_eq!(
            entries,
            parse(&entries_source_again()),
            "deterministic across parses"
        );
    }

    fn entries_source_again() -> String {
        r#"<rss version="2.0"><channel><title>t</title>
            <item><guid>tag:example.com,2026:1</guid><title>One</title><link>https://example.com/1</link></item>
            <item><title>Two</title><link>https://example.com/2?utm_source=x</link></item>
            <item><title>Three</title><description>no link</description></item>
            </channel></rss>"#
            .into()
    }

    #[test]
    fn hostile_html_is_neutralised() {
        let entries = parse(
            r#"<rss version="2.0"><channel><title>t</title><item>
            <title>&lt;script&gt;alert(1)&lt;/script&gt;Hello &amp; welcome</title>
            <link>javascript:alert(1)</link>
            <description>&lt;p onclick="x()"&gt;Hi&lt;img src=x onerror=alert(1)&gt;&lt;a href="javascript:alert(2)"&gt;link&lt;/a&gt;&lt;script&gt;bad()&lt;/script&gt;&lt;/p&gt;</description>
            </item></channel></rss>"#,
        );
        let entry = &entries[0];
        assert_eq!(
            entry.title, "Hello & welcome",
            "title is plain text without the script"
        );
        assert_eq!(entry.url, None, "javascript: links are dropped");
        assert!(!entry.summary_html.contains("onclick"));
        assert!(!entry.summary_html.contains("onerror"));
        assert!(!entry.summary_html.contains("javascript:"));
        assert!(!entry.summary_html.contains("<script"));
        assert!(!entry.summary_html.contains("bad()"));
        assert!(entry.summary_html.contains("Hi"));
        assert_eq!(entry.excerpt, "Hilink");
    }

    #[test]
    fn dates_are_lenient() {
        let entries = parse(
            r#"<rss version="2.0"><channel><title>t</title>
            <item><guid>a</guid><pubDate>Tue, 10 Nov 2026 09:00:00 GMT</pubDate></item>
            <item><guid>b</guid><pubDate>not a date at all</pubDate></item>
            <item><guid>c</guid><pubDate>Fri, 01 Jan 2100 00:00:00 GMT</pubDate></item>
            </channel></rss>"#,
        );
        let fetched: DateTime<Utc> = "2026-11-26T12:00:00Z".parse().unwrap();
        assert_eq!(
            entries[0].published_at,
            "2026-11-10T09:00:00Z".parse::<DateTime<Utc>>().unwrap()
        );
        assert_eq!(entries[1].published_at, fetched, "garbage → first seen");
        assert_eq!(entries[2].published_at, fetched, "future → first seen");
    }

    #[test]
    fn duplicate_guids_in_one_feed_keep_the_first() {
        let entries = parse(
            r#"<rss version="2.0"><channel><title>t</title>
            <item><guid>same</guid><title>First</title></item>
            <item><guid>same</guid><title>Second</title></item>
            </channel></rss>"#,
        );
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].title, "First");
    }

    #[test]
    fn japanese_text_survives() {
        let entries = parse(
            r#"<rss version="2.0"><channel><title>t</title><item><guid>j</guid>
            <title>Kubernetes 1.35 リリース：新機能まとめ</title>
            <description>&lt;p&gt;コンテナの&lt;b&gt;新しい&lt;/b&gt;機能&lt;/p&gt;</description></item></channel></rss>"#,
        );
        assert_eq!(entries[0].title, "Kubernetes 1.35 リリース：新機能まとめ");
        assert_eq!(entries[0].excerpt, "コンテナの新しい機能");
    }
}
