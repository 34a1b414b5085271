//! The private PostgreSQL under hands other than newsdesk's: started and
//! restarted by an administrator with `pg_ctl`, stopped under a running
//! command. newsdesk adopts what runs, never removes the pid file of a live
//! postmaster, reports its own errors first, and its live updates and
//! poller survive a restart of PostgreSQL.

use std::{
    os::unix::{fs::MetadataExt, process::CommandExt},
    path::Path,
    process::{Command, Output, Stdio},
    time::{Duration, Instant},
};

use newsdesk_server::database::private_cluster::find_bin_dir;
use nix::{sys::signal, unistd::Pid};
use sqlx::{Connection, PgConnection};

use crate::{
    admin_token,
    fixtures::{item, rss, FeedServer},
    fresh_data_dir, newsdesk, postmaster_pid, process_alive, run_cli,
    support::sse::Events,
    wait_until_gone, DataDir, Server,
};

/// Runs `pg_ctl` the way an administrator would by hand: as the owner of
/// the cluster (PostgreSQL refuses root), naming the data directory only
/// in `PGDATA`, so the postmaster's command line does not name it. The
/// server log goes where newsdesk puts it (a postmaster writing to our
/// pipe would keep `output()` waiting for as long as it runs).
fn pg_ctl_by_hand(data_dir: &Path, args: &[&str]) -> Output {
    let pgdata = data_dir.join("postgres");
    let owner = std::fs::metadata(&pgdata).expect("the cluster exists");
    Command::new(
        find_bin_dir()
            .expect("PostgreSQL is installed")
            .join("pg_ctl"),
    )
    .args(args)
    .arg("-l")
    .arg(data_dir.join("log/postgres.log"))
    .env("PGDATA", &pgdata)
    .current_dir(data_dir)
    .uid(owner.uid())
    .gid(owner.gid())
    .stdin(Stdio::null())
    .output()
    .expect("pg_ctl runs")
}

