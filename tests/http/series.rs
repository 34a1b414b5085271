//! Taking a running series over, through the API: an issue's own
//! sections, a draft's number and date (templates follow), the closing
//! part, a pick's layout and link, picks added without reading the page,
//! the settings as JSON, and back issues uploaded from the Issues page
//! that "covered in #N" then knows.

use newsdesk_app::accounts::Role;
use serde_json::{json, Value};

use crate::{
    support::api::{delete, error_message, get, patch, patch_ok, post, post_ok, put},
    support::issues::{
        draft, find_pick, insert_candidate, new_draft, pick_path, sections, NewDraft,
    },
    support::{spawn_app, TestApp},
};

async fn patch_settings(app: &TestApp, changes: Value) -> (u16, Value) {
    let version = get(app, "/api/v1/settings").await["settings"]["version"].clone();
    let mut body = changes;
    body["version"] = version;
    patch(app, "/api/v1/settings", body).await
}

fn section_titles(issue: &Value) -> Vec<String> {
    issue["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["title"].as_str().unwrap().to_owned())
        .collect()
}

async fn issue(app: &TestApp, number: i64) -> Value {
    get(app, &format!("/api/v1/issues/{number}")).await["issue"].clone()
}

async fn export(app: &TestApp, number: i64) -> String {
    let response = app
        .api
        .get(app.url(&format!("/api/v1/issues/{number}/markdown")))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    response.text().await.unwrap()
}

#[tokio::test]
async fn settings_are_read_and_changed_as_json_with_versions() {
    let app = spawn_app().await;
    let shown = get(&app, "/api/v1/settings").await;
    assert_eq!(shown["settings"]["name"], "Weekly");
    assert_eq!(shown["sections"].as_array().unwrap().len(), 3);
    let version = shown["settings"]["version"].as_i64().unwrap();
    let body = patch_ok(
        &app,
        "/api/v1/settings",
        json!({ "version": version, "name": "Cloud Notes Weekly", "next_number": 30 }),
    )
    .await;
    assert_eq!(body["version"], version + 1);
    // Based on the old version: 409, and nothing changes.
    let (status, _) = patch(
        &app,
        "/api/v1/settings",
        json!({ "version": version, "name": "Lost" }),
    )
    .await;
    assert_eq!(status, 409);
    for (bad, code) in [
        (json!({ "name": "No version" }), 400),
        (json!({ "version": version + 1, "nmae": "typo" }), 400),
        (json!({ "version": version + 1, "name": " " }), 422),
    ] {
        let (status, body) = patch(&app, "/api/v1/settings", bad.clone()).await;
        assert_eq!(status, code, "{bad}: {body}");
    }
    let shown = get(&app, "/api/v1/settings").await;
    assert_eq!(shown["settings"]["name"], "Cloud Notes Weekly");
    // A new series continues at its own number.
    assert_eq!(draft(&app).await["number"], 30);
    // Members who are not admins cannot read them.
    let (_, editor) = app.client_as("Eda", Role::Editor).await;
    let response = editor
        .get(app.url("/api/v1/settings"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
}

#[tokio::test]
async fn an_issue_has_its_own_sections() {
    let app = spawn_app().await;
    let defaults = sections(&app).await;
    let number = draft(&app).await["number"].as_i64().unwrap();
    let base = format!("/api/v1/issues/{number}/sections");
    // A new section for this issue only.
    let (status, body) = post(&app, &base, json!({ "title": "📘 Books" })).await;
    assert_eq!(status, 201, "{body}");
    let books = body["section_id"].as_i64().unwrap();
    let (status, _) = post(&app, &base, json!({ "saved_id": books })).await;
    assert_eq!(status, 422, "twice in one issue");
    // Renamed here only; Settings keep the default's title.
    let (status, body) = patch(
        &app,
        &format!("{base}/{}", defaults[0]),
        json!({ "title": "👀 今週の記事" }),
    )
    .await;
    assert_eq!(status, 204, "{body}");
    assert_eq!(
        section_titles(&issue(&app, number).await),
        [
            "👀 今週の記事",
            "🛠️ Tools, Frameworks, Libraries",
            "🤝 Events",
            "📘 Books"
        ]
    );
    assert_eq!(
        get(&app, "/api/v1/sections").await["sections"][0]["title"],
        "👀 Notable Articles"
    );
    // Reordered: exactly its sections, or 422.
    let order = vec![books, defaults[0], defaults[1], defaults[2]];
    let (status, _) = put(
        &app,
        &format!("{base}/order"),
        json!({ "ids": [books, defaults[0]] }),
    )
    .await;
    assert_eq!(status, 422);
    let (status, _) = put(&app, &format!("{base}/order"), json!({ "ids": order })).await;
    assert_eq!(status, 204);
    let shown = issue(&app, number).await;
    assert_eq!(section_titles(&shown)[0], "📘 Books");
    // A section with a pick stays; an empty one goes.
    let pick = crate::support::issues::new_pick(&app, "A book", books).await;
    let (status, body) = delete(&app, &format!("{base}/{books}")).await;
    assert_eq!(status, 422, "{body}");
    assert!(error_message(&body).contains("1 pick"), "{body}");
    let (status, _) = delete(&app, &format!("{base}/{}", defaults[2])).await;
    assert_eq!(status, 204);
    assert_eq!(
        section_titles(&issue(&app, number).await),
        [
            "📘 Books",
            "👀 今週の記事",
            "🛠️ Tools, Frameworks, Libraries"
        ]
    );
    // The saved sections offer Books for other issues; the next draft
    // starts from the defaults again.
    let saved = get(&app, "/api/v1/sections/saved").await;
    assert!(saved["sections"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["title"] == "📘 Books" && s["is_default"] == false));
    patch_ok(
        &app,
        &format!("/api/v1/picks/{pick}"),
        json!({ "version": 1, "commentary": "A good read." }),
    )
    .await;
    post_ok(
        &app,
        &format!("/api/v1/issues/{number}/publish"),
        json!({ "accept_warnings": true }),
    )
    .await;
    let published = export(&app, number).await;
    assert!(
        published.contains("## 📘 Books\n\n### [A book]"),
        "{published}"
    );
    let next = draft(&app).await;
    assert_eq!(
        section_titles(&next),
        [
            "👀 Notable Articles",
            "🛠️ Tools, Frameworks, Libraries",
            "🤝 Events"
        ]
    );
}

#[tokio::test]
async fn a_drafts_number_and_date_change_until_publication_and_templates_follow() {
    let app = spawn_app().await;
    let (status, body) = patch_settings(
        &app,
        json!({
            "intro_template": "今回は第{number}回目の記事となります。",
            "closing_heading_template": "あとがき",
            "closing_template": "次回は第{number}回です。",
        }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let first = draft(&app).await;
    assert_eq!(first["intro"], "今回は第1回目の記事となります。");
    let path = "/api/v1/issues/1";
    let version = first["version"].as_i64().unwrap();
    patch_ok(
        &app,
        path,
        json!({ "version": version, "number": 30, "date": "2026-12-11" }),
    )
    .await;
    let moved = issue(&app, 30).await;
    assert_eq!(moved["date"], "2026-12-11");
    assert_eq!(moved["intro"], "今回は第30回目の記事となります。");
    assert_eq!(moved["closing"], "次回は第30回です。");
    // Edited by hand, the intro stays; the untouched closing follows.
    let version = moved["version"].as_i64().unwrap();
    let body = patch_ok(
        &app,
        "/api/v1/issues/30",
        json!({ "version": version, "intro": "特別号です。" }),
    )
    .await;
    let version = body["version"].as_i64().unwrap();
    let (status, _) = patch(
        &app,
        "/api/v1/issues/30",
        json!({ "version": version, "number": 31 }),
    )
    .await;
    assert_eq!(status, 200);
    let moved = issue(&app, 31).await;
    assert_eq!(moved["intro"], "特別号です。");
    assert_eq!(moved["closing"], "次回は第31回です。");
    // Stale: 409; a number another issue has: 422; 0: 422.
    let (status, _) = patch(
        &app,
        "/api/v1/issues/31",
        json!({ "version": version, "number": 32 }),
    )
    .await;
    assert_eq!(status, 409);
    let section = sections(&app).await[0];
    crate::support::issues::new_pick(&app, "Topic", section).await;
    post_ok(
        &app,
        "/api/v1/issues/31/publish",
        json!({ "accept_warnings": true }),
    )
    .await;
    let next = draft(&app).await;
    assert_eq!(next["number"], 32);
    let next_version = next["version"].as_i64().unwrap();
    for (change, code) in [
        (json!({ "number": 31 }), 422),
        (json!({ "number": 0 }), 422),
    ] {
        let mut body = change.clone();
        body["version"] = json!(next_version);
        let (status, answer) = patch(&app, "/api/v1/issues/32", body).await;
        assert_eq!(status, code, "{change}: {answer}");
    }
    // A published issue keeps its number and date.
    let published = issue(&app, 31).await;
    let (status, body) = patch(
        &app,
        "/api/v1/issues/31",
        json!({ "version": published["version"], "date": "2027-01-01" }),
    )
    .await;
    assert_eq!(status, 422, "{body}");
}

#[tokio::test]
async fn the_closing_part_is_saved_with_conflicts_and_left_out_when_empty() {
    let NewDraft {
        app,
        number,
        path,
        version,
        ..
    } = new_draft().await;
    let section = sections(&app).await[0];
    crate::support::issues::new_pick(&app, "Something", section).await;
    assert!(!export(&app, number).await.contains("あとがき"));
    let body = patch_ok(
        &app,
        &path,
        json!({ "version": version, "closing_heading": "あとがき" }),
    )
    .await;
    let version = body["version"].as_i64().unwrap();
    // Only a heading: still left out.
    assert!(!export(&app, number).await.contains("あとがき"));
    patch_ok(
        &app,
        &path,
        json!({ "version": version, "closing": "来週はお休みです。\n再来週にお会いしましょう。" }),
    )
    .await;
    let (status, body) = patch(
        &app,
        &path,
        json!({ "version": version, "closing": "lost" }),
    )
    .await;
    assert_eq!(status, 409);
    assert_eq!(
        body["error"]["current"]["value"],
        "来週はお休みです。\n再来週にお会いしましょう。"
    );
    assert!(export(&app, number)
        .await
        .ends_with("## あとがき\n\n来週はお休みです。\n再来週にお会いしましょう。\n"),);
    // Its history, like the intro's.
    let response = app
        .call(
            "load_revisions",
            &[("number", &number.to_string()), ("field", "closing")],
        )
        .await;
    assert_eq!(response.status(), 200);
    let revisions: Value = response.json().await.unwrap();
    assert_eq!(
        revisions[0]["value"],
        "来週はお休みです。\n再来週にお会いしましょう。"
    );
}

#[tokio::test]
async fn picks_are_added_without_reading_the_page_and_topics_need_a_link() {
    let app = spawn_app().await;
    let number = draft(&app).await["number"].as_i64().unwrap();
    let section = sections(&app).await[0];
    let picks = format!("/api/v1/issues/{number}/picks");
    // Nothing listens on port 9: the link is not read, only kept.
    let (status, body) = post(&app, &picks, json!({
        "section_id": section, "url": "http://127.0.0.1:9/behind-a-login", "title": "社内限定の記事"
    })).await;
    assert_eq!(status, 201, "{body}");
    let linked = body["pick_id"].as_i64().unwrap();
    let linked_pick = format!("/api/v1/picks/{linked}");
    let linked_layout = format!("{linked_pick}/layout");
    let (status, body) = post(
        &app,
        &picks,
        json!({
            "section_id": section, "title": "インターンシップ"
        }),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let topic = body["pick_id"].as_i64().unwrap();
    for bad in [
        json!({ "section_id": section, "url": "ftp://example.com/x", "title": "x" }),
        json!({ "section_id": section, "url": "https://example.com/x", "title": " " }),
    ] {
        let (status, body) = post(&app, &picks, bad.clone()).await;
        assert_eq!(status, 422, "{bad}: {body}");
    }
    let shown = issue(&app, number).await;
    assert_eq!(find_pick(&shown, linked)["title"], "社内限定の記事");
    assert_eq!(find_pick(&shown, topic)["url"], "");
    // A topic without a link in its commentary cannot be published.
    let publish = format!("/api/v1/issues/{number}/publish");
    let (status, body) = post(&app, &publish, json!({ "accept_warnings": true })).await;
    assert_eq!(status, 422);
    assert!(
        error_message(&body).contains("“インターンシップ” has no link"),
        "{body}"
    );
    let (status, _) = patch(&app, &format!("/api/v1/picks/{topic}"), json!({
        "version": 1, "commentary": "ふたつの報告です。\n\n- [起動を速くする](https://tech.example.com/intern/a)"
    })).await;
    assert_eq!(status, 200);
    // The link is corrected later; a stale correction is a 409.
    for (change, expected) in [
        (
            json!({ "version": 1, "url": "https://example.com/the-real-article" }),
            200,
        ),
        (
            json!({ "version": 1, "url": "https://example.com/other" }),
            409,
        ),
        (json!({ "version": 2, "url": "javascript:alert(1)" }), 422),
    ] {
        let (status, body) = patch(&app, &linked_pick, change.clone()).await;
        assert_eq!(status, expected, "{change}: {body}");
    }
    // A layout of its own.
    let (status, _) = put(&app, &linked_layout, json!({ "layout": "heading_card" })).await;
    assert_eq!(status, 204);
    let (status, _) = put(&app, &linked_layout, json!({ "layout": "sideways" })).await;
    assert_eq!(status, 400);
    let markdown = export(&app, number).await;
    assert!(
        markdown.contains("### 社内限定の記事\n\nhttps://example.com/the-real-article\n"),
        "{markdown}"
    );
    assert!(
        markdown.contains("### インターンシップ\n\nふたつの報告です。"),
        "{markdown}"
    );
    post_ok(&app, &publish, json!({ "accept_warnings": true })).await;
    // The corrected link is what "covered in" compares.
    let candidate = insert_candidate(&app.pool, "Same article again").await;
    sqlx::query("UPDATE candidates SET url = 'https://example.com/the-real-article', url_key = '//example.com/the-real-article' WHERE id = $1")
        .bind(candidate)
        .execute(&app.pool)
        .await
        .unwrap();
    let (status, body) = post(
        &app,
        &pick_path(candidate),
        json!({ "section_id": section }),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert!(
        error_message(&body).contains(&format!("covered in #{number}")),
        "{body}"
    );
}

/// Uploads files to the Issues page's import form and waits for the report.
async fn upload(app: &TestApp, files: &[(&str, Vec<u8>)], first_number: Option<i32>) -> Value {
    let mut form = reqwest::multipart::Form::new();
    for (name, bytes) in files {
        form = form.part(
            "file",
            reqwest::multipart::Part::bytes(bytes.clone()).file_name(name.to_string()),
        );
    }
    if let Some(first) = first_number {
        form = form.text("first_number", first.to_string());
    }
    // Sent on to the progress page.
    let page = app.upload_form("/edit/import", form).await;
    let id = page
        .strip_prefix("/edit/import/")
        .expect("the progress page")
        .to_owned();
    let shown = app.client.get(app.url(&page)).send().await.unwrap();
    assert_eq!(shown.status(), 200);
    let mut events = app.pool.acquire().await.unwrap();
    loop {
        let finished: bool = sqlx::query_scalar(
            "SELECT finished_at IS NOT NULL FROM issue_imports WHERE id = $1::bigint",
        )
        .bind(&id)
        .fetch_one(&mut *events)
        .await
        .unwrap();
        if finished {
            break;
        }
        tokio::task::yield_now().await;
    }
    let response = app.call("import_status", &[("id", &id)]).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../tests/fixtures/issues")
            .join(name),
    )
    .unwrap()
}

#[tokio::test]
async fn uploaded_back_issues_make_history_that_covered_in_knows() {
    let app = spawn_app().await;
    let names = [
        "2022-07-01-embed-style.md",
        "2023-04-14-zenn-card-style.md",
        "2023-04-21-linked-style.md",
    ];
    let files: Vec<(&str, Vec<u8>)> = names.iter().map(|n| (*n, fixture(n))).collect();
    let batch = upload(&app, &files, None).await;
    assert_eq!(batch["total"], 3);
    let outcomes: Vec<(String, String)> = batch["reports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["file"].as_str().unwrap().to_owned(),
                r["outcome"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(outcomes.len(), 3, "{batch}");
    assert!(
        outcomes.iter().all(|(_, outcome)| outcome == "imported"),
        "{batch}"
    );
    // The archive, both feeds and the issue list carry the history.
    let archive = app.public_page("/issues").await;
    for title in [
        "Gateway API v9: Cloud Notes Weekly (2023-04-21号)",
        "Cloud Notes Weekly (2022-07-01号)",
    ] {
        assert!(archive.contains(title), "{title} in the archive");
    }
    let atom = app.public_page("/feed.atom").await;
    assert!(
        atom.contains("ジョブキューの比較やストレージ運用本など"),
        "{atom}"
    );
    let listed = get(&app, "/api/v1/issues").await;
    let numbers: Vec<i64> = listed["issues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["number"].as_i64().unwrap())
        .collect();
    assert_eq!(numbers, [29, 28, 4]);
    // The link two back issues carried: covered in the later one.
    let candidate: i64 = sqlx::query_scalar(
        "SELECT id FROM candidates WHERE url = 'https://blog.example.org/2022/06/batch-scheduling'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let section = sections(&app).await[0];
    let (status, body) = post(
        &app,
        &pick_path(candidate),
        json!({ "section_id": section }),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert!(error_message(&body).contains("covered in #29"), "{body}");
    let (status, _) = post(
        &app,
        &pick_path(candidate),
        json!({ "section_id": section, "confirm": true }),
    )
    .await;
    assert_eq!(status, 201);
    let number = draft(&app).await["number"].as_i64().unwrap();
    assert_eq!(number, 30, "the series continues after its history");
    let pick = issue(&app, number).await["sections"][0]["picks"][0].clone();
    assert_eq!(pick["covered"]["issue_number"], 29, "{pick}");

    // Again, with a file that is no issue and one without a number: the
    // first number places it, the rest are unchanged.
    let mut again = files.clone();
    again.push(("notes.md", b"# Notes\n\nNo sections here.\n".to_vec()));
    let unnumbered = String::from_utf8(fixture(names[2]))
        .unwrap()
        .replace("今回は第29回目の記事となります。", "番外編です。")
        .replace("2023-04-21", "2023-04-22");
    again.push(("extra.md", unnumbered.into_bytes()));
    let batch = upload(&app, &again, Some(100)).await;
    let by_file = |name: &str| {
        batch["reports"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["file"] == name)
            .cloned()
            .unwrap_or_else(|| panic!("{name} in {batch}"))
    };
    for name in names {
        assert_eq!(by_file(name)["outcome"], "unchanged", "{batch}");
    }
    assert_eq!(by_file("notes.md")["outcome"], "failed");
    assert!(by_file("notes.md")["message"]
        .as_str()
        .unwrap()
        .contains("no `## section`"));
    // The fourth in date order, counted from 100.
    assert_eq!(by_file("extra.md")["outcome"], "imported", "{batch}");
    assert_eq!(by_file("extra.md")["number"], 103, "{batch}");
}
