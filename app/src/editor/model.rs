//! What the issue editor shows and sends, shared by the browser and the server.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::{
    inbox::Covered,
    render::{PickLayout, Rendering},
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[derive(strum::EnumString, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(feature = "ssr", sqlx(type_name = "text", rename_all = "snake_case"))]
pub enum IssueState {
    Draft,
    Published,
}

/// An issue in the list of issues.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssueSummary {
    pub number: i32,
    pub date: NaiveDate,
    pub state: IssueState,
    pub title: String,
    pub picks: i64,
    pub published_at: Option<DateTime<Utc>>,
}

/// An issue with everything the editor shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssueView {
    pub id: i64,
    pub number: i32,
    pub date: NaiveDate,
    pub state: IssueState,
    pub headline: String,
    pub intro: String,
    /// The closing part (`## あとがき`): its heading and Markdown.
    #[serde(default)]
    pub closing_heading: String,
    #[serde(default)]
    pub closing: String,
    /// How the export's target renders Markdown, for previews.
    #[serde(default)]
    pub rendering: Rendering,
    /// The row version a save of the headline or intro is based on.
    pub version: i32,
    /// The headline put into the title template.
    pub title: String,
    pub updated_by: Option<String>,
    pub sections: Vec<SectionView>,
    /// The pick the meeting's presenter shows, and who presents.
    pub meeting: Option<(i64, String)>,
    pub published_at: Option<DateTime<Utc>>,
    /// The last correction (re-publish).
    pub revised_at: Option<DateTime<Utc>>,
    /// Unpublished by an admin: hidden from the archive and the feeds.
    pub hidden: bool,
    /// Published, but its snapshot cannot be read: what to tell the team.
    #[serde(default)]
    pub snapshot_problem: Option<String>,
}

impl IssueView {
    pub fn picks(&self) -> impl Iterator<Item = &PickView> {
        self.sections
            .iter()
            .flat_map(|section| section.picks.iter())
    }

    pub fn pick(&self, id: i64) -> Option<&PickView> {
        self.picks().find(|pick| pick.id == id)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SectionView {
    pub id: i64,
    pub title: String,
    pub picks: Vec<PickView>,
}

/// A saved section an editor can add to an issue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedSection {
    pub id: i64,
    pub title: String,
    /// One of the newsletter's defaults (Settings).
    pub is_default: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PickView {
    pub id: i64,
    pub section_id: i64,
    pub position: i32,
    pub title: String,
    pub url: String,
    pub candidate_id: Option<i64>,
    pub brought_by: Option<String>,
    pub commentary: String,
    /// `None`: the newsletter's layout.
    #[serde(default)]
    pub layout: Option<PickLayout>,
    /// The linked article's title and excerpt, for the quote layout.
    #[serde(default)]
    pub link_title: String,
    #[serde(default)]
    pub excerpt: String,
    pub version: i32,
    pub updated_at: DateTime<Utc>,
    pub updated_by: Option<String>,
    pub notes: Vec<NoteView>,
    /// The latest other published issue with this link.
    pub covered: Option<Covered>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoteView {
    pub id: i64,
    pub author: String,
    pub body: String,
    pub created_at: DateTime<Utc>,
    pub promoted: bool,
}

/// A text field of an issue or a pick that is saved with a version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[derive(strum::EnumString, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(feature = "ssr", sqlx(type_name = "text", rename_all = "snake_case"))]
pub enum TextField {
    Headline,
    Intro,
    /// The closing part's heading (`あとがき`) and its Markdown.
    ClosingHeading,
    Closing,
    Title,
    Commentary,
    /// A pick's link, corrected by hand.
    Url,
}

impl TextField {
    pub fn of_pick(self) -> bool {
        matches!(self, Self::Title | Self::Commentary | Self::Url)
    }

    /// Markdown over several lines (the others are one line).
    pub fn multiline(self) -> bool {
        matches!(self, Self::Intro | Self::Closing | Self::Commentary)
    }

    pub fn max_chars(self) -> usize {
        match self {
            Self::Headline => 200,
            Self::ClosingHeading => 100,
            Self::Title => 500,
            Self::Url => 2048,
            Self::Intro | Self::Closing | Self::Commentary => 50_000,
        }
    }
}

words!(TextField);

/// A saved value of a text field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revision {
    pub id: i64,
    pub value: String,
    pub author: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// A member with the issue open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Present {
    pub member: String,
    /// The pick they are editing, if any.
    pub editing: Option<i64>,
}

/// Whether a pick's link answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkCheck {
    pub ok: bool,
    pub message: String,
}

/// Where a pick goes: a section, at an index (0 = first).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Placement {
    pub section_id: i64,
    pub index: i32,
}

/// A change to an issue, announced to everybody viewing it, in any server
/// process.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum IssueEvent {
    /// Content changed: reload the issue.
    Changed { issue_id: i64 },
    /// Who is viewing or editing changed.
    Presence { issue_id: i64 },
    /// Events were lost on the way: reload everything.
    Resync,
}

impl IssueEvent {
    pub fn concerns(&self, issue_id: i64) -> bool {
        match self {
            Self::Changed { issue_id: id } | Self::Presence { issue_id: id } => *id == issue_id,
            Self::Resync => true,
        }
    }
}
