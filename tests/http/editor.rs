//! The issue editor over HTTP against a real database: versioned saves
//! (exactly one of several concurrent saves wins, the others get 409 with
//! the current row), reorders under concurrency, removal with undo, moving
//! on to the next issue, notes and their promotion, history, presence,
//! settings and templates, the Markdown export, and live events from one
//! server reaching another.

use std::collections::BTreeMap;

use newsdesk_app::accounts::Role;
use reqwest::{Client, Method};
use serde_json::{json, Value};
use sqlx::PgPool;

use crate::{
    fixtures::FeedServer,
    inbox::wait_for_listeners,
    support::api::{delete, get, get_answer, patch, patch_ok, post, post_ok, send},
    support::issues::{
        app_with_pick, draft, find_pick, new_draft, new_pick, pick_path, pick_version, sections,
        set_commentary, NewDraft,
    },
    support::seed::refuse,
    support::sse::Events,
    support::{spawn_app, spawn_second_server, TestApp},
};

/// Section id → pick ids in order, as the issue shows them.
fn layout(issue: &Value) -> BTreeMap<i64, Vec<i64>> {
    issue["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["id"].as_i64().unwrap(),
                s["picks"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|p| p["id"].as_i64().unwrap())
                    .collect(),
            )
        })
        .collect()
}

/// Adds a note with `body` to pick `pick` as the admin.
async fn add_note(app: &TestApp, pick: i64, body: &str) -> (u16, Value) {
    post(
        app,
        &format!("/api/v1/picks/{pick}/notes"),
        json!({ "body": body }),
    )
    .await
}

/// Marks `issue` published in the database, without the checks and the
/// snapshot that publishing makes (these tests are about what follows).
async fn mark_published(pool: &PgPool, issue: &Value) {
    sqlx::query("UPDATE issues SET state = 'published', published_at = now() WHERE id = $1")
        .bind(issue["id"].as_i64().unwrap())
        .execute(pool)
        .await
        .unwrap();
}

/// Positions in the database are 1..n per section, for every section.
async fn assert_dense_positions(pool: &PgPool) {
    let rows: Vec<(i64, i64, Vec<i32>)> = sqlx::query_as(
        "SELECT issue_id, section_id, array_agg(position ORDER BY position) FROM picks
         GROUP BY issue_id, section_id",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    for (issue, section, positions) in rows {
        let expected: Vec<i32> = (1..=positions.len() as i32).collect();
        assert_eq!(positions, expected, "issue {issue} section {section}");
    }
}

#[tokio::test]
async fn concurrent_saves_on_one_pick_exactly_one_wins() {
    let (app, _, pick) = app_with_pick("Gateway API v1.2").await;
    let version = pick_version(&app, pick).await;
    let (_, bob) = app.client_as("Bob", Role::Editor).await;
    let bob_api = app
        .token_client(&app.add_member("Carol", Role::Editor).await)
        .await;

    let saves = (0..8).map(|n| {
        let client = if n % 2 == 0 {
            app.api.clone()
        } else {
            bob_api.clone()
        };
        let app = &app;
        async move {
            let value = format!("Commentary number {n}");
            let (status, body) = send(
                app,
                &client,
                Method::PATCH,
                &format!("/api/v1/picks/{pick}"),
                Some(json!({ "version": version, "commentary": value })),
            )
            .await;
            (status, body, value)
        }
    });
    let results = futures_util::future::join_all(saves).await;
    let winners: Vec<_> = results
        .iter()
        .filter(|(status, ..)| *status == 200)
        .collect();
    assert_eq!(winners.len(), 1, "{results:?}");
    let (_, won, winning_value) = winners[0];
    let new_version = won["version"].as_i64().unwrap();
    assert_eq!(new_version, version + 1);
    for (status, body, _) in results.iter().filter(|(status, ..)| *status != 200) {
        assert_eq!(*status, 409, "{body}");
        assert_eq!(body["error"]["kind"], "conflict");
        let current = &body["error"]["current"];
        assert_eq!(current["value"], json!(winning_value), "{body}");
        assert_eq!(current["version"], new_version);
        let by = current["changed_by"].as_str().unwrap();
        assert!(by == "admin" || by == "Carol", "{by}");
    }
    let stored = find_pick(&draft(&app).await, pick);
    assert_eq!(stored["commentary"], json!(winning_value));

    // The same through the editor's server function: 409 with the value.
    let save_title = |value: &'static str, version: i64| {
        bob.post(app.url("/api/save_pick_text"))
            .header("origin", app.origin())
            .form(&[
                ("pick", pick.to_string()),
                ("field", "title".into()),
                ("value", value.into()),
                ("version", version.to_string()),
            ])
            .send()
    };
    let response = save_title("Stale title", version).await.unwrap();
    assert_eq!(response.status(), 409);
    let error: Value = response.json().await.unwrap();
    assert_eq!(error["Conflict"]["value"], "Gateway API v1.2", "{error}");
    // A save based on the current version goes through.
    let response = save_title("Gateway API v1.2 is out", new_version)
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let stored = find_pick(&draft(&app).await, pick);
    assert_eq!(stored["title"], "Gateway API v1.2 is out");
    assert_eq!(stored["updated_by"], "Bob");
}

