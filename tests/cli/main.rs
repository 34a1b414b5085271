//! The `newsdesk` binary end to end: it creates and starts its private
//! PostgreSQL from an empty data directory, survives SIGKILL and stale lock
//! files, and shuts down cleanly on SIGTERM.

// Tests may unwrap: a panic is how a test fails (the workspace denies
// unwrap outside tests).
#![allow(clippy::unwrap_used)]

use std::{
    io::{BufRead, BufReader},
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    sync::mpsc,
    thread,
    time::{Duration, Instant},
};

use nix::{sys::signal, unistd::Pid};

mod cluster;
mod delivery;
#[path = "../ingest/fixtures.rs"]
#[allow(dead_code)]
mod fixtures;
mod import;
mod issues;
mod publish;
mod scripts;
#[path = "../support/mod.rs"]
mod support;

const BIN: &str = env!("CARGO_BIN_EXE_newsdesk");

struct Server {
    child: Child,
    url: String,
    /// What was logged up to the ready line.
    startup_log: String,
    log: mpsc::Receiver<String>,
}

impl Server {
    /// Starts `newsdesk serve` and waits for the line announcing its URL.
    fn start(data_dir: &Path) -> Self {
        Self::start_with(data_dir, &[])
    }

    /// Like [`Server::start`], with more environment variables.
    #[allow(clippy::zombie_processes, reason = "Drop waits for the child")]
    fn start_with(data_dir: &Path, env: &[(&str, &str)]) -> Self {
        let mut child = newsdesk(data_dir)
            .args(["serve", "--addr", "127.0.0.1:0", "--log-format", "json"])
            .envs(env.iter().copied())
            .stderr(Stdio::piped())
            .spawn()
            .expect("newsdesk starts");
        let stderr = child.stderr.take().unwrap();
        let (sender, log) = mpsc::channel();
        thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        let mut seen = Vec::new();
        let deadline = Instant::now() + Duration::from_secs(90);
        loop {
            let remaining = deadline.saturating_duration_since(Instant::now());
            let line = log.recv_timeout(remaining).unwrap_or_else(|_| {
                panic!("newsdesk did not become ready; log:\n{}", seen.join("\n"))
            });
            // A child PostgreSQL process may leave a bare newline on the
            // shared stderr; it carries nothing to check.
            if line.trim().is_empty() {
                continue;
            }
            let event: serde_json::Value = serde_json::from_str(&line)
                .unwrap_or_else(|_| panic!("log lines are JSON: {line}"));
            seen.push(line);
            if let Some(url) = event["url"].as_str() {
                let url = url.trim_end_matches('/').to_owned();
                let startup_log = seen.join("\n");
                return Self {
                    child,
                    url,
                    startup_log,
                    log,
                };
            }
        }
    }

    async fn health(&self) -> u16 {
        reqwest::get(format!("{}/healthz", self.url))
            .await
            .expect("server answers")
            .status()
            .as_u16()
    }

    fn kill_hard(mut self) {
        self.child.kill().unwrap(); // SIGKILL
        self.child.wait().unwrap();
    }

    fn terminate(mut self) -> (std::process::ExitStatus, String) {
        signal::kill(
            Pid::from_raw(self.child.id() as i32),
            signal::Signal::SIGTERM,
        )
        .unwrap();
        let status = self.child.wait().unwrap();
        // The reader thread ends at EOF, so this collects the whole log.
        let rest: Vec<String> = self.log.iter().collect();
        (status, format!("{}\n{}", self.startup_log, rest.join("\n")))
    }
}

/// A failing test must not leave a server (and its PostgreSQL) behind.
impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = signal::kill(
                Pid::from_raw(self.child.id() as i32),
                signal::Signal::SIGTERM,
            );
            let _ = self.child.wait();
        }
    }
}

fn newsdesk(data_dir: &Path) -> Command {
    let mut command = Command::new(BIN);
    command
        .arg("--data-dir")
        .arg(data_dir)
        .env_remove("DATABASE_URL")
        .env_remove("NEWSDESK_DATABASE_URL")
        .stdout(Stdio::null());
    command
}

/// Adds the admin Rosa through the CLI and returns an API token of hers.
fn admin_token(data_dir: &Path) -> String {
    member_token(data_dir, ("Rosa", "admin"), ("rosa", "CI"))
}

