//! An issue as CommonMark, in the structure of a published issue (see
//! docs/guide.md, "Issues" and "Publishing"): front matter, intro, `##`
//! sections with `###` picks in one of three layouts and their commentary,
//! the closing part, footer. Empty sections are left out; the output uses
//! LF, has no trailing spaces outside code blocks and ends with one newline.

use super::{
    escape::{link_destination, literal_block_text, literal_text, yaml_string},
    model::{FrontMatter, IssueDoc, PickDoc, PickLayout},
};
use pulldown_cmark::{Event, Parser, Tag};

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
            push_pick(&mut blocks, pick);
        }
    }
    if !doc.closing.trim().is_empty() {
        if !doc.closing_heading.trim().is_empty() {
            blocks.push(format!("## {}", literal_text(&doc.closing_heading)));
        }
        push_block(&mut blocks, &doc.closing);
    }
    push_block(&mut blocks, &doc.footer);
    let mut out = blocks.join("\n\n");
    out.push('\n');
    out
}

fn push_pick(blocks: &mut Vec<String>, pick: &PickDoc) {
    let url = pick.url.trim();
    let title = if pick.title.trim().is_empty() {
        url
    } else {
        &pick.title
    };
    match pick.layout {
        _ if url.is_empty() => blocks.push(format!("### {}", literal_text(title))),
        PickLayout::LinkedHeading => blocks.push(format!(
            "### [{}]({})",
            literal_text(title),
            link_destination(url)
        )),
        PickLayout::HeadingCard => {
            blocks.push(format!("### {}", literal_text(title)));
            blocks.push(card_line(url));
        }
        PickLayout::HeadingQuote => {
            blocks.push(format!("### {}", literal_text(title)));
            let link_title = if pick.link_title.trim().is_empty() {
                title
            } else {
                &pick.link_title
            };
            let mut quote = format!(
                "> [{}]({})",
                literal_text(link_title),
                link_destination(url)
            );
            let excerpt = pick.excerpt.trim();
            if !excerpt.is_empty() {
                quote.push_str("\n>\n> ");
                quote.push_str(&literal_block_text(excerpt));
            }
            blocks.push(quote);
        }
    }
    push_block(blocks, &pick.commentary);
}

/// The URL alone on its line, as Zenn and linkifying renderers take it; a
/// URL they would cut short (white space, angle brackets) is written as a
/// link with itself as the text instead.
fn card_line(url: &str) -> String {
    if url
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || "<>\"`".contains(c))
    {
        format!("[{}]({})", literal_text(url), link_destination(url))
    } else {
        url.to_owned()
    }
}

fn front_matter(doc: &IssueDoc) -> String {
    let date = doc.date.map(|date| date.to_string());
    let mut lines = vec![
        "---".to_owned(),
        format!("title: {}", yaml_string(&doc.title)),
    ];
    match &doc.front_matter {
        FrontMatter::None => return String::new(),
        FrontMatter::Heading => return format!("# {}\n\n", literal_text(&doc.title)),
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
            published_at,
            publication_name,
        } => {
            lines.push(format!("emoji: {}", yaml_string(emoji)));
            lines.push(format!("type: {}", yaml_string(kind)));
            let topics: Vec<String> = topics.iter().map(|t| yaml_string(t)).collect();
            lines.push(format!("topics: [{}]", topics.join(", ")));
            lines.push(format!("published: {published}"));
            // Zenn reads the time unquoted; the settings allow only its
            // two forms, so no quoting is needed.
            if let Some(at) = published_at {
                lines.push(format!("published_at: {at}"));
            }
            if !publication_name.is_empty() {
                lines.push(format!(
                    "publication_name: {}",
                    yaml_string(publication_name)
                ));
            }
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
