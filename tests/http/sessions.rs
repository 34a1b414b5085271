//! Signing in and out over HTTP: session cookies and their rotation,
//! throttling of guessing, invitations and the first-run setup link, and
//! input that must be refused without changing anything.

use newsdesk_app::accounts::{invites, sessions, Role};
use newsdesk_server::{
    config::{IngestArgs, ServeArgs},
    startup::Application,
};
use reqwest::{Client, Response};
use serde_json::Value;

use crate::support::{
    api::{post_server_fn, server_fn_json},
    fresh_database, spawn_app, workspace_dir, TestApp, PASSWORD,
};

async fn sign_in(app: &TestApp, client: &Client, name: &str, password: &str) -> Response {
    post_server_fn(
        app,
        client,
        "sign_in",
        &[("name", name), ("password", password)],
    )
    .await
}

/// The `Set-Cookie` headers of the session cookie, in order.
fn session_cookies(response: &Response) -> Vec<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .filter(|value| value.starts_with(&format!("{}=", sessions::COOKIE_NAME)))
        .map(str::to_owned)
        .collect()
}

/// The session id a response stores, if it stores exactly one.
fn new_session_id(response: &Response) -> Option<String> {
    match session_cookies(response).as_slice() {
        [one] => {
            let value = one.split(';').next()?.split_once('=')?.1;
            (!value.is_empty()).then(|| value.to_owned())
        }
        _ => None,
    }
}

fn attributes(set_cookie: &str) -> Vec<String> {
    set_cookie
        .split(';')
        .skip(1)
        .map(|attribute| attribute.trim().to_owned())
        .collect()
}

fn clears_the_cookie(response: &Response) -> bool {
    session_cookies(response).iter().any(|cookie| {
        cookie.starts_with(&format!("{}=;", sessions::COOKIE_NAME))
            && attributes(cookie).iter().any(|a| a == "Max-Age=0")
    })
}

fn cookie_client(session_id: &str) -> Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        "cookie",
        format!("{}={session_id}", sessions::COOKIE_NAME)
            .parse()
            .unwrap(),
    );
    Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .default_headers(headers)
        .build()
        .unwrap()
}

async fn whoami(app: &TestApp, client: &Client) -> Value {
    let (status, member) = server_fn_json(app, client, "current_member", &[]).await;
    assert_eq!(status, 200, "{member}");
    member
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&app.pool).await.unwrap()
}

/// Members, sessions, invites, tokens: what bad input must leave alone.
async fn counts(app: &TestApp) -> [i64; 4] {
    [
        count(app, "SELECT count(*) FROM members").await,
        count(app, "SELECT count(*) FROM sessions").await,
        count(app, "SELECT count(*) FROM invites").await,
        count(app, "SELECT count(*) FROM api_tokens").await,
    ]
}

