//! The UI in Japanese and English: the language follows the browser, the
//! member's own choice and `?lang=`; every page, as every role, rendered in
//! Japanese shows no English text of the catalogue; times follow the
//! member's zone; the archive and the feeds use the newsletter's language.

use std::collections::BTreeMap;

use newsdesk_app::accounts::Role;
use reqwest::Method;
use scraper::{Html, Node};
use serde_json::{json, Value};

use crate::{
    publish::publish_one,
    support::api::{get, send},
    support::seed::{add_source, insert_feed},
    support::{spawn_app, workspace_dir, TestApp},
};

fn catalogue(locale: &str) -> BTreeMap<String, String> {
    let dir = workspace_dir().join("app/locales").join(locale);
    let mut entries = BTreeMap::new();
    for file in std::fs::read_dir(&dir).unwrap() {
        let path = file.unwrap().path();
        let namespace = path.file_stem().unwrap().to_str().unwrap().to_owned();
        let map: BTreeMap<String, String> =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        for (key, value) in map {
            entries.insert(format!("{namespace}.{key}"), value);
        }
    }
    entries
}

/// The English catalogue's texts that a Japanese page must not show: the
/// pieces between placeholders and markup of every text whose Japanese
/// differs, with a letter in them.
fn english_phrases() -> Vec<(String, String)> {
    let en = catalogue("en");
    let ja = catalogue("ja");
    let mut phrases = Vec::new();
    for (key, english) in &en {
        if ja.get(key) == Some(english) {
            continue;
        }
        for piece in english.split(['{', '}', '<', '>']).step_by(2) {
            let piece =
                piece.trim_matches(|c: char| c.is_whitespace() || ",.:;()“”\"'".contains(c));
            if piece.chars().filter(|c| c.is_ascii_alphabetic()).count() >= 3 {
                phrases.push((key.clone(), piece.to_owned()));
            }
        }
    }
    phrases
}

