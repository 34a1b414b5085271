//! A delivery to git survives `kill -9`: newsdesk dies while its push is
//! inside the remote (a hook holds it there), and after the restart the
//! delivery completes once, with exactly one commit in the repository,
//! whether or not the orphaned push landed; the dead process's checkout
//! is removed by the next one.

use std::time::{Duration, Instant};

use super::{
    fresh_data_dir,
    publish::{first_draft_with_a_pick, pool, publish_first, publisher_client, served_markdown},
    support::git::{bare_repository, git},
    Server,
};

async fn wait_for(what: &str, mut done: impl AsyncFnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(90);
    while !done().await {
        assert!(Instant::now() < deadline, "{what} did not happen in time");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The delivery work directories of process `pid` in the temp directory.
fn work_dirs_of(pid: u32) -> Vec<String> {
    let prefix = format!("newsdesk-delivery-{pid}-");
    std::fs::read_dir(std::env::temp_dir())
        .unwrap()
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|name| name.starts_with(&prefix))
        .collect()
}

#[tokio::test]
async fn a_delivery_killed_mid_push_completes_once_after_the_restart() {
    let dir = fresh_data_dir("delivery-crash");
    std::fs::create_dir_all(&dir).unwrap();
    let remote = dir.join("blog.git");
    bare_repository(&remote);
    let started = dir.join("push-started");
    let release = dir.join("push-released");
    let hook = remote.join("hooks/pre-receive");
    std::fs::write(
        &hook,
        format!(
            "#!/bin/sh\ncat >/dev/null\ntouch '{}'\nwhile [ ! -f '{}' ]; do sleep 0.05; done\nexit 0\n",
            started.display(),
            release.display()
        ),
    )
    .unwrap();
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755)).unwrap();
    }

    let client = publisher_client(&dir);

    let server = Server::start(&dir);
    let db = pool(&dir).await;
    sqlx::query(
        "UPDATE delivery_target SET enabled = true, remote = $1, path_template = 'content/posts/{date}-{number}.md'",
    )
    .bind(remote.to_str().unwrap())
    .execute(&db)
    .await
    .unwrap();
    first_draft_with_a_pick(&client, &server, &db).await;
    let published = publish_first(&client, &server).await;
    assert_eq!(published.status(), 200);

    // The push reaches the remote, and newsdesk dies there.
    wait_for("the push", async || started.exists()).await;
    let killed = server.child.id();
    assert_eq!(work_dirs_of(killed).len(), 1, "the attempt's checkout");
    server.kill_hard();
    std::fs::write(&release, "").unwrap();

    let server = Server::start(&dir);
    // The dead worker's lease runs out (it would after 15 minutes).
    sqlx::query("UPDATE git_deliveries SET claimed_until = now() - interval '1 second'")
        .execute(&db)
        .await
        .unwrap();
    wait_for("the delivery", async || {
        let state: String = sqlx::query_scalar("SELECT state FROM git_deliveries")
            .fetch_one(&db)
            .await
            .unwrap();
        state == "delivered"
    })
    .await;

    assert_eq!(work_dirs_of(killed), Vec::<String>::new());

    let log = git(&remote, &["log", "--format=%H %s", "main"]);
    let commits: Vec<&str> = log.lines().collect();
    assert_eq!(commits.len(), 1, "one commit: {log}");
    assert!(commits[0].ends_with(" Publish Weekly #1"), "{log}");
    let (commit_id, path): (String, String) =
        sqlx::query_as("SELECT commit_id, path FROM git_deliveries")
            .fetch_one(&db)
            .await
            .unwrap();
    assert!(commits[0].starts_with(&commit_id), "{log} vs {commit_id}");
    let web = served_markdown(&server).await;
    assert_eq!(git(&remote, &["show", &format!("main:{path}")]), web);

    db.close().await;
    let (status, log) = server.terminate();
    assert!(status.success(), "{log}");
    std::fs::remove_dir_all(&dir).unwrap();
}
