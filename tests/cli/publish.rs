//! Publishing survives a crash half-way: newsdesk and its PostgreSQL are
//! killed while the publishing transaction is in the middle of its writes,
//! and after the restart the issue is exactly as before (a draft, no
//! snapshot, no next draft). Then `newsdesk export` writes what the web
//! export serves.

use std::time::{Duration, Instant};

use nix::{sys::signal, unistd::Pid};
use serde_json::{json, Value};
use sqlx::{postgres::PgPoolOptions, PgPool};

use super::{fresh_data_dir, member_token, postmaster_pid, run_cli, wait_until_gone, Server};
use crate::support::body_of;

/// A pool on the private cluster of the data directory `dir`.
pub(crate) async fn pool(dir: &std::path::Path) -> PgPool {
    let url = format!(
        "postgres://newsdesk@localhost/newsdesk?host={}/run",
        dir.display()
    );
    PgPoolOptions::new()
        .max_connections(2)
        .connect(&url)
        .await
        .expect("connect to the private cluster")
}

fn api(token: &str) -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        reqwest::header::AUTHORIZATION,
        format!("Bearer {token}").parse().unwrap(),
    );
    reqwest::Client::builder()
        .default_headers(headers)
        .build()
        .unwrap()
}

/// Adds the publisher Pat with the command line and returns a client with
/// a token of theirs.
pub(crate) fn publisher_client(dir: &std::path::Path) -> reqwest::Client {
    api(&member_token(dir, ("Pat", "publisher"), ("Pat", "crash")))
}

/// Starts issue #1 through the API and puts one pick in it, straight into
/// the database (the pick's own path is not what these tests are about).
pub(crate) async fn first_draft_with_a_pick(
    client: &reqwest::Client,
    server: &Server,
    db: &PgPool,
) {
    let draft: Value = client
        .post(format!("{}/api/v1/issues", server.url))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(draft["issue"]["number"], 1);
    sqlx::query(
        "INSERT INTO picks (issue_id, section_id, position, url, title, commentary)
         SELECT i.id, (SELECT min(id) FROM sections), 1, 'https://kubernetes.io/blog/', 'Kubernetes', 'Yes.'
         FROM issues i WHERE number = 1",
    )
    .execute(db)
    .await
    .unwrap();
}

/// Asks `server` to publish issue #1 as `client`.
pub(crate) async fn publish_first(client: &reqwest::Client, server: &Server) -> reqwest::Response {
    client
        .post(format!("{}/api/v1/issues/1/publish", server.url))
        .json(&json!({}))
        .send()
        .await
        .unwrap()
}

/// Issue #1 as `server` serves it to readers, in Markdown.
pub(crate) async fn served_markdown(server: &Server) -> String {
    reqwest::get(format!("{}/issues/1.md", server.url))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

async fn counts(pool: &PgPool) -> (String, bool, i64) {
    sqlx::query_as(
        "SELECT (SELECT state FROM issues WHERE number = 1), \
                (SELECT snapshot IS NULL FROM issues WHERE number = 1), \
                (SELECT count(*) FROM issues)",
    )
    .fetch_one(pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn a_publish_killed_half_way_leaves_nothing_published() {
    let dir = fresh_data_dir("publish-crash");
    let client = publisher_client(&dir);

    let server = Server::start(&dir);
    let db = pool(&dir).await;
    first_draft_with_a_pick(&client, &server, &db).await;
    // Stall the transaction where it creates the next draft: by then it
    // has already marked #1 published and stored its snapshot.
    sqlx::raw_sql(
        "CREATE FUNCTION test_stall() RETURNS trigger LANGUAGE plpgsql AS
           $$ BEGIN PERFORM pg_sleep(300); RETURN NEW; END $$;
         CREATE TRIGGER test_stall BEFORE INSERT ON issues FOR EACH ROW EXECUTE FUNCTION test_stall();",
    )
    .execute(&db)
    .await
    .unwrap();
    let publishing = tokio::spawn({
        let client = client.clone();
        let url = format!("{}/api/v1/issues/1/publish", server.url);
        async move { client.post(url).json(&json!({})).send().await }
    });
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let stalled: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'PgSleep'",
        )
        .fetch_one(&db)
        .await
        .unwrap();
        if stalled == 1 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the publish did not reach the stall"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // Half-way, nothing is visible to anybody else.
    assert_eq!(counts(&db).await, ("draft".to_owned(), true, 1));

    // A power cut: newsdesk and PostgreSQL die at once.
    db.close().await;
    let postmaster = postmaster_pid(&dir).expect("postmaster running");
    server.kill_hard();
    signal::kill(Pid::from_raw(postmaster), signal::Signal::SIGKILL).unwrap();
    wait_until_gone(postmaster);
    assert!(
        publishing.await.unwrap().is_err(),
        "the publish never answered"
    );

    let server = Server::start(&dir);
    let db = pool(&dir).await;
    sqlx::raw_sql("DROP TRIGGER test_stall ON issues; DROP FUNCTION test_stall();")
        .execute(&db)
        .await
        .unwrap();
    assert_eq!(
        counts(&db).await,
        ("draft".to_owned(), true, 1),
        "the transaction left nothing behind"
    );

    // Publishing again works, once.
    let response = publish_first(&client, &server).await;
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
    assert_eq!(counts(&db).await, ("published".to_owned(), false, 2));

    // `newsdesk export` gives what the web serves.
    let web = served_markdown(&server).await;
    let (status, stdout, stderr) = run_cli(&dir, &["export", "--issue", "1"], None);
    assert!(status.success(), "{stderr}");
    assert_eq!(stdout, web);
    let file = dir.join("issue-1-zenn.md");
    let output = file.to_str().unwrap();
    let (status, _, stderr) = run_cli(
        &dir,
        &[
            "export",
            "--issue",
            "1",
            "--front-matter",
            "zenn",
            "--output",
            output,
        ],
        None,
    );
    assert!(status.success(), "{stderr}");
    let zenn = body_of(
        &client,
        &format!("{}/api/v1/issues/1/markdown?front_matter=zenn", server.url),
    )
    .await;
    assert_eq!(std::fs::read_to_string(&file).unwrap(), zenn);
    assert!(zenn.starts_with("---\ntitle: "), "{zenn}");
    let (status, _, stderr) = run_cli(&dir, &["export", "--issue", "99"], None);
    assert!(!status.success());
    assert!(stderr.contains("There is no issue #99."), "{stderr}");

    db.close().await;
    let (status, log) = server.terminate();
    assert!(status.success(), "{log}");
    std::fs::remove_dir_all(&dir).unwrap();
}
