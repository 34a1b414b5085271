//! The private PostgreSQL cluster newsdesk runs under its data directory when
//! no external database is configured: `initdb` on first use, start/stop with
//! newsdesk, reachable only through a Unix socket (no TCP port).
//!
//! Several newsdesk processes may share one cluster (a server plus CLI
//! commands). Each holds a shared `flock` on `newsdesk.lock` for as long as
//! it uses the cluster. Starting and stopping are transitions, serialised by
//! an exclusive lock on `transition.lock` held only for their duration; a
//! stop happens only when no one else holds `newsdesk.lock`, so the last
//! user stops the server. Locks die with their process, so a `kill -9`
//! never leaves the directory locked, and a postmaster left running by a
//! killed newsdesk is adopted by the next start.
//!
//! One file, though long: start, adopt, lock and stop are one protocol over
//! the same directory and locks, and read best in one place.

use std::{
    ffi::OsStr,
    fs::{self, File},
    io,
    os::unix::{
        ffi::OsStrExt,
        fs::{chown, PermissionsExt},
    },
    path::{Path, PathBuf},
    process::Output,
};

use sqlx::postgres::PgConnectOptions;
use tokio::process::Command;

use crate::error::Error;

pub const SUPERUSER: &str = "newsdesk";
pub const DATABASE: &str = "newsdesk";
/// Written into postgresql.conf when the cluster is created, where the
/// owner may change them: PostgreSQL's defaults (128 MB of buffers, a
/// checkpoint every 1 GB of WAL) suit a shared server; newsdesk's own
/// cluster has the machine's memory for itself.
const CREATION_SETTINGS: &str =
    "\n# Set by newsdesk when it created the cluster; change them freely.\n\
shared_buffers = 256MB\n\
max_wal_size = 2GB\n";

const PORT: u16 = 5432;
/// Unix socket paths are limited to 107 bytes; leave room for the file name.
const MAX_SOCKET_DIR_LEN: usize = 90;
/// How long a postmaster may take to start, as `pg_ctl -t` is given.
const STARTUP_WAIT: std::time::Duration = std::time::Duration::from_secs(60);

/// A running private cluster that this process is using.
#[derive(Debug)]
pub struct PrivateCluster {
    layout: Layout,
    bin_dir: PathBuf,
    run_as: Option<RunAs>,
    lock: File,
}

/// Where everything lives under the data directory.
#[derive(Debug, Clone)]
pub struct Layout {
    pub root: PathBuf,
    pub pgdata: PathBuf,
    pub socket_dir: PathBuf,
    pub log_file: PathBuf,
}

/// PostgreSQL refuses to run as root, so as root we run it as this user.
#[derive(Debug, Clone)]
struct RunAs {
    name: String,
    uid: u32,
    gid: u32,
}

impl Layout {
    pub fn new(data_dir: &Path) -> Result<Self, Error> {
        fs::create_dir_all(data_dir).map_err(|e| {
            Error::Database(format!(
                "cannot create data directory {}: {e}",
                data_dir.display()
            ))
        })?;
        let root = data_dir.canonicalize().map_err(|e| {
            Error::Database(format!(
                "cannot resolve data directory {}: {e}",
                data_dir.display()
            ))
        })?;
        let mut socket_dir = root.join("run");
        if socket_dir.as_os_str().len() > MAX_SOCKET_DIR_LEN {
            socket_dir = std::env::temp_dir().join(format!("newsdesk-{:016x}", path_hash(&root)));
        }
        Ok(Self {
            pgdata: root.join("postgres"),
            log_file: root.join("log").join("postgres.log"),
            socket_dir,
            root,
        })
    }

    pub fn connect_options(&self) -> PgConnectOptions {
        PgConnectOptions::new()
            .socket(&self.socket_dir)
            .port(PORT)
            .username(SUPERUSER)
            .database(DATABASE)
    }

    /// A URL other tools (and `DATABASE_URL`) accept for this cluster.
    pub fn database_url(&self) -> String {
        format!(
            "postgres://{SUPERUSER}@localhost/{DATABASE}?host={}",
            self.socket_dir.display()
        )
    }

