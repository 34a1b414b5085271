//! Shared test helpers: a fresh database per test on the test run's private
//! PostgreSQL cluster, and the server started on a free port.

#![allow(dead_code)] // each test binary uses a different subset

pub mod api;
pub mod git;
pub mod issues;
pub mod seed;
pub mod sse;

use std::{net::SocketAddr, path::PathBuf, str::FromStr};

use newsdesk_app::accounts::{actor::Actor, identity::Client, manage, sessions, Member, Role};
use newsdesk_server::{
    config::{IngestArgs, ServeArgs},
    database,
    startup::Application,
};
use sqlx::{
    postgres::{PgConnectOptions, PgPoolOptions},
    Connection, PgConnection, PgPool,
};

/// Where the test run's cluster is, as set by `make test` (scripts/test.sh).
pub fn test_database_url() -> String {
    std::env::var("NEWSDESK_TEST_DATABASE_URL").expect(
        "NEWSDESK_TEST_DATABASE_URL is not set. Run the tests with `make test`, or start a \
         cluster with `newsdesk db start --data-dir /tmp/newsdesk-test-db` and export its URL as \
         NEWSDESK_TEST_DATABASE_URL",
    )
}

/// Creates a uniquely named, migrated database and returns a pool on it.
pub async fn fresh_database() -> PgPool {
    let pool = empty_database().await;
    database::migrate(&pool).await.expect("migrations apply");
    pool
}

/// Creates a uniquely named database with no tables (for tests of the
/// migrations themselves) and returns a pool on it.
pub async fn empty_database() -> PgPool {
    let base = PgConnectOptions::from_str(&test_database_url()).expect("valid test database URL");
    let name = format!("test_{}", uuid::Uuid::new_v4().simple());
    let mut admin = PgConnection::connect_with(&base.clone().database("postgres"))
        .await
        .expect("connect to the test cluster");
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .await
        .expect("create test database");
    admin.close().await.ok();
    PgPoolOptions::new()
        .max_connections(8)
        .connect_with(base.database(&name))
        .await
        .expect("connect to the test database")
}

/// The password of every member the helpers create.
pub const PASSWORD: &str = "correct horse battery staple";

