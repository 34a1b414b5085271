//! What the inbox shows and asks for, shared by the browser and the server.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// The team's state of a candidate. `Picked` is derived: some issue has it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[derive(strum::EnumString, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(feature = "ssr", sqlx(type_name = "text", rename_all = "snake_case"))]
pub enum CandidateState {
    New,
    Seen,
    Dismissed,
    Picked,
}

words!(CandidateState);

/// Which candidates a view shows, by state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[derive(strum::EnumString, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
pub enum StateFilter {
    /// New and seen, not picked: what still needs a decision.
    #[default]
    Open,
    New,
    Seen,
    Dismissed,
    Picked,
    All,
}

impl StateFilter {
    pub const ALL: [StateFilter; 6] = [
        Self::Open,
        Self::New,
        Self::Seen,
        Self::Dismissed,
        Self::Picked,
        Self::All,
    ];

    /// The menu's text, in the UI's language.
    pub fn label(self) -> &'static str {
        use crate::i18n::td_string;
        let locale = crate::lang::current();
        match self {
            Self::Open => td_string!(locale, inbox.filters_state_open),
            Self::New => td_string!(locale, inbox.filters_state_new),
            Self::Seen => td_string!(locale, inbox.filters_state_seen),
            Self::Dismissed => td_string!(locale, inbox.filters_state_dismissed),
            Self::Picked => td_string!(locale, inbox.filters_state_picked),
            Self::All => td_string!(locale, inbox.filters_state_all),
        }
    }
}

words!(StateFilter);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[derive(strum::EnumString, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
pub enum Sort {
    #[default]
    Newest,
    /// Most +1s first, then newest.
    Votes,
}

words!(Sort);

/// Filters, search and sort of an inbox view. Lives in the URL (see
/// `query.rs`), so a view can be shared as a link.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct InboxQuery {
    pub q: String,
    pub feed: Option<i64>,
    pub category: String,
    pub tag: String,
    pub state: StateFilter,
    /// Published on or after this day (UTC).
    pub from: Option<NaiveDate>,
    /// Published on or before this day (UTC).
    pub to: Option<NaiveDate>,
    /// Only what the signed-in member +1'd.
    pub mine: bool,
    /// Only what anyone +1'd.
    pub voted: bool,
    pub sort: Sort,
    /// Where the previous page ended (opaque).
    pub after: Option<String>,
}

/// Where a pick of a candidate is.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PickInfo {
    pub issue_number: i32,
    pub section: String,
    pub by: Option<String>,
}

/// A published issue that already had this link.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Covered {
    pub issue_number: i32,
    pub issue_date: NaiveDate,
}

/// Another candidate with a very similar title (from a different feed).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct NearDuplicate {
    pub id: i64,
    pub title: String,
}

/// One candidate as the inbox lists it, with the team's signals.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct InboxItem {
    pub id: i64,
    pub url: Option<String>,
    pub title: String,
    pub excerpt: String,
    pub categories: Vec<String>,
    /// Tags of the feeds it came from.
    pub tags: Vec<String>,
    pub published_at: DateTime<Utc>,
    pub sources: Vec<CandidateSource>,
    /// Who added it by hand, if someone did.
    pub added_by: Option<String>,
    pub state: CandidateState,
    /// Names of the members who +1'd it.
    pub voters: Vec<String>,
    pub voted_by_me: bool,
    pub picked: Option<PickInfo>,
    pub covered: Option<Covered>,
    pub similar: Option<NearDuplicate>,
}

impl InboxItem {
    /// Not picked, or only into issues published since: a link that comes
    /// round again can be picked once more (picking asks first, since it
    /// was covered). A pick in a draft is the newest pick, numbered above
    /// every published issue.
    pub fn pickable_again(&self) -> bool {
        match (&self.picked, &self.covered) {
            (None, _) => true,
            (Some(picked), Some(covered)) => covered.issue_number >= picked.issue_number,
            (Some(_), None) => false,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxPage {
    pub items: Vec<InboxItem>,
    /// Pass as `after` for the next page; `None` on the last one.
    pub next: Option<String>,
}

/// A section candidates can be picked into.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SectionChoice {
    pub id: i64,
    pub title: String,
}

/// The current draft issue and its sections, for the pick dialog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftInfo {
    pub issue_number: i32,
    pub issue_date: NaiveDate,
    pub sections: Vec<SectionChoice>,
}

/// What the inbox page opens with: the view's first page and the draft to
/// pick into.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxStart {
    pub page: InboxPage,
    pub draft: DraftInfo,
}

/// Feeds, categories and tags to filter by.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct FilterChoices {
    pub feeds: Vec<(i64, String)>,
    pub categories: Vec<String>,
    pub tags: Vec<String>,
}

/// What happened to the inbox, as pushed live to every open inbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum InboxEvent {
    /// New candidates arrived (ingested or added by hand).
    Arrived { ids: Vec<i64> },
    /// Candidates changed: state, +1s or picks. Clients reload these rows.
    Changed { ids: Vec<i64> },
    /// Events were lost on the way (a slow client fell behind): reload
    /// everything shown.
    Resync,
}

/// A web page read for "add by hand".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageInfo {
    /// Where the link ended up after redirects.
    pub url: String,
    /// Normalised, as candidates are deduplicated by.
    pub url_key: String,
    pub title: String,
    pub description: String,
}

/// What "add by hand" did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddedLink {
    pub item: InboxItem,
    /// False when the article was already a candidate.
    pub created: bool,
}

/// An article ingested from feeds (or added by hand), deduplicated across
/// feeds by normalised URL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Candidate {
    pub id: i64,
    pub url: Option<String>,
    pub title: String,
    /// Sanitised on ingest (ammonia); safe to insert as HTML.
    pub summary_html: String,
    pub excerpt: String,
    pub author: Option<String>,
    pub categories: Vec<String>,
    pub published_at: DateTime<Utc>,
    pub first_seen_at: DateTime<Utc>,
    pub sources: Vec<CandidateSource>,
}

/// A feed a candidate arrived from.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CandidateSource {
    pub feed_id: i64,
    pub feed_title: String,
}

/// Where a page ended. Newest-first pages continue strictly after
/// (published_at, id); by-votes pages after (votes, published_at, id). Rows
/// arriving meanwhile therefore never shift a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    pub votes: Option<i32>,
    pub published_at: DateTime<Utc>,
    pub id: i64,
}

impl Cursor {
    pub fn encode(&self) -> String {
        let micros = self.published_at.timestamp_micros();
        match self.votes {
            Some(votes) => format!("v{votes}_{micros}_{}", self.id),
            None => format!("n{micros}_{}", self.id),
        }
    }

    /// The cursor `encode` wrote for a view in `sort` order; `None` for
    /// anything else.
    pub fn decode(text: &str, sort: Sort) -> Option<Self> {
        let parts: Vec<&str> = text.get(1..)?.split('_').collect();
        let number = |s: &str| s.parse::<i64>().ok();
        let (votes, micros, id) = match (sort, text.as_bytes().first(), parts.as_slice()) {
            (Sort::Votes, Some(b'v'), [votes, micros, id]) => (
                Some(i32::try_from(number(votes)?).ok()?),
                number(micros)?,
                number(id)?,
            ),
            (Sort::Newest, Some(b'n'), [micros, id]) => (None, number(micros)?, number(id)?),
            _ => return None,
        };
        Some(Self {
            votes,
            published_at: DateTime::from_timestamp_micros(micros)?,
            id,
        })
    }
}
