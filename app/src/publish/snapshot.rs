//! The frozen form of a published issue, and the formats it has had. A
//! published issue is shown, syndicated and exported from its snapshot
//! alone: when a snapshot cannot be read, the issue says so where members
//! look and its stored HTML stands in, but the live rows (which may hold
//! unpublished corrections) never do.

use std::fmt;

use crate::{error::AppError, render::IssueDoc};

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