#[tokio::test]
async fn reorders_under_concurrency_keep_a_consistent_order() {
    let app = spawn_app().await;
    let sections = sections(&app).await;
    let mut picks = Vec::new();
    for n in 0..12 {
        picks.push(new_pick(&app, &format!("Article {n}"), sections[n % sections.len()]).await);
    }
    assert_dense_positions(&app.pool).await;

    // 60 moves at once, to every section and index (a fixed pseudo-random
    // sequence, so a failure can be replayed).
    let mut seed: u64 = 0x5eed;
    let mut next = move |limit: u64| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) % limit
    };
    let moves: Vec<(i64, i64, i64)> = (0..60)
        .map(|_| {
            (
                picks[next(picks.len() as u64) as usize],
                sections[next(sections.len() as u64) as usize],
                next(14) as i64 - 1,
            )
        })
        .collect();
    let requests = moves.iter().map(|(pick, section, index)| {
        let app = &app;
        async move {
            post(
                app,
                &format!("/api/v1/picks/{pick}/move"),
                json!({ "section_id": section, "index": index }),
            )
            .await
        }
    });
    for (status, body) in futures_util::future::join_all(requests).await {
        assert_eq!(status, 204, "{body}");
    }
    assert_dense_positions(&app.pool).await;
    let after = layout(&draft(&app).await);
    let mut seen: Vec<i64> = after.values().flatten().copied().collect();
    seen.sort_unstable();
    let mut expected = picks.clone();
    expected.sort_unstable();
    assert_eq!(seen, expected, "every pick exactly once: {after:?}");

    // A single move lands exactly where asked.
    let (first, second) = (sections[0], sections[1]);
    let moved = after[&first].first().copied().unwrap_or(picks[0]);
    let (status, _) = post(
        &app,
        &format!("/api/v1/picks/{moved}/move"),
        json!({ "section_id": second, "index": 0 }),
    )
    .await;
    assert_eq!(status, 204);
    let now = layout(&draft(&app).await);
    assert_eq!(now[&second][0], moved);
    assert!(!now[&first].contains(&moved));
    assert_dense_positions(&app.pool).await;
}