    pub fn psql_command(&self) -> String {
        format!(
            "psql -h {} -p {PORT} -U {SUPERUSER} {DATABASE}",
            self.socket_dir.display()
        )
    }
}

impl PrivateCluster {
    /// Initialises the cluster if needed, starts it (or adopts one already
    /// running on this data directory) and creates the newsdesk database.
    pub async fn start(data_dir: &Path) -> Result<Self, Error> {
        let layout = Layout::new(data_dir)?;
        let _transition = lock_exclusive(open_lock(&layout.root, TRANSITION_LOCK)?).await?;
        let cluster = Self {
            bin_dir: find_bin_dir()?,
            run_as: run_as_user()?,
            lock: open_lock(&layout.root, USE_LOCK)?,
            layout,
        };
        cluster.let_server_user_enter_root()?;
        cluster.ensure_initialised().await?;
        cluster.write_runtime_config()?;
        if cluster.postmaster_running()? {
            tracing::info!(pgdata = %cluster.layout.pgdata.display(), "adopting the private PostgreSQL that is already running");
            cluster.wait_until_accepting().await?;
        } else {
            cluster.start_postmaster().await?;
        }
        cluster.ensure_database().await?;
        // Only stoppers take this lock exclusively, and only while holding
        // the transition lock we hold now, so this never waits.
        cluster
            .lock
            .lock_shared()
            .map_err(|e| lock_error(&cluster.layout.root, e))?;
        Ok(cluster)
    }

    pub fn layout(&self) -> &Layout {
        &self.layout
    }

    /// Stops the server unless another newsdesk process is still using it.
    pub async fn stop(self) -> Result<(), Error> {
        let _transition = lock_exclusive(open_lock(&self.layout.root, TRANSITION_LOCK)?).await?;
        match self.lock.try_lock() {
            Ok(()) => self.stop_postmaster().await,
            Err(fs::TryLockError::WouldBlock) => {
                tracing::info!(
                    "private PostgreSQL left running: another newsdesk process is using it"
                );
                Ok(())
            }
            Err(fs::TryLockError::Error(e)) => Err(lock_error(&self.layout.root, e)),
        }
    }

    /// Leaves the server running after this process exits (`newsdesk db start`).
    pub fn detach(self) {
        drop(self.lock);
    }