#[derive(Clone)]
pub struct TestApp {
    pub addr: SocketAddr,
    pub pool: PgPool,
    /// Signed in (session cookie) as `admin`, the first admin.
    pub client: reqwest::Client,
    /// No cookie, no token.
    pub anonymous: reqwest::Client,
    /// `Authorization: Bearer` with a token of `admin`.
    pub api: reqwest::Client,
    pub admin: Member,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// The origin our own pages have; writes must carry it.
    pub fn origin(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Calls a server function the way the hydrated app does (fetch, form body).
    pub async fn call(&self, function: &str, form: &[(&str, &str)]) -> reqwest::Response {
        api::post_server_fn(self, &self.client, function, form).await
    }

    /// Sends `form` to `path` as the browser sends an upload form, signed
    /// in as the admin; returns where the answer (a 303) sends the browser.
    pub async fn upload_form(&self, path: &str, form: reqwest::multipart::Form) -> String {
        let response = self
            .client
            .post(self.url(path))
            .header("origin", self.origin())
            .multipart(form)
            .send()
            .await
            .expect("request reaches the server");
        assert_eq!(response.status(), 303);
        response.headers()["location"].to_str().unwrap().to_owned()
    }

    /// GETs a page as the signed-in admin and returns its body.
    pub async fn page(&self, path: &str) -> String {
        self.text_as(&self.client, path).await
    }

    /// GETs a page as a reader who has not signed in and returns its body.
    pub async fn public_page(&self, path: &str) -> String {
        self.text_as(&self.anonymous, path).await
    }

    async fn text_as(&self, client: &reqwest::Client, path: &str) -> String {
        body_of(client, &self.url(path)).await
    }

    /// Adds a member with `role` (password [`PASSWORD`]).
    pub async fn add_member(&self, name: &str, role: Role) -> Member {
        manage::add_member(&self.pool, &Actor::command_line(), name, role, PASSWORD)
            .await
            .expect("member added")
    }

    /// A client signed in as `member` through a session made directly in
    /// the database (signing in through the form is tested on its own).
    pub async fn session_client(&self, member: &Member) -> reqwest::Client {
        let session = sessions::start(&self.pool, member, &Client::default(), None)
            .await
            .expect("session started");
        client_with_header("cookie", &format!("{}={session}", sessions::COOKIE_NAME))
    }

    /// A new member with `role` and a client signed in as them.
    pub async fn client_as(&self, name: &str, role: Role) -> (Member, reqwest::Client) {
        let member = self.add_member(name, role).await;
        let client = self.session_client(&member).await;
        (member, client)
    }

    /// Makes `member` read the UI in `language` (their account setting).
    pub async fn set_language(&self, member: &Member, language: &str) {
        sqlx::query("UPDATE members SET language = $2 WHERE id = $1")
            .bind(member.id)
            .bind(language)
            .execute(&self.pool)
            .await
            .expect("language set");
    }

    /// A client sending `Authorization: Bearer` with a new token of `member`.
    pub async fn token_client(&self, member: &Member) -> reqwest::Client {
        let (_, token) = manage::create_token(&self.pool, &Actor::command_line(), member, "tests")
            .await
            .expect("token created");
        client_with_header("authorization", &format!("Bearer {token}"))
    }

    pub async fn feed_count(&self) -> i64 {
        sqlx::query_scalar("SELECT count(*) FROM feeds")
            .fetch_one(&self.pool)
            .await
            .unwrap()
    }
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with_site(workspace_dir().join("target/site")).await
}

pub async fn spawn_app_with_site(site_root: PathBuf) -> TestApp {
    let pool = fresh_database().await;
    let addr = start_server(&pool, site_root).await;
    let admin = manage::add_member(
        &pool,
        &Actor::command_line(),
        "admin",
        Role::Admin,
        PASSWORD,
    )
    .await
    .expect("first admin added");
    let mut app = TestApp {
        addr,
        pool,
        client: plain_client(),
        anonymous: plain_client(),
        api: plain_client(),
        admin: admin.clone(),
    };
    app.client = app.session_client(&admin).await;
    app.api = app.token_client(&admin).await;
    app
}

/// Another server on the database of `app`, with its own connection pool,
/// as a second newsdesk process would be. The returned `TestApp` talks to
/// the new server with the same members, session and token as `app`.
pub async fn spawn_second_server(app: &TestApp) -> TestApp {
    let pool = PgPoolOptions::new()
        .max_connections(8)
        .connect_with((*app.pool.connect_options()).clone())
        .await
        .expect("connect to the same test database");
    let addr = start_server(&pool, workspace_dir().join("target/site")).await;
    TestApp {
        addr,
        pool,
        ..app.clone()
    }
}

/// Builds a server on `pool` on a free port and runs it in the background.
async fn start_server(pool: &PgPool, site_root: PathBuf) -> SocketAddr {
    let args = ServeArgs {
        addr: "127.0.0.1:0".parse().unwrap(),
        site_root,
        no_poller: true,
        public_url: None,
        trusted_proxies: Vec::new(),
        max_in_flight: None,
        // Tests opt in to fetching from their own servers on 127.0.0.1.
        ingest: IngestArgs {
            allow_private_hosts: "127.0.0.1".parse().unwrap(),
            ..IngestArgs::default()
        },
    };
    let app = Application::build(&args, pool.clone())
        .await
        .expect("server builds");
    let addr = app.local_addr();
    tokio::spawn(app.run_until(std::future::pending()));
    addr
}

/// GETs `url` as `client` and returns the body, whatever the status.
pub async fn body_of(client: &reqwest::Client, url: &str) -> String {
    let response = client
        .get(url)
        .send()
        .await
        .expect("request reaches the server");
    response.text().await.expect("a text body")
}

/// Redirects are not followed: tests look at them.
pub fn plain_client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

fn client_with_header(name: &'static str, value: &str) -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(name, value.parse().expect("a valid header value"));
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .default_headers(headers)
        .build()
        .unwrap()
}

pub fn workspace_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// What a hostile title decodes to: it would end `<title>` and redirect
/// every member who opens the page, or plant an element of its own.
pub const INJECTION: &str = r#"</title></textarea><meta http-equiv="refresh" content="0;url=https://evil.example/"><i id="injected">x</i></script>"#;

pub fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// `html` carries none of the markup of [`INJECTION`] as markup, and its
/// `<title>` holds only text.
pub fn assert_no_injection(html: &str, context: &str) {
    for markup in [
        r#"<meta http-equiv="refresh""#,
        r#"<i id="injected">"#,
        // The attribute break-out itself; a linked `https://evil.example/`
        // in text is our own, safe, markup.
        "url=https://evil.example/\">",
    ] {
        assert!(!html.contains(markup), "{context}: {markup} in {html}");
    }
    let title = html
        .split_once("<title>")
        .and_then(|(_, rest)| rest.split_once("</title>"))
        .map(|(title, _)| title)
        .unwrap_or_else(|| panic!("{context}: no <title> in {html}"));
    assert!(!title.contains('<'), "{context}: markup in <title>{title}");
}