#[tokio::test]
async fn removal_is_undone_with_notes_place_and_history() {
    let (app, section, a) = app_with_pick("A").await;
    let b = new_pick(&app, "B", section).await;
    let c = new_pick(&app, "C", section).await;
    let (status, _) = add_note(&app, b, "Worth discussing: the beta API.").await;
    assert_eq!(status, 201);
    set_commentary(&app, b, "First words.").await;
    let candidate: i64 = sqlx::query_scalar("SELECT candidate_id FROM picks WHERE id = $1")
        .bind(b)
        .fetch_one(&app.pool)
        .await
        .unwrap();

    let (status, removed) = delete(&app, &format!("/api/v1/picks/{b}")).await;
    assert_eq!(status, 200, "{removed}");
    assert_eq!(layout(&draft(&app).await)[&section], vec![a, c]);
    assert_dense_positions(&app.pool).await;
    // The candidate is back in the inbox (no longer picked).
    let (_, listed) = get_answer(&app, &format!("/api/v1/candidates/{candidate}")).await;
    assert_ne!(listed["candidate"]["state"], "picked", "{listed}");

    let body = post_ok(
        &app,
        "/api/v1/picks/restore",
        json!({ "removed": removed["removed"] }),
    )
    .await;
    assert_eq!(body["pick_id"], b);
    let issue = draft(&app).await;
    assert_eq!(layout(&issue)[&section], vec![a, b, c]);
    let restored = find_pick(&issue, b);
    assert_eq!(restored["commentary"], "First words.");
    assert_eq!(
        restored["notes"][0]["body"],
        "Worth discussing: the beta API."
    );
    let history = get(
        &app,
        &format!("/api/v1/picks/{b}/revisions?field=commentary"),
    )
    .await;
    assert_eq!(history["revisions"][0]["value"], "First words.");
    // Undoing twice is not possible.
    let (status, _) = post(
        &app,
        "/api/v1/picks/restore",
        json!({ "removed": removed["removed"] }),
    )
    .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn a_pick_moves_on_to_the_next_issue() {
    let app = spawn_app().await;
    let section = sections(&app).await[1];
    let pick = new_pick(&app, "Next week's talk", section).await;
    let current = draft(&app).await["number"].as_i64().unwrap();
    let body = post_ok(&app, &format!("/api/v1/picks/{pick}/next-issue"), None).await;
    assert_eq!(body["issue_number"], current + 1);
    assert!(layout(&draft(&app).await)
        .values()
        .all(|picks| !picks.contains(&pick)));
    let next = get(&app, &format!("/api/v1/issues/{}", current + 1)).await["issue"].clone();
    assert_eq!(layout(&next)[&section], vec![pick]);
    assert!(next["date"].as_str().unwrap() > draft(&app).await["date"].as_str().unwrap());
    // The current draft is still the lower-numbered one.
    assert_eq!(draft(&app).await["number"], current);
}

#[tokio::test]
async fn notes_are_promoted_into_the_commentary_without_overwriting() {
    let (app, _, pick) = app_with_pick("Kubernetes 1.35").await;
    let (status, note) = add_note(&app, pick, "Sidecar containers are GA.").await;
    assert_eq!(status, 201);
    let (status, _) = add_note(&app, pick, "   ").await;
    assert_eq!(status, 422, "an empty note is refused");
    let version = pick_version(&app, pick).await;
    let (status, _) = patch(
        &app,
        &format!("/api/v1/picks/{pick}"),
        json!({ "version": version, "commentary": "The release of the year." }),
    )
    .await;
    assert_eq!(status, 200);

    // Promoting with the old version conflicts: the commentary changed.
    let path = format!("/api/v1/notes/{}/promote", note["note_id"]);
    let (status, body) = post(&app, &path, json!({ "version": version })).await;
    assert_eq!(status, 409, "{body}");
    let (status, _) = post(&app, &path, json!({ "version": version + 1 })).await;
    assert_eq!(status, 200);
    let stored = find_pick(&draft(&app).await, pick);
    assert_eq!(
        stored["commentary"],
        "The release of the year.\n\nSidecar containers are GA."
    );
    assert_eq!(stored["notes"][0]["promoted"], true);
    assert_eq!(stored["notes"][0]["author"], "admin");
}

#[tokio::test]
async fn a_promotion_that_fails_half_way_changes_nothing_and_its_retry_appends_once() {
    let (app, _, pick) = app_with_pick("Cilium 1.19").await;
    let (status, note) = add_note(&app, pick, "Netkit by default.").await;
    assert_eq!(status, 201);
    let version = pick_version(&app, pick).await;
    // Marking the note promoted, the last step, fails.
    refuse(
        &app.pool,
        "refuse_promotion",
        "BEFORE UPDATE ON pick_notes",
        "notes cannot be changed (test)",
    )
    .await;
    let path = format!("/api/v1/notes/{}/promote", note["note_id"]);
    let promote = || post(&app, &path, json!({ "version": version }));
    let (status, body) = promote().await;
    assert_eq!(status, 500, "{body}");
    let unchanged = find_pick(&draft(&app).await, pick);
    assert_eq!(unchanged["commentary"], "", "nothing was saved");
    assert_eq!(unchanged["version"], version, "nothing was saved");
    assert_eq!(unchanged["notes"][0]["promoted"], false);

    sqlx::raw_sql("DROP TRIGGER refuse_promotion ON pick_notes; DROP FUNCTION refuse_promotion();")
        .execute(&app.pool)
        .await
        .unwrap();
    let (status, body) = promote().await;
    assert_eq!(
        status, 200,
        "the retry, with the same version, succeeds: {body}"
    );
    let (status, body) = promote().await;
    assert_eq!(status, 200, "and so does a repeat of it: {body}");
    let stored = find_pick(&draft(&app).await, pick);
    assert_eq!(stored["commentary"], "Netkit by default.", "the note once");
    assert_eq!(stored["version"], version + 1);
    assert_eq!(stored["notes"][0]["promoted"], true);
}

#[tokio::test]
async fn saves_are_checked_and_kept_in_the_history() {
    let NewDraft {
        app,
        issue,
        path,
        version,
        ..
    } = new_draft().await;
    patch_ok(
        &app,
        &path,
        json!({ "version": version, "headline": "Gateway API GA" }),
    )
    .await;
    // The intro's save was based on the version before: 409, though another
    // field changed; the editor repeats such saves (the value is unchanged).
    let (status, body) = patch(&app, &path, json!({ "version": version, "intro": "Hello" })).await;
    assert_eq!(status, 409);
    assert_eq!(body["error"]["current"]["value"], issue["intro"]);
    for bad in [
        json!({ "version": version + 1 }),
        json!({ "version": version + 1, "headline": "x", "intro": "y" }),
        json!({ "version": version + 1, "commentary": "not an issue field" }),
    ] {
        let (status, body) = patch(&app, &path, bad.clone()).await;
        assert_eq!(status, 400, "{bad}: {body}");
    }
    let (status, body) = patch(
        &app,
        &path,
        json!({ "version": version + 1, "headline": "a\u{0}b" }),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    let stored = draft(&app).await;
    assert_eq!(stored["headline"], "Gateway API GA");
    assert_eq!(
        stored["title"],
        "Gateway API GA: Weekly (".to_owned() + stored["date"].as_str().unwrap() + "号)"
    );

    // A pick title cannot be emptied; history is per field, newest first.
    let section = sections(&app).await[0];
    let pick = new_pick(&app, "Original", section).await;
    let version = pick_version(&app, pick).await;
    let pick_path = format!("/api/v1/picks/{pick}");
    let (status, _) = patch(
        &app,
        &pick_path,
        json!({ "version": version, "title": "  " }),
    )
    .await;
    assert_eq!(status, 422);
    let (_, bob) = app.client_as("Bob", Role::Editor).await;
    let bob_token = app
        .token_client(&app.add_member("Dora", Role::Editor).await)
        .await;
    let (status, _) = patch(
        &app,
        &pick_path,
        json!({ "version": version, "title": "Second" }),
    )
    .await;
    assert_eq!(status, 200);
    let (status, _) = send(
        &app,
        &bob_token,
        Method::PATCH,
        &pick_path,
        Some(json!({ "version": version + 1, "title": "Third" })),
    )
    .await;
    assert_eq!(status, 200);
    let history = get(&app, &format!("/api/v1/picks/{pick}/revisions?field=title")).await;
    let values: Vec<&str> = history["revisions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["value"].as_str().unwrap())
        .collect();
    assert_eq!(values, ["Third", "Second"]);
    assert_eq!(history["revisions"][0]["author"], "Dora");
    // A viewer reads but cannot save.
    let (_, viewer) = app.client_as("Vic", Role::Viewer).await;
    let response = viewer
        .patch(app.url(&pick_path))
        .header("origin", app.origin())
        .json(&json!({ "version": version + 2, "title": "Mine" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
    drop(bob);
}

#[tokio::test]
async fn published_issues_are_corrected_by_publishers_only() {
    let (app, _, pick) = app_with_pick("Frozen").await;
    let issue = draft(&app).await;
    mark_published(&app.pool, &issue).await;
    let version = find_pick(&issue, pick)["version"].as_i64().unwrap();
    let editor = app
        .token_client(&app.add_member("Eve", Role::Editor).await)
        .await;
    let (status, body) = send(
        &app,
        &editor,
        Method::PATCH,
        &format!("/api/v1/picks/{pick}"),
        Some(json!({ "version": version, "title": "Changed" })),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    let (status, _) = send(
        &app,
        &editor,
        Method::DELETE,
        &format!("/api/v1/picks/{pick}"),
        None,
    )
    .await;
    assert_eq!(status, 422);
    // A publisher (here the admin) may correct it.
    patch_ok(
        &app,
        &format!("/api/v1/picks/{pick}"),
        json!({ "version": version, "title": "Corrected" }),
    )
    .await;
    // A new draft takes its place, numbered after it.
    assert_eq!(
        draft(&app).await["number"],
        issue["number"].as_i64().unwrap() + 1
    );
}

#[tokio::test]
async fn settings_shape_titles_dates_intros_and_the_export() {
    let app = spawn_app().await;
    let call = |form: Vec<(&'static str, String)>| {
        let app = &app;
        async move {
            app.client
                .post(app.url("/api/save_settings"))
                .header("origin", app.origin())
                .form(&form)
                .send()
                .await
                .unwrap()
        }
    };
    let form = |version: i32, date_format: &str| {
        vec![
            ("settings[version]", version.to_string()),
            ("settings[name]", "Neco Weekly".into()),
            (
                "settings[title_template]",
                "{headline}: {name} ({date}号)".into(),
            ),
            (
                "settings[intro_template]",
                "Issue {number} of {name}, {date}.".into(),
            ),
            ("settings[footer_template]", "See you next week!".into()),
            ("settings[publish_weekday]", "1".into()),
            ("settings[date_format]", date_format.into()),
            (
                "settings[public_base_url]",
                "https://news.example.com/".into(),
            ),
            ("settings[front_matter]", "zenn".into()),
            ("settings[zenn_emoji]", "🐱".into()),
            ("settings[zenn_type]", "tech".into()),
            ("settings[zenn_topics]", "kubernetes, cloudnative".into()),
            ("settings[yaml_fields]", "".into()),
            ("settings[zenn_published]", "true".into()),
            ("settings[feed_size]", "20".into()),
        ]
    };
    let response = call(form(1, "%Q")).await;
    assert_eq!(response.status(), 422);
    let error: Value = response.json().await.unwrap();
    assert_eq!(error["Invalid"]["field"], "date_format");
    let response = call(form(1, "%Y-%m-%d")).await;
    assert_eq!(response.status(), 200);
    // A second save based on version 1 is stale.
    assert_eq!(call(form(1, "%Y/%m/%d")).await.status(), 409);
    // A save gives every field; a partial one resets nothing.
    let response = call(vec![
        ("settings[version]", "2".into()),
        ("settings[name]", "X".into()),
    ])
    .await;
    assert_eq!(response.status(), 400);

    // The draft made now uses the weekday and the intro template.
    let issue = draft(&app).await;
    let date =
        chrono::NaiveDate::parse_from_str(issue["date"].as_str().unwrap(), "%Y-%m-%d").unwrap();
    assert_eq!(chrono::Datelike::weekday(&date), chrono::Weekday::Mon);
    assert_eq!(issue["intro"], format!("Issue 1 of Neco Weekly, {date}."));
    let section = sections(&app).await[0];
    new_pick(&app, "Cilium [1.16] *released*", section).await;
    let number = issue["number"].as_i64().unwrap();
    let response = app
        .api
        .get(app.url(&format!("/api/v1/issues/{number}/markdown")))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/markdown"));
    let markdown = response.text().await.unwrap();
    let expected_start = format!(
        "---\ntitle: \"Neco Weekly ({date}号)\"\nemoji: \"🐱\"\ntype: \"tech\"\ntopics: [\"kubernetes\", \"cloudnative\"]\npublished: true\n---\n\nIssue 1 of Neco Weekly, {date}.\n\n## 👀 Notable Articles\n\n### Cilium \\[1.16\\] \\*released\\*\n\nhttps://example.com/"
    );
    assert!(markdown.starts_with(&expected_start), "{markdown}");
    assert!(
        markdown.ends_with("\n\nSee you next week!\n")
            && !markdown.contains("](https://example.com/"),
        "{markdown}"
    );
}

#[tokio::test]
async fn sections_are_added_renamed_ordered_and_removed() {
    let app = spawn_app().await;
    let call = |function: &'static str, form: Vec<(&'static str, String)>| {
        let app = &app;
        async move {
            app.client
                .post(app.url(&format!("/api/{function}")))
                .header("origin", app.origin())
                .form(&form)
                .send()
                .await
                .unwrap()
        }
    };
    let before = sections(&app).await;
    let response = call("add_section", vec![("title", "📚 Books".into())]).await;
    assert_eq!(response.status(), 200);
    let books: i64 = response.json().await.unwrap();
    assert_eq!(
        call("add_section", vec![("title", " ".into())])
            .await
            .status(),
        422
    );
    let mut order = vec![books];
    order.extend(&before);
    assert_eq!(
        call(
            "order_sections",
            vec![
                ("ids[0]", order[0].to_string()),
                ("ids[1]", order[1].to_string()),
                ("ids[2]", order[2].to_string()),
                ("ids[3]", order[3].to_string()),
            ]
        )
        .await
        .status(),
        200
    );
    assert_eq!(sections(&app).await, order);
    assert_eq!(
        call(
            "rename_section",
            vec![("id", books.to_string()), ("title", "📖 Reading".into())]
        )
        .await
        .status(),
        200
    );
    // A section with a pick in the draft cannot go; an empty one can.
    new_pick(&app, "A book", books).await;
    assert_eq!(
        call("remove_section", vec![("id", books.to_string())])
            .await
            .status(),
        422
    );
    assert_eq!(
        call("remove_section", vec![("id", before[2].to_string())])
            .await
            .status(),
        200
    );
    assert_eq!(sections(&app).await, vec![books, before[0], before[1]]);
    let titles = get(&app, "/api/v1/sections").await;
    assert_eq!(titles["sections"][0]["title"], "📖 Reading");
}

#[tokio::test]
async fn presence_shows_who_views_and_edits_which_pick() {
    let (app, _, pick) = app_with_pick("Shared").await;
    let number = draft(&app).await["number"].as_i64().unwrap().to_string();
    let (_, bob) = app.client_as("Bob", Role::Viewer).await;
    let beat = |client: &Client, tab: &'static str, editing: Option<i64>| {
        let mut form = vec![("number", number.clone()), ("client", tab.to_owned())];
        if let Some(pick) = editing {
            form.push(("editing", pick.to_string()));
        }
        let request = client
            .post(app.url("/api/heartbeat"))
            .header("origin", app.origin())
            .form(&form);
        async move {
            let response = request.send().await.unwrap();
            assert_eq!(response.status(), 200);
            response.json::<Value>().await.unwrap()
        }
    };
    beat(&app.client, "admin-tab-1", Some(pick)).await;
    let present = beat(&bob, "bob-tab-01", None).await;
    assert_eq!(
        present,
        json!([
            { "member": "Bob", "editing": null },
            { "member": "admin", "editing": pick },
        ])
    );
    // Leaving removes the tab; a stale tab expires.
    let response = app
        .client
        .post(app.url("/api/leave_issue"))
        .header("origin", app.origin())
        .form(&[("client", "admin-tab-1")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    sqlx::query(
        "UPDATE presence SET seen_at = now() - interval '1 minute' WHERE client_id = 'bob-tab-01'",
    )
    .execute(&app.pool)
    .await
    .unwrap();
    let present = beat(&app.client, "admin-tab-2", None).await;
    assert_eq!(present, json!([{ "member": "admin", "editing": null }]));
    // Another member cannot take over a tab id.
    beat(&bob, "admin-tab-2", Some(pick)).await;
    let present = beat(&app.client, "admin-tab-2", None).await;
    assert_eq!(present, json!([{ "member": "admin", "editing": null }]));
}

#[tokio::test]
async fn changes_reach_viewers_on_another_server() {
    let a = spawn_app().await;
    let b = spawn_second_server(&a).await;
    let section = sections(&a).await[0];
    let issue = draft(&a).await;
    let (number, issue_id) = (
        issue["number"].as_i64().unwrap(),
        issue["id"].as_i64().unwrap(),
    );
    let path = format!("/api/v1/issues/{number}/events");
    let response = b.anonymous.get(b.url(&path)).send().await.unwrap();
    assert_eq!(response.status(), 401);
    let mut events = Events::open(&b, &b.api, &path).await;
    wait_for_listeners(&a.pool, 2).await;

    let pick = new_pick(&a, "Live", section).await;
    events.expect("changed", issue_id).await;
    set_commentary(&a, pick, "Seen elsewhere").await;
    events.expect("changed", issue_id).await;
    // B's view of the issue has the change.
    let on_b = get_answer(&b, &format!("/api/v1/issues/{number}")).await.1;
    assert_eq!(
        find_pick(&on_b["issue"], pick)["commentary"],
        "Seen elsewhere"
    );
    // Presence is announced too.
    let response = a
        .client
        .post(a.url("/api/heartbeat"))
        .header("origin", a.origin())
        .form(&[
            ("number", number.to_string()),
            ("client", "tab-on-a-1".to_owned()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    events.expect("presence", issue_id).await;
}

#[tokio::test]
async fn links_are_added_and_checked_through_the_guard() {
    let app = spawn_app().await;
    let server = FeedServer::start().await;
    server.set_page(
        "talk",
        "<html><head><title>KubeCon talk</title><meta property=\"og:title\" content=\"Scaling etcd\"></head></html>",
    );
    let section = sections(&app).await[0];
    let number = draft(&app).await["number"].as_i64().unwrap();
    let (status, body) = post(
        &app,
        &format!("/api/v1/issues/{number}/picks"),
        json!({ "url": server.url("/page/talk"), "section_id": section }),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let pick = body["pick_id"].as_i64().unwrap();
    assert_eq!(find_pick(&draft(&app).await, pick)["title"], "Scaling etcd");
    // The same link again is refused.
    let (status, _) = post(
        &app,
        &format!("/api/v1/issues/{number}/picks"),
        json!({ "url": server.url("/page/talk"), "section_id": section }),
    )
    .await;
    assert_eq!(status, 422);
    // A link that does not answer cannot be added.
    let (status, body) = post(
        &app,
        &format!("/api/v1/issues/{number}/picks"),
        json!({ "url": server.url("/status/404"), "section_id": section }),
    )
    .await;
    assert_eq!(status, 422, "{body}");

    let check = |pick: i64| {
        let app = &app;
        async move {
            let response = app.call("check_link", &[("pick", &pick.to_string())]).await;
            assert_eq!(response.status(), 200);
            response.json::<Value>().await.unwrap()
        }
    };
    assert_eq!(check(pick).await["ok"], true);
    // A link that broke since, and one to a private address (refused by
    // the guard, whatever answers there).
    let broken: i64 = sqlx::query_scalar(
        "INSERT INTO picks (issue_id, section_id, position, url, title)
         SELECT id, $1, 2, $2, 'Gone' FROM issues WHERE number = $3 RETURNING id",
    )
    .bind(section)
    .bind(server.url("/status/404"))
    .bind(number as i32)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let result = check(broken).await;
    assert_eq!(result["ok"], false);
    assert!(
        result["message"].as_str().unwrap().contains("404"),
        "{result}"
    );
    sqlx::query("UPDATE picks SET url = 'http://10.0.0.1/internal' WHERE id = $1")
        .bind(broken)
        .execute(&app.pool)
        .await
        .unwrap();
    let result = check(broken).await;
    assert_eq!(result["ok"], false, "{result}");
}

#[tokio::test]
async fn a_link_from_a_published_issue_is_flagged_as_covered() {
    let (app, section, first) = app_with_pick("Covered once").await;
    let issue = draft(&app).await;
    mark_published(&app.pool, &issue).await;
    // The same article again, in the next issue.
    let candidate: i64 = sqlx::query_scalar("SELECT candidate_id FROM picks WHERE id = $1")
        .bind(first)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let (status, body) = post(
        &app,
        &pick_path(candidate),
        json!({ "section_id": section, "confirm": true }),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let next = draft(&app).await;
    let again = &next["sections"][0]["picks"][0];
    assert_eq!(again["covered"]["issue_number"], issue["number"], "{next}");
    let fresh = new_pick(&app, "Never covered", section).await;
    assert!(find_pick(&draft(&app).await, fresh)["covered"].is_null());
}

/// Reading never makes an issue: with no draft (a team that deleted it, or
/// a database restored without one), every page, feed and API read that
/// shows the draft answers without creating one; the first pick does.
#[tokio::test]
async fn reads_never_create_a_draft_and_the_first_write_does() {
    let app = crate::support::spawn_app().await;
    let feed = app
        .client
        .post(app.url("/api/create_picks_feed"))
        .header("origin", app.origin())
        .send()
        .await
        .unwrap()
        .json::<String>()
        .await
        .unwrap();
    sqlx::query("DELETE FROM issues")
        .execute(&app.pool)
        .await
        .unwrap();
    let issues = || async {
        sqlx::query_scalar::<_, i64>("SELECT count(*) FROM issues")
            .fetch_one(&app.pool)
            .await
            .unwrap()
    };
    let picks = app.anonymous.get(&feed).send().await.unwrap();
    assert_eq!(picks.status(), 200);
    assert!(picks
        .text()
        .await
        .unwrap()
        .contains("picks for the next issue"));
    let current = app
        .api
        .get(app.url("/api/v1/issues/current"))
        .send()
        .await
        .unwrap();
    assert_eq!(current.status(), 404);
    let list = app.api.get(app.url("/api/v1/issues")).send().await.unwrap();
    assert_eq!(list.status(), 200);
    for page in ["/", "/edit", "/feed.atom", "/feed.xml", "/issues"] {
        let response = app.client.get(app.url(page)).send().await.unwrap();
        assert_eq!(response.status(), 200, "{page}");
    }
    let inbox = app.page("/").await;
    let named = inbox
        .split_once("Picks go into the draft #")
        .is_some_and(|(_, rest)| rest.trim_start_matches("<!>").starts_with('1'));
    assert!(named, "the inbox names the issue a pick will make: {inbox}");
    assert!(app.page("/edit").await.contains("Start the next issue"));
    assert_eq!(app.call("list_issues", &[]).await.status(), 200);
    assert_eq!(
        app.call("load_issue", &[("number", "0")]).await.status(),
        404
    );
    assert_eq!(issues().await, 0, "no read made an issue");

    let candidate = crate::support::issues::insert_candidate(&app.pool, "First pick").await;
    let section: i64 = sqlx::query_scalar("SELECT min(id) FROM sections")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let picked = app
        .call(
            "pick",
            &[
                ("candidate_id", &candidate.to_string()),
                ("section_id", &section.to_string()),
            ],
        )
        .await;
    assert_eq!(picked.status(), 200, "{}", picked.text().await.unwrap());
    assert_eq!(issues().await, 1, "the pick made the draft");
}