    /// `newsdesk db stop`: stops a cluster started earlier, unless in use.
    pub async fn stop_detached(data_dir: &Path) -> Result<bool, Error> {
        let layout = Layout::new(data_dir)?;
        let _transition = lock_exclusive(open_lock(&layout.root, TRANSITION_LOCK)?).await?;
        let lock = open_lock(&layout.root, USE_LOCK)?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => {
                return Err(Error::Database(
                    "a newsdesk process is still using the private database; stop it first".into(),
                ))
            }
            Err(fs::TryLockError::Error(e)) => return Err(lock_error(&layout.root, e)),
        }
        let cluster = Self {
            bin_dir: find_bin_dir()?,
            run_as: run_as_user()?,
            layout,
            lock,
        };
        if !cluster.postmaster_running()? {
            return Ok(false);
        }
        cluster.stop_postmaster().await?;
        Ok(true)
    }

    /// The server user must be able to pass through the data directory to
    /// reach its own subdirectories (a 0700 temp dir would lock it out).
    /// Traverse only: it still cannot list or read our files.
    fn let_server_user_enter_root(&self) -> Result<(), Error> {
        if self.run_as.is_none() {
            return Ok(());
        }
        let root = &self.layout.root;
        let mode = fs::metadata(root)
            .map_err(|e| io_error("inspect", root, e))?
            .permissions()
            .mode();
        if mode & 0o001 == 0 {
            fs::set_permissions(root, fs::Permissions::from_mode(mode | 0o001))
                .map_err(|e| io_error("chmod", root, e))?;
        }
        Ok(())
    }

    async fn ensure_initialised(&self) -> Result<(), Error> {
        let pgdata = &self.layout.pgdata;
        if pgdata.join("PG_VERSION").exists() {
            return Ok(());
        }
        // initdb into a scratch directory and rename it into place, so that a
        // crash half-way never leaves a cluster that looks initialised.
        let scratch = self.layout.root.join("postgres.initdb-partial");
        if scratch.exists() {
            fs::remove_dir_all(&scratch).map_err(|e| io_error("remove", &scratch, e))?;
        }
        self.create_owned_dir(&scratch)?;
        tracing::info!(pgdata = %pgdata.display(), "creating the private PostgreSQL cluster (first start)");
        let output = self
            .pg_command("initdb")
            .arg("-D")
            .arg(&scratch)
            .args([
                "-U",
                SUPERUSER,
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            ])
            .output()
            .await
            .map_err(|e| {
                Error::Database(format!("cannot run initdb: {e}. {}", self.access_hint()))
            })?;
        check_output("initdb", &output, self.access_hint())?;
        let conf = scratch.join("postgresql.conf");
        let mut text = fs::read_to_string(&conf).map_err(|e| io_error("read", &conf, e))?;
        text.push_str(CREATION_SETTINGS);
        text.push_str("\n# Settings newsdesk rewrites at every start (socket, no TCP).\ninclude_if_exists = 'newsdesk.conf'\n");
        fs::write(&conf, text).map_err(|e| io_error("write", &conf, e))?;
        fs::rename(&scratch, pgdata).map_err(|e| io_error("rename", &scratch, e))?;
        Ok(())
    }

    fn write_runtime_config(&self) -> Result<(), Error> {
        self.create_owned_dir(&self.layout.socket_dir)?;
        if let Some(log_dir) = self.layout.log_file.parent() {
            self.create_owned_dir(log_dir)?;
        }
        let socket_dir = self
            .layout
            .socket_dir
            .display()
            .to_string()
            .replace('\'', "''");
        let conf = format!(
            "# Written by newsdesk at every start; put your own settings in postgresql.conf.\n\
             listen_addresses = ''\n\
             port = {PORT}\n\
             unix_socket_directories = '{socket_dir}'\n\
             unix_socket_permissions = 0700\n"
        );
        let path = self.layout.pgdata.join("newsdesk.conf");
        fs::write(&path, conf).map_err(|e| io_error("write", &path, e))
    }

    /// Whether a postmaster for this data directory is alive. PostgreSQL
    /// says never to remove the `postmaster.pid` of a live server, so the
    /// file is stale only when neither its process nor its socket shows a
    /// server: the process must be a live postgres working in this data
    /// directory (the one the file's second line names), and nothing may
    /// answer on the socket. A postmaster started by hand need not name the
    /// directory on its command line (`PGDATA` set instead of `-D`), so the
    /// command line proves nothing either way.
    fn postmaster_running(&self) -> Result<bool, Error> {
        let pid_file = self.layout.pgdata.join("postmaster.pid");
        let contents = match fs::read_to_string(&pid_file) {
            Ok(contents) => contents,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(false),
            Err(e) => return Err(io_error("read", &pid_file, e)),
        };
        let recorded = PidFile::parse(&contents);
        let serving = recorded.pid.is_some_and(|pid| {
            recorded
                .data_dir
                .is_some_and(|dir| same_file(Path::new(dir), &self.layout.pgdata))
                && is_postgres_in(pid, &self.layout.pgdata)
        });
        if serving || self.socket_answers(&recorded) {
            return Ok(true);
        }
        tracing::warn!(pid_file = %pid_file.display(), "removing stale postmaster.pid left by a crash");
        fs::remove_file(&pid_file).map_err(|e| io_error("remove", &pid_file, e))?;
        let socket_lock = self.layout.socket_dir.join(format!(".s.PGSQL.{PORT}.lock"));
        if socket_lock.exists() {
            fs::remove_file(&socket_lock).map_err(|e| io_error("remove", &socket_lock, e))?;
        }
        Ok(false)
    }

    /// Whether a server accepts connections on the socket the pid file
    /// names, or on ours.
    fn socket_answers(&self, recorded: &PidFile) -> bool {
        let ours = self.layout.socket_dir.join(format!(".s.PGSQL.{PORT}"));
        let named = recorded
            .socket_dir
            .map(|dir| Path::new(dir).join(format!(".s.PGSQL.{}", recorded.port.unwrap_or(PORT))));
        named
            .into_iter()
            .chain([ours])
            .any(|socket| std::os::unix::net::UnixStream::connect(socket).is_ok())
    }

    /// An adopted postmaster may still be starting (or just restarted by
    /// hand): wait until it accepts connections, as `pg_ctl start -w` does.
    async fn wait_until_accepting(&self) -> Result<(), Error> {
        let socket = self.layout.socket_dir.join(format!(".s.PGSQL.{PORT}"));
        let deadline = tokio::time::Instant::now() + STARTUP_WAIT;
        loop {
            if tokio::net::UnixStream::connect(&socket).await.is_ok() {
                return Ok(());
            }
            if tokio::time::Instant::now() >= deadline {
                return Err(Error::Database(format!(
                    "PostgreSQL runs on {} but accepts no connections on {}; {}",
                    self.layout.pgdata.display(),
                    socket.display(),
                    self.log_tail()
                )));
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
    }

    async fn start_postmaster(&self) -> Result<(), Error> {
        tracing::info!(pgdata = %self.layout.pgdata.display(), "starting the private PostgreSQL");
        let output = self
            .pg_command("pg_ctl")
            .arg("start")
            .arg("-D")
            .arg(&self.layout.pgdata)
            .arg("-l")
            .arg(&self.layout.log_file)
            .args(["-w", "-t", "60"])
            .output()
            .await
            .map_err(|e| {
                Error::Database(format!("cannot run pg_ctl: {e}. {}", self.access_hint()))
            })?;
        check_output("pg_ctl start", &output, self.log_tail())
    }

    async fn stop_postmaster(&self) -> Result<(), Error> {
        let output = self
            .pg_command("pg_ctl")
            .arg("stop")
            .arg("-D")
            .arg(&self.layout.pgdata)
            .args(["-m", "fast", "-w", "-t", "60"])
            .output()
            .await
            .map_err(|e| Error::Database(format!("cannot run pg_ctl: {e}")))?;
        check_output("pg_ctl stop", &output, self.log_tail())?;
        tracing::info!("private PostgreSQL stopped");
        Ok(())
    }

    async fn ensure_database(&self) -> Result<(), Error> {
        use sqlx::{Connection, PgConnection};
        let options = self.layout.connect_options().database("postgres");
        let mut connection = PgConnection::connect_with(&options).await?;
        let exists: bool =
            sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)")
                .bind(DATABASE)
                .fetch_one(&mut connection)
                .await?;
        if !exists {
            sqlx::query(&format!("CREATE DATABASE {DATABASE}"))
                .execute(&mut connection)
                .await?;
        }
        connection.close().await?;
        Ok(())
    }

    fn pg_command(&self, program: &str) -> Command {
        let mut command = Command::new(self.bin_dir.join(program));
        // The server user may not be able to enter our working directory.
        command.current_dir(&self.layout.root).kill_on_drop(false);
        for var in [
            "PGDATA",
            "PGHOST",
            "PGPORT",
            "PGUSER",
            "PGDATABASE",
            "PGOPTIONS",
        ] {
            command.env_remove(var);
        }
        if let Some(user) = &self.run_as {
            command
                .uid(user.uid)
                .gid(user.gid)
                .env("HOME", &self.layout.root)
                .env("USER", &user.name);
        }
        command
    }

    fn create_owned_dir(&self, dir: &Path) -> Result<(), Error> {
        fs::create_dir_all(dir).map_err(|e| io_error("create", dir, e))?;
        if let Some(user) = &self.run_as {
            chown(dir, Some(user.uid), Some(user.gid)).map_err(|e| io_error("chown", dir, e))?;
        }
        fs::set_permissions(dir, fs::Permissions::from_mode(0o700))
            .map_err(|e| io_error("chmod", dir, e))
    }

    fn access_hint(&self) -> &'static str {
        if self.run_as.is_some() {
            "running as root, newsdesk runs PostgreSQL as an unprivileged user, which must be able \
             to enter every directory above --data-dir (e.g. not under /root); choose another --data-dir"
        } else {
            ""
        }
    }

    fn log_tail(&self) -> String {
        let log = fs::read_to_string(&self.layout.log_file).unwrap_or_default();
        let lines: Vec<&str> = log.lines().rev().take(10).collect();
        let tail: Vec<&str> = lines.into_iter().rev().collect();
        format!(
            "server log {}:\n{}",
            self.layout.log_file.display(),
            tail.join("\n")
        )
    }
}