/// What a person reads on a page: the text outside scripts and styles, and
/// the labels and hints in attributes.
fn readable_text(html: &str) -> String {
    let document = Html::parse_document(html);
    let mut out = String::new();
    for node in document.tree.nodes() {
        match node.value() {
            Node::Text(text) => {
                let hidden = node.ancestors().any(|a| {
                    a.value()
                        .as_element()
                        // Code and logged data are not UI text.
                        .is_some_and(|e| {
                            matches!(e.name(), "script" | "style" | "template" | "code" | "pre")
                        })
                });
                if !hidden {
                    out.push_str(text);
                    out.push('\n');
                }
            }
            Node::Element(element) => {
                for name in ["aria-label", "placeholder", "title", "alt"] {
                    if let Some(value) = element.attr(name) {
                        out.push_str(value);
                        out.push('\n');
                    }
                }
            }
            _ => {}
        }
    }
    // Addresses are not words: a feed's URL may well end in /feed, a git
    // remote (git@github.com:team/zenn-content.git) or an email address
    // holds any word, and so do a file's path (content/posts/{date}.md)
    // and a time zone's name (America/New_York).
    out.split_whitespace()
        .filter(|word| {
            let path = word.contains('/') && word.is_ascii();
            !word.contains("://") && !word.starts_with('/') && !word.contains('@') && !path
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Where `phrase` occurs in `text` as words (not inside a longer word, nor
/// in a name such as `published_at`): the text around it, to find it on
/// the page.
fn find_words(text: &str, phrase: &str) -> Option<String> {
    let in_word = |c: char| c.is_alphanumeric() || c == '_';
    text.match_indices(phrase).find_map(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + phrase.len()..].chars().next();
        let alone = !before.is_some_and(in_word) && !after.is_some_and(in_word);
        alone.then(|| {
            let start = text[..at]
                .char_indices()
                .rev()
                .nth(30)
                .map_or(0, |(i, _)| i);
            let end = text[at..]
                .char_indices()
                .nth(phrase.chars().count() + 30)
                .map_or(text.len(), |(i, _)| at + i);
            text[start..end].to_owned()
        })
    })
}

fn client(cookie: Option<&str>, accept_language: &str) -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("accept-language", accept_language.parse().unwrap());
    if let Some(cookie) = cookie {
        headers.insert("cookie", cookie.parse().unwrap());
    }
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .default_headers(headers)
        .build()
        .unwrap()
}

async fn session_cookie(app: &TestApp, name: &str, role: Role) -> String {
    let member = app.add_member(name, role).await;
    let session = newsdesk_app::accounts::sessions::start(
        &app.pool,
        &member,
        &newsdesk_app::accounts::identity::Client::default(),
        None,
    )
    .await
    .unwrap();
    format!(
        "{}={session}",
        newsdesk_app::accounts::sessions::COOKIE_NAME
    )
}

async fn page(app: &TestApp, client: &reqwest::Client, path: &str) -> (u16, String) {
    let response = client.get(app.url(path)).send().await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

/// The texts of the page's `<time>` elements.
fn shown_times(html: &str) -> Vec<String> {
    let document = Html::parse_document(html);
    let times = scraper::Selector::parse("time").unwrap();
    document
        .select(&times)
        .map(|time| time.text().collect::<String>())
        .collect()
}

fn html_lang(html: &str) -> String {
    let document = Html::parse_document(html);
    let root = document.root_element();
    root.attr("lang").unwrap_or_default().to_owned()
}

/// Data on every page, in Japanese, so that what the team wrote never
/// looks like English UI text.
async fn seed(app: &TestApp) -> (i64, i64) {
    sqlx::query("UPDATE members SET name = '最初の管理者' WHERE id = $1")
        .bind(app.admin.id)
        .execute(&app.pool)
        .await
        .unwrap();
    // The audit log keeps the name the admin was added with.
    sqlx::query("UPDATE audit_log SET subject = '最初の管理者' WHERE subject = 'admin'")
        .execute(&app.pool)
        .await
        .unwrap();
    let feed = insert_feed(&app.pool, "クラウドネイティブ通信", &[]).await;
    for title in ["記事その一", "記事その二"] {
        let candidate = crate::support::issues::insert_candidate(&app.pool, title).await;
        add_source(&app.pool, feed, candidate).await;
    }
    let published = publish_one(app, "公開済みの話題").await;
    (feed, published)
}

#[tokio::test]
async fn japanese_pages_show_no_english_ui_text_for_any_role() {
    let app = spawn_app().await;
    let (feed, published) = seed(&app).await;
    let draft = crate::support::issues::draft(&app).await["number"]
        .as_i64()
        .unwrap();
    let phrases = english_phrases();
    assert!(phrases.len() > 50, "the English catalogue was not read");

    let signed_in = [
        "/",
        "/add",
        "/edit",
        &format!("/edit/{draft}"),
        &format!("/edit/{draft}/preview"),
        &format!("/edit/{draft}/meeting"),
        "/feeds",
        "/feeds/filters",
        &format!("/feeds/{feed}"),
        "/account",
        "/settings",
        "/settings/delivery",
        "/settings/webhooks",
        "/members",
        "/members/audit",
    ]
    .map(str::to_owned);
    let public = [
        "/sign-in",
        "/issues",
        &format!("/issues/{published}"),
        "/invite/no-such-invitation",
        "/no-such-page",
    ]
    .map(str::to_owned);

    let mut visitors = vec![("signed out".to_owned(), None)];
    for (name, role) in [
        // Names in Japanese: a member's name is theirs, not UI text.
        ("閲覧さん", Role::Viewer),
        ("編集さん", Role::Editor),
        ("公開さん", Role::Publisher),
        ("管理さん", Role::Admin),
    ] {
        visitors.push((
            name.to_owned(),
            Some(session_cookie(&app, name, role).await),
        ));
    }

    let mut english = Vec::new();
    for (who, cookie) in &visitors {
        let japanese = client(cookie.as_deref(), "ja-JP,ja;q=0.9,en;q=0.5");
        let paths = if cookie.is_some() {
            signed_in.iter().chain(public.iter()).collect::<Vec<_>>()
        } else {
            public.iter().collect()
        };
        for path in paths {
            let (status, html) = page(&app, &japanese, path).await;
            if (300..400).contains(&status) {
                continue;
            }
            let text = readable_text(&html);
            for (key, phrase) in &phrases {
                if let Some(around) = find_words(&text, phrase) {
                    english.push(format!(
                        "{who} {path} ({status}): “{phrase}” ({key}) in “{around}”"
                    ));
                }
            }
        }
    }
    assert!(
        english.is_empty(),
        "English UI text on Japanese pages:\n{}",
        english.join("\n")
    );
}

#[tokio::test]
async fn the_browser_language_decides_until_the_member_chooses() {
    let app = spawn_app().await;
    let cookie = session_cookie(&app, "Hana", Role::Editor).await;
    let japanese = client(Some(&cookie), "ja,en;q=0.5");
    let english = client(Some(&cookie), "en-US,en;q=0.9");

    let (_, html) = page(&app, &japanese, "/account").await;
    assert_eq!(html_lang(&html), "ja");
    assert!(readable_text(&html).contains("言語とタイムゾーン"));
    let (_, html) = page(&app, &english, "/account").await;
    assert_eq!(html_lang(&html), "en");
    assert!(readable_text(&html).contains("Language and time zone"));

    // The member's choice beats the browser's, and the answer says which
    // language the UI speaks from now on.
    let save = |client: reqwest::Client, language: &'static str| {
        let app = app.clone();
        async move {
            let response = client
                .post(app.url("/api/save_preferences"))
                .header("origin", app.origin())
                .form(&[("language", language), ("time_zone", "")])
                .send()
                .await
                .unwrap();
            (response.status().as_u16(), response.text().await.unwrap())
        }
    };
    assert_eq!(
        save(japanese.clone(), "en").await,
        (200, "\"en\"".to_owned())
    );
    let (_, html) = page(&app, &japanese, "/feeds").await;
    assert_eq!(html_lang(&html), "en");
    // Back to automatic: the browser's language again.
    assert_eq!(save(japanese.clone(), "").await, (200, "\"ja\"".to_owned()));
    let (_, html) = page(&app, &japanese, "/feeds").await;
    assert_eq!(html_lang(&html), "ja");

    // A language newsdesk does not speak is refused, in the page's language.
    let (status, body) = save(japanese.clone(), "fr").await;
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("一覧から言語を選んでください"), "{body}");
    let (status, body) = save(english.clone(), "xx").await;
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("Choose one of the languages"), "{body}");
}

