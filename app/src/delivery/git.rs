//! Writing one file into a git repository with the `git` command line: a
//! fresh shallow checkout of the branch, the file written, committed only
//! when it changed, pushed; a push the remote rejected because the branch
//! moved is done again on top of the new remote state.
//!
//! The command line rather than a crate: it speaks every transport and
//! credential setup the team's repository may need (SSH with a deploy key,
//! HTTPS with a token, a local path) exactly as the team's own git does,
//! and the errors it prints are the ones people find answers for.

use std::{
    path::{Path, PathBuf},
    process::Stdio,
    time::Duration,
};

use base64::Engine;
use tokio::process::Command;

use super::workdir::WorkDir;

/// How long one git command may take (a clone over a slow link included).
const COMMAND_TIMEOUT: Duration = Duration::from_secs(120);
/// Pushes rejected because someone else pushed first, before giving up.
pub(super) const PUSH_ROUNDS: usize = 3;
/// Transports git may use: no `ext::` (runs commands) or other helpers.
const PROTOCOLS: &str = "file:git:http:https:ssh";

/// How git authenticates, with the secret already read.
#[derive(Clone)]
pub enum Credential {
    None,
    SshKey(PathBuf),
    Token(String),
}

impl std::fmt::Debug for Credential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::None => f.write_str("None"),
            Self::SshKey(path) => f.debug_tuple("SshKey").field(path).finish(),
            Self::Token(_) => f.write_str("Token(<redacted>)"),
        }
    }
}

/// One file to deliver.
#[derive(Debug)]
pub struct FileCommit<'a> {
    pub remote: &'a str,
    pub branch: &'a str,
    /// Relative path inside the repository (checked by the caller).
    pub path: &'a str,
    pub content: &'a str,
    pub message: &'a str,
    pub author_name: &'a str,
    pub author_email: &'a str,
    pub credential: &'a Credential,
}

/// What became of a delivery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Committed {
    /// The commit on the branch that holds the file as given.
    pub commit_id: String,
    /// `false` when the branch already had the file as given (no commit made).
    pub changed: bool,
}

/// Why a delivery failed, in words for the people who set it up.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GitError {
    #[error("The remote refused newsdesk's credentials ({0}). Check the deploy key or token in Settings → Delivery.")]
    Credentials(String),
    #[error("The remote could not be reached ({0}).")]
    Unreachable(String),
    #[error("The push was rejected {PUSH_ROUNDS} times because others pushed at the same moment; newsdesk tries again later.")]
    KeptMoving,
    #[error("git failed: {0}")]
    Failed(String),
    #[error("git could not be run ({0}). Is git installed on the server?")]
    NotRunnable(String),
}

/// Writes `file` into its branch and pushes; see the module docs.
pub async fn commit_file(file: &FileCommit<'_>) -> Result<Committed, GitError> {
    for _ in 0..PUSH_ROUNDS {
        let work = WorkDir::new().map_err(|e| GitError::Failed(e.to_string()))?;
        match commit_in(work.path(), file).await? {
            Round::Done(committed) => return Ok(committed),
            Round::Rejected => continue,
        }
    }
    Err(GitError::KeptMoving)
}

enum Round {
    Done(Committed),
    /// The branch moved on the remote between fetch and push.
    Rejected,
}

async fn commit_in(dir: &Path, file: &FileCommit<'_>) -> Result<Round, GitError> {
    let git = Git { dir, file };
    git.run(&["init", "-q"]).await?;
    git.run(&["remote", "add", "origin", file.remote]).await?;
    let branch_ref = format!("refs/heads/{}", file.branch);
    let heads = git.run(&["ls-remote", "origin", &branch_ref]).await?;
    if heads.trim().is_empty() {
        // A new branch (or an empty repository): the first commit on it.
        git.run(&["checkout", "-q", "--orphan", "newsdesk"]).await?;
    } else {
        git.run(&["fetch", "-q", "--depth", "1", "origin", &branch_ref])
            .await?;
        git.run(&["checkout", "-q", "-B", "newsdesk", "FETCH_HEAD"])
            .await?;
    }
    let target = dir.join(file.path);
    if let Some(parent) = target.parent() {
        std::fs::create_dir_all(parent).map_err(|e| GitError::Failed(e.to_string()))?;
    }
    std::fs::write(&target, file.content).map_err(|e| GitError::Failed(e.to_string()))?;
    git.run(&["add", "--", file.path]).await?;
    let status = git.run(&["status", "--porcelain", "--", file.path]).await?;
    if status.trim().is_empty() {
        let commit_id = git.run(&["rev-parse", "HEAD"]).await?.trim().to_owned();
        return Ok(Round::Done(Committed {
            commit_id,
            changed: false,
        }));
    }
    git.run(&["commit", "-q", "--no-verify", "-m", file.message])
        .await?;
    let commit_id = git.run(&["rev-parse", "HEAD"]).await?.trim().to_owned();
    let push = format!("HEAD:{branch_ref}");
    match git.run(&["push", "--porcelain", "origin", &push]).await {
        Ok(_) => Ok(Round::Done(Committed {
            commit_id,
            changed: true,
        })),
        Err(GitError::Failed(output)) if is_rejected(&output) => Ok(Round::Rejected),
        Err(error) => Err(error),
    }
}