fn message(body: &Value) -> String {
    body["Invalid"]["message"]
        .as_str()
        .or_else(|| body["Throttled"].as_str())
        .or_else(|| body["Unauthenticated"].as_str())
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn signing_in_starts_a_new_session_and_ends_the_one_it_replaces() {
    let app = spawn_app().await;
    let first = sign_in(&app, &app.anonymous, " ADMIN ", PASSWORD).await;
    assert_eq!(first.status(), 200);
    assert_eq!(first.headers()["location"], "/");
    let set_cookie = session_cookies(&first);
    assert_eq!(set_cookie.len(), 1, "{set_cookie:?}");
    let attributes = attributes(&set_cookie[0]);
    for wanted in ["HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(
            attributes.iter().any(|a| a == wanted),
            "{wanted} in {set_cookie:?}"
        );
    }
    assert!(
        !attributes.iter().any(|a| a.eq_ignore_ascii_case("secure")),
        "no Secure over plain http: {set_cookie:?}"
    );
    let old = new_session_id(&first).unwrap();
    assert_eq!(old.len(), 43, "256 random bits");
    let old_client = cookie_client(&old);
    assert_eq!(whoami(&app, &old_client).await["name"], "admin");

    // Signing in again, with the old cookie, replaces it.
    let sessions_before = count(&app, "SELECT count(*) FROM sessions").await;
    let second = post_server_fn(
        &app,
        &old_client,
        "sign_in",
        &[
            ("name", "admin"),
            ("password", PASSWORD),
            ("next", "/feeds?status=failing"),
        ],
    )
    .await;
    assert_eq!(second.status(), 200);
    assert_eq!(second.headers()["location"], "/feeds?status=failing");
    let new = new_session_id(&second).expect("a new session cookie");
    assert_ne!(new, old, "the session id changes at sign-in");
    assert_eq!(
        count(&app, "SELECT count(*) FROM sessions").await,
        sessions_before,
        "the old session ended as the new one started"
    );
    assert_eq!(whoami(&app, &old_client).await, Value::Null);
    let (status, _) = server_fn_json(&app, &old_client, "load_account", &[]).await;
    assert_eq!(status, 401);
    let new_client = cookie_client(&new);
    assert_eq!(whoami(&app, &new_client).await["name"], "admin");

    // Another site cannot sign a browser in (login CSRF).
    let sessions_before = count(&app, "SELECT count(*) FROM sessions").await;
    let forged = app
        .anonymous
        .post(app.url("/api/sign_in"))
        .header("origin", "http://evil.example")
        .form(&[("name", "admin"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403);
    assert!(session_cookies(&forged).is_empty());
    assert_eq!(
        count(&app, "SELECT count(*) FROM sessions").await,
        sessions_before
    );

    // `next` only leads somewhere on this site.
    let elsewhere = post_server_fn(
        &app,
        &app.anonymous,
        "sign_in",
        &[
            ("name", "admin"),
            ("password", PASSWORD),
            ("next", "//evil.example/"),
        ],
    )
    .await;
    assert_eq!(elsewhere.status(), 200);
    assert_eq!(elsewhere.headers()["location"], "/");

    // Signing out ends the session and clears the cookie.
    let out = post_server_fn(&app, &new_client, "sign_out", &[]).await;
    assert_eq!(out.status(), 200);
    assert!(clears_the_cookie(&out), "{:?}", session_cookies(&out));
    assert_eq!(whoami(&app, &new_client).await, Value::Null);
    let (status, _) = server_fn_json(&app, &new_client, "load_account", &[]).await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn signing_in_over_a_stale_cookie_keeps_the_new_session() {
    let app = spawn_app().await;
    let stale = cookie_client(&"A".repeat(43));
    let response = sign_in(&app, &stale, "admin", PASSWORD).await;
    assert_eq!(response.status(), 200);
    // Browsers apply Set-Cookie headers in order: the last one must be the
    // new session, not a clearing of the stale one.
    let cookies = session_cookies(&response);
    let last = cookies.last().expect("a session cookie");
    let value = last.split(';').next().unwrap().split_once('=').unwrap().1;
    assert!(
        !value.is_empty(),
        "the new session is cleared again: {cookies:?}"
    );
    assert_eq!(whoami(&app, &cookie_client(value)).await["name"], "admin");

    // The same for an invitation accepted in a browser with a stale cookie.
    let token = invite(&app, "Stella", "viewer").await;
    let response = post_server_fn(
        &app,
        &stale,
        "accept_invite",
        &[
            ("token", &token),
            ("password", "stella's password"),
            ("confirm", "stella's password"),
        ],
    )
    .await;
    assert_eq!(response.status(), 200);
    let cookies = session_cookies(&response);
    assert_eq!(cookies.len(), 1, "{cookies:?}");
    let session = new_session_id(&response).unwrap();
    assert_eq!(
        whoami(&app, &cookie_client(&session)).await["name"],
        "Stella"
    );
}

#[tokio::test]
async fn a_new_password_or_signing_out_everywhere_ends_the_other_sessions() {
    let app = spawn_app().await;
    let pat = app.add_member("Pat", Role::Editor).await;
    let here = app.session_client(&pat).await;
    let elsewhere = app.session_client(&pat).await;
    let new_password = "pat's new password";

    let (status, body) = server_fn_json(
        &app,
        &here,
        "change_password",
        &[
            ("current", PASSWORD),
            ("password", new_password),
            ("confirm", new_password),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(whoami(&app, &here).await["name"], "Pat", "this one stays");
    assert_eq!(whoami(&app, &elsewhere).await, Value::Null);
    assert_eq!(
        sign_in(&app, &app.anonymous, "pat", PASSWORD)
            .await
            .status(),
        422
    );
    let response = sign_in(&app, &app.anonymous, "pat", new_password).await;
    assert_eq!(response.status(), 200);
    let again = cookie_client(&new_session_id(&response).unwrap());

    let (status, ended) = server_fn_json(&app, &here, "sign_out_everywhere", &[]).await;
    assert_eq!(status, 200);
    assert_eq!(ended, 1);
    assert_eq!(whoami(&app, &again).await, Value::Null);
    assert_eq!(whoami(&app, &here).await["name"], "Pat");
    let sessions: i64 = sqlx::query_scalar("SELECT count(*) FROM sessions WHERE member_id = $1")
        .bind(pat.id)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(sessions, 1);
}

#[tokio::test]
async fn the_cookie_is_secure_when_served_over_https() {
    let pool = fresh_database().await;
    let args = ServeArgs {
        addr: "127.0.0.1:0".parse().unwrap(),
        site_root: workspace_dir().join("target/site"),
        no_poller: true,
        public_url: Some("https://news.example.com".parse().unwrap()),
        trusted_proxies: Vec::new(),
        max_in_flight: None,
        ingest: IngestArgs::default(),
    };
    let server = Application::build(&args, pool.clone()).await.unwrap();
    let addr = server.local_addr();
    tokio::spawn(server.run_until(std::future::pending()));
    let app = TestApp {
        addr,
        pool: pool.clone(),
        client: crate::support::plain_client(),
        anonymous: crate::support::plain_client(),
        api: crate::support::plain_client(),
        admin: newsdesk_app::accounts::manage::add_member(
            &pool,
            &newsdesk_app::accounts::actor::Actor::command_line(),
            "admin",
            Role::Admin,
            PASSWORD,
        )
        .await
        .unwrap(),
    };

    let response = sign_in(&app, &app.anonymous, "admin", PASSWORD).await;
    assert_eq!(response.status(), 200);
    let cookies = session_cookies(&response);
    assert_eq!(cookies.len(), 1);
    assert!(
        attributes(&cookies[0]).iter().any(|a| a == "Secure"),
        "{cookies:?}"
    );
    let admin = cookie_client(&new_session_id(&response).unwrap());

    // Links point to the public URL, not to the address the request used.
    let (status, sent) = server_fn_json(
        &app,
        &admin,
        "invite_member",
        &[("name", "Quinn"), ("role", "viewer")],
    )
    .await;
    assert_eq!(status, 200, "{sent}");
    assert!(
        sent["url"]
            .as_str()
            .unwrap()
            .starts_with("https://news.example.com/invite/"),
        "{sent}"
    );
    let out = post_server_fn(&app, &admin, "sign_out", &[]).await;
    assert!(
        session_cookies(&out)
            .iter()
            .all(|cookie| attributes(cookie).iter().any(|a| a == "Secure")),
        "{:?}",
        session_cookies(&out)
    );
}

#[tokio::test]
async fn five_failures_lock_an_account_but_not_the_others() {
    let app = spawn_app().await;
    app.add_member("Alice", Role::Viewer).await;
    app.add_member("Bob", Role::Viewer).await;
    for attempt in 1..=5 {
        let response = sign_in(&app, &app.anonymous, "alice", "a wrong password").await;
        assert_eq!(response.status(), 422, "attempt {attempt}");
        assert!(new_session_id(&response).is_none());
        let body: Value = response.json().await.unwrap();
        assert!(message(&body).contains("do not match"), "{body}");
    }
    let sessions_before = count(&app, "SELECT count(*) FROM sessions").await;

    // Now even the right password is refused, with a reason.
    let response = sign_in(&app, &app.anonymous, "ALICE", PASSWORD).await;
    assert_eq!(response.status(), 429);
    assert!(new_session_id(&response).is_none());
    let body: Value = response.json().await.unwrap();
    let refusal = message(&body);
    assert!(
        refusal.contains("Too many failed sign-ins for this account")
            && refusal.contains("Try again in"),
        "{body}"
    );
    assert_eq!(
        count(&app, "SELECT count(*) FROM sessions").await,
        sessions_before
    );
    // From anywhere: the account limit is about the account.
    let (status, _) = server_fn_json(
        &app,
        &app.client,
        "sign_in",
        &[("name", "alice"), ("password", PASSWORD)],
    )
    .await;
    assert_eq!(status, 429);

    // Another account signs in from the same address.
    let response = sign_in(&app, &app.anonymous, "bob", PASSWORD).await;
    assert_eq!(response.status(), 200);
    assert!(new_session_id(&response).is_some());
    // Signing in forgives the account's failures: four more, then in again.
    for round in 0..2 {
        for _ in 0..4 {
            let response = sign_in(&app, &app.anonymous, "bob", "a wrong password").await;
            assert_eq!(response.status(), 422, "round {round}");
        }
        let response = sign_in(&app, &app.anonymous, "bob", PASSWORD).await;
        assert_eq!(response.status(), 200, "round {round}");
    }
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM audit_log WHERE action = 'sign_in.throttled'"
        )
        .await,
        2
    );
}

#[tokio::test]
async fn twenty_failures_from_one_address_lock_that_address() {
    let app = spawn_app().await;
    app.add_member("Alice", Role::Viewer).await;
    app.add_member("Bob", Role::Viewer).await;
    // Spread over many names, so that no account limit is reached.
    for attempt in 0..4 {
        let response = sign_in(&app, &app.anonymous, "alice", "a wrong password").await;
        assert_eq!(response.status(), 422, "alice {attempt}");
    }
    for attempt in 0..15 {
        let name = format!("guess-{attempt}");
        let response = sign_in(&app, &app.anonymous, &name, "a wrong password").await;
        assert_eq!(response.status(), 422, "{name}");
    }
    let response = sign_in(&app, &app.anonymous, "bob", PASSWORD).await;
    assert_eq!(response.status(), 200, "19 failures are still allowed");
    // A right password forgives the account's failures, not the address's.
    let response = sign_in(&app, &app.anonymous, "alice", PASSWORD).await;
    assert_eq!(response.status(), 200);
    let response = sign_in(&app, &app.anonymous, "guess-15", "a wrong password").await;
    assert_eq!(response.status(), 422, "the 20th failure");

    for name in ["bob", "alice"] {
        let response = sign_in(&app, &app.anonymous, name, PASSWORD).await;
        assert_eq!(response.status(), 429, "{name}");
        assert!(new_session_id(&response).is_none());
        let body: Value = response.json().await.unwrap();
        assert!(
            message(&body).contains("from your network address"),
            "{body}"
        );
    }
}

#[tokio::test]
async fn overlong_and_look_alike_input_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let (_, viewer) = app.client_as("Vince", Role::Viewer).await;
    let before = counts(&app).await;
    let long_name = "n".repeat(65);
    let long_password = "p".repeat(257);
    let long_token_name = "t".repeat(101);

    // (caller, function, form, field the error names, words of its message)
    type Refusal<'a> = (
        &'a Client,
        &'a str,
        Vec<(&'a str, &'a str)>,
        &'a str,
        &'a str,
    );
    let refusals: Vec<Refusal> = vec![
        (
            &app.anonymous,
            "sign_in",
            vec![("name", &long_name), ("password", PASSWORD)],
            "name",
            "at most 64",
        ),
        (
            &app.anonymous,
            "sign_in",
            vec![("name", "vince"), ("password", "")],
            "password",
            "Enter your password",
        ),
        (
            &app.client,
            "invite_member",
            vec![("name", &long_name), ("role", "viewer")],
            "name",
            "at most 64",
        ),
        (
            &app.client,
            "invite_member",
            vec![("name", "Ａｄｍｉｎ"), ("role", "viewer")],
            "name",
            "already taken",
        ),
        (
            &app.client,
            "invite_member",
            vec![("name", "VINCE"), ("role", "viewer")],
            "name",
            "already taken",
        ),
        (
            &app.client,
            "invite_member",
            vec![("name", "bad\tname"), ("role", "viewer")],
            "name",
            "control characters",
        ),
        (
            &app.client,
            "invite_member",
            vec![("name", "in\u{200B}visible"), ("role", "viewer")],
            "name",
            "invisible",
        ),
        (
            &app.client,
            "invite_member",
            vec![("name", "  "), ("role", "viewer")],
            "name",
            "Enter a name",
        ),
        (
            &app.client,
            "invite_member",
            vec![("name", "Ursula"), ("role", "owner")],
            "role",
            "not a role",
        ),
        (
            &viewer,
            "change_password",
            vec![
                ("current", PASSWORD),
                ("password", &long_password),
                ("confirm", &long_password),
            ],
            "password",
            "at most 256",
        ),
        (
            &viewer,
            "change_password",
            vec![
                ("current", PASSWORD),
                ("password", "123456789"),
                ("confirm", "123456789"),
            ],
            "password",
            "at least 10",
        ),
        (
            &viewer,
            "change_password",
            vec![
                ("current", PASSWORD),
                ("password", "a new long password"),
                ("confirm", "a new long passw0rd"),
            ],
            "confirm",
            "differ",
        ),
        (
            &viewer,
            "create_token",
            vec![("name", &long_token_name)],
            "token_name",
            "at most 100",
        ),
        (
            &viewer,
            "create_token",
            vec![("name", " ")],
            "token_name",
            "name",
        ),
    ];
    for (client, function, form, field, wanted) in &refusals {
        let (status, body) = server_fn_json(&app, client, function, form).await;
        let what = format!("{function} {:?}", form.first());
        assert_eq!(status, 422, "{what}: {body}");
        assert_eq!(body["Invalid"]["field"], *field, "{what}: {body}");
        assert!(message(&body).contains(wanted), "{what}: {body}");
    }
    // An overlong password is never the right one, and costs no hashing.
    let response = sign_in(&app, &app.anonymous, "vince", &long_password).await;
    assert_eq!(response.status(), 422);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["Invalid"]["field"], "password", "{body}");
    assert!(message(&body).contains("at most 256"), "{body}");
    assert_eq!(counts(&app).await, before, "nothing was created or ended");
    // The viewer's password is unchanged.
    assert_eq!(
        sign_in(&app, &app.anonymous, "Ｖｉｎｃｅ", PASSWORD)
            .await
            .status(),
        200,
        "names are matched ignoring letter width"
    );
}

