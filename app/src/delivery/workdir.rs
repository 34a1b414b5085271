//! The scratch directory of one delivery attempt (a shallow checkout), in
//! the system temp directory, named by the process that made it. Removed
//! when the attempt ends; one left by a process that was killed is removed
//! when the next server starts delivering.

use std::path::{Path, PathBuf};

const PREFIX: &str = "newsdesk-delivery-";

/// A directory of its own for one attempt, removed afterwards.
pub struct WorkDir(PathBuf);

impl WorkDir {
    pub fn new() -> std::io::Result<Self> {
        let dir = std::env::temp_dir().join(format!(
            "{PREFIX}{}-{:016x}",
            std::process::id(),
            rand::random::<u64>()
        ));
        std::fs::create_dir_all(&dir)?;
        Ok(Self(dir))
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for WorkDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Removes the work directories of processes that no longer run (a
/// killed delivery leaves its checkout behind, megabytes each); returns
/// how many. A directory whose process id is alive again, reused by
/// another process, is left alone: keeping it costs disk, removing a live
/// one would break a delivery.
pub fn sweep_abandoned() -> usize {
    sweep_abandoned_in(&std::env::temp_dir())
}

fn sweep_abandoned_in(base: &Path) -> usize {
    // Liveness is read from /proc; without it nothing can be told apart.
    if !Path::new("/proc/self").exists() {
        return 0;
    }
    let Ok(entries) = std::fs::read_dir(base) else {
        return 0;
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name
            .to_str()
            .and_then(|name| name.strip_prefix(PREFIX))
            .and_then(|rest| rest.split_once('-'))
            .and_then(|(pid, _)| pid.parse::<u32>().ok())
        else {
            continue;
        };
        if Path::new(&format!("/proc/{pid}")).exists() {
            continue;
        }
        match std::fs::remove_dir_all(entry.path()) {
            Ok(()) => removed += 1,
            Err(error) => tracing::warn!(%error, dir = %entry.path().display(),
                "cannot remove an abandoned delivery work directory"),
        }
    }
    removed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_directories_of_dead_processes_are_removed() {
        let base = std::env::temp_dir().join(format!(
            "newsdesk-sweep-test-{}-{:08x}",
            std::process::id(),
            rand::random::<u32>()
        ));
        // A process id that is certainly gone: a child that ran and was
        // waited for.
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let dead = child.id();
        child.wait().unwrap();
        let abandoned = base.join(format!("{PREFIX}{dead}-00000000000000aa"));
        let live = base.join(format!("{PREFIX}{}-00000000000000bb", std::process::id()));
        let other = base.join("newsdesk-delivery-notes");
        for dir in [&abandoned, &live, &other] {
            std::fs::create_dir_all(dir.join("checkout")).unwrap();
        }

        assert_eq!(sweep_abandoned_in(&base), 1);
        assert!(!abandoned.exists());
        assert!(live.join("checkout").exists());
        assert!(other.exists());
        std::fs::remove_dir_all(&base).unwrap();
    }
}
