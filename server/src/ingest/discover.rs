//! Feed discovery: turns what a user types when adding a feed — a feed URL,
//! a site's URL or a GitHub repository — into the feeds it leads to. Every
//! request goes through the SSRF-guarded [`Fetcher`], and one discovery
//! makes at most [`MAX_FETCHES`] of them.

use std::{collections::HashSet, sync::LazyLock};

use feed_rs::model::{Feed, FeedType};
use futures_util::future::join_all;
use newsdesk_app::feeds::model::DiscoveredFeed;
use scraper::{node::Element, Html, Selector};
use url::Url;

use super::{
    error::FetchError,
    fetch::Fetcher,
    github::github_releases_feed,
    normalise,
    page::{fetch_page, is_web_url, off_thread, parse_input, Page},
    parse,
};

/// Requests one discovery may make: the page itself plus the probes of
/// well-known paths, so that a single "add feed" cannot turn newsdesk into
/// a crawler.
pub const MAX_FETCHES: usize = 10;

/// Alternate links kept from one page; real sites announce a handful.
const MAX_LINKS: usize = 20;

/// Where sites without `<link rel="alternate">` commonly keep their feed,
/// most likely first.
const WELL_KNOWN_PATHS: [&str; 7] = [
    "/feed.xml",
    "/atom.xml",
    "/index.xml",
    "/rss.xml",
    "/feed/",
    "/feed",
    "/rss",
];

/// Finds the feeds `input` leads to: a GitHub repository's releases feed
/// (without fetching), the feed at the URL itself, the feeds its page links
/// to, or feeds at well-known paths of its site, in that order of preference.
/// Errors from fetching `input` itself are returned as they are.
pub async fn discover_feeds(
    fetcher: &Fetcher,
    input: &str,
) -> Result<Vec<DiscoveredFeed>, FetchError> {
    let url = parse_input(input)?;
    if let Some(feed) = github_releases_feed(&url) {
        return Ok(vec![feed]);
    }
    let page = fetch_page(fetcher, &url).await?;
    let page_url = page.url.clone();
    match off_thread(move || examine(&page)).await? {
        Examined::Feed(feed) => return Ok(vec![feed]),
        Examined::Links(links) if !links.is_empty() => return Ok(links),
        Examined::Links(_) => {}
    }
    let probed = probe_well_known(fetcher, &page_url, MAX_FETCHES - 1).await;
    if probed.is_empty() {
        return Err(FetchError::NoFeedFound(url.to_string()));
    }
    Ok(probed)
}

/// What the first page turned out to be.
enum Examined {
    Feed(DiscoveredFeed),
    Links(Vec<DiscoveredFeed>),
}

fn examine(page: &Page) -> Examined {
    if let Some(feed) = as_feed(page) {
        return Examined::Feed(feed);
    }
    if !may_be_html(page.content_type.as_deref()) {
        return Examined::Links(Vec::new());
    }
    Examined::Links(alternate_links(
        &String::from_utf8_lossy(&page.body),
        &page.url,
    ))
}

fn as_feed(page: &Page) -> Option<DiscoveredFeed> {
    let feed = parse::parse_feed(&page.body, page.content_type.as_deref(), &page.url)
        .ok()?
        .feed;
    Some(describe_feed(&feed, &page.url))
}

fn describe_feed(feed: &Feed, url: &Url) -> DiscoveredFeed {
    let title = feed
        .title
        .as_ref()
        .map(|text| normalise::html_to_text(&text.content).trim().to_owned())
        .filter(|title| !title.is_empty());
    let format = match feed.feed_type {
        FeedType::Atom => "atom",
        FeedType::JSON => "json",
        FeedType::RSS0 | FeedType::RSS1 | FeedType::RSS2 => "rss",
    };
    DiscoveredFeed {
        url: url.to_string(),
        title,
        format: format.to_owned(),
    }
}