#[tokio::test]
async fn lang_in_the_address_switches_a_public_page_and_is_remembered() {
    let app = spawn_app().await;
    let english = client(None, "en");
    let response = english
        .get(app.url("/sign-in?lang=ja"))
        .send()
        .await
        .unwrap();
    let set_cookie = response
        .headers()
        .get("set-cookie")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    assert!(set_cookie.starts_with("newsdesk_lang=ja;"), "{set_cookie}");
    let html = response.text().await.unwrap();
    assert_eq!(html_lang(&html), "ja");
    assert!(readable_text(&html).contains("ログイン"));

    // The cookie keeps it for the next page; an unknown value changes nothing.
    let remembered = client(Some("newsdesk_lang=ja"), "en");
    let (_, html) = page(&app, &remembered, "/sign-in").await;
    assert_eq!(html_lang(&html), "ja");
    let (_, html) = page(&app, &english, "/sign-in?lang=klingon").await;
    assert_eq!(html_lang(&html), "en");
}

#[tokio::test]
async fn times_follow_the_members_zone_in_their_language() {
    let app = spawn_app().await;
    let cookie = session_cookie(&app, "Ken", Role::Viewer).await;
    let japanese = client(Some(&cookie), "ja");
    // A token, so that the account page shows a time.
    let response = japanese
        .post(app.url("/api/create_token"))
        .header("origin", app.origin())
        .form(&[("name", "時刻の確認")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);

    // No zone known yet: UTC, and it says so.
    let (_, html) = page(&app, &japanese, "/account").await;
    let times = shown_times(&html);
    assert!(!times.is_empty(), "{html}");
    for time in &times {
        assert!(
            time.ends_with(" UTC") && time.contains('年') && time.contains('日'),
            "{time}"
        );
    }

    // The browser's zone, reported in its cookie.
    let with_zone = client(Some(&format!("{cookie}; newsdesk_tz=Asia/Tokyo")), "ja");
    let (_, html) = page(&app, &with_zone, "/account").await;
    assert!(html.contains("data-zone=\"Asia/Tokyo\""), "{html}");
    let times = shown_times(&html);
    assert!(
        !times.is_empty() && times.iter().all(|t| !t.ends_with("UTC")),
        "{times:?}"
    );

    // The member's own zone beats the browser's; an unknown one is refused.
    let save = |zone: &'static str| {
        let (app, japanese) = (app.clone(), japanese.clone());
        async move {
            japanese
                .post(app.url("/api/save_preferences"))
                .header("origin", app.origin())
                .form(&[("language", ""), ("time_zone", zone)])
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    assert_eq!(save("Mars/Olympus").await, 422);
    assert_eq!(save("America/Sao_Paulo").await, 200);
    let (_, html) = page(&app, &with_zone, "/account").await;
    assert!(html.contains("data-zone=\"America/Sao_Paulo\""));
    assert!(html.contains("data-zone-chosen"));
}

#[tokio::test]
async fn the_archive_and_the_feeds_speak_the_newsletters_language() {
    let app = spawn_app().await;
    let number = publish_one(&app, "公開済みの話題").await;
    let patch = |changes: Value| {
        let app = app.clone();
        async move {
            let version = get(&app, "/api/v1/settings").await["settings"]["version"].clone();
            let mut body = changes;
            body["version"] = version;
            send(
                &app,
                &app.api,
                Method::PATCH,
                "/api/v1/settings",
                Some(body),
            )
            .await
        }
    };
    let (status, body) = patch(json!({ "language": "ja klingon" })).await;
    assert_eq!(status, 422, "{body}");
    let (status, body) = patch(json!({ "language": "JA" })).await;
    assert_eq!(status, 200, "{body}");

    // The UI stays English for an English browser; the document is Japanese.
    let english = client(None, "en");
    for path in ["/issues".to_owned(), format!("/issues/{number}")] {
        let (_, html) = page(&app, &english, &path).await;
        assert_eq!(html_lang(&html), "ja", "{path}");
        assert!(html.contains("data-ui-lang=\"en\""), "{path}");
    }
    let (_, html) = page(&app, &english, "/sign-in").await;
    assert_eq!(html_lang(&html), "en");

    let (_, atom) = page(&app, &english, "/feed.atom").await;
    assert!(atom.contains("xml:lang=\"ja\""), "{atom}");
    let (_, rss) = page(&app, &english, "/feed.xml").await;
    assert!(rss.contains("<language>ja</language>"), "{rss}");
}

/// Why a feed cannot be added is said in the page's language: the
/// fetcher's reasons come from the catalogue too.
#[tokio::test]
async fn a_feed_that_cannot_be_fetched_is_explained_in_the_pages_language() {
    let app = spawn_app().await;
    let cookie = session_cookie(&app, "Hana", Role::Editor).await;
    // A port nothing listens on: the connection is refused.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/feed.xml", closed.local_addr().unwrap());
    drop(closed);
    let add = |accept_language: &'static str| {
        let (app, cookie, url) = (app.clone(), cookie.clone(), url.clone());
        async move {
            let response = client(Some(&cookie), accept_language)
                .post(app.url("/api/add_feed"))
                .header("origin", app.origin())
                .form(&[("url", url.as_str()), ("title", "")])
                .send()
                .await
                .unwrap();
            (response.status().as_u16(), response.text().await.unwrap())
        }
    };
    let (status, body) = add("ja").await;
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("接続を拒否されました"), "{body}");
    let (status, body) = add("en").await;
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("connection refused"), "{body}");
}

