//! The renderer's input: an issue as a document, already resolved from
//! templates, and the choices of layout and front matter. Plain data, saved
//! as the snapshot of a published issue.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Everything the renderer needs, already resolved from templates.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct IssueDoc {
    /// The full title, e.g. "Gateway API GA: Neco Weekly (2026-11-27号)".
    pub title: String,
    pub date: Option<NaiveDate>,
    pub front_matter: FrontMatter,
    /// How the export's target shows the Markdown; the HTML of the issue
    /// follows it, so a preview looks like the published page.
    #[serde(default)]
    pub rendering: Rendering,
    pub intro: String,
    pub sections: Vec<SectionDoc>,
    /// The closing part (`## あとがき`); left out when its text is empty.
    #[serde(default)]
    pub closing_heading: String,
    #[serde(default)]
    pub closing: String,
    /// The newsletter's standing sign-off, after the closing part.
    pub footer: String,
}

/// What the export's target makes of Markdown beyond CommonMark.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Rendering {
    /// Every newline inside a paragraph is a line break (Zenn: markdown-it
    /// with `breaks`); otherwise lines are joined, as CommonMark does.
    pub line_breaks: bool,
    /// A paragraph that is a URL alone becomes a link card (Zenn).
    pub link_cards: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SectionDoc {
    pub title: String,
    pub picks: Vec<PickDoc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PickDoc {
    pub title: String,
    /// Empty for a topic whose links are in its commentary.
    pub url: String,
    /// Markdown as the team wrote it.
    pub commentary: String,
    #[serde(default)]
    pub layout: PickLayout,
    /// The linked article's own title, for the quote layout; empty means
    /// the pick's title.
    #[serde(default)]
    pub link_title: String,
    /// The article's excerpt (plain text), for the quote layout.
    #[serde(default)]
    pub excerpt: String,
}

/// How a pick's title and link are laid out above its commentary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[derive(strum::EnumString, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(feature = "ssr", sqlx(type_name = "text", rename_all = "snake_case"))]
pub enum PickLayout {
    /// `### [title](url)`
    #[default]
    LinkedHeading,
    /// `### title`, then the URL alone on its line: a link card on Zenn,
    /// an autolink elsewhere.
    HeadingCard,
    /// `### title`, then a blockquote with the linked article title and
    /// its excerpt.
    HeadingQuote,
}

impl PickLayout {
    pub const ALL: [Self; 3] = [Self::LinkedHeading, Self::HeadingCard, Self::HeadingQuote];

    /// The menus' text, in the UI's language.
    pub fn label(self) -> &'static str {
        use crate::i18n::td_string;
        let locale = crate::lang::current();
        match self {
            Self::LinkedHeading => td_string!(locale, editor.layout_linked_heading),
            Self::HeadingCard => td_string!(locale, editor.layout_heading_card),
            Self::HeadingQuote => td_string!(locale, editor.layout_heading_quote),
        }
    }
}

words!(PickLayout);

/// The front matter blog engines expect.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum FrontMatter {
    #[default]
    None,
    /// No front matter; the title as a `#` heading (Markdown pages).
    Heading,
    /// Hugo, Zola and Jekyll: `title`, `date`, then extra `key: value` lines
    /// (values written as YAML strings).
    Yaml { extra: Vec<(String, String)> },
    /// Zenn: `title`, `emoji`, `type`, `topics`, `published`, and the
    /// optional `published_at` and `publication_name`.
    Zenn {
        emoji: String,
        kind: String,
        topics: Vec<String>,
        published: bool,
        /// `YYYY-MM-DD` or `YYYY-MM-DD hh:mm`, already checked.
        #[serde(default)]
        published_at: Option<String>,
        /// Empty when not published through a Publication.
        #[serde(default)]
        publication_name: String,
    },
}
