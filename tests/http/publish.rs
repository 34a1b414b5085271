//! Publishing over HTTP against a real database: the checks, one
//! transaction that freezes the snapshot and opens the next draft (once,
//! however many publish at the same moment), corrections that keep ids and
//! bump `updated`, unpublishing, the public archive, the Markdown export,
//! and the Atom/RSS feeds parsed back with feed-rs and revalidated.

use newsdesk_app::accounts::Role;
use reqwest::header;
use serde_json::{json, Value};

use crate::{
    support::api::{error_message, get, get_answer, post, put},
    support::issues::{app_with_pick, draft, find_pick, new_pick, sections, set_commentary},
    support::{assert_no_injection, spawn_app, TestApp, INJECTION},
};

pub(crate) async fn publish(app: &TestApp, number: i64, accept: bool) -> (u16, Value) {
    post(
        app,
        &format!("/api/v1/issues/{number}/publish"),
        json!({ "accept_warnings": accept }),
    )
    .await
}

/// Publishes the current draft with one pick titled `title`; returns its number.
pub(crate) async fn publish_one(app: &TestApp, title: &str) -> i64 {
    let section = sections(app).await[0];
    let pick = new_pick(app, title, section).await;
    set_commentary(
        app,
        pick,
        &format!("About **{title}**: see [the docs](https://example.com/docs)."),
    )
    .await;
    let number = draft(app).await["number"].as_i64().unwrap();
    let (status, body) = publish(app, number, false).await;
    assert_eq!(status, 200, "{body}");
    number
}

async fn fetch(app: &TestApp, client: &reqwest::Client, path: &str) -> reqwest::Response {
    client
        .get(app.url(path))
        .send()
        .await
        .expect("request reaches the server")
}

/// The status `GET path` answers as `client`.
async fn status_of(app: &TestApp, client: &reqwest::Client, path: &str) -> reqwest::StatusCode {
    fetch(app, client, path).await.status()
}

/// The body of `GET path` as `client`.
async fn text_of(app: &TestApp, client: &reqwest::Client, path: &str) -> String {
    fetch(app, client, path).await.text().await.unwrap()
}

/// The Atom feed as readers ask for it again: with `name` (`If-None-Match`
/// or `If-Modified-Since`) carrying what the last answer said.
async fn atom_feed_if(app: &TestApp, name: header::HeaderName, value: &str) -> reqwest::Response {
    app.anonymous
        .get(app.url("/feed.atom"))
        .header(name, value)
        .send()
        .await
        .unwrap()
}

fn header_of(response: &reqwest::Response, name: header::HeaderName) -> String {
    response.headers()[name].to_str().unwrap().to_owned()
}

/// The entry of issue `number` in `feed`.
fn entry_of(feed: &feed_rs::model::Feed, number: i64) -> &feed_rs::model::Entry {
    feed.entries
        .iter()
        .find(|e| e.id.ends_with(&format!(":issue-{number}")))
        .unwrap()
}

fn parse_feed(body: &str) -> feed_rs::model::Feed {
    feed_rs::parser::parse(body.as_bytes()).unwrap_or_else(|error| panic!("{error}: {body}"))
}