/// Pages without a Content-Type are worth a look; images and the like are not.
fn may_be_html(content_type: Option<&str>) -> bool {
    content_type.is_none_or(|value| value.to_ascii_lowercase().contains("html"))
}

/// The feeds a page announces with `<link rel="alternate" type=…>`, in
/// document order, without duplicates, resolved against the page's base URL
/// and limited to http and https.
fn alternate_links(html: &str, page: &Url) -> Vec<DiscoveredFeed> {
    static LINKS: LazyLock<Selector> =
        LazyLock::new(|| Selector::parse("link[rel][type][href]").expect("a valid selector"));
    let document = Html::parse_document(html);
    let base = document_base(&document, page);
    let mut seen = HashSet::new();
    document
        .select(&LINKS)
        .filter_map(|link| feed_link(link.value(), &base))
        .filter(|feed| seen.insert(feed.url.clone()))
        .take(MAX_LINKS)
        .collect()
}

/// The page's `<base href>` when it has a usable one, else the page's URL.
fn document_base(document: &Html, page: &Url) -> Url {
    static BASE: LazyLock<Selector> =
        LazyLock::new(|| Selector::parse("base[href]").expect("a valid selector"));
    document
        .select(&BASE)
        .next()
        .and_then(|base| page.join(base.value().attr("href")?.trim()).ok())
        .filter(is_web_url)
        .unwrap_or_else(|| page.clone())
}

fn feed_link(link: &Element, base: &Url) -> Option<DiscoveredFeed> {
    let is_alternate = link
        .attr("rel")?
        .split_ascii_whitespace()
        .any(|token| token.eq_ignore_ascii_case("alternate"));
    if !is_alternate {
        return None;
    }
    let format = link_format(link.attr("type")?)?;
    let url = base
        .join(link.attr("href")?.trim())
        .ok()
        .filter(is_web_url)?;
    if is_wordpress_api(&url) {
        return None;
    }
    let title = link
        .attr("title")
        .map(str::trim)
        .filter(|title| !title.is_empty())
        .map(str::to_owned);
    Some(DiscoveredFeed {
        url: url.to_string(),
        title,
        format: format.to_owned(),
    })
}

/// The feed format a link's `type` announces, parameters ignored.
fn link_format(media_type: &str) -> Option<&'static str> {
    let essence = media_type.split(';').next()?.trim().to_ascii_lowercase();
    match essence.as_str() {
        "application/rss+xml" => Some("rss"),
        "application/atom+xml" => Some("atom"),
        "application/feed+json" | "application/json" => Some("json"),
        _ => None,
    }
}

/// WordPress announces its REST API as `rel="alternate"
/// type="application/json"` on every page; that is data, not a JSON Feed.
fn is_wordpress_api(url: &Url) -> bool {
    url.path().contains("/wp-json/") || url.query_pairs().any(|(key, _)| key == "rest_route")
}

/// Fetches the well-known feed paths of `page`'s site (at most `budget` of
/// them, side by side) and keeps those that parse as feeds, once per final
/// URL, in the order of [`WELL_KNOWN_PATHS`]. Failures just mean "not here".
async fn probe_well_known(fetcher: &Fetcher, page: &Url, budget: usize) -> Vec<DiscoveredFeed> {
    let candidates: Vec<Url> = WELL_KNOWN_PATHS
        .iter()
        .filter_map(|path| page.join(path).ok())
        // The page itself was fetched already and is not a feed.
        .filter(|candidate| candidate != page)
        .take(budget)
        .collect();
    let probes = candidates.iter().map(|candidate| probe(fetcher, candidate));
    let mut seen = HashSet::new();
    join_all(probes)
        .await
        .into_iter()
        .flatten()
        .filter(|feed| seen.insert(feed.url.clone()))
        .collect()
}

