//! feedparser's test corpus (its source distribution's `tests/`, fetched
//! by `scripts/bootstrap.sh --test` into `target/test-tools/`) served from
//! a local HTTP server, each case with its `Header:` lines as HTTP headers,
//! and read through the real poller into a real database:
//!
//! - every `wellformed` case with entries yields them, and the title, link
//!   and date its `Expect:` line states are what newsdesk stores;
//! - every `illformed/chardet` case decodes to its text;
//! - every `sanitize` case stays free of executable content, in storage
//!   and on every page that shows it.
//!
//! Cases newsdesk reads differently on purpose are listed below with the
//! reason (and in docs/development.md); a listed case that starts to match
//! fails the test, so the list stays true.

use std::{
    collections::{BTreeMap, HashMap},
    path::{Path, PathBuf},
    sync::Arc,
};

use axum::{
    body::Body,
    extract::{Request, State},
    http::{HeaderName, HeaderValue, StatusCode},
    response::Response,
    Router,
};
use chrono::{DateTime, Datelike, Timelike, Utc};
use newsdesk_server::ingest::{normalise::html_to_text, Ingest};
use scraper::{ElementRef, Html, Selector};
use sqlx::PgPool;

use crate::{loopback_fetcher, support};

/// Where the bootstrap unpacks the corpus.
const CORPUS: &str = "target/test-tools/feedparser-corpus";
/// The address feedparser's own test server has, which expected links name.
const FEEDPARSER_HOST: &str = "127.0.0.1:8097";
/// Feeds read at once, each worker on a database of its own.
const WORKERS: usize = 4;

/// Folders not served, and why.
const NOT_SERVED: [(&str, &str); 2] = [
    ("http/", "HTTP behaviour (redirects, 304, status codes), tested by tests/ingest/polling.rs and hostile.rs"),
    ("compression/", "gzip and deflate bodies, tested by fetch.rs's tests"),
];

/// Wellformed cases with entries that yield none, and why (by path prefix).
const NO_ENTRIES: [(&str, &str); 5] = [
    ("wellformed/cdf/", CDF),
    ("wellformed/base/cdf_", CDF),
    (
        "wellformed/rdf/rss090_",
        "RSS 0.90 items without a link: feed-rs drops RSS 0.90/1.0 items it cannot link to",
    ),
    ("wellformed/namespace/unknown-namespace.xml", ITEM_IN_ATOM),
    (
        "wellformed/base/http_entry_contributor_url_base_",
        ITEM_IN_ATOM,
    ),
];
const CDF: &str =
    "CDF (Microsoft's Channel Definition Format, 1997) is not a feed format newsdesk reads";
const ITEM_IN_ATOM: &str = "an <item> in an Atom feed is not an Atom entry";

/// Stated values newsdesk stores differently on purpose, and why (by path
/// prefix).
const NOT_MATCHED: [(&str, &str); 8] = [
    ("wellformed/atom/entry_created_", CREATED),
    ("wellformed/rss/item_dcterms_", "dates only in DCMI terms (dcterms:issued, modified, created): feed-rs reads pubDate, dc:date and Atom's published/updated"),
    ("wellformed/atom/entry_title_inline_markup_2.xml", ESCAPED_XHTML),
    ("wellformed/atom10/entry_title_inline_markup_2.xml", ESCAPED_XHTML),
    ("wellformed/atom10/entry_title_base64", "mode=\"base64\" in Atom 1.0: the mode attribute is Atom 0.3's (whose base64 text newsdesk decodes)"),
    ("wellformed/media-rss/item_media_title1.xml", OTHER_TITLES),
    ("wellformed/rss/item_dc_title.xml", OTHER_TITLES),
    ("wellformed/base/http_item_link_base_content_location.xml", CONTENT_LOCATION),
];
const CREATED: &str = "Atom 0.3's <created> alone: newsdesk dates entries by publication (issued) or update (modified), and by the first fetch otherwise";
const ESCAPED_XHTML: &str = "escaped markup in an XHTML title: feed-rs re-serialises XHTML without escaping its text, so the escaped tag is dropped from the plain-text title";
const OTHER_TITLES: &str =
    "a title only in dc:title or media:title: feed-rs reads an item's <title>";
