//! Who may do what, proved over HTTP: every server function and every API
//! route (both enumerated from the server itself, so a new one cannot be
//! added without an entry here) called as nobody and as a member of each
//! role; the CSRF rule for cookie sessions; the page gate; deactivation and
//! revocation taking effect at once; and the audit trail those leave.

use std::collections::BTreeMap;

use http::Method;
use newsdesk_app::accounts::{actor::Actor, manage, Member, Role};
use newsdesk_server::http::routes::{self, Access};
use reqwest::Client;
use serde_json::Value;

use crate::support::{
    api::{error_message, post_server_fn},
    spawn_app, TestApp, PASSWORD,
};

/// Placeholder in sample arguments: an existing feed.
const FEED: &str = "{feed}";
/// Placeholder in sample arguments: a throwaway member admins may change.
const TARGET: &str = "{member}";
/// Placeholder in sample arguments: an existing candidate.
const CANDIDATE: &str = "{candidate}";
/// Placeholder in sample arguments: a section of the newsletter.
const SECTION: &str = "{section}";
/// Placeholder in sample arguments: the draft issue's number.
const ISSUE: &str = "{issue}";
/// Placeholder in sample arguments: a pick in the draft.
const PICK: &str = "{pick}";

/// A server function's endpoint, who may call it and sample form arguments.
type ServerFnEntry = (
    &'static str,
    Access,
    &'static [(&'static str, &'static str)],
);