#[tokio::test]
async fn publishing_checks_first_then_freezes_and_opens_the_next_draft() {
    let app = spawn_app().await;
    let number = draft(&app).await["number"].as_i64().unwrap();
    let (status, body) = publish(&app, number, true).await;
    assert_eq!(status, 422);
    assert!(error_message(&body).contains("no picks"), "{body}");

    let section = sections(&app).await[0];
    let pick = new_pick(&app, "Kubernetes 1.35", section).await;
    // A warning (no commentary) needs to be accepted.
    let (status, body) = publish(&app, number, false).await;
    assert_eq!(status, 422);
    assert_eq!(body["error"]["field"], "warnings");
    assert!(error_message(&body).contains("has no commentary"), "{body}");
    // An editor may not publish.
    let (_, editor) = app.client_as("Eve", Role::Editor).await;
    let response = editor
        .post(app.url(&format!("/api/v1/issues/{number}/publish")))
        .header("origin", app.origin())
        .json(&json!({ "accept_warnings": true }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
    // A link that is not http(s) is an error no acceptance overrides.
    sqlx::query("UPDATE picks SET url = 'javascript:alert(1)' WHERE id = $1")
        .bind(pick)
        .execute(&app.pool)
        .await
        .unwrap();
    let (status, body) = publish(&app, number, true).await;
    assert_eq!(status, 422);
    assert!(
        error_message(&body).contains("needs an http(s) link"),
        "{body}"
    );
    sqlx::query("UPDATE picks SET url = 'https://kubernetes.io/blog/' WHERE id = $1")
        .bind(pick)
        .execute(&app.pool)
        .await
        .unwrap();

    let (status, body) = publish(&app, number, true).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["next_draft"], number + 1);
    let published = get(&app, &format!("/api/v1/issues/{number}")).await["issue"].clone();
    assert_eq!(published["state"], "published");
    assert!(published["published_at"].is_string());
    assert_eq!(draft(&app).await["number"], number + 1);
    let frozen: (bool, String) =
        sqlx::query_as("SELECT snapshot IS NOT NULL, snapshot_html FROM issues WHERE number = $1")
            .bind(number as i32)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert!(frozen.0);
    assert!(
        frozen
            .1
            .contains(r#"<a href="https://kubernetes.io/blog/">Kubernetes 1.35</a>"#),
        "{}",
        frozen.1
    );
    // Publishing again is refused.
    let (status, body) = publish(&app, number, true).await;
    assert_eq!(status, 422, "{body}");
    // An editor cannot change the published issue; the publisher corrects it.
    let version = find_pick(&published, pick)["version"].as_i64().unwrap();
    let response = editor
        .patch(app.url(&format!("/api/v1/picks/{pick}")))
        .header("origin", app.origin())
        .json(&json!({ "version": version, "commentary": "Editor's change" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
}

#[tokio::test]
async fn concurrent_publishes_publish_exactly_once() {
    let (app, _, pick) = app_with_pick("Once").await;
    set_commentary(&app, pick, "Only once.").await;
    let number = draft(&app).await["number"].as_i64().unwrap();
    let attempts = (0..8).map(|_| publish(&app, number, false));
    let results = futures_util::future::join_all(attempts).await;
    let ok = results.iter().filter(|(status, _)| *status == 200).count();
    assert_eq!(ok, 1, "{results:?}");
    assert!(
        results
            .iter()
            .all(|(status, _)| *status == 200 || *status == 422),
        "{results:?}"
    );
    let counts: (i64, i64) = sqlx::query_as(
        "SELECT count(*) FILTER (WHERE state = 'published'), count(*) FILTER (WHERE state = 'draft') FROM issues",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(counts, (1, 1), "one published, one next draft");
}

/// Three published issues in a newsletter with a public URL whose feeds
/// hold two; their numbers, oldest first.
async fn three_published(app: &TestApp) -> (i64, i64, i64) {
    sqlx::query("UPDATE newsletter SET name = 'Neco Weekly', public_base_url = 'https://news.example.com', feed_size = 2")
        .execute(&app.pool)
        .await
        .unwrap();
    let first = publish_one(app, "First & <oldest>").await;
    let second = publish_one(app, "Gateway API 1.4 リリース").await;
    let third = publish_one(app, "Third").await;

    (first, second, third)
}

#[tokio::test]
async fn both_feeds_list_the_newest_issues_with_stable_ids() {
    let app = spawn_app().await;
    let (first, second, third) = three_published(&app).await;
    for (path, kind) in [
        ("/feed.atom", "application/atom+xml"),
        ("/feed.xml", "application/rss+xml"),
    ] {
        let response = fetch(&app, &app.anonymous, path).await;
        assert_eq!(response.status(), 200, "{path} is public");
        assert!(response.headers()[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with(kind));
        let feed = parse_feed(&response.text().await.unwrap());
        // Newest first, as many as configured.
        let titles: Vec<String> = feed
            .entries
            .iter()
            .map(|e| e.title.as_ref().unwrap().content.clone())
            .collect();
        assert_eq!(titles.len(), 2, "{path}: {titles:?}");
        assert!(titles[0].starts_with("Neco Weekly"), "{titles:?}");
        let entry = &feed.entries[1];
        assert_eq!(
            entry.links[0].href,
            format!("https://news.example.com/issues/{second}")
        );
        assert!(
            entry.id.starts_with("tag:news.example.com,"),
            "{}",
            entry.id
        );
        assert!(
            entry.id.ends_with(&format!(":issue-{second}")),
            "{}",
            entry.id
        );
        assert!(entry.published.is_some(), "{path}");
        let content = entry
            .content
            .as_ref()
            .and_then(|c| c.body.clone())
            .unwrap_or_default();
        assert!(content.contains("Gateway API 1.4 リリース"), "{content}");
        assert!(
            content.contains(r#"<a href="https://example.com/docs">the docs</a>"#),
            "{content}"
        );
    }
    assert!(first < third);
}

#[tokio::test]
async fn the_feeds_answer_revalidation_with_304() {
    let app = spawn_app().await;
    three_published(&app).await;
    // Revalidation: the same ETag or a later If-Modified-Since answers 304.
    let response = fetch(&app, &app.anonymous, "/feed.atom").await;
    let etag = header_of(&response, header::ETAG);
    let modified = header_of(&response, header::LAST_MODIFIED);
    let cached = atom_feed_if(&app, header::IF_NONE_MATCH, &etag).await;
    assert_eq!(cached.status(), 304);
    assert!(cached.text().await.unwrap().is_empty());
    let cached = atom_feed_if(&app, header::IF_MODIFIED_SINCE, &modified).await;
    assert_eq!(cached.status(), 304);
}

#[tokio::test]
async fn corrections_keep_ids_and_bump_updated_in_both_feeds() {
    let app = spawn_app().await;
    let (_, second, _) = three_published(&app).await;
    let response = fetch(&app, &app.anonymous, "/feed.atom").await;
    let etag = header_of(&response, header::ETAG);
    let before = parse_feed(&response.text().await.unwrap());
    // A correction of the second issue: new content and updated time, same id.
    let pick: i64 = sqlx::query_scalar(
        "SELECT p.id FROM picks p JOIN issues i ON i.id = p.issue_id WHERE i.number = $1",
    )
    .bind(second as i32)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    set_commentary(&app, pick, "Corrected: the API is **GA**.").await;
    // Not public until re-published.
    let page = text_of(&app, &app.anonymous, &format!("/issues/{second}")).await;
    assert!(
        !page.contains("Corrected"),
        "the snapshot is what readers see"
    );
    let (status, body) = post(
        &app,
        &format!("/api/v1/issues/{second}/republish"),
        json!({}),
    )
    .await;
    assert_eq!(status, 204, "{body}");
    let response = atom_feed_if(&app, header::IF_NONE_MATCH, &etag).await;
    assert_eq!(response.status(), 200, "the feed changed");
    assert_ne!(response.headers()[header::ETAG].to_str().unwrap(), etag);
    let after = parse_feed(&response.text().await.unwrap());
    let old = entry_of(&before, second);
    let new = entry_of(&after, second);
    assert_eq!(old.id, new.id);
    assert_eq!(old.published, new.published);
    assert!(
        new.updated > old.updated,
        "{:?} > {:?}",
        new.updated,
        old.updated
    );
    assert!(new
        .content
        .as_ref()
        .unwrap()
        .body
        .as_ref()
        .unwrap()
        .contains("Corrected"));
    let page = text_of(&app, &app.anonymous, &format!("/issues/{second}")).await;
    assert!(page.contains("Corrected"), "re-published");
    assert!(page.contains("Updated"), "the correction is marked");
}

#[tokio::test]
async fn hiding_an_issue_takes_it_out_of_the_archive_its_page_and_the_feeds() {
    let app = spawn_app().await;
    let (first, second, _) = three_published(&app).await;
    // Unpublishing (admins) hides it from the archive, its page and the feeds.
    let (status, _) = put(
        &app,
        &format!("/api/v1/issues/{second}/hidden"),
        json!({ "hidden": true }),
    )
    .await;
    assert_eq!(status, 204);
    assert_eq!(
        status_of(&app, &app.anonymous, &format!("/issues/{second}")).await,
        404
    );
    assert_eq!(
        status_of(&app, &app.anonymous, &format!("/issues/{second}.md")).await,
        404
    );
    let feed = parse_feed(&text_of(&app, &app.anonymous, "/feed.xml").await);
    assert!(feed
        .entries
        .iter()
        .all(|e| !e.id.ends_with(&format!(":issue-{second}"))));
    let archive = text_of(&app, &app.anonymous, "/issues").await;
    assert!(
        !archive.contains(&format!("/issues/{second}\"")),
        "{archive}"
    );
    assert!(archive.contains(&format!("/issues/{first}\"")), "{archive}");
}

#[tokio::test]
async fn the_archive_page_and_the_markdown_export() {
    let app = spawn_app().await;
    sqlx::query(
        "UPDATE newsletter SET name = 'Neco Weekly', public_base_url = 'https://news.example.com/'",
    )
    .execute(&app.pool)
    .await
    .unwrap();
    let first = publish_one(&app, "Cilium 1.17").await;
    let second = publish_one(&app, "etcd 3.6 <fast>").await;

    let archive = fetch(&app, &app.anonymous, "/issues").await;
    assert_eq!(archive.status(), 200);
    let archive = archive.text().await.unwrap();
    assert!(
        archive.contains("etcd 3.6 &lt;fast&gt;"),
        "headline picks are listed: {archive}"
    );
    assert!(
        archive.contains(r#"type="application/atom+xml""#),
        "{archive}"
    );

    let page = fetch(&app, &app.anonymous, &format!("/issues/{second}")).await;
    assert_eq!(page.status(), 200);
    let page = page.text().await.unwrap();
    assert!(page.contains(r#"property="og:title""#), "{page}");
    assert!(
        page.contains(&format!(
            r#"<link href="https://news.example.com/issues/{second}" rel="canonical">"#
        )),
        "{page}"
    );
    assert!(
        page.contains(r#"href="https://news.example.com/feed.atom""#),
        "{page}"
    );
    assert!(
        page.contains(r#"<h2 id="notable-articles">"#),
        "section anchors: {page}"
    );
    assert!(page.contains(r##"href="#notable-articles""##), "{page}");
    assert!(
        page.contains(&format!(r#"rel="prev" href="/issues/{first}""#)),
        "{page}"
    );
    assert!(!page.contains(r#"rel="next""#), "the newest has no next");
    assert!(!page.contains("<script>alert"), "{page}");
    assert_eq!(status_of(&app, &app.anonymous, "/issues/999").await, 404);

    // The export: public for published issues, members only for drafts.
    let response = fetch(&app, &app.anonymous, &format!("/issues/{second}.md")).await;
    assert_eq!(response.status(), 200);
    assert!(response.headers()[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("text/markdown"));
    let markdown = response.text().await.unwrap();
    let api = text_of(&app, &app.api, &format!("/api/v1/issues/{second}/markdown")).await;
    assert_eq!(markdown, api);
    assert!(
        markdown.contains("### [etcd 3.6 \\<fast\\>](https://example.com/"),
        "{markdown}"
    );
    let zenn = fetch(
        &app,
        &app.api,
        &format!("/api/v1/issues/{second}/markdown?front_matter=zenn"),
    )
    .await
    .text()
    .await
    .unwrap();
    assert!(zenn.starts_with("---\ntitle: \"Neco Weekly ("), "{zenn}");
    assert!(zenn.contains("\npublished: true\n---\n"), "{zenn}");
    assert!(zenn.ends_with(markdown.as_str()), "same body");
    let bad = fetch(
        &app,
        &app.api,
        &format!("/api/v1/issues/{second}/markdown?front_matter=toml"),
    )
    .await;
    assert_eq!(bad.status(), 400);
    let next = draft(&app).await["number"].as_i64().unwrap();
    assert_eq!(
        status_of(&app, &app.anonymous, &format!("/issues/{next}.md")).await,
        404
    );
    assert_eq!(
        status_of(&app, &app.client, &format!("/issues/{next}.md")).await,
        200
    );
}

#[tokio::test]
async fn the_picks_feed_needs_its_private_link() {
    let (app, _, pick) = app_with_pick("Draft pick & friends").await;
    set_commentary(&app, pick, "Worth a look.").await;
    assert_eq!(status_of(&app, &app.anonymous, "/picks.xml").await, 404);
    assert_eq!(
        status_of(&app, &app.anonymous, "/picks.xml?token=ndf_guess").await,
        404
    );
    let (_, viewer) = app.client_as("Vic", Role::Viewer).await;
    let create = || async {
        let response = viewer
            .post(app.url("/api/create_picks_feed"))
            .header("origin", app.origin())
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        response.json::<String>().await.unwrap()
    };
    let url = create().await;
    let path = url
        .split_once(&app.origin())
        .map(|(_, path)| path.to_owned())
        .unwrap_or_else(|| panic!("{url}"));
    let response = fetch(&app, &app.anonymous, &path).await;
    assert_eq!(response.status(), 200);
    let feed = parse_feed(&response.text().await.unwrap());
    assert_eq!(
        feed.entries[0].title.as_ref().unwrap().content,
        "Draft pick & friends"
    );
    // A new link replaces the old one.
    let newer = create().await;
    assert_ne!(newer, url);
    assert_eq!(status_of(&app, &app.anonymous, &path).await, 404);
}

/// A headline, a newsletter name and a member name that decode to markup
/// stay text on every page that shows them, for readers and for members:
/// in `<title>`, in `<meta>` and in the page.
#[tokio::test]
async fn hostile_titles_stay_text_on_every_page() {
    let app = spawn_app().await;
    sqlx::query("UPDATE newsletter SET name = $1")
        .bind(r#"</title><meta http-equiv="refresh" content="0;url=https://evil.example/">"#)
        .execute(&app.pool)
        .await
        .unwrap();
    app.add_member(r#"</title><i id="injected">x</i>"#, Role::Editor)
        .await;
    let number = publish_one(&app, INJECTION).await;
    let page = fetch(&app, &app.anonymous, &format!("/issues/{number}")).await;
    assert_eq!(page.status(), 200);
    let page = page.text().await.unwrap();
    assert_no_injection(&page, "issue page");
    assert!(
        page.contains("&lt;/title&gt;&lt;meta http-equiv=\"refresh\""),
        "the title is shown as text: {page}"
    );
    assert_no_injection(&text_of(&app, &app.anonymous, "/issues").await, "archive");
    for path in [
        format!("/edit/{number}"),
        format!("/edit/{number}/preview"),
        format!("/edit/{number}/meeting"),
        "/edit".to_owned(),
        "/members".to_owned(),
        "/settings".to_owned(),
        "/".to_owned(),
    ] {
        assert_no_injection(&app.page(&path).await, &path);
    }
}

/// Links that leave the site with an issue are absolute, resolved against
/// the issue's public URL; a refused link keeps its text and points
/// nowhere, rather than at `#`.
#[tokio::test]
async fn feeds_and_the_issue_page_carry_absolute_links_only() {
    let app = spawn_app().await;
    sqlx::query("UPDATE newsletter SET public_base_url = 'https://news.example.com/'")
        .execute(&app.pool)
        .await
        .unwrap();
    let section = sections(&app).await[0];
    let pick = new_pick(&app, "Relative", section).await;
    set_commentary(
        &app,
        pick,
        "See [the last issue](/issues/1), [events](#events), [notes](notes.html), \
         ![logo](/logo.png) and [a trap](javascript:alert(1)).",
    )
    .await;
    let number = draft(&app).await["number"].as_i64().unwrap();
    let (status, body) = publish(&app, number, true).await;
    assert_eq!(status, 200, "{body}");
    let expected = [
        r#"href="https://news.example.com/issues/1""#.to_owned(),
        format!(r#"href="https://news.example.com/issues/{number}#events""#),
        r#"href="https://news.example.com/issues/notes.html""#.to_owned(),
        r#"src="https://news.example.com/logo.png""#.to_owned(),
    ];
    let page = text_of(&app, &app.anonymous, &format!("/issues/{number}")).await;
    let atom = text_of(&app, &app.anonymous, "/feed.atom").await;
    let rss = text_of(&app, &app.anonymous, "/feed.xml").await;
    for (name, body) in [("issue page", page), ("Atom", atom), ("RSS", rss)] {
        let entries = parse_feed_or_page(&body);
        for href in &expected {
            assert!(
                entries.contains(href.as_str()),
                "{name}: {href} in {entries}"
            );
        }
        for relative in [r#"href="/"#, r##"href="#"##, r#"src="/"#, "javascript:"] {
            assert!(
                !entries.contains(relative),
                "{name}: {relative} in {entries}"
            );
        }
        assert!(
            entries.contains("and a trap."),
            "{name}: the refused link's text stays: {entries}"
        );
    }
}

/// The issue body of a page, or the entries' HTML of a feed, unescaped.
fn parse_feed_or_page(body: &str) -> String {
    if body.starts_with("<?xml") {
        parse_feed(body)
            .entries
            .iter()
            .filter_map(|entry| entry.content.as_ref().and_then(|c| c.body.clone()))
            .chain(
                parse_feed(body)
                    .entries
                    .iter()
                    .filter_map(|entry| entry.summary.as_ref().map(|s| s.content.clone())),
            )
            .collect()
    } else {
        body.split_once(r#"<div class="issue-body markdown">"#)
            .and_then(|(_, rest)| rest.split_once("</div>"))
            .map(|(html, _)| html.to_owned())
            .unwrap_or_default()
    }
}

/// A stored snapshot of a shape this newsdesk cannot read (an older
/// format, or one marked with a format it does not know): the issue stays
/// in the archive and the feeds with the HTML stored when it was
/// published, its page and the editor say what is wrong, and the export
/// refuses rather than serve the live rows, which hold an unpublished
/// correction.
#[tokio::test]
async fn an_unreadable_snapshot_is_shown_as_stored_and_never_replaced_by_live_rows() {
    let app = spawn_app().await;
    let number = publish_one(&app, "Frozen title").await;
    sqlx::query("UPDATE picks SET title = 'Unpublished correction'")
        .execute(&app.pool)
        .await
        .unwrap();
    for (format, shape, reason) in [
        (
            1,
            r#"{"title": "Frozen title", "picks": [{"url": "https://e.com/"}]}"#,
            "format 1) cannot be read",
        ),
        (
            2,
            r#"{"title": "Frozen title", "sections": []}"#,
            "in format 2, which this version",
        ),
    ] {
        sqlx::query(
            "UPDATE issues SET snapshot = $1::jsonb, snapshot_format = $2 WHERE number = $3",
        )
        .bind(shape)
        .bind(format as i16)
        .bind(number as i32)
        .execute(&app.pool)
        .await
        .unwrap();
        let archive = text_of(&app, &app.anonymous, "/issues").await;
        assert!(
            archive.contains(&format!("/issues/{number}\"")),
            "still listed: {archive}"
        );
        for path in ["/feed.atom", "/feed.xml"] {
            let feed = parse_feed(&text_of(&app, &app.anonymous, path).await);
            assert_eq!(feed.entries.len(), 1, "{path} keeps the issue");
            let html = parse_feed_or_page(&text_of(&app, &app.anonymous, path).await);
            assert!(
                html.contains("Frozen title"),
                "{path}: the stored HTML: {html}"
            );
            assert!(!html.contains("Unpublished correction"), "{path}: {html}");
        }
        let public = fetch(&app, &app.anonymous, &format!("/issues/{number}")).await;
        assert_eq!(public.status(), 200);
        let public = public.text().await.unwrap();
        assert!(public.contains("Frozen title") && !public.contains("Unpublished correction"));
        assert!(!public.contains(reason), "readers are not told: {public}");
        let members = app.page(&format!("/issues/{number}")).await;
        assert!(members.contains(reason), "members are told: {members}");
        let (_, issue) = get_answer(&app, &format!("/api/v1/issues/{number}")).await;
        let editor = app.page(&format!("/edit/{number}")).await;
        assert!(editor.contains(reason), "the editor says so: {issue}");
        let export = fetch(&app, &app.anonymous, &format!("/issues/{number}.md")).await;
        assert_eq!(export.status(), 422);
        let export = export.text().await.unwrap();
        assert!(export.contains(reason), "{export}");
        assert!(!export.contains("Unpublished correction"), "{export}");
    }
}
