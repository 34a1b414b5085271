//! The developer scripts that change committed files, run on a copy of the
//! parts of the checkout they touch.

use std::{
    os::unix::fs::{symlink, PermissionsExt},
    path::{Path, PathBuf},
    process::Command,
};

use crate::{fresh_data_dir, DataDir, BIN};

/// A copy of what `scripts/sqlx-prepare.sh` reads and writes, with a
/// `.sqlx/` holding one old query file, and a `cargo` of our own first on
/// PATH that stands in for `cargo check`: the real check compiles the whole
/// workspace for minutes, and what is tested here is only what the script
/// does with the check's outcome.
fn sqlx_prepare_checkout(label: &str) -> DataDir {
    let checkout = fresh_data_dir(label);
    let workspace = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    for dir in [
        "scripts",
        "migrations",
        ".sqlx",
        "target/debug",
        "bin",
        "app/src",
        "server/src",
    ] {
        std::fs::create_dir_all(checkout.join(dir)).unwrap();
    }
    std::fs::copy(
        workspace.join("scripts/sqlx-prepare.sh"),
        checkout.join("scripts/sqlx-prepare.sh"),
    )
    .unwrap();
    for migration in std::fs::read_dir(workspace.join("migrations")).unwrap() {
        let migration = migration.unwrap().path();
        std::fs::copy(
            &migration,
            checkout
                .join("migrations")
                .join(migration.file_name().unwrap()),
        )
        .unwrap();
    }
    symlink(BIN, checkout.join("target/debug/newsdesk")).unwrap();
    std::fs::write(checkout.join("app/src/lib.rs"), "").unwrap();
    std::fs::write(checkout.join("server/src/lib.rs"), "").unwrap();
    std::fs::write(checkout.join(".sqlx/query-old.json"), "{\"old\": true}").unwrap();
    let cargo = checkout.join("bin/cargo");
    std::fs::write(
        &cargo,
        "#!/bin/sh\n\
         if [ \"$STUB_CHECK\" = fail ]; then echo 'error: a query does not compile' >&2; exit 101; fi\n\
         echo '{\"new\": true}' > \"$SQLX_OFFLINE_DIR/query-new.json\"\n",
    )
    .unwrap();
    std::fs::set_permissions(&cargo, std::fs::Permissions::from_mode(0o755)).unwrap();
    checkout
}

fn run_sqlx_prepare(checkout: &Path, check: &str) -> std::process::Output {
    let path = format!(
        "{}:{}",
        checkout.join("bin").display(),
        std::env::var("PATH").unwrap_or_default()
    );
    Command::new("bash")
        .arg(checkout.join("scripts/sqlx-prepare.sh"))
        .env("PATH", path)
        .env("STUB_CHECK", check)
        .env_remove("DATABASE_URL")
        .env_remove("NEWSDESK_DATABASE_URL")
        .output()
        .unwrap()
}

fn sqlx_files(checkout: &Path) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = std::fs::read_dir(checkout.join(".sqlx"))
        .unwrap()
        .map(|entry| {
            let path = entry.unwrap().path();
            (
                path.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(&path).unwrap().trim().to_owned(),
            )
        })
        .collect();
    files.sort();
    files
}

#[test]
fn sqlx_prepare_keeps_the_query_data_when_the_check_fails() {
    let checkout = sqlx_prepare_checkout("sqlx-prepare");

    let failed = run_sqlx_prepare(&checkout, "fail");
    assert!(!failed.status.success(), "the script reports the failure");
    assert!(
        String::from_utf8_lossy(&failed.stderr).contains("a query does not compile"),
        "{}",
        String::from_utf8_lossy(&failed.stderr)
    );
    assert_eq!(
        sqlx_files(&checkout),
        [("query-old.json".to_owned(), "{\"old\": true}".to_owned())],
        "offline builds still have the previous query data"
    );

    let passed = run_sqlx_prepare(&checkout, "pass");
    assert!(
        passed.status.success(),
        "{}",
        String::from_utf8_lossy(&passed.stderr)
    );
    assert_eq!(
        sqlx_files(&checkout),
        [("query-new.json".to_owned(), "{\"new\": true}".to_owned())],
        "a passing check replaces the query data entirely"
    );
    assert!(!checkout.join(".sqlx.new").exists());
    std::fs::remove_dir_all(&checkout).unwrap();
}
