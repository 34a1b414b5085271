//! Command line and environment configuration. Every flag has an
//! environment variable, so the same settings work in a shell, a systemd
//! unit or a container.
//!
//! One file, though long: it is the whole command line, one declaration
//! per flag with its variable and help, which is what people search.

use std::{fmt, net::SocketAddr, path::PathBuf, time::Duration};

use clap::{Args, Parser, ValueEnum};
use newsdesk_app::accounts::Role;

use crate::ingest::{
    fetch::{FetchSettings, Fetcher},
    guard::{AddressPolicy, AllowList},
    poller::PollerSettings,
    retention,
};

#[derive(Debug, Parser)]
#[command(
    name = "newsdesk",
    version,
    about = "A small team's newsroom for a weekly newsletter: ingest feeds, triage, annotate, publish.",
    long_about = "A small team's newsroom for a weekly newsletter: ingest feeds, triage, annotate, publish.\n\n\
        Without a subcommand, newsdesk serves the web app (same as `newsdesk serve`).\n\
        Without DATABASE_URL, it runs its own private PostgreSQL under --data-dir; nothing to set up."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Option<Subcommand>,
    #[command(flatten)]
    pub serve: ServeArgs,
}

impl Cli {
    /// `newsdesk` alone means `newsdesk serve`.
    pub fn into_command(self) -> (GlobalArgs, Command) {
        let command = match self.command {
            None | Some(Subcommand::Serve) => Command::Serve(self.serve),
            Some(Subcommand::Migrate) => Command::Migrate,
            Some(Subcommand::Poll { once }) => Command::Poll {
                once,
                ingest: self.serve.ingest,
            },
            Some(Subcommand::Db(db)) => Command::Db(db),
            Some(Subcommand::Feeds(feeds)) => Command::Feeds(feeds),
            Some(Subcommand::Issues(issues)) => Command::Issues(issues),
            Some(Subcommand::User(user)) => Command::User(user),
            Some(Subcommand::Token(token)) => Command::Token(token),
            Some(Subcommand::Export(args)) => Command::Export(args),
        };
        (self.global, command)
    }
}

/// What to do, with the settings it needs.
#[derive(Debug)]
pub enum Command {
    Serve(ServeArgs),
    Migrate,
    Poll { once: bool, ingest: IngestArgs },
    Db(DbCommand),
    Feeds(FeedsCommand),
    Issues(IssuesCommand),
    User(UserCommand),
    Token(TokenCommand),
    Export(ExportArgs),
}