async fn invite(app: &TestApp, name: &str, role: &str) -> String {
    let (status, sent) = server_fn_json(
        app,
        &app.client,
        "invite_member",
        &[("name", name), ("role", role)],
    )
    .await;
    assert_eq!(status, 200, "{sent}");
    let url = sent["url"].as_str().unwrap();
    let prefix = format!("{}/invite/", app.origin());
    assert!(url.starts_with(&prefix), "{url}");
    url[prefix.len()..].to_owned()
}

async fn accept(app: &TestApp, token: &str, name: Option<&str>, password: &str) -> Response {
    let mut form = vec![
        ("token", token),
        ("password", password),
        ("confirm", password),
    ];
    if let Some(name) = name {
        form.push(("name", name));
    }
    post_server_fn(app, &app.anonymous, "accept_invite", &form).await
}

#[tokio::test]
async fn an_invitation_creates_its_member_with_its_role_once() {
    let app = spawn_app().await;
    let token = invite(&app, "Nina", "publisher").await;
    assert_eq!(token.len(), 43);

    let (status, invitation) =
        server_fn_json(&app, &app.anonymous, "check_invite", &[("token", &token)]).await;
    assert_eq!(status, 200, "{invitation}");
    assert_eq!(invitation["name"], "Nina");
    assert_eq!(invitation["role"], "publisher");
    assert_eq!(invitation["purpose"], "Invite");
    assert_eq!(invitation["created_by"], "admin");

    // Bad passwords leave the link usable.
    let before = counts(&app).await;
    let mismatch = post_server_fn(
        &app,
        &app.anonymous,
        "accept_invite",
        &[
            ("token", &token),
            ("password", "a good long password"),
            ("confirm", "a different password"),
        ],
    )
    .await;
    assert_eq!(mismatch.status(), 422);
    for (password, wanted) in [("short", "at least 10"), (&*"p".repeat(257), "at most 256")] {
        let response = accept(&app, &token, None, password).await;
        assert_eq!(response.status(), 422);
        let body: Value = response.json().await.unwrap();
        assert!(message(&body).contains(wanted), "{body}");
    }
    assert_eq!(counts(&app).await, before);

    // The name comes from the invitation, whatever the form says.
    let accepted = accept(&app, &token, Some("Mallory"), "nina's own password").await;
    assert_eq!(accepted.status(), 200);
    let session = new_session_id(&accepted).expect("signed in at once");
    let nina = whoami(&app, &cookie_client(&session)).await;
    assert_eq!(nina["name"], "Nina");
    assert_eq!(nina["role"], "publisher");
    let members = count(&app, "SELECT count(*) FROM members").await;
    assert_eq!(members, before[0] + 1);
    assert_eq!(
        sign_in(&app, &app.anonymous, "nina", "nina's own password")
            .await
            .status(),
        200
    );

    // Once only.
    let again = accept(&app, &token, None, "somebody else's password").await;
    assert_eq!(again.status(), 422);
    assert!(new_session_id(&again).is_none());
    let body: Value = again.json().await.unwrap();
    assert!(message(&body).contains("already been used"), "{body}");
    let (status, body) =
        server_fn_json(&app, &app.anonymous, "check_invite", &[("token", &token)]).await;
    assert_eq!(status, 422);
    assert!(message(&body).contains("already been used"), "{body}");
    assert_eq!(count(&app, "SELECT count(*) FROM members").await, members);
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM audit_log WHERE action = 'invite.accept' AND subject = 'Nina'"
        )
        .await,
        1
    );
}