/// Looks for the PostgreSQL server programs: PATH, then `pg_config
/// --bindir`, then Debian's versioned directories (newest first).
pub fn find_bin_dir() -> Result<PathBuf, Error> {
    let has_server_programs = |dir: &Path| {
        ["initdb", "pg_ctl", "postgres"]
            .iter()
            .all(|p| dir.join(p).is_file())
    };
    let mut candidates: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|path| std::env::split_paths(&path).collect())
        .unwrap_or_default();
    if let Ok(output) = std::process::Command::new("pg_config")
        .arg("--bindir")
        .output()
    {
        if output.status.success() {
            candidates.push(PathBuf::from(
                String::from_utf8_lossy(&output.stdout).trim(),
            ));
        }
    }
    let mut debian: Vec<(u32, PathBuf)> = fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let version = entry.file_name().to_str()?.parse::<u32>().ok()?;
            Some((version, entry.path().join("bin")))
        })
        .collect();
    debian.sort_by_key(|(version, _)| std::cmp::Reverse(*version));
    candidates.extend(debian.into_iter().map(|(_, dir)| dir));
    candidates
        .into_iter()
        .find(|dir| has_server_programs(dir))
        .ok_or_else(|| {
            Error::Database(
                "PostgreSQL server programs (initdb, pg_ctl, postgres) not found on PATH, via \
                 pg_config or in /usr/lib/postgresql/*/bin. Install them (`apt-get install \
                 postgresql`, or run `make run`), or set DATABASE_URL to use an existing server."
                    .into(),
            )
        })
}