async fn probe(fetcher: &Fetcher, candidate: &Url) -> Option<DiscoveredFeed> {
    let page = fetch_page(fetcher, candidate).await.ok()?;
    off_thread(move || as_feed(&page)).await.ok().flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(text: &str) -> Url {
        Url::parse(text).unwrap()
    }

    fn found(url: &str, title: Option<&str>, format: &str) -> DiscoveredFeed {
        DiscoveredFeed {
            url: url.into(),
            title: title.map(str::to_owned),
            format: format.into(),
        }
    }

    #[test]
    fn alternate_links_are_resolved_filtered_and_deduplicated() {
        let html = r#"<!DOCTYPE html><html><head>
            <link rel="stylesheet" type="text/css" href="/style.css">
            <link rel="alternate" type="application/rss+xml" title=" Posts " href="feed.rss">
            <link rel="ALTERNATE home" type="Application/Atom+XML; charset=utf-8" href="https://cdn.example.net/atom">
            <link rel="alternate" type="application/feed+json" href="/feed.json" title="">
            <link rel="alternate" type="application/json" href="/api/items.json" title="JSON">
            <link rel="alternate" type="application/rss+xml" href="/blog/feed.rss" title="Again">
            <link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">
            <link rel="alternate" type="application/rss+xml" href="ftp://example.com/feed">
            <link rel="alternate" type="application/json" href="/wp-json/wp/v2/pages/2">
            <link rel="alternate" type="application/json+oembed" href="/oembed">
            <link rel="alternate" hreflang="de" href="/de/">
            <link rel="canonical" type="application/rss+xml" href="/not-alternate.xml">
            </head><body></body></html>"#;
        assert_eq!(
            alternate_links(html, &url("https://example.com/blog/post.html")),
            vec![
                found("https://example.com/blog/feed.rss", Some("Posts"), "rss"),
                found("https://cdn.example.net/atom", None, "atom"),
                found("https://example.com/feed.json", None, "json"),
                found("https://example.com/api/items.json", Some("JSON"), "json"),
            ]
        );
    }

    #[test]
    fn a_base_element_moves_relative_links() {
        let html = r#"<html><head><base href="/news/">
            <link rel="alternate" type="application/atom+xml" href="atom.xml"></head></html>"#;
        assert_eq!(
            alternate_links(html, &url("https://example.com/a/b")),
            vec![found("https://example.com/news/atom.xml", None, "atom")]
        );
    }

    #[test]
    fn pages_without_links_have_none() {
        assert!(alternate_links("<p>hello", &url("https://example.com/")).is_empty());
        assert!(alternate_links("", &url("https://example.com/")).is_empty());
    }

    #[test]
    fn only_html_or_unlabelled_pages_are_searched_for_links() {
        assert!(may_be_html(None));
        assert!(may_be_html(Some("text/html; charset=utf-8")));
        assert!(may_be_html(Some("application/xhtml+xml")));
        assert!(!may_be_html(Some("image/png")));
    }

    #[test]
    fn feeds_are_described_by_their_own_title_and_type() {
        let base = url("https://example.com/feed");
        let page = |body: &str| Page {
            url: base.clone(),
            content_type: None,
            body: body.as_bytes().to_vec(),
        };
        let rss = r#"<rss version="2.0"><channel><title>A &amp; B</title></channel></rss>"#;
        let atom = r#"<feed xmlns="http://www.w3.org/2005/Atom"><title>  </title></feed>"#;
        let json = r#"{"version":"https://jsonfeed.org/version/1.1","title":"J","items":[]}"#;
        assert_eq!(
            as_feed(&page(rss)),
            Some(found("https://example.com/feed", Some("A & B"), "rss"))
        );
        assert_eq!(
            as_feed(&page(atom)),
            Some(found("https://example.com/feed", None, "atom"))
        );
        assert_eq!(
            as_feed(&page(json)),
            Some(found("https://example.com/feed", Some("J"), "json"))
        );
        assert_eq!(as_feed(&page("<html><body>no</body></html>")), None);
    }
}