/// `newsdesk export`: one issue as Markdown.
#[derive(Debug, Clone, Args)]
pub struct ExportArgs {
    /// The issue's number.
    #[arg(long)]
    pub issue: i32,
    /// The front matter to write; the newsletter's setting when left out.
    #[arg(long, value_parser = ["none", "yaml", "zenn"])]
    pub front_matter: Option<String>,
    /// Write to this file instead of standard output.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

#[derive(Debug, clap::Subcommand)]
pub enum Subcommand {
    /// Serve the web app (the default).
    Serve,
    /// Apply pending database migrations, then exit. `serve` also does this at start.
    Migrate,
    /// Run only the feed poller (no web server), e.g. as a separate process
    /// or replica next to `serve --no-poller`.
    Poll {
        /// Refresh the feeds that are due now, then exit.
        #[arg(long)]
        once: bool,
    },
    /// Manage the private PostgreSQL cluster under --data-dir.
    #[command(subcommand)]
    Db(DbCommand),
    /// Import or export the feed list as OPML, the format feed readers use
    /// to move subscriptions.
    #[command(subcommand)]
    Feeds(FeedsCommand),
    /// Bring back issues in: Markdown files published elsewhere become
    /// published issues with their own numbers and dates.
    #[command(subcommand)]
    Issues(IssuesCommand),
    /// Add members, set their passwords and list them. Works while a
    /// server runs on the same data.
    #[command(subcommand)]
    User(UserCommand),
    /// Create API tokens for automation.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Write an issue (draft or published) as Markdown, as the export does.
    Export(ExportArgs),
}

/// Passwords come from NEWSDESK_PASSWORD or, in a terminal, a prompt; never
/// from a flag, which would leave them in shell history and `ps` output.
#[derive(Debug, clap::Subcommand)]
pub enum UserCommand {
    /// Add a member. The password is read from NEWSDESK_PASSWORD, else asked for.
    Add {
        /// The member's display name (unique ignoring case and letter width).
        name: String,
        /// viewer, editor, publisher or admin.
        #[arg(long)]
        role: Role,
    },
    /// Set a member's password, read from NEWSDESK_PASSWORD, else asked for.
    SetPassword {
        /// The member's name, in any case or letter width.
        name: String,
    },
    /// List all members with role, state and creation date.
    List,
}

#[derive(Debug, clap::Subcommand)]
pub enum TokenCommand {
    /// Create an API token for a member and print it (it is shown only once).
    Create {
        /// The member the token acts as, with their role.
        #[arg(long)]
        user: String,
        /// What the token is for, e.g. "CI publisher".
        #[arg(long)]
        name: String,
    },
}

#[derive(Debug, clap::Subcommand)]
pub enum FeedsCommand {
    /// Add the feeds of an OPML file (from Miniflux, FreshRSS, Feedly, …).
    /// Feeds already in the list are skipped; refused URLs are listed.
    Import {
        /// The OPML file to read.
        file: PathBuf,
    },
    /// Write all feeds as OPML, grouped by category.
    Export {
        /// Write to this file instead of standard output.
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
}

#[derive(Debug, clap::Subcommand)]
pub enum IssuesCommand {
    /// Import back issues from Markdown files (Zenn articles, Markdown
    /// pages, newsdesk exports), one report line per file. Importing a file
    /// again changes nothing; a file that cannot be read fails alone.
    Import {
        /// The number of the earliest file that does not name its own;
        /// counted up over the files in date order.
        #[arg(long)]
        first_number: Option<i32>,
        /// The files to read.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
}

#[derive(Debug, clap::Subcommand)]
pub enum DbCommand {
    /// Start the private cluster and leave it running; prints its DATABASE_URL.
    Start,
    /// Stop the private cluster (if no newsdesk process is using it).
    Stop,
    /// Print how to connect to the private cluster with psql.
    Info,
}

#[derive(Debug, Clone, Args)]
pub struct GlobalArgs {
    /// Directory for newsdesk's data: the private PostgreSQL cluster and its logs.
    #[arg(
        long,
        env = "NEWSDESK_DATA_DIR",
        default_value = "./data",
        global = true
    )]
    pub data_dir: PathBuf,

    /// PostgreSQL to use instead of the private cluster, e.g.
    /// postgres://user:pass@host/db. DATABASE_URL is read as well.
    #[arg(
        long,
        env = "NEWSDESK_DATABASE_URL",
        global = true,
        hide_env_values = true
    )]
    pub database_url: Option<Secret>,

    /// Log format: human-readable text, or one JSON object per line (for log collectors).
    #[arg(long, env = "NEWSDESK_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text, global = true)]
    pub log_format: LogFormat,

    /// Which log lines to keep, as a tracing filter (e.g. `info`, `debug`,
    /// `info,newsdesk_server=debug`).
    #[arg(long, env = "NEWSDESK_LOG", default_value = "info", global = true)]
    pub log: String,
}

impl GlobalArgs {
    /// `--database-url`, else `NEWSDESK_DATABASE_URL`, else `DATABASE_URL`.
    pub fn external_database_url(&self) -> Option<Secret> {
        self.database_url.clone().or_else(|| {
            std::env::var("DATABASE_URL")
                .ok()
                .filter(|url| !url.trim().is_empty())
                .map(Secret)
        })
    }
}