fn run_as_user() -> Result<Option<RunAs>, Error> {
    if !nix::unistd::geteuid().is_root() {
        return Ok(None);
    }
    for name in ["postgres", "nobody"] {
        if let Ok(Some(user)) = nix::unistd::User::from_name(name) {
            return Ok(Some(RunAs {
                name: name.to_owned(),
                uid: user.uid.as_raw(),
                gid: user.gid.as_raw(),
            }));
        }
    }
    Err(Error::Database(
        "running as root, but neither a `postgres` nor a `nobody` user exists to run PostgreSQL as"
            .into(),
    ))
}

/// What `postmaster.pid` records: the postmaster's PID, its data
/// directory, port and first socket directory (lines 1, 2, 4 and 5).
struct PidFile<'a> {
    pid: Option<u32>,
    data_dir: Option<&'a str>,
    port: Option<u16>,
    socket_dir: Option<&'a str>,
}

impl<'a> PidFile<'a> {
    fn parse(contents: &'a str) -> Self {
        let lines: Vec<&str> = contents.lines().map(str::trim).collect();
        let line = |n: usize| lines.get(n).copied().filter(|line| !line.is_empty());
        Self {
            pid: line(0).and_then(|pid| pid.parse().ok()),
            data_dir: line(1),
            port: line(3).and_then(|port| port.parse().ok()),
            socket_dir: line(4),
        }
    }
}

/// True when `pid` is a live (not zombie) postgres process whose working
/// directory is `pgdata`: the postmaster and its children work in their
/// data directory, so a PID reused by another program, or by the server
/// of another cluster, does not count. When the working directory cannot
/// be read (another user's process), the binary alone decides.
fn is_postgres_in(pid: u32, pgdata: &Path) -> bool {
    let proc = PathBuf::from(format!("/proc/{pid}"));
    let alive = fs::read_to_string(proc.join("stat")).is_ok_and(|stat| {
        stat.rsplit_once(") ")
            .is_some_and(|(_, rest)| !rest.starts_with('Z'))
    });
    let named_postgres = |name: &OsStr| name.as_bytes().starts_with(b"postgres");
    let binary = fs::read_link(proc.join("exe"))
        .ok()
        .and_then(|exe| exe.file_name().map(named_postgres))
        .unwrap_or(false)
        || fs::read_to_string(proc.join("comm"))
            .is_ok_and(|comm| named_postgres(OsStr::new(comm.trim())));
    let in_pgdata = match fs::read_link(proc.join("cwd")) {
        Ok(cwd) => same_file(&cwd, pgdata),
        Err(_) => true,
    };
    alive && binary && in_pgdata
}

