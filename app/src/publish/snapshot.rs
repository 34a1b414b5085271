//! The frozen form of a published issue, and the formats it has had. A
//! published issue is shown, syndicated and exported from its snapshot
//! alone: when a snapshot cannot be read, the issue says so where members
//! look and its stored HTML stands in, but the live rows (which may hold
//! unpublished corrections) never do.

use std::fmt;

use chrono::{DateTime, NaiveDate, Utc};

use crate::{db::publish::PublishedRow, error::AppError, render::IssueDoc};

/// The format this newsdesk writes. A change to [`IssueDoc`] that older
/// snapshots do not decode into gets a new number and a decoder for the
/// old ones in [`decode`].
pub const FORMAT: i16 = 1;

/// Why a stored snapshot cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SnapshotError {
    /// Written by a newsdesk that knows a format this one does not.
    UnknownFormat(Option<i16>),
    /// Marked as a known format, but not of its shape.
    Undecodable { format: i16, reason: String },
}

impl fmt::Display for SnapshotError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnknownFormat(Some(format)) => write!(
                f,
                "its stored snapshot is in format {format}, which this version of newsdesk \
                 cannot read (it reads format {FORMAT})"
            ),
            Self::UnknownFormat(None) => write!(f, "its stored snapshot has no format number"),
            Self::Undecodable { format, reason } => write!(
                f,
                "its stored snapshot (format {format}) cannot be read: {reason}"
            ),
        }
    }
}

/// Reads a stored snapshot.
pub fn decode(format: Option<i16>, value: serde_json::Value) -> Result<IssueDoc, SnapshotError> {
    match format {
        Some(FORMAT) => serde_json::from_value(value).map_err(|error| SnapshotError::Undecodable {
            format: FORMAT,
            reason: error.to_string(),
        }),
        other => Err(SnapshotError::UnknownFormat(other)),
    }
}

/// The snapshot of `doc` in [`FORMAT`].
pub fn encode(doc: &IssueDoc) -> Result<serde_json::Value, AppError> {
    serde_json::to_value(doc).map_err(|error| AppError::internal("snapshot serialisation", error))
}

/// A published issue as the archive and the feeds read it.
#[derive(Debug, Clone)]
pub struct Published {
    pub number: i32,
    pub date: NaiveDate,
    /// The frozen issue, or why its snapshot cannot be read.
    pub doc: Result<IssueDoc, SnapshotError>,
    /// The HTML rendered when it was frozen.
    pub html: String,
    pub published_at: DateTime<Utc>,
    pub revised_at: Option<DateTime<Utc>>,
    pub hidden: bool,
}

impl Published {
    /// Its title, or its number when the snapshot cannot be read.
    pub fn title(&self) -> String {
        match &self.doc {
            Ok(doc) => doc.title.clone(),
            Err(_) => format!("#{}", self.number),
        }
    }

    /// When it last changed: published, or corrected.
    pub fn updated_at(&self) -> DateTime<Utc> {
        self.revised_at.unwrap_or(self.published_at)
    }
}

impl Published {
    /// A published row as read; `None` for a row published before
    /// snapshots were kept.
    pub fn from_row(row: PublishedRow) -> Option<Self> {
        Some(Self {
            number: row.number,
            date: row.issue_date,
            doc: decode(row.snapshot_format, row.snapshot?),
            html: row.snapshot_html?,
            published_at: row.published_at?,
            revised_at: row.revised_at,
            hidden: row.hidden,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snapshots_round_trip_and_strangers_are_named() {
        let doc = IssueDoc {
            title: "t".into(),
            ..IssueDoc::default()
        };
        assert_eq!(decode(Some(FORMAT), encode(&doc).unwrap()), Ok(doc));
        assert_eq!(
            decode(Some(9), serde_json::json!({})),
            Err(SnapshotError::UnknownFormat(Some(9)))
        );
        let old_shape = serde_json::json!({ "title": "t", "picks": [{ "url": "u" }] });
        let error = decode(Some(FORMAT), old_shape).unwrap_err();
        assert!(
            error.to_string().contains("cannot be read: missing field"),
            "{error}"
        );
    }
}
