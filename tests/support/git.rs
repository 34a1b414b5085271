//! git for tests of the delivery to a repository: a remote made here, and
//! git run on it.

use std::{path::Path, process::Command};

/// Runs git in `dir` as a committer of its own (not newsdesk's), with no
/// system configuration; its output, or a failed test.
pub fn git(dir: &Path, args: &[&str]) -> String {
    let output = Command::new("git")
        .args([
            "-c",
            "user.name=Someone Else",
            "-c",
            "user.email=else@example.com",
        ])
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .expect("git runs");
    assert!(
        output.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// A bare repository with branch `main`, as the team's remote.
pub fn bare_repository(at: &Path) {
    std::fs::create_dir_all(at).unwrap();
    git(at, &["init", "-q", "--bare", "-b", "main"]);
}
