//! An issue as CommonMark, in the structure of a published issue (see
//! README.md, "Issues" and "Publishing"): front matter, intro, `##`
//! sections with `###` linked picks and their commentary, footer. Empty
//! sections are left out; the output uses LF, has no trailing spaces
//! outside code blocks and ends with one newline.

use chrono::NaiveDate;
use pulldown_cmark::{Event, Parser, Tag};
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
/// Lines of code blocks, fenced or indented, are kept exactly as written:
/// their spaces, tabs, blank lines and backslashes are the code.
fn push_block(blocks: &mut Vec<String>, markdown: &str) {
    let text = markdown.replace("\r\n", "\n").replace('\r', "\n");
    let code = code_ranges(&text);
    // (line, is code, ends in a hard break written as two spaces)
    let mut lines: Vec<(String, bool, bool)> = Vec::new();
    let mut line_start = 0;
    for line in text.split('\n') {
        let line_end = line_start + line.len();
        let in_code = code
            .iter()
            .any(|range| range.start <= line_end && line_start < range.end);
        line_start = line_end + 1;
        if in_code {
            lines.push((line.to_owned(), true, false));
            continue;
        }
        let trimmed = line.trim_end();
        if trimmed.is_empty() && lines.last().is_none_or(|(last, ..)| last.is_empty()) {
            continue;
        }
        let hard_break = line.ends_with("  ") && !trimmed.is_empty();
        lines.push((trimmed.to_owned(), false, hard_break));
    }
    // Trailing blank lines are not part of an indented code block either.
    while lines
        .last()
        .is_some_and(|(last, ..)| last.trim().is_empty())
    {
        lines.pop();
    }
    // A hard break before a blank line or at the end means nothing, and a
    // `\` there would show as a backslash.
    for i in 0..lines.len() {
        let next_is_text = lines.get(i + 1).is_some_and(|(next, ..)| !next.is_empty());
        if lines[i].2 && next_is_text {
            lines[i].0.push('\\');
        }
    }
    if lines.is_empty() {
        return;
    }
    let mut lines: Vec<String> = lines.into_iter().map(|(line, ..)| line).collect();
    // An unclosed fence runs to the end of the document, and would swallow
    // every section after this block.
    if let Some(fence) = unclosed_fence(&text, &code) {
        lines.push(fence);
    }
    blocks.push(lines.join("\n"));
}

/// The closing fence the last code block of `markdown` lacks, if it is a
/// fenced block left open at the end.
fn unclosed_fence(markdown: &str, code: &[std::ops::Range<usize>]) -> Option<String> {
    let last = code.last()?;
    if markdown[last.end..].trim().is_empty() {
        let block = &markdown[last.clone()];
        let opening = block.lines().next()?;
        // What stands before the fence on its line: indentation, a list
        // marker (its width in spaces keeps the fence in the item) or `>`.
        let line_start = markdown[..last.start].rfind('\n').map_or(0, |i| i + 1);
        let indent: String = markdown[line_start..last.start]
            .chars()
            .chain(opening.chars().take_while(|c| c.is_whitespace()))
            .map(|c| if c == '>' { '>' } else { ' ' })
            .collect();
        let marker = opening.trim_start().chars().next()?;
        if marker != '`' && marker != '~' {
            return None; // an indented block
        }
        let width = opening
            .trim_start()
            .chars()
            .take_while(|&c| c == marker)
            .count();
        let closed = block.lines().skip(1).last().is_some_and(|line| {
            let line = line.trim();
            line.chars().take_while(|&c| c == marker).count() >= width
                && line.trim_start_matches(marker).is_empty()
        });
        if !closed {
            return Some(format!("{indent}{}", marker.to_string().repeat(width)));
        }
    }
    None
}

/// Byte ranges of the code blocks in `markdown`, as CommonMark reads them.
fn code_ranges(markdown: &str) -> Vec<std::ops::Range<usize>> {
    Parser::new(markdown)
        .into_offset_iter()
        .filter_map(|(event, range)| match event {
            Event::Start(Tag::CodeBlock(_)) => Some(range),
            _ => None,
        })
        .collect()
}
