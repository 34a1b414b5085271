//! Reading one back issue, a Markdown file in one of the layouts teams
//! publish, into the renderer's structure: title, number and date, front
//! matter, intro, `##` sections with `###` picks, and the closing part.
//!
//! Pure: bytes in, a [`ParsedIssue`] or a [`NotAnIssue`] out. The text the
//! team wrote (intro, commentary, closing) is sliced from the source as it
//! was written; only titles, URLs and excerpts are read as plain text, the
//! way the renderer writes them back (`render/escape.rs`). Whatever does not
//! map exactly onto that structure is kept in the nearest text and named in
//! [`ParsedIssue::report`]; nothing is dropped without a line there.
//!
//! Line endings are read as LF (CRLF and lone CR become LF) and a leading
//! byte order mark is skipped, as the renderer writes LF only.

use std::ops::Range;

use chrono::NaiveDate;
use pulldown_cmark::{Event, HeadingLevel, LinkType, Options, Parser, Tag};
use yaml_rust2::{Yaml, YamlLoader};

use crate::i18n::td_string;
use crate::lang;
use crate::render::{FrontMatter, IssueDoc, PickDoc, PickLayout, Rendering, SectionDoc};

mod blocks;
mod body;
mod embed;
mod front;

// The parts read one another's pieces; each file is one stage.
use self::{blocks::*, body::*, embed::*, front::*};

/// The largest file that is read at all.
pub const MAX_IMPORT_BYTES: usize = 2 * 1024 * 1024;

/// One back issue as it was published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedIssue {
    /// The full title: front matter `title:` or the `# ...` heading.
    pub title: String,
    /// From `今回は第N回目` (or `第N回`) or `#N` in the intro, or front
    /// matter `number:` (which wins).
    pub number: Option<i32>,
    /// From front matter `date:`, else `(YYYY-MM-DD号)` in the title, else
    /// front matter `published_at:`.
    pub date: Option<NaiveDate>,
    /// `Zenn` when the front matter has `emoji`, `type` or `topics`; `Yaml`
    /// for other front matter (keys other than `title` and `date` in
    /// `extra`, in order); `Heading` for a `# title` file.
    pub front_matter: FrontMatter,
    /// Zenn: line breaks and link cards; otherwise neither.
    pub rendering: Rendering,
    /// The Markdown between the title (or front matter) and the first
    /// `## `, as written, without leading and trailing blank lines.
    pub intro: String,
    /// Every `## ` section that has `### ` picks, in order.
    pub sections: Vec<SectionDoc>,
    /// The heading of the final `## ` section when it has no picks.
    pub closing_heading: String,
    /// ...and its Markdown, as written.
    pub closing: String,
    /// One plain English line per thing not mapped exactly, saying where
    /// it was kept.
    pub report: Vec<String>,
}

impl ParsedIssue {
    /// The renderer's document of this issue as it was published (footer
    /// empty: a sign-off the team wrote is in the closing part or the last
    /// commentary).
    pub fn doc(&self) -> IssueDoc {
        IssueDoc {
            title: self.title.clone(),
            date: self.date,
            front_matter: self.front_matter.clone(),
            rendering: self.rendering,
            intro: self.intro.clone(),
            sections: self.sections.clone(),
            closing_heading: self.closing_heading.clone(),
            closing: self.closing.clone(),
            footer: String::new(),
        }
    }
}

/// Why a file is not an issue; the message is shown to the user per file,
/// in plain words.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct NotAnIssue(pub String);

fn refuse(message: impl Into<String>) -> NotAnIssue {
    NotAnIssue(message.into())
}

/// Reads one back issue.
pub fn parse_issue(bytes: &[u8]) -> Result<ParsedIssue, NotAnIssue> {
    let locale = lang::current();
    let text = decode_text(bytes)?;
    let mut report = Vec::new();
    let (yaml, body) = split_front_matter(&text)?;
    let front = match yaml {
        Some(yaml) => Some(read_front_matter(yaml, &mut report)?),
        None => None,
    };
    let front_title = front.as_ref().and_then(|f| f.title.clone());
    let body = read_body(body, front_title.is_none(), &mut report)?;

    let (title, front_matter, front_date, published_at, front_number) = match front {
        Some(front) => {
            if front_title.is_none() && body.heading_title.is_some() {
                report.push(td_string!(locale, inbox.import_title_from_heading).to_owned());
            }
            (
                front_title.or(body.heading_title.clone()),
                front.kind,
                front.date,
                front.published_at,
                front.number,
            )
        }
        None => {
            let kind = if body.heading_title.is_some() {
                FrontMatter::Heading
            } else {
                FrontMatter::None
            };
            (body.heading_title.clone(), kind, None, None, None)
        }
    };
    let title = title
        .filter(|t| !t.trim().is_empty())
        .ok_or_else(|| refuse(td_string!(locale, inbox.import_no_title)))?;

    let title_date = date_in_title(&title);
    let date = front_date.or(title_date).or(published_at);
    if let (FrontMatter::Yaml { .. }, None, Some(date)) = (&front_matter, front_date, date) {
        report.push(lang::fill(
            td_string!(locale, inbox.import_date_added),
            &[("date", &date.to_string())],
        ));
    }
    let number = front_number.or_else(|| number_in_intro(&body.intro));
    let rendering = if matches!(front_matter, FrontMatter::Zenn { .. }) {
        Rendering {
            line_breaks: true,
            link_cards: true,
        }
    } else {
        Rendering::default()
    };
    report.extend(body.report);
    Ok(ParsedIssue {
        title,
        number,
        date,
        front_matter,
        rendering,
        intro: body.intro,
        sections: body.sections,
        closing_heading: body.closing_heading,
        closing: body.closing,
        report,
    })
}

#[cfg(test)]
mod tests;