const CONTENT_LOCATION: &str = "relative links resolve against the feed's URL, not a Content-Location header (browsers ignore it as a base too)";

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn feedparser_corpus_reads_through_the_poller() {
    let root = corpus_dir();
    let cases = load_cases(&root);
    let server = CorpusServer::start(&cases).await;

    let (sanitize, others): (Vec<_>, Vec<_>) = cases
        .iter()
        .filter(|case| not_served(&case.path).is_none())
        .cloned()
        .partition(|case| case.path.starts_with("wellformed/sanitize/"));

    let mut tasks = Vec::new();
    for worker in 0..WORKERS {
        let share: Vec<Case> = others
            .iter()
            .skip(worker)
            .step_by(WORKERS)
            .cloned()
            .collect();
        let base = server.base.clone();
        tasks.push(tokio::spawn(async move {
            let pool = support::fresh_database().await;
            let ingest = Ingest::new(pool.clone(), loopback_fetcher());
            let mut outcomes = Vec::new();
            for case in share {
                outcomes.push(read_case(&pool, &ingest, &base, &case, true).await);
            }
            outcomes
        }));
    }
    let sanitized = tokio::spawn(sanitize_cases(sanitize, server.base.clone()));
    let mut outcomes = Vec::new();
    for task in tasks {
        outcomes.extend(task.await.expect("a worker finished"));
    }
    let (sanitize_outcomes, unsafe_findings) =
        sanitized.await.expect("the sanitize worker finished");
    outcomes.extend(sanitize_outcomes);
    report(&cases, &outcomes, &unsafe_findings);
}

fn corpus_dir() -> PathBuf {
    let dir = support::workspace_dir().join(CORPUS);
    assert!(
        dir.join("wellformed").is_dir(),
        "feedparser's test corpus is missing from {}: run `scripts/bootstrap.sh --test` \
         (it downloads feedparser 6.0.12's source distribution from PyPI and unpacks its tests/)",
        dir.display()
    );
    dir
}

#[derive(Clone)]
struct Case {
    /// Relative to the corpus, e.g. `wellformed/rss/item_title.xml`.
    path: String,
    body: Arc<Vec<u8>>,
    headers: Vec<(String, String)>,
    expect: String,
}

fn load_cases(root: &Path) -> Vec<Case> {
    let header = regex::bytes::Regex::new(r"(?m)^Header:\s+([^:]+):(.+)$").unwrap();
    let expect = regex::Regex::new(r"(?m)^\s*Expect:\s*(.+)$").unwrap();
    let mut files = Vec::new();
    collect_files(root, &mut files);
    files.sort();
    files
        .into_iter()
        .map(|file| {
            let body = std::fs::read(&file).unwrap();
            let path = file
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            let headers = header
                .captures_iter(&body)
                .map(|found| {
                    (
                        String::from_utf8_lossy(&found[1]).trim().to_owned(),
                        String::from_utf8_lossy(&found[2]).trim().to_owned(),
                    )
                })
                .collect();
            let text = String::from_utf8_lossy(&body);
            let expect = expect
                .captures(&text)
                .map(|found| found[1].trim().to_owned())
                .unwrap_or_default();
            Case {
                path,
                body: Arc::new(body),
                headers,
                expect,
            }
        })
        .collect()
}

fn collect_files(dir: &Path, files: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect_files(&path, files);
        } else if path.extension().is_some_and(|ext| ext == "xml") {
            files.push(path);
        }
    }
}

fn not_served(path: &str) -> Option<&'static str> {
    NOT_SERVED
        .iter()
        .find(|(prefix, _)| path.starts_with(prefix))
        .map(|(_, reason)| *reason)
}

fn listed(list: &[(&'static str, &'static str)], path: &str) -> Option<&'static str> {
    list.iter()
        .find(|(prefix, _)| path.starts_with(prefix))
        .map(|(_, reason)| *reason)
}

/// Serves each case at `/tests/{path}` (where feedparser's own server has
/// it, so relative links resolve alike) with its `Header:` lines.
struct CorpusServer {
    base: String,
}

impl CorpusServer {
    async fn start(cases: &[Case]) -> Self {
        let files: HashMap<String, Case> = cases
            .iter()
            .map(|case| (format!("/tests/{}", case.path), case.clone()))
            .collect();
        let router = Router::new()
            .fallback(serve_case)
            .with_state(Arc::new(files));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
        Self {
            base: format!("http://{addr}"),
        }
    }
}