/// Every server function: who may call it, and arguments that deserialize
/// (so that what the test sees is the guard's answer, not a 400). A server
/// function missing here fails `every_server_function_answers_each_role_as_declared`.
const SERVER_FNS: &[ServerFnEntry] = {
    use Access::{Member as M, Public};
    use Role::{Admin, Editor, Publisher, Viewer};
    &[
        // Feeds.
        ("load_feeds", M(Viewer), &[]),
        (
            "add_feed",
            M(Editor),
            &[
                ("url", "https://example.com/authz.xml"),
                ("title", ""),
                ("exact", "true"),
            ],
        ),
        ("add_starter_set", M(Editor), &[]),
        ("refresh_all", M(Editor), &[]),
        ("refresh_feed", M(Editor), &[("id", FEED)]),
        ("feed_details", M(Viewer), &[("id", FEED)]),
        (
            "update_feed",
            M(Admin),
            &[
                ("id", FEED),
                ("title", "Renamed"),
                ("category", "news"),
                ("tags", "a, b"),
                ("interval", "60"),
                ("enabled", "on"),
            ],
        ),
        ("delete_feed", M(Admin), &[("id", "999999")]),
        ("list_rules", M(Viewer), &[]),
        (
            "add_rule",
            M(Admin),
            &[
                ("feed_id", ""),
                ("action", "block"),
                ("field", "title"),
                ("pattern", "sponsored"),
            ],
        ),
        ("delete_rule", M(Admin), &[("id", "999999")]),
        (
            "import_progress",
            M(Viewer),
            &[("id", "00000000-0000-0000-0000-000000000000")],
        ),
        // Accounts.
        ("current_member", Public, &[]),
        ("needs_setup", Public, &[]),
        (
            "sign_in",
            Public,
            &[("name", "nobody"), ("password", "not the password")],
        ),
        ("sign_out", M(Viewer), &[]),
        ("sign_out_everywhere", M(Viewer), &[]),
        ("check_invite", Public, &[("token", "no-such-invitation")]),
        (
            "accept_invite",
            Public,
            &[
                ("token", "no-such-invitation"),
                ("password", "a good long password"),
                ("confirm", "a good long password"),
            ],
        ),
        ("load_account", M(Viewer), &[]),
        (
            "save_preferences",
            M(Viewer),
            &[("language", "en"), ("time_zone", "Asia/Tokyo")],
        ),
        ("time_zones", M(Viewer), &[]),
        (
            "change_password",
            M(Viewer),
            &[
                ("current", "not the current password"),
                ("password", "another long password"),
                ("confirm", "another long password"),
            ],
        ),
        ("create_token", M(Viewer), &[("name", "authz table")]),
        ("revoke_token", M(Viewer), &[("id", "999999")]),
        ("load_members", M(Admin), &[]),
        (
            "invite_member",
            M(Admin),
            &[("name", "Invitee"), ("role", "editor")],
        ),
        ("revoke_invite", M(Admin), &[("id", "999999")]),
        (
            "change_role",
            M(Admin),
            &[("member_id", TARGET), ("role", "viewer")],
        ),
        ("deactivate_member", M(Admin), &[("member_id", TARGET)]),
        ("audit_log", M(Admin), &[]),
        // Inbox.
        ("load_inbox", M(Viewer), &[("view", "q=k8s&state=all")]),
        ("inbox_items", M(Viewer), &[("ids[0]", CANDIDATE)]),
        ("load_filter_choices", M(Viewer), &[]),
        ("start_inbox", M(Viewer), &[("view", "state=all")]),
        (
            "set_state",
            M(Editor),
            &[("ids[0]", CANDIDATE), ("state", "seen")],
        ),
        ("mark_seen", M(Editor), &[("id", CANDIDATE)]),
        ("vote", M(Editor), &[("ids[0]", CANDIDATE), ("on", "true")]),
        (
            "dismiss_older",
            M(Editor),
            &[("view", ""), ("than", CANDIDATE)],
        ),
        (
            "pick",
            M(Editor),
            &[("candidate_id", CANDIDATE), ("section_id", SECTION)],
        ),
        (
            "add_link",
            M(Editor),
            // Nothing listens there: the call fails as bad input (422).
            &[("url", "http://127.0.0.1:9/nothing"), ("title", "")],
        ),
        // Issue editor.
        ("list_issues", M(Viewer), &[]),
        ("start_draft", M(Editor), &[]),
        ("load_issue", M(Viewer), &[("number", "0")]),
        ("load_render_settings", M(Viewer), &[]),
        (
            "save_issue_text",
            M(Editor),
            // An old version: allowed callers get 409.
            &[
                ("number", ISSUE),
                ("field", "headline"),
                ("value", "Authz"),
                ("version", "999"),
            ],
        ),
        (
            "save_pick_text",
            M(Editor),
            &[
                ("pick", PICK),
                ("field", "commentary"),
                ("value", "Authz"),
                ("version", "999"),
            ],
        ),
        (
            "add_pick_link",
            M(Editor),
            &[
                ("number", ISSUE),
                ("section", SECTION),
                ("url", "http://127.0.0.1:9/nothing"),
            ],
        ),
        (
            "move_pick",
            M(Editor),
            &[("pick", PICK), ("section", SECTION), ("index", "0")],
        ),
        ("remove_pick", M(Editor), &[("pick", "999999")]),
        ("restore_pick", M(Editor), &[("removed", "999999")]),
        ("move_pick_to_next", M(Editor), &[("pick", "999999")]),
        ("add_note", M(Editor), &[("pick", PICK), ("body", "A note")]),
        (
            "promote_note",
            M(Editor),
            &[("note", "999999"), ("version", "1")],
        ),
        (
            "load_revisions",
            M(Viewer),
            &[("number", ISSUE), ("pick", PICK), ("field", "commentary")],
        ),
        ("check_link", M(Editor), &[("pick", PICK)]),
        (
            "heartbeat",
            M(Viewer),
            &[("number", ISSUE), ("client", "authz-tab-1")],
        ),
        ("leave_issue", M(Viewer), &[("client", "authz-tab-1")]),
        (
            "present_pick",
            M(Editor),
            &[("number", ISSUE), ("pick", PICK)],
        ),
        ("saved_sections", M(Viewer), &[]),
        (
            "add_issue_section",
            M(Editor),
            &[("number", ISSUE), ("title", "Authz")],
        ),
        (
            "rename_issue_section",
            M(Editor),
            &[("number", ISSUE), ("section", SECTION), ("title", "Authz")],
        ),
        (
            "order_issue_sections",
            M(Editor),
            &[("number", ISSUE), ("ids[0]", "999999")],
        ),
        (
            "remove_issue_section",
            M(Editor),
            &[("number", ISSUE), ("section", "999999")],
        ),
        (
            "redate_issue",
            M(Editor),
            // An old version: allowed callers get 409.
            &[
                ("number", ISSUE),
                ("new_number", "77"),
                ("date", "2030-01-04"),
                ("version", "999"),
            ],
        ),
        (
            "set_pick_layout",
            M(Editor),
            &[("pick", PICK), ("layout", "heading_card")],
        ),
        (
            "add_manual_pick",
            M(Editor),
            &[
                ("number", ISSUE),
                ("section", SECTION),
                ("url", ""),
                ("title", "Authz topic"),
            ],
        ),
        ("import_status", M(Admin), &[("id", "999999")]),
        // Settings.
        ("load_settings", M(Admin), &[]),
        (
            "save_settings",
            M(Admin),
            // An old version: admins get 409.
            &[
                ("settings[version]", "999"),
                ("settings[name]", "Authz"),
                ("settings[title_template]", "{name}"),
                ("settings[intro_template]", ""),
                ("settings[footer_template]", ""),
                ("settings[publish_weekday]", "5"),
                ("settings[date_format]", "%Y-%m-%d"),
                ("settings[public_base_url]", ""),
                ("settings[front_matter]", "none"),
                ("settings[yaml_fields]", ""),
                ("settings[zenn_emoji]", ""),
                ("settings[zenn_type]", "tech"),
                ("settings[zenn_topics]", ""),
                ("settings[feed_size]", "20"),
            ],
        ),
        ("add_section", M(Admin), &[("title", "Authz")]),
        (
            "rename_section",
            M(Admin),
            &[("id", SECTION), ("title", "Renamed")],
        ),
        ("order_sections", M(Admin), &[("ids[0]", "999999")]),
        ("remove_section", M(Admin), &[("id", "999999")]),
        // Publishing and the archive.
        ("check_publish", M(Publisher), &[("number", ISSUE)]),
        (
            "publish_issue",
            M(Publisher),
            // Its pick has no commentary: allowed callers get 422 (a warning).
            &[("number", ISSUE), ("accept_warnings", "false")],
        ),
        (
            "republish_issue",
            M(Publisher),
            &[("number", ISSUE), ("accept_warnings", "true")],
        ),
        (
            "set_issue_hidden",
            M(Admin),
            &[("number", "999999"), ("hidden", "true")],
        ),
        ("load_archive", Public, &[]),
        ("load_article", Public, &[("number", "999999")]),
        ("create_picks_feed", M(Viewer), &[]),
        // Delivery to git.
        ("load_delivery_target", M(Admin), &[]),
        (
            "save_delivery_target",
            M(Admin),
            // An old version: admins get 422 (saved meanwhile), nothing changes.
            &[
                ("target[version]", "999"),
                ("target[remote]", "/srv/authz.git"),
                ("target[branch]", "main"),
                ("target[path_template]", "posts/{number}.md"),
                ("target[slug_template]", "authz-{number}"),
                ("target[author_name]", "newsdesk"),
                ("target[author_email]", "newsdesk@example.com"),
                ("target[credential_kind]", "none"),
            ],
        ),
        ("load_delivery", M(Viewer), &[("number", ISSUE)]),
        // The draft has no delivery: allowed callers get 422.
        ("retry_delivery", M(Publisher), &[("number", ISSUE)]),
        // Webhooks.
        ("load_webhooks", M(Admin), &[]),
        (
            "add_webhook",
            M(Admin),
            // No event chosen: admins get 422, nothing is added.
            &[("url", "https://chat.example.com/hook"), ("kind", "slack")],
        ),
        ("remove_webhook", M(Admin), &[("id", "999999")]),
        ("load_summary_time", M(Admin), &[]),
        // Not a time: admins get 422, nothing changes.
        ("save_summary_time", M(Admin), &[("summary_time", "soon")]),
    ]
};

