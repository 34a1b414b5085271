//! Parse-only baseline for the ingest benchmark (`bench/ingest/run.sh`):
//! how fast this machine parses and normalises the benchmark corpus on one
//! thread, with no network and no database. It is the ceiling for what the
//! poller can reach per core.
//!
//! ```sh
//! cargo run --release -p newsdesk --example parse_baseline -- DIR [ROUNDS]
//! ```
//!
//! DIR holds the feed files (or a `feeds/` folder with them). Every file is
//! read into memory first; then each stage is timed over all files, ROUNDS
//! times (default 1), and the best round is reported:
//!
//! - `parse`: `ingest::parse::parse_feed`, as the poller parses (decoding,
//!   feed-rs, and the second pass only where a feed needs it);
//! - `parse+normalise`: plus `ingest::normalise::normalise_entries`
//!   (ammonia sanitising, plain-text excerpts, keys, hashes);
//! - `parse+normalise+json`: plus the JSON that `ingest::store` sends.

use std::{
    path::{Path, PathBuf},
    time::{Duration, Instant},
};

use chrono::Utc;
use newsdesk_server::ingest::normalise::normalise_entries;

type Failure = Box<dyn std::error::Error>;

fn main() -> Result<(), Failure> {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(
        args.next()
            .ok_or("usage: parse_baseline DIR [ROUNDS] (DIR holds the feed files)")?,
    );
    let rounds: usize = args.next().map(|n| n.parse()).transpose()?.unwrap_or(1);
    let files = read_corpus(&dir)?;
    if files.is_empty() {
        return Err(format!("no feed files in {}", dir.display()).into());
    }
    let bytes: usize = files.iter().map(|(_, body)| body.len()).sum();
    let megabytes = bytes as f64 / 1e6;
    let fetched_at = Utc::now();

    let parsed = best_of(rounds, || {
        let mut entries = 0;
        for (name, body) in &files {
            entries += parse_feed(name, body).entries.len();
        }
        entries
    });
    let normalised = best_of(rounds, || {
        let mut entries = 0;
        for (name, body) in &files {
            entries += normalise_entries(&parse_feed(name, body).entries, fetched_at).len();
        }
        entries
    });
    let serialised = best_of(rounds, || {
        let mut entries = 0;
        for (name, body) in &files {
            let entries_of_feed = normalise_entries(&parse_feed(name, body).entries, fetched_at);
            let payload =
                serde_json::to_value(&entries_of_feed).expect("entries serialise to JSON");
            entries += payload.as_array().map_or(0, Vec::len);
        }
        entries
    });

    println!(
        "parse_baseline: {} files, {megabytes:.1} MB, {} entries, one thread, best of {rounds}",
        files.len(),
        parsed.1
    );
    for (label, (time, entries)) in [
        ("parse", parsed),
        ("parse+normalise", normalised),
        ("parse+normalise+json", serialised),
    ] {
        let seconds = time.as_secs_f64();
        println!(
            "{label:<22} {seconds:>7.3} s {:>10.0} entries/s {:>8.1} MB/s {:>8.0} feeds/s",
            entries as f64 / seconds,
            megabytes / seconds,
            files.len() as f64 / seconds,
        );
    }
    Ok(())
}

/// Parses as the poller does, with the corpus served as `application/xml`.
fn parse_feed(name: &str, body: &[u8]) -> feed_rs::model::Feed {
    let base = url::Url::parse(&format!("http://127.0.0.1/{name}")).expect("a valid URL");
    newsdesk_server::ingest::parse::parse_feed(body, Some("application/xml"), &base)
        .unwrap_or_else(|error| panic!("{name} does not parse: {error}"))
        .feed
}

/// Runs `stage` `rounds` times; the fastest time and what it counted.
fn best_of(rounds: usize, mut stage: impl FnMut() -> usize) -> (Duration, usize) {
    (0..rounds.max(1))
        .map(|_| {
            let clock = Instant::now();
            let counted = stage();
            (clock.elapsed(), counted)
        })
        .min_by_key(|(time, _)| *time)
        .expect("at least one round")
}

/// All regular files in `dir` (or in `dir/feeds`), sorted by name.
fn read_corpus(dir: &Path) -> Result<Vec<(String, Vec<u8>)>, Failure> {
    let feeds = dir.join("feeds");
    let dir = if feeds.is_dir() {
        feeds
    } else {
        dir.to_owned()
    };
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.is_file())
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let name = path
                .file_name()
                .map(|name| name.to_string_lossy().into_owned())
                .unwrap_or_default();
            let body = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            Ok((name, body))
        })
        .collect()
}
