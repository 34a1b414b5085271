//! Shared test helpers: a fresh database per test on the test run's private
//! PostgreSQL cluster, and the server started on a free port.

#![allow(dead_code)] // each test binary uses a different subset

use std::{net::SocketAddr, path::PathBuf, str::FromStr};

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
    let pool = PgPoolOptions::new()
        .max_connections(8)
        .connect_with(base.database(&name))
        .await
        .expect("connect to the test database");
    database::migrate(&pool).await.expect("migrations apply");
    pool
}

#[derive(Clone)]
pub struct TestApp {
    pub addr: SocketAddr,
    pub pool: PgPool,
    pub client: reqwest::Client,
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
        self.client
            .post(self.url(&format!("/api/{function}")))
            .header("origin", self.origin())
            .form(form)
            .send()
            .await
            .expect("request reaches the server")
    }

    /// GETs a page and returns its body.
    pub async fn page(&self, path: &str) -> String {
        let response = self
            .client
            .get(self.url(path))
            .send()
            .await
            .expect("request reaches the server");
        response.text().await.expect("a text body")
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
    let args = ServeArgs {
        addr: "127.0.0.1:0".parse().unwrap(),
        site_root,
        no_poller: true,
        public_url: None,
        trusted_proxies: Vec::new(),
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
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    TestApp { addr, pool, client }
}

pub fn workspace_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}