fn assert_ran(what: &str, output: &Output) {
    assert!(
        output.status.success(),
        "{what}: {}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Creates the cluster under `data_dir` and leaves it stopped.
fn initialised_cluster(label: &str) -> DataDir {
    let dir = fresh_data_dir(label);
    let (status, _, stderr) = run_cli(&dir, &["db", "start"], None);
    assert!(status.success(), "{stderr}");
    let (status, _, stderr) = run_cli(&dir, &["db", "stop"], None);
    assert!(status.success(), "{stderr}");
    dir
}

fn start_by_hand(dir: &Path) -> i32 {
    assert_ran("pg_ctl start", &pg_ctl_by_hand(dir, &["start", "-w"]));
    postmaster_pid(dir).expect("the postmaster wrote its pid file")
}

fn pid_file(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("postgres/postmaster.pid")).expect("the pid file is there")
}

/// The private cluster's URL (the socket), as `newsdesk db info` prints it.
fn database_url(dir: &Path) -> String {
    let (status, stdout, stderr) = run_cli(dir, &["db", "info"], None);
    assert!(status.success(), "{stderr}");
    stdout
        .lines()
        .find_map(|line| line.strip_prefix("DATABASE_URL:"))
        .expect("db info prints the URL")
        .trim()
        .to_owned()
}

#[tokio::test]
async fn a_postgres_started_and_restarted_by_hand_is_adopted_and_its_pid_file_kept() {
    let dir = initialised_cluster("by-hand");
    let pid = start_by_hand(&dir);
    let contents = pid_file(&dir);

    let server = Server::start(&dir);
    assert_eq!(server.health().await, 200);
    assert!(
        server.startup_log.contains("adopting"),
        "{}",
        server.startup_log
    );
    assert_eq!(pid_file(&dir), contents, "the pid file is untouched");

    // An administrator restarts PostgreSQL; the next command still adopts it.
    assert_ran(
        "pg_ctl restart",
        &pg_ctl_by_hand(&dir, &["restart", "-w", "-m", "fast"]),
    );
    wait_until_gone(pid);
    let pid = postmaster_pid(&dir).expect("the new postmaster wrote its pid file");
    let contents = pid_file(&dir);
    let (status, stdout, stderr) = run_cli(
        &dir,
        &["user", "add", "Rosa", "--role", "admin"],
        Some("a long enough password"),
    );
    assert!(status.success(), "{stdout}\n{stderr}");
    assert!(stderr.contains("adopting"), "{stderr}");
    let (status, token, stderr) = run_cli(
        &dir,
        &["token", "create", "--user", "rosa", "--name", "CI"],
        None,
    );
    assert!(status.success(), "{stderr}");
    assert_eq!(pid_file(&dir), contents, "the pid file is untouched");
    assert!(process_alive(pid), "the postmaster runs on");

    // The server's connections are new ones by now, to the same postmaster.
    let feeds = reqwest::Client::new()
        .get(format!("{}/api/v1/feeds", server.url))
        .bearer_auth(token.trim())
        .send()
        .await
        .unwrap();
    let answered = feeds.status();
    let (status, log) = server.terminate();
    assert_eq!(answered, 200, "{log}");
    assert!(status.success(), "{log}");
    assert!(
        log.contains("private PostgreSQL stopped"),
        "the last user stops it: {log}"
    );
    wait_until_gone(pid);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn migrate_reports_the_migration_error_when_stopping_the_database_fails_too() {
    let dir = fresh_data_dir("migrate-error");
    let (status, url, stderr) = run_cli(&dir, &["db", "start"], None);
    assert!(status.success(), "{stderr}");
    let url = url.trim().to_owned();

    // Stall the migration: the migrations table exists and is locked.
    let mut blocker = PgConnection::connect(&url).await.unwrap();
    sqlx::query(
        "CREATE TABLE _sqlx_migrations (version BIGINT PRIMARY KEY, description TEXT NOT NULL,
             installed_on TIMESTAMPTZ NOT NULL DEFAULT now(), success BOOLEAN NOT NULL,
             checksum BYTEA NOT NULL, execution_time BIGINT NOT NULL)",
    )
    .execute(&mut blocker)
    .await
    .unwrap();
    let mut lock = blocker.begin().await.unwrap();
    sqlx::query("LOCK TABLE _sqlx_migrations IN ACCESS EXCLUSIVE MODE")
        .execute(&mut *lock)
        .await
        .unwrap();
    let migrate = newsdesk(&dir)
        .args(["migrate", "--log-format", "text"])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut observer = PgConnection::connect(&url).await.unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let waiting: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM pg_stat_activity
             WHERE wait_event_type = 'Lock' AND query LIKE '%_sqlx_migrations%'",
        )
        .fetch_one(&mut observer)
        .await
        .unwrap();
        if waiting > 0 {
            break;
        }
        assert!(Instant::now() < deadline, "migrate never reached the lock");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    // PostgreSQL dies under it: the migration fails, and so does stopping
    // the cluster afterwards (its pid file names a dead postmaster).
    let postmaster = postmaster_pid(&dir).unwrap();
    signal::kill(Pid::from_raw(postmaster), signal::Signal::SIGKILL).unwrap();
    wait_until_gone(postmaster);
    drop((lock, observer));
    drop(blocker);
    let output = tokio::task::spawn_blocking(move || migrate.wait_with_output().unwrap())
        .await
        .unwrap();
    let log = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "{log}");
    let reported = log.lines().last().unwrap_or_default();
    assert!(
        reported.contains("database migration failed"),
        "the migration's error is what is reported: {log}"
    );
    assert!(
        log.contains("pg_ctl stop failed"),
        "the failed stop is logged too: {log}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn live_updates_and_polling_resume_after_postgres_restarts() {
    let feeds = FeedServer::start().await;
    feeds.set_feed(
        "before",
        rss("Before", &[item("b1", "Before", "https://example.com/b1")]),
    );
    feeds.set_feed(
        "after",
        rss("After", &[item("a1", "After", "https://example.com/a1")]),
    );
    let dir = fresh_data_dir("pg-restart");
    let server = Server::start_with(&dir, &[("NEWSDESK_ALLOW_PRIVATE_HOSTS", "127.0.0.1")]);
    let token = admin_token(&dir);
    let url = database_url(&dir);

    let stream = reqwest::Client::new()
        .get(format!("{}/api/v1/inbox/events", server.url))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    let mut events = Events::reading(stream);
    let add_feed = |path: &'static str| {
        let url = url.clone();
        let feed_url = feeds.url(path);
        async move {
            let pool = sqlx::PgPool::connect(&url).await.unwrap();
            newsdesk_app::db::feeds::insert(&pool, &feed_url, None)
                .await
                .unwrap();
            pool.close().await;
        }
    };
    add_feed("/feed/before").await;
    events.expect_kind("arrived", Duration::from_secs(30)).await;

    let postmaster = postmaster_pid(&dir).unwrap();
    assert_ran(
        "pg_ctl restart",
        &pg_ctl_by_hand(&dir, &["restart", "-w", "-m", "fast"]),
    );
    wait_until_gone(postmaster);
    let restarted = Instant::now();

    // Whatever newsdesk lost while PostgreSQL was away, it says so.
    events.expect_kind("resync", Duration::from_secs(10)).await;
    // A feed added now is polled, and its entry arrives on the same stream.
    add_feed("/feed/after").await;
    events.expect_kind("arrived", Duration::from_secs(10)).await;
    assert!(
        restarted.elapsed() < Duration::from_secs(20),
        "resumed within seconds"
    );
    assert_eq!(feeds.seen.count("/feed/after"), 1);

    let (status, log) = server.terminate();
    assert!(status.success(), "{log}");
    std::fs::remove_dir_all(&dir).unwrap();
}