#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Address and port `serve` listens on. Use 0.0.0.0:3000 to listen on all interfaces.
    #[arg(
        long,
        env = "NEWSDESK_ADDR",
        default_value = "127.0.0.1:3000",
        global = true
    )]
    pub addr: SocketAddr,

    /// Directory holding the built browser assets (`pkg/`, `manifest.json`),
    /// as written by `scripts/build-site.sh`.
    #[arg(
        long,
        env = "NEWSDESK_SITE_ROOT",
        default_value = "target/site",
        global = true
    )]
    pub site_root: PathBuf,

    /// Do not poll feeds in this process (run `newsdesk poll` elsewhere).
    #[arg(long, env = "NEWSDESK_NO_POLLER", global = true)]
    pub no_poller: bool,

    /// The URL people open newsdesk at, when it runs behind a reverse proxy
    /// (e.g. `https://news.example.com`). Setup and invitation links use it;
    /// an `https` URL also makes the session cookie `Secure`.
    #[arg(long, env = "NEWSDESK_PUBLIC_URL", value_parser = parse_public_url, global = true)]
    pub public_url: Option<url::Url>,

    /// Reverse proxies (comma-separated IPs or CIDR networks) whose
    /// `X-Forwarded-For` header names the real client address, which
    /// sign-in throttling and the audit log use. Without this, the header
    /// is ignored: anyone could write it.
    #[arg(long, env = "NEWSDESK_TRUSTED_PROXIES", value_delimiter = ',', value_parser = parse_network, global = true)]
    pub trusted_proxies: Vec<ipnet::IpNet>,

    /// Requests worked on at once; later ones wait their turn, first come
    /// first served, which keeps the slowest answers close to the typical
    /// one under load. Live event streams do not count. Default: 2 per core.
    #[arg(long, env = "NEWSDESK_MAX_IN_FLIGHT", value_parser = clap::value_parser!(u16).range(1..), global = true)]
    pub max_in_flight: Option<u16>,

    #[command(flatten)]
    pub ingest: IngestArgs,
}

fn parse_public_url(text: &str) -> Result<url::Url, String> {
    let url = url::Url::parse(text.trim()).map_err(|error| format!("not a URL: {error}"))?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err("use an http or https URL such as https://news.example.com".into());
    }
    Ok(url)
}

/// `10.0.0.1` or `10.0.0.0/8`.
fn parse_network(text: &str) -> Result<ipnet::IpNet, String> {
    let text = text.trim();
    text.parse::<ipnet::IpNet>()
        .or_else(|_| text.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
        .map_err(|_| format!("“{text}” is not an IP address or CIDR network"))
}

impl ServeArgs {
    pub fn max_in_flight(&self) -> usize {
        self.max_in_flight.map_or_else(
            || 2 * std::thread::available_parallelism().map_or(2, |cores| cores.get()),
            usize::from,
        )
    }

    /// How the web app is reached, for cookies and links.
    pub fn web_settings(&self) -> newsdesk_app::state::WebSettings {
        newsdesk_app::state::WebSettings {
            public_url: self
                .public_url
                .as_ref()
                .map(|url| url.as_str().trim_end_matches('/').to_owned()),
            secure_cookies: self
                .public_url
                .as_ref()
                .is_some_and(|url| url.scheme() == "https"),
        }
    }
}

/// How feeds are fetched; used by `serve` and `poll`.
#[derive(Debug, Clone, Args)]
pub struct IngestArgs {
    /// Private or loopback hosts that feeds may still be fetched from,
    /// comma-separated host names, IPs or CIDR networks (e.g.
    /// `127.0.0.1,intranet.example,10.0.0.0/8`). Everything else private is
    /// refused, to protect the network newsdesk runs in (SSRF).
    #[arg(
        long,
        env = "NEWSDESK_ALLOW_PRIVATE_HOSTS",
        default_value = "",
        global = true
    )]
    pub allow_private_hosts: AllowList,

    /// How many feeds one poller fetches at the same time.
    #[arg(long, env = "NEWSDESK_POLL_CONCURRENCY", default_value_t = PollerSettings::default().concurrency, global = true)]
    pub poll_concurrency: usize,

    /// How many feeds of the same host one poller fetches at the same time.
    #[arg(long, env = "NEWSDESK_POLL_PER_HOST", default_value_t = PollerSettings::default().per_host, global = true)]
    pub poll_per_host: usize,

    /// Seconds a feed fetch may take in all (connecting, redirects, body).
    #[arg(long, env = "NEWSDESK_FETCH_TIMEOUT", default_value_t = FetchSettings::default().total_timeout.as_secs(), global = true)]
    pub fetch_timeout: u64,

    /// Candidates older than this many days are pruned daily (never-picked ones).
    #[arg(long, env = "NEWSDESK_RETENTION_DAYS", default_value_t = retention::DEFAULT_DAYS, global = true,
          value_parser = clap::value_parser!(i32).range(1..))]
    pub retention_days: i32,

    /// Largest feed body accepted, in bytes after decompression.
    #[arg(long, env = "NEWSDESK_FETCH_MAX_BYTES", default_value_t = FetchSettings::default().max_body_bytes, global = true)]
    pub fetch_max_bytes: u64,
}