#[tokio::test]
async fn unusable_links_are_refused_with_a_reason_and_create_nobody() {
    let app = spawn_app().await;
    let expired = invite(&app, "Olga", "editor").await;
    sqlx::query("UPDATE invites SET expires_at = now() - interval '1 minute' WHERE name = 'Olga'")
        .execute(&app.pool)
        .await
        .unwrap();
    let withdrawn = invite(&app, "Walt", "viewer").await;
    let id: i64 = sqlx::query_scalar("SELECT id FROM invites WHERE name = 'Walt'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let (status, _) = server_fn_json(
        &app,
        &app.client,
        "revoke_invite",
        &[("id", &id.to_string())],
    )
    .await;
    assert_eq!(status, 200);
    // A setup link is only issued without an active admin; expire one by hand.
    sqlx::query("UPDATE members SET active = false, deactivated_at = now()")
        .execute(&app.pool)
        .await
        .unwrap();
    let setup = invites::issue_setup_token(&app.pool)
        .await
        .unwrap()
        .unwrap();
    sqlx::query(
        "UPDATE invites SET expires_at = now() - interval '1 minute' WHERE purpose = 'setup'",
    )
    .execute(&app.pool)
    .await
    .unwrap();
    let before = counts(&app).await;

    let mut altered = expired.clone();
    altered.replace_range(..1, if expired.starts_with('A') { "B" } else { "A" });
    let cases = [
        ("no-such-link", "not valid"),
        ("", "not valid"),
        (&*"x".repeat(101), "not valid"),
        (&*altered, "not valid"),
        (&*expired, "expired"),
        (&*withdrawn, "withdrawn"),
        (&*setup, "restart newsdesk"),
    ];
    for (token, wanted) in cases {
        let (status, body) =
            server_fn_json(&app, &app.anonymous, "check_invite", &[("token", token)]).await;
        assert_eq!(status, 422, "check {token:?}: {body}");
        assert_eq!(body["Invalid"]["field"], "token");
        assert!(message(&body).contains(wanted), "check {token:?}: {body}");
        let response = accept(&app, token, Some("Newcomer"), "a good long password").await;
        assert_eq!(response.status(), 422, "accept {token:?}");
        assert!(new_session_id(&response).is_none());
        let body: Value = response.json().await.unwrap();
        assert!(message(&body).contains(wanted), "accept {token:?}: {body}");
    }
    assert_eq!(counts(&app).await, before, "nobody was created");
}