/// Nobody, then one member of each role, lowest first.
const CALLERS: [Option<Role>; 5] = [
    None,
    Some(Role::Viewer),
    Some(Role::Editor),
    Some(Role::Publisher),
    Some(Role::Admin),
];

fn caller_name(caller: Option<Role>) -> &'static str {
    caller.map_or("anonymous", Role::as_str)
}

/// A member of each role (the admin is the app's first admin).
async fn members_by_role(app: &TestApp) -> BTreeMap<Role, Member> {
    let mut members = BTreeMap::new();
    members.insert(Role::Viewer, app.add_member("Vera", Role::Viewer).await);
    members.insert(Role::Editor, app.add_member("Ed", Role::Editor).await);
    members.insert(
        Role::Publisher,
        app.add_member("Pia", Role::Publisher).await,
    );
    members.insert(Role::Admin, app.admin.clone());
    members
}

async fn seed_feed(app: &TestApp, url: &str) -> i64 {
    sqlx::query_scalar("INSERT INTO feeds (url) VALUES ($1) RETURNING id")
        .bind(url)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&app.pool).await.unwrap()
}

/// What the guard said, judged against the declared access; `None` if right.
fn judge(access: Access, caller: Option<Role>, status: u16) -> Option<String> {
    let expected = match (access, caller) {
        (Access::Public, _) => {
            return (status == 401 || status == 403).then(|| "not 401/403".into())
        }
        (Access::Member(_), None) => 401,
        (Access::Member(required), Some(role)) if !role.includes(required) => 403,
        (Access::Member(_), Some(_)) => {
            return (status == 401 || status == 403).then(|| "not 401/403".into())
        }
    };
    (status != expected).then(|| expected.to_string())
}

