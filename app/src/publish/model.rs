//! What publishing shows and the public archive reads.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// What stands in the way of publishing (errors) and what the publisher
/// should know first (warnings, which they may accept).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PublishCheck {
    pub errors: Vec<String>,
    pub warnings: Vec<String>,
}

/// An issue in the public archive's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArchiveEntry {
    pub number: i32,
    pub date: NaiveDate,
    pub title: String,
    /// The first few picks' titles.
    pub headlines: Vec<String>,
    pub published_at: DateTime<Utc>,
    pub revised_at: Option<DateTime<Utc>>,
}

/// A published issue as its public page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssueArticle {
    pub number: i32,
    pub date: NaiveDate,
    pub title: String,
    /// The rendered body (safe HTML from the issue renderer).
    pub html: String,
    /// For members: why the issue is shown from its stored HTML alone.
    pub problem: Option<String>,
    /// Plain text for `description` and OpenGraph.
    pub summary: String,
    pub published_at: DateTime<Utc>,
    pub revised_at: Option<DateTime<Utc>>,
    /// Absolute URL of this page.
    pub url: String,
    /// Absolute base URL (no trailing slash), for the feeds' links.
    pub base_url: String,
    pub newsletter: String,
    pub previous: Option<i32>,
    pub next: Option<i32>,
    /// Section titles with their anchors.
    pub sections: Vec<(String, String)>,
    /// For members: how its delivery to git went.
    pub delivery: Option<crate::delivery::DeliveryView>,
}