fn is_rejected(output: &str) -> bool {
    // The second kind: another push updated the branch while the remote
    // was taking ours.
    [
        "[rejected]",
        "non-fast-forward",
        "fetch first",
        "stale info",
        "cannot lock ref",
        "but expected",
    ]
    .iter()
    .any(|sign| output.contains(sign))
}

struct Git<'a> {
    dir: &'a Path,
    file: &'a FileCommit<'a>,
}

impl Git<'_> {
    /// Runs git with `args` in the work directory; its standard output, or
    /// the error its output describes (with any secret taken out).
    async fn run(&self, args: &[&str]) -> Result<String, GitError> {
        let mut command = Command::new("git");
        command
            .arg("-c")
            .arg(format!("user.name={}", self.file.author_name))
            .arg("-c")
            .arg(format!("user.email={}", self.file.author_email))
            .args(["-c", "commit.gpgsign=false"])
            .args(args)
            .current_dir(self.dir)
            .env("GIT_TERMINAL_PROMPT", "0")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_ALLOW_PROTOCOL", PROTOCOLS)
            .env("GIT_SSH_COMMAND", ssh_command(self.file.credential))
            .env_remove("GIT_ASKPASS")
            .env_remove("SSH_ASKPASS")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        if let Credential::Token(token) = self.file.credential {
            // In the environment, not the arguments: other users of the
            // machine can list arguments.
            let basic =
                base64::engine::general_purpose::STANDARD.encode(format!("x-access-token:{token}"));
            command
                .env("GIT_CONFIG_COUNT", "1")
                .env("GIT_CONFIG_KEY_0", "http.extraHeader")
                .env(
                    "GIT_CONFIG_VALUE_0",
                    format!("Authorization: Basic {basic}"),
                );
        }
        let output = tokio::time::timeout(COMMAND_TIMEOUT, command.output())
            .await
            .map_err(|_| {
                GitError::Unreachable(format!(
                    "git {} took longer than {} seconds",
                    args[0],
                    COMMAND_TIMEOUT.as_secs()
                ))
            })?
            .map_err(|error| GitError::NotRunnable(error.to_string()))?;
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        if output.status.success() {
            return Ok(stdout);
        }
        let text = format!("{}\n{stdout}", String::from_utf8_lossy(&output.stderr));
        let text = match self.file.credential {
            Credential::Token(token) if !token.is_empty() => text.replace(token.as_str(), "***"),
            _ => text,
        };
        Err(classify(&text))
    }
}

fn ssh_command(credential: &Credential) -> String {
    let mut command = "ssh -o BatchMode=yes -o StrictHostKeyChecking=accept-new".to_owned();
    if let Credential::SshKey(path) = credential {
        // git splits this like a shell: quote the path.
        let quoted = path.display().to_string().replace('\'', r"'\''");
        command.push_str(&format!(" -o IdentitiesOnly=yes -i '{quoted}'"));
    }
    command
}

/// What git's output says went wrong.
fn classify(output: &str) -> GitError {
    let lower = output.to_lowercase();
    let line = summary_line(output);
    const CREDENTIALS: [&str; 8] = [
        "authentication failed",
        "could not read username",
        "could not read password",
        "terminal prompts disabled",
        "permission denied (publickey",
        "the requested url returned error: 401",
        "the requested url returned error: 403",
        "invalid username or password",
    ];
    const UNREACHABLE: [&str; 8] = [
        "could not resolve host",
        "connection refused",
        "connection timed out",
        "unable to access",
        "does not appear to be a git repository",
        "could not read from remote repository",
        "no route to host",
        "network is unreachable",
    ];
    if CREDENTIALS.iter().any(|sign| lower.contains(sign)) {
        GitError::Credentials(line)
    } else if UNREACHABLE.iter().any(|sign| lower.contains(sign)) {
        GitError::Unreachable(line)
    } else {
        GitError::Failed(output.trim().to_owned())
    }
}

/// The most telling line of git's output, shortened.
fn summary_line(output: &str) -> String {
    let lines: Vec<&str> = output
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect();
    let line = lines
        .iter()
        .find(|line| line.starts_with("fatal:") || line.starts_with("error:"))
        .or(lines.first())
        .copied()
        .unwrap_or("no message");
    let line = line
        .trim_start_matches("fatal: ")
        .trim_start_matches("error: ");
    line.chars().take(300).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_credentials_from_reachability() {
        assert!(matches!(
            classify("fatal: could not read Username for 'https://example.com': terminal prompts disabled"),
            GitError::Credentials(_)
        ));
        assert!(matches!(
            classify("fatal: '/nowhere' does not appear to be a git repository\nfatal: Could not read from remote repository."),
            GitError::Unreachable(line) if line.contains("/nowhere")
        ));
        assert!(is_rejected(
            "To /tmp/r\n!\tHEAD:refs/heads/main\t[rejected] (fetch first)\nDone"
        ));
        assert!(!is_rejected(
            "! [remote rejected] HEAD -> main (pre-receive hook declined)"
        ));
    }
}
