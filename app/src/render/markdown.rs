//! An issue as CommonMark, in the structure of a published issue (see
//! docs/product.md): front matter, intro, `##` sections with `###` linked
//! picks and their commentary, footer. Empty sections are left out; the
//! output uses LF, has no trailing spaces and ends with one newline.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::escape::{link_destination, literal_text, yaml_string};

/// Everything the renderer needs, already resolved from templates.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct IssueDoc {
    /// The full title, e.g. "Gateway API GA: Neco Weekly (2026-11-27号)".
    pub title: String,
    pub date: Option<NaiveDate>,
    pub front_matter: FrontMatter,
    pub intro: String,
    pub sections: Vec<SectionDoc>,
    pub footer: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SectionDoc {
    pub title: String,
    pub picks: Vec<PickDoc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PickDoc {
    pub title: String,
    pub url: String,
    /// Markdown as the team wrote it.
    pub commentary: String,
}

/// The front matter blog engines expect.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum FrontMatter {
    #[default]
    None,
    /// Hugo, Zola and Jekyll: `title`, `date`, then extra `key: value` lines
    /// (values written as YAML strings).
    Yaml { extra: Vec<(String, String)> },
    /// Zenn-style: `title`, `emoji`, `type`, `topics`, `published`.
    Zenn {
        emoji: String,
        kind: String,
        topics: Vec<String>,
        published: bool,
    },
}

/// The whole export: front matter, then the body.
pub fn render_issue(doc: &IssueDoc) -> String {
    let mut out = front_matter(doc);
    out.push_str(&render_body(doc));
    out
}

/// The issue without front matter: what the archive and feeds show.
pub fn render_body(doc: &IssueDoc) -> String {
    let mut blocks: Vec<String> = Vec::new();
    push_block(&mut blocks, &doc.intro);
    for section in doc.sections.iter().filter(|s| !s.picks.is_empty()) {
        blocks.push(format!("## {}", literal_text(&section.title)));
        for pick in &section.picks {
            let title = if pick.title.trim().is_empty() {
                &pick.url
            } else {
                &pick.title
            };
            blocks.push(format!(
                "### [{}]({})",
                literal_text(title),
                link_destination(&pick.url)
            ));
            push_block(&mut blocks, &pick.commentary);
        }
    }
    push_block(&mut blocks, &doc.footer);
    let mut out = blocks.join("\n\n");
    out.push('\n');
    out
}

fn front_matter(doc: &IssueDoc) -> String {
    let date = doc.date.map(|date| date.to_string());
    let mut lines = vec![
        "---".to_owned(),
        format!("title: {}", yaml_string(&doc.title)),
    ];
    match &doc.front_matter {
        FrontMatter::None => return String::new(),
        FrontMatter::Yaml { extra } => {
            if let Some(date) = date {
                lines.push(format!("date: {date}"));
            }
            for (key, value) in extra {
                let key: String = key
                    .chars()
                    .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-'))
                    .collect();
                if !key.is_empty() && key != "title" && key != "date" {
                    lines.push(format!("{key}: {}", yaml_string(value)));
                }
            }
        }
        FrontMatter::Zenn {
            emoji,
            kind,
            topics,
            published,
        } => {
            lines.push(format!("emoji: {}", yaml_string(emoji)));
            lines.push(format!("type: {}", yaml_string(kind)));
            let topics: Vec<String> = topics.iter().map(|t| yaml_string(t)).collect();
            lines.push(format!("topics: [{}]", topics.join(", ")));
            lines.push(format!("published: {published}"));
        }
    }
    lines.push("---".to_owned());
    lines.push(String::new());
    lines.join("\n") + "\n"
}

/// Adds a block of the team's Markdown, tidied: LF line endings, no
/// leading or trailing blank lines, at most one blank line in a row, no
/// trailing spaces (a hard break written as two spaces becomes `\`).
fn push_block(blocks: &mut Vec<String>, markdown: &str) {
    let text = markdown.replace("\r\n", "\n").replace('\r', "\n");
    let mut lines: Vec<String> = Vec::new();
    for line in text.lines() {
        let trimmed = line.trim_end();
        let hard_break = line.ends_with("  ") && !trimmed.is_empty();
        let line = if hard_break {
            format!("{trimmed}\\")
        } else {
            trimmed.to_owned()
        };
        if line.is_empty() && lines.last().is_none_or(|last: &String| last.is_empty()) {
            continue;
        }
        lines.push(line);
    }
    while lines.last().is_some_and(|last| last.is_empty()) {
        lines.pop();
    }
    // A hard break at the very end of a block means nothing; drop it.
    if let Some(last) = lines.last_mut() {
        if last.ends_with('\\') && !last.ends_with("\\\\") {
            last.pop();
        }
    }
    if !lines.is_empty() {
        blocks.push(lines.join("\n"));
    }
}