async fn serve_case(State(files): State<Arc<HashMap<String, Case>>>, request: Request) -> Response {
    let Some(case) = files.get(request.uri().path()) else {
        return Response::builder()
            .status(StatusCode::NOT_FOUND)
            .body(Body::empty())
            .unwrap();
    };
    let mut response = Response::builder().status(StatusCode::OK);
    let mut content_type = false;
    for (name, value) in &case.headers {
        if name.eq_ignore_ascii_case("status") {
            if let Ok(status) = value.parse::<u16>() {
                response = response.status(status);
            }
            continue;
        }
        content_type |= name.eq_ignore_ascii_case("content-type");
        if let (Ok(name), Ok(value)) = (
            HeaderName::try_from(name.as_str()),
            HeaderValue::try_from(value.as_str()),
        ) {
            response = response.header(name, value);
        }
    }
    if !content_type {
        // What feedparser's server guesses for `.xml`.
        response = response.header("content-type", "application/xml");
    }
    response.body(Body::from(case.body.to_vec())).unwrap()
}

/// What reading one case gave.
struct Outcome {
    path: String,
    error: Option<String>,
    entries: usize,
    /// Stated values compared: (what, expected, stored, equal).
    checks: Vec<(String, String, String, bool)>,
}

impl Outcome {
    fn matches(&self) -> bool {
        self.checks.iter().all(|(_, _, _, equal)| *equal)
    }
}

#[derive(Debug, sqlx::FromRow)]
struct Stored {
    title: String,
    url: Option<String>,
    published_at: DateTime<Utc>,
    excerpt: String,
}

async fn read_case(
    pool: &PgPool,
    ingest: &Ingest,
    base: &str,
    case: &Case,
    clean: bool,
) -> Outcome {
    let url = format!("{base}/tests/{}", case.path);
    let feed = crate::add_feed_url(pool, &url).await;
    let report = ingest
        .refresh_one(feed)
        .await
        .expect("database works")
        .expect("feed was not claimed elsewhere");
    let entries: Vec<Stored> = sqlx::query_as(
        "SELECT c.title, c.url, c.published_at, c.excerpt
           FROM candidate_sources s JOIN candidates c ON c.id = s.candidate_id
          WHERE s.feed_id = $1 ORDER BY c.id",
    )
    .bind(feed)
    .fetch_all(pool)
    .await
    .unwrap();
    let feed_title: Option<String> = sqlx::query_scalar("SELECT title FROM feeds WHERE id = $1")
        .bind(feed)
        .fetch_one(pool)
        .await
        .unwrap();
    let host = base.trim_start_matches("http://");
    let mut checks = stated_checks(&case.expect, entries.first(), host);
    if case.path.starts_with("illformed/chardet/") {
        checks.push(decoded_text_check(
            case,
            entries.first(),
            feed_title.as_deref(),
        ));
    }
    if clean {
        // Entries of later cases must not be taken for these (the same
        // links recur across the corpus).
        sqlx::query("DELETE FROM candidates")
            .execute(pool)
            .await
            .unwrap();
    }
    Outcome {
        path: case.path.clone(),
        error: report.error,
        entries: entries.len(),
        checks,
    }
}

/// The first entry's title, link and date as the `Expect:` line states
/// them (only plain `==` comparisons with a literal).
fn stated_checks(
    expect: &str,
    first: Option<&Stored>,
    host: &str,
) -> Vec<(String, String, String, bool)> {
    let mut checks = Vec::new();
    let field = regex::Regex::new(
        r"entries\[0\](?:\['(title|link|published_parsed|updated_parsed|created_parsed)'\]|\.(title|link))\s*==\s*",
    )
    .unwrap();
    for found in field.captures_iter(expect) {
        let name = found.get(1).or(found.get(2)).unwrap().as_str();
        let rest = &expect[found.get(0).unwrap().end()..];
        let stored = first;
        if name.ends_with("_parsed") {
            let Some(expected) = parse_time_tuple(rest) else {
                continue;
            };
            let got = stored
                .map(|entry| {
                    let at = entry.published_at;
                    format!(
                        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
                        at.year(),
                        at.month(),
                        at.day(),
                        at.hour(),
                        at.minute(),
                        at.second()
                    )
                })
                .unwrap_or_default();
            let equal = got == expected;
            checks.push((name.to_owned(), expected, got, equal));
            continue;
        }
        let Some(expected) = parse_python_string(rest) else {
            continue;
        };
        let expected = expected.replace(FEEDPARSER_HOST, host);
        match name {
            "title" => {
                let got = stored.map(|entry| entry.title.clone()).unwrap_or_default();
                let equal = collapse(&expected) == got || collapse(&html_to_text(&expected)) == got;
                checks.push(("title".into(), expected, got, equal));
            }
            _ => {
                let got = stored
                    .and_then(|entry| entry.url.clone())
                    .unwrap_or_default();
                let same = |a: &str, b: &str| {
                    a == b
                        || url::Url::parse(a)
                            .ok()
                            .zip(url::Url::parse(b).ok())
                            .is_some_and(|(a, b)| a == b)
                };
                let equal = same(&expected, &got);
                checks.push(("link".into(), expected, got, equal));
            }
        }
    }
    checks
}