#[tokio::test]
async fn the_setup_link_creates_the_first_admin_once() {
    let app = spawn_app().await;
    assert_eq!(
        invites::issue_setup_token(&app.pool).await.unwrap(),
        None,
        "there is an admin"
    );
    let (_, needs) = server_fn_json(&app, &app.anonymous, "needs_setup", &[]).await;
    assert_eq!(needs, false);

    // Without an active admin, newsdesk waits for one.
    sqlx::query("UPDATE members SET active = false, deactivated_at = now()")
        .execute(&app.pool)
        .await
        .unwrap();
    let (_, needs) = server_fn_json(&app, &app.anonymous, "needs_setup", &[]).await;
    assert_eq!(needs, true);
    let superseded = invites::issue_setup_token(&app.pool)
        .await
        .unwrap()
        .unwrap();
    let token = invites::issue_setup_token(&app.pool)
        .await
        .unwrap()
        .unwrap();
    let (status, body) = server_fn_json(
        &app,
        &app.anonymous,
        "check_invite",
        &[("token", &superseded)],
    )
    .await;
    assert_eq!(
        status, 422,
        "a new setup link closes the earlier one: {body}"
    );
    let (status, invitation) =
        server_fn_json(&app, &app.anonymous, "check_invite", &[("token", &token)]).await;
    assert_eq!(status, 200, "{invitation}");
    assert_eq!(invitation["purpose"], "Setup");
    assert_eq!(invitation["role"], "admin");

    // The setup link asks for a name, which follows the usual rules.
    let before = counts(&app).await;
    for (name, wanted) in [("", "Enter a name"), ("ＡＤＭＩＮ", "already taken")] {
        let response = accept(&app, &token, Some(name), "the root password").await;
        assert_eq!(response.status(), 422, "{name:?}");
        let body: Value = response.json().await.unwrap();
        assert!(message(&body).contains(wanted), "{name:?}: {body}");
    }
    assert_eq!(counts(&app).await, before);

    let response = accept(&app, &token, Some("Root"), "the root password").await;
    assert_eq!(response.status(), 200);
    let root = cookie_client(&new_session_id(&response).unwrap());
    let me = whoami(&app, &root).await;
    assert_eq!(me["name"], "Root");
    assert_eq!(me["role"], "admin");
    let (status, _) = server_fn_json(&app, &root, "load_members", &[]).await;
    assert_eq!(status, 200, "the new admin can manage members");

    assert_eq!(invites::issue_setup_token(&app.pool).await.unwrap(), None);
    let (_, needs) = server_fn_json(&app, &app.anonymous, "needs_setup", &[]).await;
    assert_eq!(needs, false);
    let again = accept(&app, &token, Some("Root2"), "the root password").await;
    assert_eq!(again.status(), 422);
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM members WHERE role = 'admin' AND active"
        )
        .await,
        1
    );
}

