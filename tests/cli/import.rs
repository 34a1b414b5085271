//! An OPML import outlives the process that started it: `kill -9` of the
//! server in the middle of a big import, and the next start finishes it.

use std::time::{Duration, Instant};

use sqlx::PgPool;
use uuid::Uuid;

use crate::{admin_token, fresh_data_dir, run_cli, Server};

const FEEDS: usize = 500;

fn feed_url(n: usize) -> String {
    format!("https://feeds.example.com/{n}/feed.xml")
}

fn opml_of(count: usize) -> String {
    let outlines: String = (0..count)
        .map(|n| format!("<outline text=\"Feed {n}\" xmlUrl=\"{}\"/>\n", feed_url(n)))
        .collect();
    format!("<?xml version=\"1.0\"?><opml version=\"2.0\"><head/><body>\n{outlines}</body></opml>")
}

/// The import's (done, total, finished).
async fn progress(pool: &PgPool, id: Uuid) -> (i32, i32, bool) {
    sqlx::query_as("SELECT done, total, finished_at IS NOT NULL FROM opml_imports WHERE id = $1")
        .bind(id)
        .fetch_one(pool)
        .await
        .unwrap()
}

/// Polls the database until `ready` holds for the import; fails after `within`.
async fn wait_for(
    pool: &PgPool,
    id: Uuid,
    within: Duration,
    what: &str,
    ready: impl Fn((i32, i32, bool)) -> bool,
) -> (i32, i32, bool) {
    let deadline = Instant::now() + within;
    loop {
        let now = progress(pool, id).await;
        if ready(now) {
            return now;
        }
        assert!(Instant::now() < deadline, "{what}: still {now:?}");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

#[tokio::test]
async fn an_import_interrupted_by_kill_9_finishes_after_the_restart() {
    let dir = fresh_data_dir("import-kill");
    // No poller: the feeds are never fetched, only imported.
    let no_poller = [("NEWSDESK_NO_POLLER", "true")];
    let server = Server::start_with(&dir, &no_poller);
    let token = admin_token(&dir);
    let (_, info, _) = run_cli(&dir, &["db", "info"], None);
    let url = info
        .lines()
        .find_map(|line| line.strip_prefix("DATABASE_URL:"))
        .unwrap()
        .trim()
        .to_owned();
    let pool = PgPool::connect(&url).await.unwrap();
    // Each new feed takes a while to store, so the import is still running
    // when the server is killed.
    sqlx::raw_sql(
        "CREATE FUNCTION slow_feed_insert() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN PERFORM pg_sleep(0.02); RETURN NEW; END $$;
         CREATE TRIGGER slow_feed_insert BEFORE INSERT ON feeds
             FOR EACH ROW EXECUTE FUNCTION slow_feed_insert();",
    )
    .execute(&pool)
    .await
    .unwrap();

    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(opml_of(FEEDS).into_bytes()).file_name("big.opml"),
    );
    let response = client
        .post(format!("{}/feeds/import", server.url))
        .bearer_auth(&token)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let id: Uuid = location.rsplit('/').next().unwrap().parse().unwrap();

    let total = FEEDS as i32;
    wait_for(
        &pool,
        id,
        Duration::from_secs(60),
        "some feeds done",
        |(done, _, _)| done >= 20,
    )
    .await;
    server.kill_hard();
    // One snapshot: a transaction of the killed server may still commit.
    let (done, finished, stored): (i32, bool, i64) = sqlx::query_as(
        "SELECT done, finished_at IS NOT NULL, (SELECT count(*) FROM feeds)
         FROM opml_imports WHERE id = $1",
    )
    .bind(id)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(
        done < total && !finished,
        "killed in the middle: {done} of {total}"
    );
    assert_eq!(stored, i64::from(done), "every feed counted done is stored");

    let server = Server::start_with(&dir, &no_poller);
    let (done, _, _) = wait_for(
        &pool,
        id,
        Duration::from_secs(120),
        "the import finishes after the restart",
        |(_, _, finished)| finished,
    )
    .await;
    assert_eq!(done, total);
    let (feeds, distinct): (i64, i64) =
        sqlx::query_as("SELECT count(*), count(DISTINCT url) FROM feeds WHERE url = ANY($1)")
            .bind((0..FEEDS).map(feed_url).collect::<Vec<_>>())
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(
        (feeds, distinct),
        (FEEDS as i64, FEEDS as i64),
        "every feed, once"
    );
    let everything: i64 = sqlx::query_scalar("SELECT count(*) FROM feeds")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(everything, FEEDS as i64);

    let page = client
        .get(format!("{}{location}", server.url))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let page = page.text().await.unwrap();
    assert!(
        page.contains("Done: 500 added, 0 duplicates skipped, 0 refused."),
        "the import page shows the final counts: {page}"
    );
    pool.close().await;
    let (status, log) = server.terminate();
    assert!(status.success(), "{log}");
    std::fs::remove_dir_all(&dir).unwrap();
}
