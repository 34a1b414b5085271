//! The feeds' plain data, shared by the browser and the server: feeds,
//! their health and fetch history, filter rules, OPML imports.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A source the server polls for candidate articles.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Feed {
    pub id: i64,
    pub url: String,
    pub title: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl Feed {
    /// What to call the feed in lists: its title, or its URL until it has one.
    pub fn display_name(&self) -> &str {
        self.title.as_deref().unwrap_or(&self.url)
    }
}

/// How a feed is doing, as the Feeds page shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FeedStatus {
    /// Not fetched yet.
    New,
    Ok,
    /// Answers, but far slower than it used to and than the other feeds.
    Slow,
    /// The last fetch failed; it keeps being retried with backoff.
    Failing,
    Disabled,
}

impl FeedStatus {
    pub fn label(self) -> &'static str {
        match self {
            Self::New => "new",
            Self::Ok => "ok",
            Self::Slow => "slow",
            Self::Failing => "failing",
            Self::Disabled => "disabled",
        }
    }

    /// Fail-slow detection: the recent median latency is far above both
    /// this feed's own history and the fleet's recent median.
    pub fn classify(enabled: bool, attempted: bool, failures: i32, latency: &Latency) -> Self {
        const FACTOR: f64 = 3.0;
        const FLOOR_MS: f64 = 1000.0;
        if !enabled {
            return Self::Disabled;
        }
        if !attempted {
            return Self::New;
        }
        if failures > 0 {
            return Self::Failing;
        }
        match (
            latency.recent_median_ms,
            latency.median_ms,
            latency.fleet_median_ms,
        ) {
            (Some(recent), Some(own), Some(fleet))
                if latency.recent_samples >= 3
                    && recent >= FLOOR_MS
                    && recent > FACTOR * own
                    && recent > FACTOR * fleet =>
            {
                Self::Slow
            }
            _ => Self::Ok,
        }
    }
}

#[cfg(test)]
mod feed_status_tests {
    use super::*;

    fn latency(recent: f64, own: f64, fleet: f64) -> Latency {
        Latency {
            median_ms: Some(own),
            p95_ms: None,
            recent_median_ms: Some(recent),
            recent_samples: 5,
            fleet_median_ms: Some(fleet),
        }
    }

    #[test]
    fn disabled_new_and_failing_come_first() {
        let fast = latency(100.0, 100.0, 100.0);
        assert_eq!(
            FeedStatus::classify(false, true, 3, &fast),
            FeedStatus::Disabled
        );
        assert_eq!(FeedStatus::classify(true, false, 0, &fast), FeedStatus::New);
        assert_eq!(
            FeedStatus::classify(true, true, 1, &fast),
            FeedStatus::Failing
        );
        assert_eq!(FeedStatus::classify(true, true, 0, &fast), FeedStatus::Ok);
    }

    #[test]
    fn slow_means_far_above_own_history_and_the_fleet() {
        assert_eq!(
            FeedStatus::classify(true, true, 0, &latency(4000.0, 300.0, 200.0)),
            FeedStatus::Slow
        );
        // Always slow: not a change, not flagged.
        assert_eq!(
            FeedStatus::classify(true, true, 0, &latency(4000.0, 3900.0, 200.0)),
            FeedStatus::Ok
        );
        // The whole fleet is slow (our network): not this feed's problem.
        assert_eq!(
            FeedStatus::classify(true, true, 0, &latency(4000.0, 300.0, 3000.0)),
            FeedStatus::Ok
        );
        // Relative jumps on tiny latencies are noise.
        assert_eq!(
            FeedStatus::classify(true, true, 0, &latency(400.0, 20.0, 20.0)),
            FeedStatus::Ok
        );
        let mut few = latency(4000.0, 300.0, 200.0);
        few.recent_samples = 2;
        assert_eq!(FeedStatus::classify(true, true, 0, &few), FeedStatus::Ok);
    }
}

/// Fetch latency figures of one feed (successful fetches only).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Latency {
    pub median_ms: Option<f64>,
    pub p95_ms: Option<f64>,
    pub recent_median_ms: Option<f64>,
    pub recent_samples: i64,
    pub fleet_median_ms: Option<f64>,
}