#[tokio::test]
async fn every_server_function_answers_each_role_as_declared() {
    let app = spawn_app().await;
    let registered: Vec<(&'static str, Method)> =
        leptos::server_fn::axum::server_fn_paths().collect();
    assert!(
        registered.len() >= 20,
        "the server function registry looks empty: {registered:?}"
    );

    // The registry decides what is tested; the table only says what to expect.
    let mut problems = Vec::new();
    let mut endpoints = Vec::new();
    for (path, method) in &registered {
        let Some(endpoint) = path.strip_prefix("/api/") else {
            problems.push(format!("{path}: server functions live under /api/"));
            continue;
        };
        if *method != Method::POST {
            problems.push(format!(
                "{path}: answers {method}; server functions are POST-only"
            ));
        }
        if !SERVER_FNS.iter().any(|(name, ..)| *name == endpoint) {
            problems.push(format!(
                "{path}: no entry in SERVER_FNS (tests/http/authz.rs); add it to the table with \
                 the role it needs and sample arguments"
            ));
        }
        endpoints.push(endpoint);
    }
    for (name, ..) in SERVER_FNS {
        if !endpoints.contains(name) {
            problems.push(format!("SERVER_FNS lists {name}, which is not registered"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    for expected in ["add_feed", "load_members", "sign_in", "deactivate_member"] {
        assert!(endpoints.contains(&expected), "{expected} is registered");
    }

    let members = members_by_role(&app).await;
    let target = app.add_member("Throwaway", Role::Editor).await;
    let feed = seed_feed(&app, "http://127.0.0.1:9/authz.xml").await;
    let (feed, target) = (feed.to_string(), target.id.to_string());
    let candidate: i64 = sqlx::query_scalar(
        "INSERT INTO candidates (url, url_key, title, published_at) \
         VALUES ('https://example.com/a', '//example.com/a', 'A k8s article', now()) RETURNING id",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let section: i64 = sqlx::query_scalar("SELECT min(id) FROM sections")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let issue: i32 = sqlx::query_scalar(
        "INSERT INTO issues (number, issue_date) VALUES (1, current_date) RETURNING number",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    // A draft has its own sections, copied from the defaults.
    sqlx::query(
        "INSERT INTO issue_sections (issue_id, section_id, position, title)
         SELECT i.id, s.id, s.position, s.title FROM issues i, sections s
         WHERE i.number = 1 AND s.archived_at IS NULL",
    )
    .execute(&app.pool)
    .await
    .unwrap();
    // Its link is on loopback, so "check the link" fails fast.
    let pick: i64 = sqlx::query_scalar(
        "INSERT INTO picks (issue_id, section_id, position, url, title)
         SELECT id, $1, 1, 'http://127.0.0.1:9/pick', 'A pick' FROM issues WHERE number = 1
         RETURNING id",
    )
    .bind(section)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let (candidate, section) = (candidate.to_string(), section.to_string());
    let (issue, pick) = (issue.to_string(), pick.to_string());

    for (function, access, args) in SERVER_FNS {
        let form: Vec<(&str, String)> = args
            .iter()
            .map(|(name, value)| {
                let value = value
                    .replace(FEED, &feed)
                    .replace(TARGET, &target)
                    .replace(CANDIDATE, &candidate)
                    .replace(SECTION, &section)
                    .replace(ISSUE, &issue)
                    .replace(PICK, &pick);
                (*name, value)
            })
            .collect();
        for caller in CALLERS {
            // A fresh session per call: sign_out and friends end only their own.
            let client = match caller {
                None => app.anonymous.clone(),
                Some(role) => app.session_client(&members[&role]).await,
            };
            let form: Vec<(&str, &str)> = form
                .iter()
                .map(|(key, value)| (*key, value.as_str()))
                .collect();
            let response = post_server_fn(&app, &client, function, &form).await;
            let status = response.status().as_u16();
            let body = response.text().await.unwrap_or_default();
            let who = caller_name(caller);
            if let Some(expected) = judge(*access, caller, status) {
                problems.push(format!(
                    "{function} as {who}: expected {expected}, got {status} {body}"
                ));
            } else if status == 400 || status == 405 || status >= 500 {
                problems.push(format!(
                    "{function} as {who}: {status} {body} (sample arguments must deserialize \
                     and the call must not fail on the server)"
                ));
            } else if status == 401 || status == 403 {
                let kind = if status == 401 {
                    "Unauthenticated"
                } else {
                    "Forbidden"
                };
                let error: Value = serde_json::from_str(&body).unwrap_or_default();
                if error[kind].as_str().is_none_or(str::is_empty) {
                    problems.push(format!(
                        "{function} as {who}: {status} without a {kind} message: {body}"
                    ));
                }
                // "Ed is an editor.": the refusal says who the caller is.
                let article = if who == "editor" { "an" } else { "a" };
                if status == 403 && !body.contains(&format!(" is {article} {who}.")) {
                    problems.push(format!("{function} as {who}: {body}"));
                }
            }
        }

        // A GET is never served as the function.
        let response = app
            .client
            .get(app.url(&format!("/api/{function}")))
            .send()
            .await
            .unwrap();
        if response.status() != 405 {
            problems.push(format!("GET /api/{function}: {}", response.status()));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));

    // The admin calls above reached the functions' bodies.
    let target_row: (bool, String) =
        sqlx::query_as("SELECT active, role FROM members WHERE name = 'Throwaway'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(target_row, (false, "viewer".to_owned()));
    assert_eq!(
        count(&app, "SELECT count(*) FROM members WHERE active").await,
        4,
        "only the throwaway member was deactivated"
    );
    assert_eq!(
        count(&app, "SELECT count(*) FROM invites WHERE name = 'Invitee'").await,
        1
    );
}

/// How a route call authenticates.
#[derive(Debug, Clone, Copy)]
enum Via {
    Nothing,
    Bearer,
    Cookie,
}

#[tokio::test]
async fn every_api_route_answers_each_role_as_declared() {
    let app = spawn_app().await;
    let table = routes::table().routes;
    let has = |method: Method, path: &str| {
        table
            .iter()
            .any(|route| route.method == method && route.path == path)
    };
    assert!(has(Method::GET, "/api/v1/feeds"), "{table:?}");
    assert!(has(Method::DELETE, "/api/v1/feeds/{id}"), "{table:?}");
    assert!(
        table
            .iter()
            .any(|route| route.path == "/healthz" && route.access == Access::Public),
        "{table:?}"
    );

    let members = members_by_role(&app).await;
    let mut tokens = BTreeMap::new();
    for (role, member) in &members {
        tokens.insert(*role, app.token_client(member).await);
    }
    let feed = seed_feed(&app, "http://127.0.0.1:9/routes.xml").await;

    let mut problems = Vec::new();
    let mut seeded = 0;
    for route in &table {
        let mut attempts = vec![(None, Via::Nothing)];
        for role in Role::ALL {
            attempts.push((Some(role), Via::Bearer));
            attempts.push((Some(role), Via::Cookie));
        }
        for (caller, via) in attempts {
            // Deleting takes a feed of its own each time, so that an
            // allowed delete does not turn later calls into 404s.
            let id = if route.method == Method::DELETE {
                seeded += 1;
                seed_feed(&app, &format!("http://127.0.0.1:9/doomed-{seeded}.xml")).await
            } else {
                feed
            };
            let path = route
                .path
                .replace("{id}", &id.to_string())
                .replace("{number}", "1");
            assert!(!path.contains('{'), "unfilled parameter in {}", route.path);
            let client = match (caller, via) {
                (Some(role), Via::Bearer) => tokens[&role].clone(),
                (Some(role), Via::Cookie) => app.session_client(&members[&role]).await,
                _ => app.anonymous.clone(),
            };
            let mut request = client.request(route.method.clone(), app.url(&path));
            if !matches!(via, Via::Bearer) {
                // Browsers send their origin; Bearer clients need none.
                request = request.header("origin", app.origin());
            }
            if matches!(route.method, Method::POST | Method::PATCH | Method::PUT)
                && path != "/feeds/import"
            {
                request = request.json(&serde_json::json!({}));
            }
            let response = request.send().await.unwrap();
            let status = response.status().as_u16();
            let location = response
                .headers()
                .get("location")
                .and_then(|value| value.to_str().ok())
                .unwrap_or_default()
                .to_owned();
            let www_authenticate = response.headers().contains_key("www-authenticate");
            // An event stream never ends: its headers are the answer.
            let streaming = response
                .headers()
                .get("content-type")
                .is_some_and(|kind| kind.as_bytes().starts_with(b"text/event-stream"));
            let body = if streaming {
                String::new()
            } else {
                response.text().await.unwrap_or_default()
            };
            let what = format!(
                "{} {} as {} via {via:?}",
                route.method,
                route.path,
                caller_name(caller)
            );

            // These routes are not pages: even outside /api they answer
            // 401 (never a redirect to the sign-in page), so scripts and
            // scrapers get a status they understand.
            if status == 303 {
                problems.push(format!(
                    "{what}: redirected to {location:?} instead of answering"
                ));
                continue;
            }
            if let Some(expected) = judge(route.access, caller, status) {
                problems.push(format!("{what}: expected {expected}, got {status} {body}"));
                continue;
            }
            if status >= 500 {
                problems.push(format!("{what}: {status} {body}"));
            }
            if status == 401 || status == 403 {
                let error: Value = serde_json::from_str(&body).unwrap_or_default();
                let kind = if status == 401 {
                    "unauthenticated"
                } else {
                    "forbidden"
                };
                if error["error"]["kind"] != kind
                    || error["error"]["message"].as_str().is_none_or(str::is_empty)
                {
                    problems.push(format!("{what}: not a JSON {kind} error: {body}"));
                }
                if status == 401 && !www_authenticate {
                    problems.push(format!("{what}: 401 without WWW-Authenticate"));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // Only the admins' deletes went through (one by token, one by cookie).
    assert_eq!(
        count(&app, "SELECT count(*) FROM feeds WHERE url LIKE '%doomed%'").await,
        seeded - 2
    );
}

async fn token_count(app: &TestApp) -> i64 {
    count(app, "SELECT count(*) FROM api_tokens").await
}

#[tokio::test]
async fn cross_origin_writes_with_a_valid_cookie_are_refused() {
    let app = spawn_app().await;
    let (_, editor) = app.client_as("Eve", Role::Editor).await;
    let tokens = token_count(&app).await;
    let feed = seed_feed(&app, "https://example.com/csrf.xml").await;

    let forged = [
        vec![("origin", "http://evil.example".to_owned())],
        vec![("origin", "null".to_owned())],
        vec![
            ("origin", app.origin()),
            ("sec-fetch-site", "cross-site".to_owned()),
        ],
        vec![("sec-fetch-site", "same-site".to_owned())],
        vec![],
    ];
    for headers in &forged {
        let mut request = editor
            .post(app.url("/api/create_token"))
            .form(&[("name", "forged")]);
        for (name, value) in headers {
            request = request.header(*name, value);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), 403, "{headers:?}");
        assert!(
            response.text().await.unwrap().contains("cross-origin"),
            "{headers:?}"
        );

        let mut request = app.client.delete(app.url(&format!("/api/v1/feeds/{feed}")));
        for (name, value) in headers {
            request = request.header(*name, value);
        }
        assert_eq!(request.send().await.unwrap().status(), 403, "{headers:?}");
    }
    assert_eq!(token_count(&app).await, tokens, "no token was made");
    assert_eq!(app.feed_count().await, 1, "the feed is still there");

    // The same calls from our own pages go through.
    let response = editor
        .post(app.url("/api/create_token"))
        .header("origin", app.origin())
        .form(&[("name", "mine")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let created: Value = response.json().await.unwrap();
    assert!(created["token"].as_str().unwrap().starts_with("nd_"));
    let response = editor
        .post(app.url("/api/create_token"))
        .header("sec-fetch-site", "same-origin")
        .form(&[("name", "mine too")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(token_count(&app).await, tokens + 2);

    // Bearer calls need no origin: no other site can attach the token.
    let response = app
        .api
        .post(app.url("/api/v1/feeds"))
        .json(&serde_json::json!({ "url": "https://example.com/bearer.xml", "exact": true }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let response = app
        .api
        .post(app.url("/api/create_token"))
        .form(&[("name", "by token")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(app.feed_count().await, 2);
    assert_eq!(token_count(&app).await, tokens + 3);

    // The Bearer exemption cannot carry a cookie along: with an
    // Authorization header the cookie is ignored.
    let response = editor
        .post(app.url("/api/create_token"))
        .header("authorization", "Bearer nd_not-a-real-token")
        .form(&[("name", "smuggled")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    let response = app
        .client
        .delete(app.url(&format!("/api/v1/feeds/{feed}")))
        .header("authorization", "Bearer nd_not-a-real-token")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    assert_eq!(token_count(&app).await, tokens + 3);
    assert_eq!(app.feed_count().await, 2);
}

#[tokio::test]
async fn pages_need_a_member_except_the_public_ones() {
    let app = spawn_app().await;
    let response = app.anonymous.get(app.url("/feeds")).send().await.unwrap();
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/sign-in?next=%2Ffeeds");
    assert!(
        response.headers().get("set-cookie").is_none(),
        "no cookie to clear"
    );
    let response = app
        .anonymous
        .get(app.url("/feeds?status=failing&x=1"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    assert_eq!(
        response.headers()["location"],
        "/sign-in?next=%2Ffeeds%3Fstatus%3Dfailing%26x%3D1"
    );
    for path in ["/", "/members", "/account", "/feeds/1"] {
        let response = app.anonymous.get(app.url(path)).send().await.unwrap();
        assert_eq!(response.status(), 303, "{path}");
    }

    for path in ["/sign-in", "/healthz", "/issues"] {
        let response = app.anonymous.get(app.url(path)).send().await.unwrap();
        assert_eq!(response.status(), 200, "{path}");
    }

    let (_, viewer) = app.client_as("Vic", Role::Viewer).await;
    let response = viewer.get(app.url("/feeds")).send().await.unwrap();
    assert_eq!(response.status(), 200);
}

async fn load_feeds_status(app: &TestApp, client: &Client) -> u16 {
    client
        .post(app.url("/api/load_feeds"))
        .header("origin", app.origin())
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn deactivation_ends_sessions_and_tokens_at_once() {
    let app = spawn_app().await;
    let (mallory, session) = app.client_as("Mallory", Role::Editor).await;
    let second_session = app.session_client(&mallory).await;
    let token = app.token_client(&mallory).await;
    assert_eq!(load_feeds_status(&app, &session).await, 200);
    assert_eq!(load_feeds_status(&app, &token).await, 200);
    let listed = token.get(app.url("/api/v1/feeds")).send().await.unwrap();
    assert_eq!(listed.status(), 200);

    let id = mallory.id.to_string();
    let response = app
        .call("deactivate_member", &[("member_id", id.as_str())])
        .await;
    assert_eq!(response.status(), 200);

    for client in [&session, &second_session, &token] {
        assert_eq!(load_feeds_status(&app, client).await, 401);
    }
    let listed = token.get(app.url("/api/v1/feeds")).send().await.unwrap();
    assert_eq!(listed.status(), 401);
    let page = session.get(app.url("/feeds")).send().await.unwrap();
    assert_eq!(page.status(), 303);
    assert_eq!(page.headers()["location"], "/sign-in?next=%2Ffeeds&ended=1");
    let sessions: i64 = sqlx::query_scalar("SELECT count(*) FROM sessions WHERE member_id = $1")
        .bind(mallory.id)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(sessions, 0, "the sessions are gone, not just refused");

    // Nobody can deactivate themselves out of the last admin seat.
    let own = app.admin.id.to_string();
    let response = app
        .call("deactivate_member", &[("member_id", own.as_str())])
        .await;
    assert_eq!(response.status(), 422);
    assert_eq!(load_feeds_status(&app, &app.client).await, 200);
}

#[tokio::test]
async fn a_revoked_token_gets_401_with_a_message() {
    let app = spawn_app().await;
    let (member, session) = app.client_as("Rita", Role::Editor).await;
    let (info, token) = manage::create_token(&app.pool, &Actor::command_line(), &member, "ci")
        .await
        .unwrap();
    let bearer = |path: &str| {
        app.anonymous
            .get(app.url(path))
            .header("authorization", format!("Bearer {token}"))
            .send()
    };
    assert_eq!(bearer("/api/v1/feeds").await.unwrap().status(), 200);

    let id = info.id.to_string();
    let response = session
        .post(app.url("/api/revoke_token"))
        .header("origin", app.origin())
        .form(&[("id", id.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);

    let members_before = count(&app, "SELECT count(*) FROM members").await;
    let response = bearer("/api/v1/feeds").await.unwrap();
    assert_eq!(response.status(), 401);
    assert_eq!(
        response.headers()["www-authenticate"],
        "Bearer realm=\"newsdesk\""
    );
    assert!(
        response.headers().get("set-cookie").is_none(),
        "a token caller has no cookie to clear"
    );
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["kind"], "unauthenticated");
    assert!(error_message(&body).contains("revoked"), "{body}");
    // Server functions say the same.
    let response = app
        .anonymous
        .post(app.url("/api/load_feeds"))
        .header("authorization", format!("Bearer {token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    let body: Value = response.json().await.unwrap();
    assert!(
        body["Unauthenticated"]
            .as_str()
            .unwrap()
            .contains("revoked"),
        "{body}"
    );
    // Revoking someone else's token is not possible.
    let admin_token: i64 = sqlx::query_scalar("SELECT id FROM api_tokens WHERE member_id = $1")
        .bind(app.admin.id)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let admin_token = admin_token.to_string();
    let response = session
        .post(app.url("/api/revoke_token"))
        .header("origin", app.origin())
        .form(&[("id", admin_token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
    assert_eq!(
        app.api
            .get(app.url("/api/v1/feeds"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    assert_eq!(
        count(&app, "SELECT count(*) FROM members").await,
        members_before
    );
    // The session of the same member is unaffected.
    assert_eq!(load_feeds_status(&app, &session).await, 200);
}

/// (action, subject, actor name, via) of every entry, oldest first.
async fn audit_entries(app: &TestApp) -> Vec<(String, String, Option<String>, String)> {
    sqlx::query_as(
        "SELECT a.action, a.subject, m.name, a.detail->>'via'
         FROM audit_log a LEFT JOIN members m ON m.id = a.actor_id ORDER BY a.id",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn web_actions_leave_audit_entries() {
    let app = spawn_app().await;
    let zoe = app.add_member("Zoe", Role::Viewer).await;
    let before = audit_entries(&app).await.len();
    let sign_in = |password: &'static str| {
        app.anonymous
            .post(app.url("/api/sign_in"))
            .header("origin", app.origin())
            .form(&[("name", "zoe"), ("password", password)])
            .send()
    };
    assert_eq!(sign_in("wrong password!").await.unwrap().status(), 422);
    let signed_in = sign_in(PASSWORD).await.unwrap();
    assert_eq!(signed_in.status(), 200);

    let zoe_id = zoe.id.to_string();
    let response = app
        .call("change_role", &[("member_id", &zoe_id), ("role", "editor")])
        .await;
    assert_eq!(response.status(), 200);
    let response = app.call("create_token", &[("name", "audit")]).await;
    assert_eq!(response.status(), 200);
    let created: Value = response.json().await.unwrap();
    let token_id = created["info"]["id"].as_i64().unwrap().to_string();
    let response = app.call("revoke_token", &[("id", &token_id)]).await;
    assert_eq!(response.status(), 200);
    let feed = seed_feed(&app, "https://example.com/audited.xml").await;
    let response = app.call("delete_feed", &[("id", &feed.to_string())]).await;
    assert_eq!(response.status(), 200);
    assert_eq!(app.feed_count().await, 0);

    let admin = Some("admin".to_owned());
    let web = "web".to_owned();
    let expected: [(String, String, Option<String>, String); 6] = [
        ("sign_in.failure".into(), "zoe".into(), None, web.clone()),
        (
            "sign_in.success".into(),
            "Zoe".into(),
            Some("Zoe".into()),
            web.clone(),
        ),
        (
            "member.role".into(),
            "Zoe".into(),
            admin.clone(),
            web.clone(),
        ),
        (
            "token.create".into(),
            "admin".into(),
            admin.clone(),
            web.clone(),
        ),
        (
            "token.revoke".into(),
            "admin".into(),
            admin.clone(),
            web.clone(),
        ),
        (
            "feed.delete".into(),
            "https://example.com/audited.xml".into(),
            admin,
            web,
        ),
    ];
    assert_eq!(audit_entries(&app).await[before..], expected[..]);

    let role_change: Value = sqlx::query_scalar(
        "SELECT detail FROM audit_log WHERE action = 'member.role' ORDER BY id DESC LIMIT 1",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(role_change["from"], "viewer");
    assert_eq!(role_change["to"], "editor");
    let addresses: Vec<Option<String>> =
        sqlx::query_scalar("SELECT client_addr FROM audit_log WHERE detail->>'via' = 'web'")
            .fetch_all(&app.pool)
            .await
            .unwrap();
    assert!(
        addresses
            .iter()
            .all(|addr| addr.as_deref() == Some("127.0.0.1")),
        "{addresses:?}"
    );

    // Admins read the log through audit_log.
    let response = app.call("audit_log", &[]).await;
    assert_eq!(response.status(), 200);
    let log: Value = response.json().await.unwrap();
    assert_eq!(log[0]["action"], "feed.delete", "newest first");
}