async fn setting(url: &str, name: &str) -> String {
    let mut connection = PgConnection::connect(url).await.unwrap();
    let value: String = sqlx::query_scalar(&format!("SHOW {name}"))
        .fetch_one(&mut connection)
        .await
        .unwrap();
    connection.close().await.unwrap();
    value
}

/// A new cluster gets memory and WAL settings for a database of its own
/// (PostgreSQL's defaults made ingest into a large store write evicted
/// pages from every backend), written where its owner may change them:
/// newsdesk's own settings file, rewritten at every start, leaves them be.
#[tokio::test]
async fn a_new_cluster_is_tuned_and_its_owner_may_retune_it() {
    let dir = initialised_cluster("tuned");
    let (status, _, stderr) = run_cli(&dir, &["db", "start"], None);
    assert!(status.success(), "{stderr}");
    let url = database_url(&dir);
    assert_eq!(setting(&url, "shared_buffers").await, "256MB");
    assert_eq!(setting(&url, "max_wal_size").await, "2GB");
    let (status, _, stderr) = run_cli(&dir, &["db", "stop"], None);
    assert!(status.success(), "{stderr}");

    let conf = dir.join("postgres/postgresql.conf");
    let text = std::fs::read_to_string(&conf).unwrap();
    assert!(text.contains("shared_buffers = 256MB\n"), "{text}");
    std::fs::write(
        &conf,
        text.replace("shared_buffers = 256MB\n", "shared_buffers = 160MB\n"),
    )
    .unwrap();
    let (status, _, stderr) = run_cli(&dir, &["db", "start"], None);
    assert!(status.success(), "{stderr}");
    assert_eq!(setting(&url, "shared_buffers").await, "160MB");
    let (status, _, stderr) = run_cli(&dir, &["db", "stop"], None);
    assert!(status.success(), "{stderr}");
}