/// The poller has no reader: a feed's failure is kept as a message, and
/// each member reads it in their own language, on the Feeds page and the
/// feed's history alike.
#[tokio::test]
async fn a_failing_feed_is_explained_in_each_readers_language() {
    let app = spawn_app().await;
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/feed.xml", closed.local_addr().unwrap());
    drop(closed);
    let call = |client: reqwest::Client, name: &'static str, form: Vec<(&'static str, String)>| {
        let app = app.clone();
        async move {
            let response = client
                .post(app.url(&format!("/api/{name}")))
                .header("origin", app.origin())
                .form(&form)
                .send()
                .await
                .unwrap();
            assert!(
                response.status().is_success(),
                "{name}: {}",
                response.status()
            );
            response.json::<serde_json::Value>().await.unwrap()
        }
    };
    let english = client(Some(&session_cookie(&app, "Ada", Role::Admin).await), "en");
    let japanese = client(
        Some(&session_cookie(&app, "Hana", Role::Editor).await),
        "ja",
    );
    let added = call(
        english.clone(),
        "add_feed",
        vec![
            ("url", url),
            ("title", String::new()),
            ("exact", "on".into()),
        ],
    )
    .await;
    let id = added["Added"]["id"].as_i64().unwrap().to_string();
    call(english.clone(), "refresh_feed", vec![("id", id.clone())]).await;

    let error_for =
        |feeds: serde_json::Value| feeds["feeds"][0]["last_error"].as_str().map(str::to_owned);
    let overview = call(english.clone(), "load_feeds", vec![]).await;
    assert_eq!(error_for(overview).as_deref(), Some("connection refused"));
    let overview = call(japanese.clone(), "load_feeds", vec![]).await;
    assert_eq!(error_for(overview).as_deref(), Some("接続を拒否されました"));
    let (status, page) = page(&app, &japanese, &format!("/feeds/{id}")).await;
    assert_eq!(status, 200);
    // A failure, in the error colour (a feed read with errors is a muted
    // note instead: tests/http/feeds.rs).
    assert!(
        page.contains(r#"<dd class="feed-error">接続を拒否されました</dd>"#),
        "{page}"
    );
    let text = readable_text(&page);
    assert!(text.contains("接続を拒否されました"), "{text}");
    assert!(find_words(&text, "connection refused").is_none(), "{text}");
}