/// A feed with its settings and health.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeedHealth {
    pub id: i64,
    pub url: String,
    pub title: Option<String>,
    pub site_url: Option<String>,
    pub category: Option<String>,
    pub tags: Vec<String>,
    pub poll_interval_minutes: i32,
    pub enabled: bool,
    pub status: FeedStatus,
    pub last_attempt_at: Option<DateTime<Utc>>,
    pub last_success_at: Option<DateTime<Utc>>,
    pub last_http_status: Option<i32>,
    pub last_error: Option<String>,
    pub consecutive_failures: i32,
    pub next_check_at: DateTime<Utc>,
    pub entries_30d: i64,
    pub latency: Latency,
}

impl FeedHealth {
    pub fn display_name(&self) -> &str {
        self.title.as_deref().unwrap_or(&self.url)
    }
}

/// All feeds with the counts shown in the Feeds page summary.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FeedsOverview {
    pub feeds: Vec<FeedHealth>,
    pub failing: usize,
    pub slow: usize,
}

impl FeedsOverview {
    pub fn new(feeds: Vec<FeedHealth>) -> Self {
        let count = |status| feeds.iter().filter(|f| f.status == status).count();
        Self {
            failing: count(FeedStatus::Failing),
            slow: count(FeedStatus::Slow),
            feeds,
        }
    }
}

/// One fetch attempt, for a feed's history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct FeedFetch {
    pub started_at: DateTime<Utc>,
    pub duration_ms: i32,
    pub http_status: Option<i32>,
    pub bytes: i64,
    pub outcome: String,
    pub entries_new: i32,
    pub entries_updated: i32,
    pub error: Option<String>,
}

/// A change of a feed's settings through the JSON API: every field is
/// optional, and an absent one keeps its value.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedChanges {
    pub title: Option<String>,
    pub category: Option<String>,
    pub tags: Option<Vec<String>>,
    pub poll_interval_minutes: Option<i32>,
    pub enabled: Option<bool>,
}

/// A keep/block rule; `feed_id` None means team-wide.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct FilterRule {
    pub id: i64,
    pub feed_id: Option<i64>,
    pub action: RuleAction,
    pub field: RuleField,
    pub pattern: String,
}

/// What a filter rule does with an entry it matches: a block rule drops
/// it; when keep rules exist, only entries matching one of them stay.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[derive(strum::EnumString, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(feature = "ssr", sqlx(type_name = "text", rename_all = "snake_case"))]
pub enum RuleAction {
    Block,
    Keep,
}

/// The part of an entry a filter rule's pattern is matched against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[derive(strum::EnumString, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(feature = "ssr", sqlx(type_name = "text", rename_all = "snake_case"))]
pub enum RuleField {
    Title,
    Url,
    Content,
    Author,
    /// Any of the entry's categories.
    Category,
}

words!(RuleAction);

words!(RuleField);

/// A background OPML import as the import page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportStatus {
    pub file_name: String,
    pub progress: ImportProgress,
    /// Set once finished successfully.
    pub summary: Option<ImportSummary>,
    /// Set once failed (nothing was imported).
    pub error: Option<String>,
}

impl ImportStatus {
    pub fn finished(&self) -> bool {
        self.summary.is_some() || self.error.is_some()
    }
}

/// The result of adding a feed by URL: added, or several feeds were found
/// at that address and the user picks one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum AddFeedOutcome {
    Added(Feed),
    Choose(Vec<DiscoveredFeed>),
}

/// What a "refresh now" did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefreshOutcome {
    pub new: i32,
    pub updated: i32,
    pub not_modified: bool,
    pub error: Option<String>,
}

/// A feed found from what a user typed (a feed URL, a site URL or a GitHub
/// repository), offered for subscribing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiscoveredFeed {
    pub url: String,
    pub title: Option<String>,
    /// "rss", "atom" or "json".
    pub format: String,
}

/// How far an OPML import has got: `done` of the file's `total` feeds checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportProgress {
    pub done: usize,
    pub total: usize,
}

/// What an OPML import did. `invalid` pairs each refused URL, as written in
/// the file, with the reason in plain words.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportSummary {
    pub added: usize,
    pub skipped_duplicates: usize,
    pub invalid: Vec<(String, String)>,
}

/// One feed as an OPML outline describes it. From `feeds::opml::parse_opml` the URL is
/// as written in the file; from the database it is normalised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpmlFeed {
    pub url: String,
    pub title: Option<String>,
    pub category: Option<String>,
    pub site_url: Option<String>,
}
