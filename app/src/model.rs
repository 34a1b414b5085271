//! Plain data shared by the browser and the server.

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