/// The same directory entry, whatever the path says (symlinks, `..`).
fn same_file(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (fs::metadata(a), fs::metadata(b)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

/// Held shared by every process using the cluster.
const USE_LOCK: &str = "newsdesk.lock";
/// Held exclusively while the cluster is being started or stopped.
const TRANSITION_LOCK: &str = "transition.lock";

fn open_lock(root: &Path, name: &str) -> Result<File, Error> {
    let path = root.join(name);
    File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| io_error("open", &path, e))
}

/// Waits (off the async runtime) for an exclusive lock: another process
/// may be starting or stopping the cluster right now.
async fn lock_exclusive(file: File) -> Result<File, Error> {
    tokio::task::spawn_blocking(move || file.lock().map(|()| file))
        .await
        .map_err(|e| Error::Database(format!("lock task failed: {e}")))?
        .map_err(|e| Error::Database(format!("cannot lock the data directory: {e}")))
}

fn lock_error(root: &Path, error: io::Error) -> Error {
    Error::Database(format!(
        "cannot lock {}: {error}",
        root.join(USE_LOCK).display()
    ))
}

fn io_error(action: &str, path: &Path, error: io::Error) -> Error {
    Error::Database(format!("cannot {action} {}: {error}", path.display()))
}

fn check_output(what: &str, output: &Output, hint: impl AsRef<str>) -> Result<(), Error> {
    if output.status.success() {
        return Ok(());
    }
    let mut message = format!(
        "{what} failed ({}): {}{}",
        output.status,
        String::from_utf8_lossy(&output.stderr).trim(),
        String::from_utf8_lossy(&output.stdout).trim()
    );
    let hint = hint.as_ref();
    if !hint.is_empty() {
        message.push('\n');
        message.push_str(hint);
    }
    Err(Error::Database(message))
}

/// FNV-1a: a stable short name for a socket directory outside the data dir.
fn path_hash(path: &Path) -> u64 {
    path.as_os_str()
        .as_encoded_bytes()
        .iter()
        .fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
            (hash ^ u64::from(*byte)).wrapping_mul(0x100_0000_01b3)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_data_dirs_get_a_short_socket_dir() {
        let base = std::env::temp_dir().join(format!("newsdesk-layout-{}", std::process::id()));
        let deep = base.join("a".repeat(100));
        let layout = Layout::new(&deep).unwrap();
        assert!(layout.socket_dir.as_os_str().len() <= MAX_SOCKET_DIR_LEN);
        assert!(!layout.socket_dir.starts_with(&layout.root));
        let short = Layout::new(&base).unwrap();
        assert_eq!(short.socket_dir, short.root.join("run"));
        fs::remove_dir_all(&base).unwrap();
    }

    #[test]
    fn dead_or_foreign_pids_are_not_postmasters() {
        let here = std::env::current_dir().unwrap();
        assert!(
            !is_postgres_in(std::process::id(), &here),
            "the test runner is no postgres"
        );
        assert!(!is_postgres_in(u32::MAX - 1, &here));
    }

    #[test]
    fn the_pid_file_is_read_line_by_line() {
        let recorded = PidFile::parse(
            "4242\n/srv/data/postgres\n1764670000\n5432\n/srv/data/run\n\n  1234   5678\nready   \n",
        );
        assert_eq!(recorded.pid, Some(4242));
        assert_eq!(recorded.data_dir, Some("/srv/data/postgres"));
        assert_eq!(recorded.port, Some(5432));
        assert_eq!(recorded.socket_dir, Some("/srv/data/run"));
        let truncated = PidFile::parse("4242\n");
        assert_eq!((truncated.data_dir, truncated.socket_dir), (None, None));
    }

    #[test]
    fn database_url_points_at_the_socket() {
        let base = std::env::temp_dir().join(format!("newsdesk-url-{}", std::process::id()));
        let layout = Layout::new(&base).unwrap();
        assert!(layout
            .database_url()
            .ends_with(&format!("?host={}", layout.socket_dir.display())));
        fs::remove_dir_all(&base).unwrap();
    }
}