/// Adds the member `name` with `role` through the CLI, then creates a
/// token called `label` for the member the CLI finds as `user`; the token.
fn member_token(
    data_dir: &Path,
    (name, role): (&str, &str),
    (user, label): (&str, &str),
) -> String {
    let (status, _, stderr) = run_cli(
        data_dir,
        &["user", "add", name, "--role", role],
        Some("a long enough password"),
    );
    assert!(status.success(), "{stderr}");
    let (status, token, stderr) = run_cli(
        data_dir,
        &["token", "create", "--user", user, "--name", label],
        None,
    );
    assert!(status.success(), "{stderr}");
    token.trim().to_owned()
}

/// Runs a command to its end: (status, stdout, stderr). `password` goes
/// into NEWSDESK_PASSWORD.
fn run_cli(
    data_dir: &Path,
    args: &[&str],
    password: Option<&str>,
) -> (std::process::ExitStatus, String, String) {
    let mut command = newsdesk(data_dir);
    command
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    match password {
        Some(password) => command.env("NEWSDESK_PASSWORD", password),
        None => command.env_remove("NEWSDESK_PASSWORD"),
    };
    let output = command.output().unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    (output.status, stdout, stderr)
}

/// A data directory outside the checkout: as root, PostgreSQL runs as
/// another user, who may not be able to enter the checkout's parents (a
/// clone under /root, say), while the system temp directory is open to all.
/// Removed when dropped, passing or failing; declared before the test's
/// `Server`, it is dropped after it, once the server has stopped.
fn fresh_data_dir(label: &str) -> DataDir {
    let dir = std::env::temp_dir().join(format!("newsdesk-cli-{label}-{}", std::process::id()));
    if dir.exists() {
        std::fs::remove_dir_all(&dir).unwrap();
    }
    DataDir(dir)
}

struct DataDir(PathBuf);

impl std::ops::Deref for DataDir {
    type Target = Path;

    fn deref(&self) -> &Path {
        &self.0
    }
}

impl AsRef<Path> for DataDir {
    fn as_ref(&self) -> &Path {
        &self.0
    }
}

impl Drop for DataDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn postmaster_pid(data_dir: &Path) -> Option<i32> {
    std::fs::read_to_string(data_dir.join("postgres/postmaster.pid"))
        .ok()?
        .lines()
        .next()?
        .trim()
        .parse()
        .ok()
}

/// Alive and not a zombie (an exited process nobody has reaped yet).
fn process_alive(pid: i32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|stat| {
            stat.rsplit_once(") ")
                .map(|(_, rest)| !rest.starts_with('Z'))
        })
        .unwrap_or(false)
}

/// Waits for a process we cannot `wait()` for (it is not our child).
fn wait_until_gone(pid: i32) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while process_alive(pid) {
        assert!(Instant::now() < deadline, "process {pid} did not exit");
        thread::sleep(Duration::from_millis(20));
    }
}