impl Default for IngestArgs {
    fn default() -> Self {
        let fetch = FetchSettings::default();
        let poll = PollerSettings::default();
        Self {
            allow_private_hosts: AllowList::default(),
            retention_days: retention::DEFAULT_DAYS,
            poll_concurrency: poll.concurrency,
            poll_per_host: poll.per_host,
            fetch_timeout: fetch.total_timeout.as_secs(),
            fetch_max_bytes: fetch.max_body_bytes,
        }
    }
}

impl IngestArgs {
    pub fn fetcher(&self) -> Fetcher {
        let defaults = FetchSettings::default();
        let total = Duration::from_secs(self.fetch_timeout.max(1));
        Fetcher::new(
            AddressPolicy::new(self.allow_private_hosts.clone()),
            FetchSettings {
                total_timeout: total,
                connect_timeout: defaults.connect_timeout.min(total),
                max_body_bytes: self.fetch_max_bytes,
                ..defaults
            },
        )
    }

    pub fn poller_settings(&self) -> PollerSettings {
        PollerSettings {
            concurrency: self.poll_concurrency.max(1),
            per_host: self.poll_per_host.max(1),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

/// A string kept out of logs and `Debug` output (database URLs carry passwords).
#[derive(Clone)]
pub struct Secret(pub String);

impl Secret {
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl std::str::FromStr for Secret {
    type Err = std::convert::Infallible;
    fn from_str(value: &str) -> Result<Self, Self::Err> {
        Ok(Self(value.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn no_subcommand_means_serve_with_top_level_flags() {
        let cli = Cli::try_parse_from(["newsdesk", "--addr", "127.0.0.1:4000"]).unwrap();
        match cli.into_command().1 {
            Command::Serve(args) => assert_eq!(args.addr.port(), 4000),
            other => panic!("expected serve, got {other:?}"),
        }
    }

    #[test]
    fn serve_flags_work_before_and_after_the_subcommand() {
        for argv in [
            &["newsdesk", "serve", "--addr", "127.0.0.1:4001"][..],
            &["newsdesk", "--addr", "127.0.0.1:4001", "serve"][..],
        ] {
            match Cli::try_parse_from(argv).unwrap().into_command().1 {
                Command::Serve(args) => assert_eq!(args.addr.port(), 4001),
                other => panic!("expected serve, got {other:?}"),
            }
        }
    }

    #[test]
    fn global_flags_work_before_and_after_subcommands() {
        let cli = Cli::try_parse_from(["newsdesk", "--data-dir", "/tmp/y", "migrate"]).unwrap();
        assert_eq!(cli.into_command().0.data_dir, PathBuf::from("/tmp/y"));
        let cli = Cli::try_parse_from(["newsdesk", "migrate", "--data-dir", "/tmp/x"]).unwrap();
        let (global, command) = cli.into_command();
        assert!(matches!(command, Command::Migrate));
        assert_eq!(global.data_dir, PathBuf::from("/tmp/x"));
    }

    #[test]
    fn ingest_flags_parse() {
        let cli = Cli::try_parse_from([
            "newsdesk",
            "poll",
            "--once",
            "--allow-private-hosts",
            "127.0.0.1,10.0.0.0/8",
            "--poll-concurrency",
            "4",
        ])
        .unwrap();
        match cli.into_command().1 {
            Command::Poll { once, ingest } => {
                assert!(once);
                assert_eq!(ingest.poller_settings().concurrency, 4);
            }
            other => panic!("expected poll, got {other:?}"),
        }
        assert!(Cli::try_parse_from(["newsdesk", "--allow-private-hosts", "not a host!"]).is_err());
    }

    #[test]
    fn secrets_are_redacted_in_debug() {
        let secret = Secret("postgres://u:hunter2@h/db".into());
        assert!(!format!("{secret:?}").contains("hunter2"));
    }
}
