//! Delivery of published issues into a git repository, against real
//! repositories made here (a bare repository as the remote) and driven
//! with `run_due_once`: publish and re-publish, an unchanged export that
//! makes no commit, a push rejected because someone else pushed meanwhile,
//! a wrong credential, an unreachable remote that is retried, "Retry", and
//! the state members see in the editor and on the issue's page.

use std::{
    net::SocketAddr,
    path::{Path, PathBuf},
    process::Command,
    sync::{Arc, Mutex},
};

use newsdesk_app::{accounts::Role, delivery::job::run_due_once};
use serde_json::{json, Value};

use crate::{
    publish::publish_one,
    support::api::{get, get_answer, post, post_server_fn},
    support::git::{bare_repository, git},
    support::issues::set_commentary,
    support::{spawn_app, TestApp},
};

/// A temporary directory removed at the end of the test.
struct Scratch(PathBuf);

impl Scratch {
    fn new(label: &str) -> Self {
        let dir = std::env::temp_dir().join(format!(
            "newsdesk-delivery-test-{label}-{}",
            uuid::Uuid::new_v4().simple()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Subjects of `main` in the remote, newest first.
fn subjects(remote: &Path) -> Vec<String> {
    git(remote, &["log", "--format=%s", "main"])
        .lines()
        .map(str::to_owned)
        .collect()
}

fn file_at_main(remote: &Path, path: &str) -> String {
    git(remote, &["show", &format!("main:{path}")])
}

/// The delivery settings as the settings page loads them.
async fn delivery_target(app: &TestApp) -> Value {
    app.call("load_delivery_target", &[])
        .await
        .json()
        .await
        .unwrap()
}

/// Points delivery at `remote` through the settings' server function.
async fn configure(app: &TestApp, remote: &str, credential: (&str, &str)) {
    let current = delivery_target(app).await;
    let version = current["version"].to_string();
    let response = app
        .call(
            "save_delivery_target",
            &[
                ("target[version]", &version),
                ("target[enabled]", "true"),
                ("target[remote]", remote),
                ("target[branch]", "main"),
                ("target[path_template]", "articles/{slug}.md"),
                ("target[slug_template]", "cloud-notes-weekly-{number}"),
                ("target[author_name]", "newsdesk bot"),
                ("target[author_email]", "bot@example.com"),
                ("target[credential_kind]", credential.0),
                ("target[credential_ref]", credential.1),
            ],
        )
        .await;
    let status = response.status();
    assert_eq!(status, 200, "{}", response.text().await.unwrap());
}

async fn delivery(app: &TestApp, client: &reqwest::Client, number: i64) -> Value {
    let response = post_server_fn(
        app,
        client,
        "load_delivery",
        &[("number", &number.to_string())],
    )
    .await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

async fn republish(app: &TestApp, number: i64) {
    let (status, body) = post(
        app,
        &format!("/api/v1/issues/{number}/republish"),
        json!({ "accept_warnings": true }),
    )
    .await;
    assert!((200..300).contains(&status), "{status} {body}");
}

/// Corrects the commentary of the first pick of published issue `number`
/// and re-publishes it.
async fn correct_and_republish(app: &TestApp, number: i64, commentary: &str) {
    set_commentary(app, first_pick(app, number).await, commentary).await;
    republish(app, number).await;
}

async fn first_pick(app: &TestApp, number: i64) -> i64 {
    let issue = get(app, &format!("/api/v1/issues/{number}")).await;
    issue["issue"]["sections"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|section| section["picks"].as_array().unwrap())
        .next()
        .map(|pick| pick["id"].as_i64().unwrap())
        .expect("a pick")
}

/// An app that delivers to a new bare repository (no credential); the
/// app, the scratch directory that holds the repository, and its path.
async fn delivering_to_a_new_remote(label: &str) -> (TestApp, Scratch, PathBuf) {
    let app = spawn_app().await;
    let scratch = Scratch::new(label);
    let remote = scratch.0.join("blog.git");
    bare_repository(&remote);
    configure(&app, remote.to_str().unwrap(), ("none", "")).await;
    (app, scratch, remote)
}

const PATH_1: &str = "articles/cloud-notes-weekly-1.md";

#[tokio::test]
async fn publishing_and_republishing_commit_the_export_once_each() {
    let (app, _scratch, remote) = delivering_to_a_new_remote("publish").await;

    let number = publish_one(&app, "Kubernetes 1.35").await;
    // Publishing did not wait: the delivery is queued.
    assert_eq!(delivery(&app, &app.client, number).await["state"], "queued");
    assert!(subjects_or_empty(&remote).is_empty());

    assert_eq!(run_due_once(&app.pool).await.unwrap(), 1);
    let delivered = delivery(&app, &app.client, number).await;
    assert_eq!(delivered["state"], "delivered", "{delivered}");
    assert_eq!(delivered["path"], PATH_1);
    let first_commit = delivered["commit_id"].as_str().unwrap().to_owned();
    assert_eq!(git(&remote, &["rev-parse", "main"]).trim(), first_commit);
    assert_eq!(subjects(&remote), ["Publish Weekly #1"]);
    let body = git(&remote, &["log", "-1", "--format=%B%n%an <%ae>", "main"]);
    assert!(body.contains("Published by admin"), "{body}");
    assert!(body.contains("newsdesk bot <bot@example.com>"), "{body}");
    let export = app.page(&format!("/issues/{number}.md")).await;
    assert_eq!(file_at_main(&remote, PATH_1), export);
    // Nothing more is due.
    assert_eq!(run_due_once(&app.pool).await.unwrap(), 0);

    // A correction changes the same file in a new commit.
    correct_and_republish(
        &app,
        number,
        "Corrected: see [the notes](https://example.com/notes).",
    )
    .await;
    assert_eq!(delivery(&app, &app.client, number).await["state"], "queued");
    run_due_once(&app.pool).await.unwrap();
    let second = delivery(&app, &app.client, number).await;
    assert_eq!(second["state"], "delivered");
    assert_ne!(second["commit_id"], first_commit.as_str());
    assert_eq!(
        subjects(&remote),
        ["Re-publish Weekly #1", "Publish Weekly #1"]
    );
    assert!(file_at_main(&remote, PATH_1).contains("Corrected: see"));
    let files = git(&remote, &["ls-tree", "-r", "--name-only", "main"]);
    assert_eq!(files.trim(), PATH_1, "one file per issue");

    // Re-publishing without a change makes no empty commit.
    republish(&app, number).await;
    run_due_once(&app.pool).await.unwrap();
    let third = delivery(&app, &app.client, number).await;
    assert_eq!(third["state"], "delivered");
    assert_eq!(third["commit_id"], second["commit_id"]);
    assert_eq!(subjects(&remote).len(), 2);

    // Members see it in the editor (its page data; the editor renders in
    // the browser) and on the issue's page; readers do not.
    let commit = &second["commit_id"].as_str().unwrap()[..12];
    let editor = app.page(&format!("/edit/{number}")).await;
    assert!(editor.contains(commit), "{editor}");
    let page = app.page(&format!("/issues/{number}")).await;
    assert!(
        page.contains("Delivered to git") && page.contains(commit),
        "{page}"
    );
    let public = app.public_page(&format!("/issues/{number}")).await;
    assert!(!public.contains("Delivered to git"), "{public}");
}

fn subjects_or_empty(remote: &Path) -> Vec<String> {
    let has_main = Command::new("git")
        .args(["rev-parse", "--verify", "-q", "main"])
        .current_dir(remote)
        .status()
        .unwrap()
        .success();
    if has_main {
        subjects(remote)
    } else {
        Vec::new()
    }
}

#[tokio::test]
async fn a_push_rejected_because_the_branch_moved_lands_on_top_of_it() {
    let (app, scratch, remote) = delivering_to_a_new_remote("race").await;
    let number = publish_one(&app, "Gateway API").await;
    run_due_once(&app.pool).await.unwrap();
    assert_eq!(
        delivery(&app, &app.client, number).await["state"],
        "delivered"
    );

    // Someone else's commit on top of ours, kept aside on another branch…
    let other = scratch.0.join("other");
    git(
        &scratch.0,
        &["clone", "-q", remote.to_str().unwrap(), "other"],
    );
    std::fs::write(other.join("README.md"), "The team's blog.\n").unwrap();
    git(&other, &["add", "README.md"]);
    git(&other, &["commit", "-q", "-m", "Add a README"]);
    git(&other, &["push", "-q", "origin", "HEAD:refs/heads/theirs"]);
    // …lands on main while the remote takes newsdesk's next push, once.
    let hook = remote.join("hooks/pre-receive");
    std::fs::write(
        &hook,
        format!(
            "#!/bin/sh\ncat >/dev/null\nif [ ! -f '{raced}' ]; then\n  touch '{raced}'\n  \
             unset GIT_QUARANTINE_PATH GIT_OBJECT_DIRECTORY GIT_ALTERNATE_OBJECT_DIRECTORIES\n  \
             git --git-dir='{remote}' update-ref refs/heads/main refs/heads/theirs\nfi\nexit 0\n",
            raced = scratch.0.join("raced").display(),
            remote = remote.display()
        ),
    )
    .unwrap();
    make_executable(&hook);

    correct_and_republish(
        &app,
        number,
        "Now GA: see [the post](https://example.com/ga).",
    )
    .await;
    run_due_once(&app.pool).await.unwrap();
    let done = delivery(&app, &app.client, number).await;
    assert_eq!(done["state"], "delivered", "{done}");
    assert!(scratch.0.join("raced").exists(), "the race happened");
    assert_eq!(
        subjects(&remote),
        ["Re-publish Weekly #1", "Add a README", "Publish Weekly #1"]
    );
    assert_eq!(file_at_main(&remote, "README.md"), "The team's blog.\n");
    assert!(file_at_main(&remote, PATH_1).contains("Now GA"));
    assert_eq!(
        git(&remote, &["rev-parse", "main"]).trim(),
        done["commit_id"].as_str().unwrap()
    );
}

pub(crate) fn make_executable(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

#[tokio::test]
async fn an_unreachable_remote_fails_without_undoing_the_publish_and_is_retried() {
    let app = spawn_app().await;
    let scratch = Scratch::new("unreachable");
    let remote = scratch.0.join("not-yet.git");
    configure(&app, remote.to_str().unwrap(), ("none", "")).await;
    let number = publish_one(&app, "etcd").await;
    let issue = get(&app, &format!("/api/v1/issues/{number}")).await;
    assert_eq!(issue["issue"]["state"], "published");

    assert_eq!(run_due_once(&app.pool).await.unwrap(), 1);
    let failed = delivery(&app, &app.client, number).await;
    assert_eq!(failed["state"], "failed", "{failed}");
    let error = failed["error"].as_str().unwrap();
    assert!(error.contains("could not be reached"), "{error}");
    assert_eq!(failed["attempts"], 1);
    assert!(failed["next_attempt_at"].is_string(), "retried by itself");
    assert_eq!(failed["can_retry"], true);
    // The API says the same.
    let (status, api) = get_answer(&app, &format!("/api/v1/issues/{number}/delivery")).await;
    assert_eq!(status, 200);
    assert_eq!(api["delivery"]["state"], "failed", "{api}");
    // Not due yet: backoff.
    assert_eq!(run_due_once(&app.pool).await.unwrap(), 0);
    // The editor and the issue's page say what is wrong and offer Retry.
    let editor = app.page(&format!("/edit/{number}")).await;
    assert!(editor.contains("could not be reached"), "{editor}");
    let page = app.page(&format!("/issues/{number}")).await;
    assert!(page.contains("Delivery to git failed"), "{page}");
    assert!(page.contains("could not be reached"), "{page}");
    assert!(page.contains("delivery-retry"), "{page}");

    // Time passes; still unreachable: the wait doubles.
    make_due(&app).await;
    run_due_once(&app.pool).await.unwrap();
    let again = delivery(&app, &app.client, number).await;
    assert_eq!(again["attempts"], 2);
    let wait: f64 = sqlx::query_scalar(
        "SELECT extract(epoch FROM next_attempt_at - now())::float8 FROM git_deliveries",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert!((40.0..=60.0).contains(&wait), "second wait {wait}s");

    // Viewers may look but not retry.
    let (_, viewer) = app.client_as("vera", Role::Viewer).await;
    assert_eq!(delivery(&app, &viewer, number).await["can_retry"], false);
    let refused = post_server_fn(
        &app,
        &viewer,
        "retry_delivery",
        &[("number", &number.to_string())],
    )
    .await;
    assert_eq!(refused.status(), 403);

    // Once the repository exists, Retry delivers at once.
    bare_repository(&remote);
    let retried = app
        .call("retry_delivery", &[("number", &number.to_string())])
        .await;
    assert_eq!(retried.status(), 200);
    let queued: Value = retried.json().await.unwrap();
    assert_eq!(queued["state"], "queued");
    // Nothing failed is left to retry.
    let (status, _) = post(
        &app,
        &format!("/api/v1/issues/{number}/delivery/retry"),
        None,
    )
    .await;
    assert_eq!(status, 422);
    run_due_once(&app.pool).await.unwrap();
    assert_eq!(
        delivery(&app, &app.client, number).await["state"],
        "delivered"
    );
    assert_eq!(subjects(&remote), ["Publish Weekly #1"]);
}

/// The job has no reader: it keeps the error as a message, and each page
/// words it in its reader's language.
#[tokio::test]
async fn a_failed_delivery_is_explained_in_each_readers_language() {
    let app = spawn_app().await;
    let scratch = Scratch::new("languages");
    let remote = scratch.0.join("not-yet.git");
    configure(&app, remote.to_str().unwrap(), ("none", "")).await;
    let number = publish_one(&app, "etcd").await;
    assert_eq!(run_due_once(&app.pool).await.unwrap(), 1);

    let english = delivery(&app, &app.client, number).await;
    let english = english["error"].as_str().unwrap().to_owned();
    assert!(
        english.starts_with("The remote could not be reached ("),
        "{english}"
    );
    let (hana, japanese) = app.client_as("Hana", Role::Publisher).await;
    app.set_language(&hana, "ja").await;
    let shown = delivery(&app, &japanese, number).await;
    let error = shown["error"].as_str().unwrap();
    assert!(
        error.starts_with("リモートに接続できませんでした"),
        "{error}"
    );
    // What git said is quoted as it came, in both.
    let (_, quoted) = english.split_once('(').unwrap();
    let (quoted, _) = quoted.rsplit_once(')').unwrap();
    assert!(error.contains(quoted), "{error} quotes {quoted}");
}

async fn make_due(app: &TestApp) {
    sqlx::query("UPDATE git_deliveries SET next_attempt_at = now()")
        .execute(&app.pool)
        .await
        .unwrap();
}

/// A git server over HTTP that refuses every credential, and remembers the
/// `Authorization` headers it was sent.
async fn refusing_git_server() -> (SocketAddr, Arc<Mutex<Vec<String>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    let app = axum::Router::new().fallback(move |headers: http::HeaderMap| {
        let log = log.clone();
        async move {
            if let Some(value) = headers.get("authorization") {
                log.lock().unwrap().push(value.to_str().unwrap().to_owned());
            }
            (
                http::StatusCode::UNAUTHORIZED,
                [("www-authenticate", "Basic realm=\"git\"")],
                "Bad credentials",
            )
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    (addr, seen)
}

#[tokio::test]
async fn a_wrong_credential_fails_in_plain_words_without_showing_the_secret() {
    use base64::Engine;
    let app = spawn_app().await;
    let scratch = Scratch::new("credential");
    let token = "ghp_wrongTokenForTests0123456789";
    let token_file = scratch.0.join("token");
    std::fs::write(&token_file, format!("{token}\n")).unwrap();
    let (addr, seen) = refusing_git_server().await;
    configure(
        &app,
        &format!("http://{addr}/team/blog.git"),
        ("token_file", token_file.to_str().unwrap()),
    )
    .await;
    // The settings show the reference, never the token.
    let target = app
        .call("load_delivery_target", &[])
        .await
        .text()
        .await
        .unwrap();
    assert!(!target.contains(token), "{target}");
    let page = app.page("/settings/delivery").await;
    assert!(page.contains(token_file.to_str().unwrap()), "{page}");
    assert!(!page.contains(token), "{page}");
    let number = publish_one(&app, "Cilium").await;

    run_due_once(&app.pool).await.unwrap();
    let failed = delivery(&app, &app.client, number).await;
    assert_eq!(failed["state"], "failed", "{failed}");
    let error = failed["error"].as_str().unwrap();
    assert!(error.contains("refused newsdesk's credentials"), "{error}");
    assert!(failed["next_attempt_at"].is_string());
    // The token was offered, and appears nowhere people can read.
    let expected = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("x-access-token:{token}"))
    );
    assert!(
        seen.lock().unwrap().contains(&expected),
        "{:?}",
        seen.lock().unwrap()
    );
    assert!(!failed.to_string().contains(token));
    let editor = app.page(&format!("/edit/{number}")).await;
    assert!(!editor.contains(token));

    // A token file that is gone is named, with nothing tried.
    std::fs::remove_file(&token_file).unwrap();
    make_due(&app).await;
    run_due_once(&app.pool).await.unwrap();
    let error = delivery(&app, &app.client, number).await["error"].clone();
    assert!(
        error.as_str().unwrap().contains("token file")
            && error.as_str().unwrap().contains("cannot be read"),
        "{error}"
    );
}

#[tokio::test]
async fn settings_refuse_a_slug_zenn_would_refuse() {
    let app = spawn_app().await;
    let current = delivery_target(&app).await;
    let response = app
        .call(
            "save_delivery_target",
            &[
                ("target[version]", &current["version"].to_string()),
                ("target[enabled]", "true"),
                ("target[remote]", "git@github.com:team/zenn.git"),
                ("target[branch]", "main"),
                ("target[path_template]", "articles/{slug}.md"),
                ("target[slug_template]", "Weekly_{number}"),
                ("target[author_name]", "newsdesk"),
                ("target[author_email]", "bot@example.com"),
                ("target[credential_kind]", "none"),
            ],
        )
        .await;
    assert_eq!(response.status(), 422);
    let body = response.text().await.unwrap();
    assert!(body.contains("12–50 characters"), "{body}");
    // Nothing is queued while delivery is off.
    publish_one(&app, "Envoy").await;
    assert_eq!(run_due_once(&app.pool).await.unwrap(), 0);
}