#[tokio::test]
async fn first_start_creates_the_database_and_sigterm_stops_everything() {
    let dir = fresh_data_dir("first-start");
    let server = Server::start(&dir);
    assert_eq!(server.health().await, 200);
    assert!(
        dir.join("postgres/PG_VERSION").is_file(),
        "cluster lives under --data-dir"
    );
    let pid = postmaster_pid(&dir).expect("postmaster running");
    assert!(process_alive(pid));
    assert!(
        server.startup_log.contains("psql -h"),
        "tells how to connect: {}",
        server.startup_log
    );

    let (status, log) = server.terminate();
    assert!(status.success(), "clean exit on SIGTERM: {status}\n{log}");
    assert!(log.contains("private PostgreSQL stopped"), "{log}");
    assert!(
        !dir.join("postgres/postmaster.pid").exists(),
        "PostgreSQL shut down cleanly"
    );
    wait_until_gone(pid);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn restarts_after_sigkill_and_after_a_stale_postmaster_pid() {
    let dir = fresh_data_dir("sigkill");
    let server = Server::start(&dir);
    assert_eq!(server.health().await, 200);
    server.kill_hard();

    // newsdesk died, its PostgreSQL kept running: the next start adopts it.
    let server = Server::start(&dir);
    assert_eq!(server.health().await, 200);
    assert!(
        server.startup_log.contains("adopting"),
        "{}",
        server.startup_log
    );

    // Now kill both, like a power cut: postmaster.pid stays behind, stale.
    let postmaster = postmaster_pid(&dir).expect("postmaster running");
    server.kill_hard();
    signal::kill(Pid::from_raw(postmaster), signal::Signal::SIGKILL).unwrap();
    wait_until_gone(postmaster);
    assert!(
        dir.join("postgres/postmaster.pid").exists(),
        "the crash left the pid file"
    );

    let server = Server::start(&dir);
    assert_eq!(server.health().await, 200);
    let (status, log) = server.terminate();
    assert!(status.success(), "{log}");
    assert!(log.contains("stale postmaster.pid"), "{log}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn a_pid_file_naming_an_unrelated_live_process_does_not_block_start() {
    let dir = fresh_data_dir("pid-reuse");
    let server = Server::start(&dir);
    let (status, log) = server.terminate();
    assert!(status.success(), "{log}");
    // After a reboot the old PID may belong to any process, e.g. this test.
    let pid_file = dir.join("postgres/postmaster.pid");
    std::fs::write(
        &pid_file,
        format!(
            "{}\n{}\n",
            std::process::id(),
            dir.join("postgres").display()
        ),
    )
    .unwrap();

    let server = Server::start(&dir);
    assert_eq!(server.health().await, 200);
    let (status, _) = server.terminate();
    assert!(status.success());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn migrate_runs_alone_and_leaves_nothing_running() {
    let dir = fresh_data_dir("migrate");
    let output = newsdesk(&dir)
        .arg("migrate")
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    let log = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{log}");
    assert!(log.contains("migrations applied"), "{log}");
    assert!(
        !dir.join("postgres/postmaster.pid").exists(),
        "the cluster was stopped again"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn help_explains_commands_and_environment_variables() {
    let output = Command::new(BIN).arg("--help").output().unwrap();
    assert!(output.status.success());
    let help = String::from_utf8(output.stdout).unwrap();
    for expected in [
        "serve",
        "migrate",
        "NEWSDESK_ADDR",
        "NEWSDESK_DATA_DIR",
        "NEWSDESK_LOG_FORMAT",
        "DATABASE_URL",
    ] {
        assert!(
            help.contains(expected),
            "--help mentions {expected}:\n{help}"
        );
    }
}

#[test]
fn an_unusable_database_url_fails_with_a_clear_message() {
    let dir = fresh_data_dir("bad-url");
    let output = Command::new(BIN)
        .args(["migrate", "--log-format", "text"])
        .env("DATABASE_URL", "postgres://nobody@127.0.0.1:1/nothing")
        .arg("--data-dir")
        .arg(&*dir)
        .output()
        .unwrap();
    assert!(!output.status.success());
    let log = String::from_utf8_lossy(&output.stderr);
    assert!(log.contains("cannot connect to PostgreSQL"), "{log}");
    assert!(
        !dir.join("postgres").exists(),
        "no private cluster when DATABASE_URL is set"
    );
}

#[test]
fn feeds_import_and_export_move_an_opml_file_in_and_out() {
    let dir = fresh_data_dir("opml");
    let run = |args: &[&str]| {
        let output = newsdesk(&dir)
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        let stdout = String::from_utf8(output.stdout).unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        (output.status, stdout, stderr)
    };
    let fixture = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures/opml/feedly-style.opml")
        .display()
        .to_string();

    let (status, stdout, stderr) = run(&["feeds", "import", &fixture]);
    assert!(status.success(), "{stdout}\n{stderr}");
    assert!(stdout.contains("3 feeds in the file\n"), "{stdout}");
    assert!(stdout.contains("checked 3 of 3\n"), "{stdout}");
    assert!(
        stdout.ends_with("3 added, 0 duplicates skipped, 0 invalid\n"),
        "{stdout}"
    );

    // One duplicate of the first import, one new feed, one refused URL.
    let mixed = dir.with_extension("mixed.opml");
    std::fs::write(
        &mixed,
        r#"<opml version="2.0"><body>
             <outline text="HN" xmlUrl="https://hnrss.org/frontpage"/>
             <outline text="Go" xmlUrl="https://go.dev/blog/feed.atom"/>
             <outline text="FTP" xmlUrl="ftp://example.com/feed.xml"/>
           </body></opml>"#,
    )
    .unwrap();
    let (status, stdout, stderr) = run(&["feeds", "import", mixed.to_str().unwrap()]);
    assert!(
        status.success(),
        "refused URLs are reported, not fatal: {stdout}\n{stderr}"
    );
    assert!(
        stdout.contains("1 added, 1 duplicates skipped, 1 invalid\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("invalid: “ftp://example.com/feed.xml”: Only http and https"),
        "{stdout}"
    );

    let (status, exported, stderr) = run(&["feeds", "export"]);
    assert!(status.success(), "{stderr}");
    let mut categories: Vec<(String, Option<String>)> =
        newsdesk_app::feeds::opml::parse_opml(&exported)
            .unwrap()
            .into_iter()
            .map(|feed| (feed.url, feed.category))
            .collect();
    categories.sort();
    assert_eq!(
        categories,
        [
            (
                "https://github.com/cilium/cilium/releases.atom".to_owned(),
                Some("k8s".to_owned())
            ),
            ("https://go.dev/blog/feed.atom".to_owned(), None),
            ("https://hnrss.org/frontpage".to_owned(), None),
            (
                "https://kubernetes.io/feed.xml".to_owned(),
                Some("k8s".to_owned())
            ),
        ]
    );

    let file = dir.with_extension("export.opml");
    let (status, stdout, stderr) = run(&["feeds", "export", "--output", file.to_str().unwrap()]);
    assert!(status.success(), "{stderr}");
    assert_eq!(stdout, "", "the document goes to the file only");
    let written = std::fs::read_to_string(&file).unwrap();
    assert_eq!(
        newsdesk_app::feeds::opml::parse_opml(&written).unwrap(),
        newsdesk_app::feeds::opml::parse_opml(&exported).unwrap()
    );

    let broken = dir.with_extension("broken.opml");
    std::fs::write(&broken, r#"<opml version="2.0"><body><outline text="a">"#).unwrap();
    let (status, _, stderr) = run(&["feeds", "import", broken.to_str().unwrap()]);
    assert!(!status.success(), "an unreadable file is an error");
    assert!(stderr.contains("damaged"), "{stderr}");

    let missing = dir.with_extension("missing.opml");
    let (status, _, stderr) = run(&["feeds", "import", missing.to_str().unwrap()]);
    assert!(!status.success());
    assert!(stderr.contains("cannot read"), "{stderr}");

    assert!(
        !dir.join("postgres/postmaster.pid").exists(),
        "every command stopped the cluster again"
    );
    for path in [&mixed, &file, &broken] {
        std::fs::remove_file(path).unwrap();
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Imports one feed into a fresh data dir and runs `poll --once` there,
/// optionally allowing private hosts; returns what it printed.
fn import_and_poll_once(label: &str, feed_url: &str, allow: Option<&str>) -> String {
    let dir = fresh_data_dir(label);
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("feeds.opml");
    std::fs::write(
        &file,
        format!(r#"<?xml version="1.0"?><opml version="2.0"><head/><body><outline text="CLI" xmlUrl="{feed_url}"/></body></opml>"#),
    )
    .unwrap();
    let imported = newsdesk(&dir)
        .args(["feeds", "import"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        imported.status.success(),
        "{}",
        String::from_utf8_lossy(&imported.stderr)
    );
    let mut poll = newsdesk(&dir);
    poll.args(["poll", "--once"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    match allow {
        Some(hosts) => poll.env("NEWSDESK_ALLOW_PRIVATE_HOSTS", hosts),
        None => poll.env_remove("NEWSDESK_ALLOW_PRIVATE_HOSTS"),
    };
    let output = poll.output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    std::fs::remove_dir_all(&dir).unwrap();
    String::from_utf8_lossy(&output.stdout).trim().to_owned()
}

#[tokio::test]
async fn poll_once_refreshes_due_feeds_from_allowed_hosts_only() {
    use fixtures::{item, rss, FeedServer};
    let server = FeedServer::start().await;
    server.set_feed(
        "cli",
        rss(
            "CLI",
            &[
                item("c1", "One", "https://example.com/1"),
                item("c2", "Two", "https://example.com/2"),
            ],
        ),
    );
    let url = server.url("/feed/cli");

    let refused = {
        let url = url.clone();
        tokio::task::spawn_blocking(move || import_and_poll_once("poll-refused", &url, None))
            .await
            .unwrap()
    };
    assert_eq!(refused, "refreshed 1 feeds: 0 new candidates, 1 failed");
    assert_eq!(
        server.seen.count("/feed/cli"),
        0,
        "127.0.0.1 is refused unless allowed"
    );

    let allowed = tokio::task::spawn_blocking(move || {
        import_and_poll_once("poll-allowed", &url, Some("127.0.0.1"))
    })
    .await
    .unwrap();
    assert_eq!(allowed, "refreshed 1 feeds: 2 new candidates, 0 failed");
    assert_eq!(server.seen.count("/feed/cli"), 1);
}

#[test]
fn user_and_token_commands_manage_members_from_the_shell() {
    let dir = fresh_data_dir("users");
    let run = |args: &[&str], password: Option<&str>| run_cli(&dir, args, password);

    let (status, stdout, stderr) = run(
        &["user", "add", "Ｒｏｓａ", "--role", "admin"],
        Some("a long enough password"),
    );
    assert!(status.success(), "{stdout}\n{stderr}");
    assert_eq!(stdout, "added Rosa as admin\n");

    let (status, _, stderr) = run(&["user", "add", "Sam", "--role", "editor"], Some("short"));
    assert!(!status.success(), "a too-short password is refused");
    assert!(
        stderr.contains("The password is too short: use at least 10 characters"),
        "{stderr}"
    );
    let (status, _, stderr) = run(&["user", "add", "Sam", "--role", "editor"], None);
    assert!(!status.success(), "no password and no terminal");
    assert!(stderr.contains("set NEWSDESK_PASSWORD"), "{stderr}");
    let (status, _, stderr) = run(
        &["user", "add", "rosa", "--role", "viewer"],
        Some("a long enough password"),
    );
    assert!(!status.success());
    assert!(stderr.contains("already taken"), "{stderr}");

    let (status, stdout, stderr) = run(&["user", "list"], None);
    assert!(status.success(), "{stderr}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 2, "a header and Rosa only: {stdout}");
    assert!(
        lines[0].starts_with("NAME  ROLE   ACTIVE  CREATED"),
        "{stdout}"
    );
    assert!(lines[1].starts_with("Rosa  admin  yes     20"), "{stdout}");

    let (status, stdout, stderr) = run(
        &["user", "set-password", "ROSA"],
        Some("another long password"),
    );
    assert!(status.success(), "{stderr}");
    assert_eq!(stdout, "password of Rosa changed\n");

    let (status, stdout, stderr) =
        run(&["token", "create", "--user", "rosa", "--name", "CI"], None);
    assert!(status.success(), "{stderr}");
    let token = stdout.trim();
    assert!(
        token.starts_with("nd_") && token.len() == 46 && stdout.lines().count() == 1,
        "only the token is printed: {stdout}"
    );
    let (status, _, stderr) = run(
        &["token", "create", "--user", "nobody", "--name", "CI"],
        None,
    );
    assert!(!status.success());
    assert!(stderr.contains("No member is called “nobody”"), "{stderr}");

    assert!(
        !dir.join("postgres/postmaster.pid").exists(),
        "every command stopped the cluster again"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn commands_share_the_private_database_with_a_running_server() {
    let dir = fresh_data_dir("shared");
    let server = Server::start(&dir);
    let pid = postmaster_pid(&dir).expect("postmaster running");

    // A second process uses the same cluster and exits without stopping it.
    let migrate = {
        let dir = dir.to_path_buf();
        tokio::task::spawn_blocking(move || {
            newsdesk(&dir)
                .arg("migrate")
                .stderr(Stdio::piped())
                .output()
                .unwrap()
        })
    }
    .await
    .unwrap();
    assert!(
        migrate.status.success(),
        "{}",
        String::from_utf8_lossy(&migrate.stderr)
    );
    let log = String::from_utf8_lossy(&migrate.stderr);
    assert!(
        log.contains("adopting"),
        "joined the running cluster: {log}"
    );
    assert!(log.contains("left running"), "and left it running: {log}");
    assert_eq!(postmaster_pid(&dir), Some(pid));
    assert_eq!(server.health().await, 200);

    let (status, log) = server.terminate();
    assert!(status.success(), "{log}");
    assert!(
        log.contains("private PostgreSQL stopped"),
        "the last user stops it: {log}"
    );
    wait_until_gone(pid);
    std::fs::remove_dir_all(&dir).unwrap();
}