#[tokio::test]
async fn a_tampered_cookie_is_cleared_and_sent_to_sign_in() {
    let app = spawn_app().await;
    let before = counts(&app).await;
    // Well-formed but unknown, malformed, and a real one with a changed letter.
    let real = sessions::start(
        &app.pool,
        &app.admin,
        &newsdesk_app::accounts::identity::Client::default(),
        None,
    )
    .await
    .unwrap();
    let mut altered = real.clone();
    altered.replace_range(..1, if real.starts_with('A') { "B" } else { "A" });
    for value in ["A".repeat(43), "not-a-session".to_owned(), altered] {
        let client = cookie_client(&value);
        let page = client.get(app.url("/feeds")).send().await.unwrap();
        assert_eq!(page.status(), 303, "{value}");
        assert_eq!(
            page.headers()["location"],
            "/sign-in?next=%2Ffeeds&ended=1",
            "{value}"
        );
        assert!(clears_the_cookie(&page), "{:?}", session_cookies(&page));

        let (status, body) = server_fn_json(&app, &client, "load_feeds", &[]).await;
        assert_eq!(status, 401, "{value}");
        assert!(message(&body).contains("session has ended"), "{body}");
        let response = post_server_fn(&app, &client, "current_member", &[]).await;
        assert!(clears_the_cookie(&response));
        assert_eq!(response.json::<Value>().await.unwrap(), Value::Null);

        // Public pages open, and forget the cookie too.
        let page = client.get(app.url("/sign-in")).send().await.unwrap();
        assert_eq!(page.status(), 200);
        assert!(clears_the_cookie(&page));
    }
    let mut after = counts(&app).await;
    after[1] -= 1; // the real session started above
    assert_eq!(after, before, "nothing changed");
    assert_eq!(
        whoami(&app, &cookie_client(&real)).await["name"],
        "admin",
        "the real session still works"
    );
}