/// `(2003, 12, 31, 10, 14, 55, 2, 365, 0)` as `2003-12-31 10:14:55`.
fn parse_time_tuple(text: &str) -> Option<String> {
    let inner = text.trim_start().strip_prefix('(')?;
    let inner = &inner[..inner.find(')')?];
    let numbers: Vec<u32> = inner
        .split(',')
        .map(|n| n.trim().parse().ok())
        .collect::<Option<_>>()?;
    let [year, month, day, hour, minute, second, ..] = numbers[..] else {
        return None;
    };
    Some(format!(
        "{year:04}-{month:02}-{day:02} {hour:02}:{minute:02}:{second:02}"
    ))
}

/// A Python string literal (or several joined with `+`) at the start of
/// `text`; `None` for anything else.
fn parse_python_string(text: &str) -> Option<String> {
    let mut rest = text.trim_start();
    let mut value = String::new();
    loop {
        rest = rest.strip_prefix('u').unwrap_or(rest);
        let quote = if rest.starts_with("\"\"\"") || rest.starts_with("'''") {
            &rest[..3]
        } else if rest.starts_with('"') || rest.starts_with('\'') {
            &rest[..1]
        } else {
            return None;
        };
        let mut chars = rest[quote.len()..].char_indices();
        let body_start = quote.len();
        let mut end = None;
        while let Some((at, c)) = chars.next() {
            if c == '\\' {
                let (_, escaped) = chars.next()?;
                match escaped {
                    'n' => value.push('\n'),
                    't' => value.push('\t'),
                    'r' => value.push('\r'),
                    'x' | 'u' | 'U' => {
                        let digits = match escaped {
                            'x' => 2,
                            'u' => 4,
                            _ => 8,
                        };
                        let hex: String = (0..digits)
                            .filter_map(|_| chars.next().map(|(_, c)| c))
                            .collect();
                        value.push(char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?);
                    }
                    other => value.push(other),
                }
                continue;
            }
            if rest[body_start + at..].starts_with(quote) {
                end = Some(body_start + at + quote.len());
                break;
            }
            value.push(c);
        }
        rest = rest[end?..].trim_start();
        match rest.strip_prefix('+') {
            Some(more) => rest = more.trim_start(),
            None => return Some(value),
        }
    }
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A chardet case names its encoding in `Expect:`; its first title (or
/// description) decoded with that encoding is what newsdesk must store.
fn decoded_text_check(
    case: &Case,
    first: Option<&Stored>,
    feed_title: Option<&str>,
) -> (String, String, String, bool) {
    let label = regex::Regex::new(r"encoding == '([^']+)'")
        .unwrap()
        .captures(&case.expect)
        .map(|found| found[1].to_owned())
        .unwrap_or_default();
    let encoding = encoding_rs::Encoding::for_label(label.as_bytes())
        .unwrap_or_else(|| panic!("{}: unknown encoding {label}", case.path));
    let (text, _, _) = encoding.decode(&case.body);
    let element = regex::Regex::new(
        r"(?s)<(title|description|summary)>(.*?)</(?:title|description|summary)>",
    )
    .unwrap();
    let found = element
        .captures(&text)
        .unwrap_or_else(|| panic!("{}: no text to compare", case.path));
    let expected = collapse(&html_to_text(&found[2]));
    let got = match (&found[1], first) {
        ("title", Some(entry)) => entry.title.clone(),
        ("title", None) => feed_title.unwrap_or_default().to_owned(),
        (_, Some(entry)) => entry.excerpt.clone(),
        (_, None) => String::new(),
    };
    // Excerpts are cut at 300 characters.
    let prefix: String = expected.chars().take(100).collect();
    let equal = got == expected || (got.starts_with(&prefix) && !prefix.is_empty());
    (format!("text as {label}"), expected, got, equal)
}

/// Reads the sanitize cases into one app's database, keeping them all, and
/// returns every piece of executable content found in storage or on the
/// pages that show them.
async fn sanitize_cases(cases: Vec<Case>, base: String) -> (Vec<Outcome>, Vec<String>) {
    let app = support::spawn_app().await;
    let ingest = Ingest::new(app.pool.clone(), loopback_fetcher());
    let mut findings = Vec::new();
    let mut outcomes = Vec::new();
    for case in &cases {
        let mut outcome = read_case(&app.pool, &ingest, &base, case, false).await;
        // Entries are shared across these cases (same links), so stated
        // values are not compared here: what counts is that nothing runs.
        outcome.checks.clear();
        outcomes.push(outcome);
    }
    let stored: Vec<(String, Option<String>, String)> =
        sqlx::query_as("SELECT title, url, summary_html FROM candidates")
            .fetch_all(&app.pool)
            .await
            .unwrap();
    for (title, url, summary) in &stored {
        if let Some(url) = url {
            if !(url.starts_with("http://") || url.starts_with("https://")) {
                findings.push(format!("stored link {url} (entry {title})"));
            }
        }
        for found in executable_content(summary, false) {
            findings.push(format!("stored summary of {title:?}: {found}"));
        }
    }
    let mut pages = vec!["/feeds".to_owned()];
    let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM feeds ORDER BY id")
        .fetch_all(&app.pool)
        .await
        .unwrap();
    pages.extend(ids.iter().map(|id| format!("/feeds/{id}")));
    for page in pages {
        let html = app.page(&page).await;
        for found in executable_content(&html, true) {
            findings.push(format!("page {page}: {found}"));
        }
    }
    // The inbox, every page of it.
    let mut next = Some("/".to_owned());
    let mut inbox_pages = 0;
    let more = Selector::parse("p.load-more a[href]").unwrap();
    while let Some(page) = next.take() {
        inbox_pages += 1;
        assert!(inbox_pages < 1000, "the inbox's pages never end");
        let html = app.page(&page).await;
        for found in executable_content(&html, true) {
            findings.push(format!("inbox page {page}: {found}"));
        }
        next = Html::parse_document(&html)
            .select(&more)
            .next()
            .and_then(|link| link.value().attr("href"))
            .map(str::to_owned);
    }
    assert!(
        stored.len() > cases.len() / 2,
        "the sanitize cases were stored ({} entries from {} cases)",
        stored.len(),
        cases.len()
    );
    eprintln!(
        "sanitize: {} cases, {} entries stored, {} feed pages and {inbox_pages} inbox pages checked",
        cases.len(),
        stored.len(),
        ids.len() + 1
    );
    (outcomes, findings)
}

/// What in `html` a browser would run: script elements (on a page, those
/// without the response's nonce), embedded objects and frames, event
/// handler attributes, javascript:/vbscript:/data: URLs, meta refreshes.
fn executable_content(html: &str, page: bool) -> Vec<String> {
    let document = if page {
        Html::parse_document(html)
    } else {
        Html::parse_fragment(html)
    };
    let mut found = Vec::new();
    for node in document.tree.nodes() {
        let Some(element) = ElementRef::wrap(node) else {
            continue;
        };
        let element = element.value();
        let name = element.name();
        let forbidden = match name {
            "script" => !page || element.attr("nonce").is_none(),
            "iframe" | "frame" | "frameset" | "object" | "embed" | "applet" | "base" => true,
            "meta" => element
                .attr("http-equiv")
                .is_some_and(|value| value.eq_ignore_ascii_case("refresh")),
            "style" | "link" | "form" | "input" | "button" | "textarea" | "select" => !page,
            _ => false,
        };
        if forbidden {
            found.push(format!("<{name}>"));
        }
        for (attribute, value) in element.attrs() {
            let attribute = attribute.to_ascii_lowercase();
            let compact: String = value
                .chars()
                .filter(|c| !c.is_whitespace() && !c.is_control())
                .collect::<String>()
                .to_ascii_lowercase();
            let script_url = ["javascript:", "vbscript:", "data:", "livescript:"]
                .iter()
                .any(|scheme| compact.starts_with(scheme));
            if attribute.starts_with("on")
                || (script_url
                    && matches!(
                        attribute.as_str(),
                        "href"
                            | "src"
                            | "action"
                            | "formaction"
                            | "data"
                            | "poster"
                            | "background"
                            | "lowsrc"
                            | "dynsrc"
                            | "xlink:href"
                            | "srcset"
                            | "content"
                    ))
                || (attribute == "style"
                    && (compact.contains("expression(") || compact.contains("javascript:")))
            {
                found.push(format!("<{name} {attribute}=\"{value}\">"));
            }
        }
    }
    found
}

fn report(cases: &[Case], outcomes: &[Outcome], unsafe_findings: &[String]) {
    let mut failures = Vec::new();
    let mut skipped: BTreeMap<&str, usize> = BTreeMap::new();
    for case in cases {
        if let Some(reason) = not_served(&case.path) {
            *skipped.entry(reason).or_default() += 1;
        }
    }
    let mut read = 0;
    let mut checked = 0;
    let mut matching = 0;
    let (mut with_entries, mut yielding) = (0, 0);
    let (mut chardet, mut decoded) = (0, 0);
    let mut not_read: BTreeMap<&str, usize> = BTreeMap::new();
    for outcome in outcomes {
        let case = cases.iter().find(|case| case.path == outcome.path).unwrap();
        if outcome.error.is_none() {
            read += 1;
        } else {
            let folder = outcome
                .path
                .rsplit_once('/')
                .map_or("", |(folder, _)| folder);
            *not_read.entry(folder).or_default() += 1;
        }
        let wellformed = outcome.path.starts_with("wellformed/");
        if wellformed && has_entries(case) {
            with_entries += 1;
            yielding += usize::from(outcome.entries > 0);
        }
        if outcome.path.starts_with("illformed/chardet/") {
            chardet += 1;
            decoded += usize::from(outcome.matches() && !outcome.checks.is_empty());
        }
        if wellformed && has_entries(case) && outcome.entries == 0 {
            match listed(&NO_ENTRIES, &outcome.path) {
                Some(reason) => *skipped.entry(reason).or_default() += 1,
                None => failures.push(format!(
                    "{}: no entries ({})",
                    outcome.path,
                    outcome.error.as_deref().unwrap_or("read without error")
                )),
            }
        } else if wellformed && has_entries(case) && listed(&NO_ENTRIES, &outcome.path).is_some() {
            failures.push(format!(
                "{}: listed as yielding no entries, but yields {}",
                outcome.path, outcome.entries
            ));
        }
        if outcome.checks.is_empty()
            || (outcome.entries == 0 && listed(&NO_ENTRIES, &outcome.path).is_some())
        {
            continue;
        }
        checked += 1;
        if outcome.matches() {
            matching += 1;
            if listed(&NOT_MATCHED, &outcome.path).is_some() {
                failures.push(format!(
                    "{}: listed as not matching, but matches",
                    outcome.path
                ));
            }
            continue;
        }
        match listed(&NOT_MATCHED, &outcome.path) {
            Some(reason) => *skipped.entry(reason).or_default() += 1,
            None => {
                for (what, expected, got, equal) in &outcome.checks {
                    if !equal {
                        failures.push(format!(
                            "{}: {what} {expected:?}, stored {got:?}",
                            outcome.path
                        ));
                    }
                }
            }
        }
    }
    let skipped_total: usize = skipped.values().sum();
    let reasons: Vec<String> = skipped
        .iter()
        .map(|(reason, count)| format!("{count} {reason}"))
        .collect();
    // Written to stderr itself, not with eprintln! (which the test harness
    // captures), so that the line shows in every run, passing or not.
    let not_read: Vec<String> = not_read
        .iter()
        .map(|(folder, count)| format!("{count} in {folder}"))
        .collect();
    let summary = format!(
        "feedparser corpus: {} cases, {} served, {read} read (not read: {}), \
         {yielding} of {with_entries} wellformed cases with entries yield them, \
         {decoded} of {chardet} chardet cases decoded, {matching} of {checked} with stated values \
         matching, {skipped_total} skipped ({})\n",
        cases.len(),
        outcomes.len(),
        not_read.join(", "),
        reasons.join("; ")
    );
    std::io::Write::write_all(&mut std::io::stderr(), summary.as_bytes()).ok();
    for failure in &failures {
        eprintln!("  {failure}");
    }
    for finding in unsafe_findings {
        eprintln!("  executable content: {finding}");
    }
    assert!(
        unsafe_findings.is_empty(),
        "{} pieces of executable content from the sanitize cases",
        unsafe_findings.len()
    );
    assert!(failures.is_empty(), "{} corpus cases fail", failures.len());
}

/// Whether the document has an item or entry element.
fn has_entries(case: &Case) -> bool {
    static ENTRY: std::sync::LazyLock<regex::bytes::Regex> = std::sync::LazyLock::new(|| {
        regex::bytes::Regex::new(r"<([A-Za-z0-9_]+:)?(item|entry|ITEM)[\s>/]").unwrap()
    });
    ENTRY.is_match(&case.body)
}
