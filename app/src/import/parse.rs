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

use crate::render::{FrontMatter, IssueDoc, PickDoc, PickLayout, Rendering, SectionDoc};

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
                report.push(
                    "the title was taken from the `# ` heading, as the front matter has no \
                     `title:`; exports write it in the front matter"
                        .to_owned(),
                );
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
    let title = title.filter(|t| !t.trim().is_empty()).ok_or_else(|| {
        refuse(
            "no title: the file has neither front matter with `title:` nor a `# title` \
             heading at its start",
        )
    })?;

    let title_date = date_in_title(&title);
    let date = front_date.or(title_date).or(published_at);
    if let (FrontMatter::Yaml { .. }, None, Some(date)) = (&front_matter, front_date, date) {
        report.push(format!(
            "the front matter has no `date:`; the date {date} (from the title or \
             `published_at:`) is written as `date:` on export"
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

// ---------------------------------------------------------------------------
// Bytes and front matter

fn decode_text(bytes: &[u8]) -> Result<String, NotAnIssue> {
    if bytes.len() > MAX_IMPORT_BYTES {
        return Err(refuse(format!(
            "the file is too large: {} bytes, and at most {} bytes (2 MiB) can be imported",
            bytes.len(),
            MAX_IMPORT_BYTES
        )));
    }
    if bytes.contains(&0) {
        return Err(refuse(
            "binary data: the file contains NUL bytes, so it is not a Markdown text file",
        ));
    }
    let text = std::str::from_utf8(bytes).map_err(|error| {
        refuse(format!(
            "binary data: the file is not UTF-8 text (invalid byte at position {})",
            error.valid_up_to()
        ))
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    Ok(text.replace("\r\n", "\n").replace('\r', "\n"))
}

/// The YAML between a `---` first line and the next `---` (or `...`) line,
/// and the body after it.
fn split_front_matter(text: &str) -> Result<(Option<&str>, &str), NotAnIssue> {
    let first_line = text.split('\n').next().unwrap_or_default();
    if first_line.trim_end() == "+++" {
        return Err(refuse(
            "unsupported front matter: TOML front matter (`+++`) cannot be read; only YAML \
             front matter between `---` lines",
        ));
    }
    if first_line.trim_end() != "---" {
        return Ok((None, text));
    }
    let yaml_start = (first_line.len() + 1).min(text.len());
    let mut offset = yaml_start;
    for line in text[yaml_start..].split_inclusive('\n') {
        let content = line.trim_end();
        if content == "---" || content == "..." {
            return Ok((
                Some(&text[yaml_start..offset]),
                &text[offset + line.len()..],
            ));
        }
        offset += line.len();
    }
    Err(refuse(
        "broken front matter: the `---` on the first line is never closed by another `---` \
         line",
    ))
}

struct Front {
    title: Option<String>,
    date: Option<NaiveDate>,
    published_at: Option<NaiveDate>,
    number: Option<i32>,
    kind: FrontMatter,
}

const ZENN_KEYS: &[&str] = &[
    "title",
    "emoji",
    "type",
    "topics",
    "published",
    "published_at",
    "publication_name",
];

fn read_front_matter(yaml: &str, report: &mut Vec<String>) -> Result<Front, NotAnIssue> {
    let docs = YamlLoader::load_from_str(yaml).map_err(|error| {
        refuse(format!(
            "broken front matter: invalid YAML on line {} of the file, column {}: {}",
            // The marker's line counts from 1 within the YAML, which starts
            // on the file's second line.
            error.marker().line() + 1,
            error.marker().col() + 1,
            error.info()
        ))
    })?;
    let entries: Vec<(String, Yaml)> = match docs.into_iter().next() {
        None | Some(Yaml::Null) => Vec::new(),
        Some(Yaml::Hash(hash)) => hash
            .into_iter()
            .map(|(key, value)| (scalar_text(&key).unwrap_or_else(|| flow_text(&key)), value))
            .collect(),
        Some(other) => {
            return Err(refuse(format!(
                "broken front matter: expected `key: value` lines, found {}",
                describe(&other)
            )))
        }
    };
    let get = |name: &str| entries.iter().find(|(key, _)| key == name).map(|(_, v)| v);

    let title = match get("title") {
        None | Some(Yaml::Null) => None,
        Some(Yaml::String(title)) => Some(title.trim().to_owned()),
        Some(other) => {
            return Err(refuse(format!(
                "broken front matter: `title:` must be text, but it is {}",
                describe(other)
            )))
        }
    };
    let zenn = entries
        .iter()
        .any(|(key, _)| matches!(key.as_str(), "emoji" | "type" | "topics"));

    let mut date = None;
    if let Some(value) = get("date") {
        let text = scalar_text(value).unwrap_or_else(|| flow_text(value));
        match date_prefix(&text) {
            Some((found, rest)) => {
                date = Some(found);
                if !rest.trim().is_empty() && !zenn {
                    report.push(format!(
                        "the time in front matter `date: {text}` is not kept; exports write \
                         `date: {found}`"
                    ));
                }
            }
            None => report.push(format!(
                "front matter `date: {text}` is not a date (YYYY-MM-DD); it is left out"
            )),
        }
    }
    let published_at_text = get("published_at").and_then(scalar_text);
    let published_at = published_at_text
        .as_deref()
        .and_then(date_prefix)
        .map(|(d, _)| d);
    let number = match get("number") {
        None | Some(Yaml::Null) => None,
        Some(value) => {
            let found = scalar_text(value).and_then(|text| text.trim().parse::<i32>().ok());
            if found.is_none() {
                report.push(format!(
                    "front matter `number: {}` is not a whole number; the issue number is \
                     read from the intro instead",
                    scalar_text(value).unwrap_or_else(|| flow_text(value))
                ));
            }
            found
        }
    };

    let kind = if zenn {
        zenn_front_matter(&entries, published_at_text, report)
    } else {
        let mut extra = Vec::new();
        for (key, value) in &entries {
            if key == "title" || key == "date" {
                continue;
            }
            let text = match scalar_text(value) {
                Some(text) => text,
                None => {
                    let text = flow_text(value);
                    report.push(format!(
                        "front matter `{key}:` is {}; it is kept as the text `{text}`",
                        describe(value)
                    ));
                    text
                }
            };
            let written: String = key
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-'))
                .collect();
            if written.is_empty() {
                report.push(format!(
                    "front matter key `{key}` cannot be written back as a key; exports leave \
                     it out"
                ));
            } else if written != *key {
                report.push(format!(
                    "front matter key `{key}` is written back as `{written}` on export"
                ));
            }
            extra.push((key.clone(), text));
        }
        FrontMatter::Yaml { extra }
    };
    Ok(Front {
        title,
        date,
        published_at,
        number,
        kind,
    })
}

fn zenn_front_matter(
    entries: &[(String, Yaml)],
    published_at: Option<String>,
    report: &mut Vec<String>,
) -> FrontMatter {
    let get = |name: &str| entries.iter().find(|(key, _)| key == name).map(|(_, v)| v);
    let text = |name: &str| get(name).and_then(scalar_text).unwrap_or_default();
    let topics = match get("topics") {
        None | Some(Yaml::Null) => Vec::new(),
        Some(Yaml::Array(items)) => items
            .iter()
            .map(|item| scalar_text(item).unwrap_or_else(|| flow_text(item)))
            .collect(),
        Some(other) => {
            let topic = scalar_text(other).unwrap_or_else(|| flow_text(other));
            report.push(format!(
                "front matter `topics: {topic}` is not a list; it is kept as the one topic \
                 `{topic}`"
            ));
            vec![topic]
        }
    };
    let published = match get("published") {
        None | Some(Yaml::Null) => false,
        Some(Yaml::Boolean(published)) => *published,
        Some(Yaml::String(text)) if text == "true" || text == "false" => text == "true",
        Some(other) => {
            report.push(format!(
                "front matter `published: {}` is not true or false; it is read as false",
                scalar_text(other).unwrap_or_else(|| flow_text(other))
            ));
            false
        }
    };
    let published_at = published_at.filter(|at| {
        let at = at.trim();
        let valid = NaiveDate::parse_from_str(at, "%Y-%m-%d").is_ok()
            || chrono::NaiveDateTime::parse_from_str(at, "%Y-%m-%d %H:%M").is_ok();
        if !valid {
            report.push(format!(
                "front matter `published_at: {at}` is not in Zenn's form (YYYY-MM-DD or \
                 YYYY-MM-DD hh:mm); exports leave it out"
            ));
        }
        valid
    });
    for (key, value) in entries {
        if ZENN_KEYS.contains(&key.as_str()) {
            continue;
        }
        let value = scalar_text(value).unwrap_or_else(|| flow_text(value));
        let kept = match key.as_str() {
            "date" => "it is kept as the issue's date only",
            "number" => "it is kept as the issue's number only",
            _ => "exports leave it out",
        };
        report.push(format!(
            "front matter `{key}: {value}` is not a Zenn key; {kept}"
        ));
    }
    FrontMatter::Zenn {
        emoji: text("emoji"),
        kind: text("type"),
        topics,
        published,
        published_at: published_at.map(|at| at.trim().to_owned()),
        publication_name: text("publication_name"),
    }
}

/// A scalar as the text it was written as; `None` for lists and mappings.
fn scalar_text(value: &Yaml) -> Option<String> {
    match value {
        Yaml::String(text) | Yaml::Real(text) => Some(text.clone()),
        Yaml::Integer(number) => Some(number.to_string()),
        Yaml::Boolean(flag) => Some(flag.to_string()),
        Yaml::Null => Some(String::new()),
        Yaml::Array(_) | Yaml::Hash(_) | Yaml::Alias(_) | Yaml::BadValue => None,
    }
}

/// A list or mapping in YAML's flow style, e.g. `[a, b]`.
fn flow_text(value: &Yaml) -> String {
    match value {
        Yaml::Array(items) => {
            let items: Vec<String> = items.iter().map(flow_text).collect();
            format!("[{}]", items.join(", "))
        }
        Yaml::Hash(hash) => {
            let pairs: Vec<String> = hash
                .iter()
                .map(|(k, v)| format!("{}: {}", flow_text(k), flow_text(v)))
                .collect();
            format!("{{{}}}", pairs.join(", "))
        }
        other => scalar_text(other).unwrap_or_default(),
    }
}

fn describe(value: &Yaml) -> &'static str {
    match value {
        Yaml::Array(_) => "a list",
        Yaml::Hash(_) => "a mapping",
        Yaml::Integer(_) | Yaml::Real(_) => "a number",
        Yaml::Boolean(_) => "true or false",
        Yaml::Null => "empty",
        Yaml::String(_) => "text",
        Yaml::Alias(_) | Yaml::BadValue => "an alias",
    }
}

/// A `YYYY-MM-DD` (or `YYYY/MM/DD`) date at the start of `text` (white
/// space around it ignored), and what follows it.
fn date_prefix(text: &str) -> Option<(NaiveDate, &str)> {
    date_at_start(text.trim())
}

/// The date of `(YYYY-MM-DD号)` in a title (ASCII or full-width brackets).
fn date_in_title(title: &str) -> Option<NaiveDate> {
    title.char_indices().find_map(|(i, c)| {
        if c != '(' && c != '（' {
            return None;
        }
        let rest = &title[i + c.len_utf8()..];
        let (date, after) = date_at_start(rest)?;
        (after.starts_with("号)") || after.starts_with("号）")).then_some(date)
    })
}

/// A date in the first ten bytes of `text`, and what follows it.
fn date_at_start(text: &str) -> Option<(NaiveDate, &str)> {
    let head = text.get(..10)?;
    let date = NaiveDate::parse_from_str(&head.replace('/', "-"), "%Y-%m-%d").ok()?;
    Some((date, &text[10..]))
}

/// `第N回` (as in `今回は第N回目`), else `#N`, in the intro; ASCII or
/// full-width digits.
fn number_in_intro(intro: &str) -> Option<i32> {
    let chars: Vec<char> = intro.chars().collect();
    let digits_at = |start: usize| -> (String, usize) {
        let mut digits = String::new();
        let mut end = start;
        while let Some(&c) = chars.get(end) {
            match c {
                '0'..='9' => digits.push(c),
                '０'..='９' => digits.push(char::from(b'0' + (c as u32 - '０' as u32) as u8)),
                _ => break,
            }
            end += 1;
        }
        (digits, end)
    };
    for i in 0..chars.len() {
        if chars[i] == '第' {
            let (digits, end) = digits_at(i + 1);
            if !digits.is_empty() && chars.get(end) == Some(&'回') {
                if let Ok(number) = digits.parse() {
                    return Some(number);
                }
            }
        }
    }
    for i in 0..chars.len() {
        let standalone = i == 0 || chars[i - 1].is_whitespace() || "(（「[".contains(chars[i - 1]);
        if chars[i] == '#' && standalone {
            let (digits, end) = digits_at(i + 1);
            let ends = chars.get(end).is_none_or(|c| !c.is_alphanumeric());
            if !digits.is_empty() && ends {
                if let Ok(number) = digits.parse() {
                    return Some(number);
                }
            }
        }
    }
    None
}

// ---------------------------------------------------------------------------
// Blocks

type Spanned<'a> = (Event<'a>, Range<usize>);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Heading(HeadingLevel),
    Paragraph,
    Html,
    Quote,
    Other,
}

/// A block at one level of nesting, with the events inside it.
struct Block<'a> {
    kind: Kind,
    range: Range<usize>,
    inner: &'a [Spanned<'a>],
}

/// The blocks of an event stream at its outer level.
fn split_blocks<'a>(events: &'a [Spanned<'a>]) -> Vec<Block<'a>> {
    let mut blocks = Vec::new();
    let mut i = 0;
    while i < events.len() {
        let (event, range) = &events[i];
        match event {
            Event::Start(tag) => {
                let kind = match tag {
                    Tag::Heading { level, .. } => Kind::Heading(*level),
                    Tag::Paragraph => Kind::Paragraph,
                    Tag::HtmlBlock => Kind::Html,
                    Tag::BlockQuote(_) => Kind::Quote,
                    _ => Kind::Other,
                };
                let end = matching_end(events, i);
                blocks.push(Block {
                    kind,
                    range: range.clone(),
                    inner: &events[i + 1..end],
                });
                i = end + 1;
            }
            Event::End(_) => i += 1,
            _ => {
                blocks.push(Block {
                    kind: Kind::Other,
                    range: range.clone(),
                    inner: &[],
                });
                i += 1;
            }
        }
    }
    blocks
}

/// The index of the `End` of the element started at `start` (or the end of
/// the stream).
fn matching_end(events: &[Spanned<'_>], start: usize) -> usize {
    let mut depth = 0usize;
    for (j, (event, _)) in events.iter().enumerate().skip(start) {
        match event {
            Event::Start(_) => depth += 1,
            Event::End(_) => {
                depth -= 1;
                if depth == 0 {
                    return j;
                }
            }
            _ => {}
        }
    }
    events.len()
}

/// Inline content read as plain text, the way the renderer writes titles:
/// escapes and entities resolved, white space collapsed.
struct Plain {
    text: String,
    /// What was dropped: "emphasis", "code", ...
    dropped: Vec<&'static str>,
}

fn plain_text(events: &[Spanned<'_>]) -> Plain {
    let mut text = String::new();
    let mut dropped: Vec<&'static str> = Vec::new();
    let mut drop = |what: &'static str| {
        if !dropped.contains(&what) {
            dropped.push(what);
        }
    };
    for (event, _) in events {
        match event {
            Event::Text(t) => text.push_str(t),
            Event::Code(t) => {
                text.push_str(t);
                drop("code");
            }
            Event::InlineMath(t) | Event::DisplayMath(t) => {
                text.push_str(t);
                drop("math");
            }
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            Event::InlineHtml(_) | Event::Html(_) => drop("HTML"),
            Event::FootnoteReference(_) => drop("a footnote"),
            Event::Start(Tag::Emphasis) => drop("emphasis"),
            Event::Start(Tag::Strong) => drop("bold"),
            Event::Start(Tag::Strikethrough) => drop("strikethrough"),
            Event::Start(Tag::Link { .. }) => drop("a link"),
            Event::Start(Tag::Image { .. }) => drop("an image"),
            _ => {}
        }
    }
    let mut words = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !words.is_empty() {
            words.push(' ');
        }
        words.extend(word.chars().filter(|c| !c.is_control()));
    }
    Plain {
        text: words,
        dropped,
    }
}

/// Only plain text: no formatting that [`plain_text`] would drop.
fn is_plain(events: &[Spanned<'_>]) -> bool {
    events
        .iter()
        .all(|(e, _)| matches!(e, Event::Text(_) | Event::SoftBreak | Event::HardBreak))
}

/// The link that is the whole of `events`: its type, destination and the
/// events of its text.
fn sole_link<'a>(events: &'a [Spanned<'a>]) -> Option<(LinkType, &'a str, &'a [Spanned<'a>])> {
    let (
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            ..
        }),
        _,
    ) = events.first()?
    else {
        return None;
    };
    let end = matching_end(events, 0);
    (end + 1 == events.len()).then(|| (*link_type, dest_url.as_ref(), &events[1..end]))
}

/// The Markdown of a heading's text, as written (without `#` marks).
fn heading_source<'s>(block: &Block<'_>, source: &'s str) -> &'s str {
    let start = block.inner.iter().map(|(_, r)| r.start).min();
    let end = block.inner.iter().map(|(_, r)| r.end).max();
    match (start, end) {
        (Some(start), Some(end)) if start <= end => source[start..end].trim(),
        _ => "",
    }
}

/// Without leading blank lines and trailing white space.
fn trim_blank_lines(text: &str) -> &str {
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        if !line.trim().is_empty() {
            break;
        }
        start += line.len();
    }
    text[start..].trim_end()
}

fn append(target: &mut String, text: &str) {
    if text.is_empty() {
        return;
    }
    if !target.is_empty() {
        target.push_str("\n\n");
    }
    target.push_str(text);
}

// ---------------------------------------------------------------------------
// The body

struct Body {
    heading_title: Option<String>,
    intro: String,
    sections: Vec<SectionDoc>,
    closing_heading: String,
    closing: String,
    report: Vec<String>,
}

struct RawSection {
    title: String,
    heading_source: String,
    /// Text between the heading and the first pick (all of it when the
    /// section has no picks).
    lead: String,
    picks: Vec<RawPick>,
}

struct RawPick {
    doc: PickDoc,
    /// The layout its link was written in; `None` for a pick without one.
    layout: Option<PickLayout>,
}

fn read_body(
    body: &str,
    title_from_heading: bool,
    top_report: &mut Vec<String>,
) -> Result<Body, NotAnIssue> {
    let mut report = Vec::new();
    let events: Vec<Spanned<'_>> = Parser::new_ext(body, Options::ENABLE_TABLES)
        .into_offset_iter()
        .collect();
    let blocks = split_blocks(&events);

    let mut first = 0;
    let mut intro_start = 0;
    let mut heading_title = None;
    if let Some(block) = blocks.first() {
        if title_from_heading && block.kind == Kind::Heading(HeadingLevel::H1) {
            let plain = plain_text(block.inner);
            if !plain.dropped.is_empty() {
                top_report.push(format!(
                    "the title's formatting ({}) was dropped; its words are kept",
                    plain.dropped.join(", ")
                ));
            }
            heading_title = Some(plain.text);
            intro_start = block.range.end;
            first = 1;
        }
    }
    let h2s: Vec<usize> = (first..blocks.len())
        .filter(|&i| blocks[i].kind == Kind::Heading(HeadingLevel::H2))
        .collect();
    let intro_end = h2s.first().map_or(body.len(), |&i| blocks[i].range.start);
    let mut intro = trim_blank_lines(&body[intro_start.min(intro_end)..intro_end]).to_owned();
    for block in &blocks[first..h2s.first().copied().unwrap_or(blocks.len())] {
        if block.kind == Kind::Heading(HeadingLevel::H3) {
            report.push(format!(
                "the heading \"### {}\" comes before the first `## ` section; it is kept in \
                 the intro as written",
                plain_text(block.inner).text
            ));
        }
    }

    let mut raw = Vec::new();
    for (n, &h2) in h2s.iter().enumerate() {
        let next = h2s.get(n + 1).copied().unwrap_or(blocks.len());
        let end = blocks.get(next).map_or(body.len(), |b| b.range.start);
        let heading = &blocks[h2];
        let plain = plain_text(heading.inner);
        if !plain.dropped.is_empty() {
            report.push(format!(
                "the formatting ({}) of the heading of section \"{}\" was dropped; its words \
                 are kept",
                plain.dropped.join(", "),
                plain.text
            ));
        }
        let h3s: Vec<usize> = (h2 + 1..next)
            .filter(|&i| blocks[i].kind == Kind::Heading(HeadingLevel::H3))
            .collect();
        let lead_end = h3s.first().map_or(end, |&i| blocks[i].range.start);
        let mut section = RawSection {
            title: plain.text,
            heading_source: heading_source(heading, body).to_owned(),
            lead: trim_blank_lines(&body[heading.range.end.min(lead_end)..lead_end]).to_owned(),
            picks: Vec::new(),
        };
        for (k, &h3) in h3s.iter().enumerate() {
            let next_pick = h3s.get(k + 1).copied().unwrap_or(next);
            let pick_end = blocks.get(next_pick).map_or(body.len(), |b| b.range.start);
            let pick_end = pick_end.min(end);
            let pick = read_pick(
                &blocks[h3],
                &blocks[h3 + 1..next_pick],
                pick_end,
                body,
                &section.title,
                &mut report,
            );
            section.picks.push(pick);
        }
        raw.push(section);
    }

    if raw.iter().all(|section| section.picks.is_empty()) {
        return Err(refuse(
            "not an issue: no `## section` with `### picks` found (an issue has `## ` section \
             headings with a `### ` heading for each pick)",
        ));
    }

    // Picks without a link of their own take the issue's usual layout.
    let mut counts: Vec<(PickLayout, usize)> = Vec::new();
    for layout in raw
        .iter()
        .flat_map(|s| &s.picks)
        .filter_map(|pick| pick.layout)
    {
        match counts.iter_mut().find(|(l, _)| *l == layout) {
            Some((_, count)) => *count += 1,
            None => counts.push((layout, 1)),
        }
    }
    let mut dominant = PickLayout::default();
    let mut best = 0;
    for (layout, count) in counts {
        if count > best {
            dominant = layout;
            best = count;
        }
    }

    let closing_at = raw
        .last()
        .filter(|section| section.picks.is_empty())
        .map(|_| raw.len() - 1);
    let mut closing_heading = String::new();
    let mut closing = String::new();
    let mut sections: Vec<SectionDoc> = Vec::new();
    for (n, section) in raw.into_iter().enumerate() {
        if Some(n) == closing_at {
            if section.lead.is_empty() {
                report.push(format!(
                    "the last section \"{}\" has no text; exports leave it out",
                    section.title
                ));
            }
            closing_heading = section.title;
            closing = section.lead;
            continue;
        }
        let (kept, target) = match sections.last_mut().and_then(|s| s.picks.last_mut()) {
            Some(pick) => (
                &mut pick.commentary,
                format!("at the end of the commentary of \"{}\"", pick.title),
            ),
            None => (&mut intro, "at the end of the intro".to_owned()),
        };
        if section.picks.is_empty() {
            let mut text = String::new();
            if !section.heading_source.is_empty() {
                text = format!("**{}**", section.heading_source);
            }
            append(&mut text, &section.lead);
            append(kept, &text);
            report.push(format!(
                "section \"{}\" has no `### ` picks and is not the last section; its heading \
                 (as a bold line) and text are kept {target}",
                section.title
            ));
            continue;
        }
        if !section.lead.is_empty() {
            append(kept, &section.lead);
            report.push(format!(
                "text before the first pick of section \"{}\" kept {target}",
                section.title
            ));
        }
        sections.push(SectionDoc {
            title: section.title,
            picks: section
                .picks
                .into_iter()
                .map(|pick| PickDoc {
                    layout: pick.layout.unwrap_or(dominant),
                    ..pick.doc
                })
                .collect(),
        });
    }

    Ok(Body {
        heading_title,
        intro,
        sections,
        closing_heading,
        closing,
        report,
    })
}

/// One `### ` pick: its title and link from the heading and the block
/// after it, and its commentary up to `end`.
fn read_pick(
    heading: &Block<'_>,
    after: &[Block<'_>],
    end: usize,
    body: &str,
    section: &str,
    report: &mut Vec<String>,
) -> RawPick {
    let mut doc = PickDoc::default();
    let mut layout = None;
    let mut commentary_start = heading.range.end;
    let title_events = match sole_link(heading.inner) {
        Some((_, url, text)) => {
            doc.url = url.to_owned();
            layout = Some(PickLayout::LinkedHeading);
            text
        }
        None => heading.inner,
    };
    let title = plain_text(title_events);
    doc.title = title.text;
    if !title.dropped.is_empty() {
        report.push(format!(
            "the formatting ({}) of the title of pick \"{}\" in section \"{section}\" was \
             dropped; its words are kept",
            title.dropped.join(", "),
            doc.title
        ));
    }
    if layout.is_none() {
        if let Some(first) = after.first() {
            match first.kind {
                Kind::Paragraph => {
                    if let Some(url) = card_url(first, body) {
                        doc.url = url;
                        layout = Some(PickLayout::HeadingCard);
                        commentary_start = first.range.end;
                    }
                }
                Kind::Html => {
                    let html = &body[first.range.clone()];
                    if let Some(embed) = read_embed(html) {
                        doc.url = embed.url;
                        doc.link_title = embed.link_title;
                        doc.excerpt = embed.excerpt;
                        layout = Some(PickLayout::HeadingQuote);
                        let rest = html[embed.end..].trim();
                        if rest.is_empty() {
                            commentary_start = first.range.end;
                        } else if is_embed_script(rest) {
                            commentary_start = first.range.end;
                            report.push(format!(
                                "the embed script after the card of pick \"{}\" in section \
                                 \"{section}\" was left out; the quote layout needs none",
                                doc.title
                            ));
                        } else {
                            commentary_start = first.range.start + embed.end;
                            report.push(format!(
                                "the HTML after the card of pick \"{}\" in section \
                                 \"{section}\" is kept at the start of its commentary",
                                doc.title
                            ));
                        }
                    }
                }
                Kind::Quote => {
                    if let Some((url, link_title, excerpt)) = newsdesk_quote(first) {
                        doc.url = url;
                        doc.link_title = link_title;
                        doc.excerpt = excerpt;
                        layout = Some(PickLayout::HeadingQuote);
                        commentary_start = first.range.end;
                    }
                }
                Kind::Heading(_) | Kind::Other => {}
            }
        }
    }
    let commentary_start = commentary_start.min(end);
    doc.commentary = trim_blank_lines(&body[commentary_start..end]).to_owned();
    RawPick { doc, layout }
}

fn looks_like_url(text: &str) -> bool {
    let lower = text.get(..8).unwrap_or(text).to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// The URL of a paragraph that is a URL alone: bare, `<URL>` or
/// `[URL](URL)` (the renderer's form for URLs with spaces).
fn card_url(paragraph: &Block<'_>, body: &str) -> Option<String> {
    let raw = body[paragraph.range.clone()].trim();
    if looks_like_url(raw) && !raw.contains(char::is_whitespace) {
        return Some(raw.to_owned());
    }
    let (link_type, dest, text) = sole_link(paragraph.inner)?;
    if link_type == LinkType::Autolink && looks_like_url(dest) {
        return Some(dest.to_owned());
    }
    if !is_plain(text) {
        return None;
    }
    let text = plain_text(text).text;
    let same = text == dest || percent_encode_like_renderer(&text) == dest;
    (same && looks_like_url(&text)).then_some(text)
}

/// What the renderer's `link_destination` percent-encodes.
fn percent_encode_like_renderer(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        match c {
            ' ' | '<' | '>' | '"' | '`' => out.push_str(&format!("%{:02X}", c as u32)),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// newsdesk's quote layout: `> [link title](url)`, then optionally `>` and
/// `> excerpt`, nothing else.
fn newsdesk_quote(quote: &Block<'_>) -> Option<(String, String, String)> {
    let children = split_blocks(quote.inner);
    if children.is_empty()
        || children.len() > 2
        || children.iter().any(|c| c.kind != Kind::Paragraph)
    {
        return None;
    }
    let (_, url, text) = sole_link(children[0].inner)?;
    if !is_plain(text) {
        return None;
    }
    let excerpt = match children.get(1) {
        Some(paragraph) if is_plain(paragraph.inner) => plain_text(paragraph.inner).text,
        Some(_) => return None,
        None => String::new(),
    };
    Some((url.to_owned(), plain_text(text).text, excerpt))
}

struct Embed {
    url: String,
    link_title: String,
    excerpt: String,
    /// Where `</blockquote>` ends in the HTML block.
    end: usize,
}

/// An embed card: `<blockquote class="embedly-card" ...><h4><a
/// href="URL">LINK TITLE</a></h4><p>EXCERPT</p></blockquote>`.
fn read_embed(html: &str) -> Option<Embed> {
    let lower = html.to_ascii_lowercase();
    let start = lower.len() - lower.trim_start().len();
    if !lower[start..].starts_with("<blockquote") {
        return None;
    }
    let open_end = start + lower[start..].find('>')?;
    if !lower[start..open_end].contains("embedly-card") {
        return None;
    }
    let close = open_end + lower[open_end..].find("</blockquote>")?;
    let inner = open_end + 1..close;
    let a = inner.start + find_tag(&lower[inner.clone()], "a")?;
    let a_end = a + lower[a..close].find('>')?;
    let url = attribute(&html[a..a_end], "href")?;
    let a_close = a_end + lower[a_end..close].find("</a>")?;
    let link_title = html_text(&html[a_end + 1..a_close]);
    let excerpt = match find_tag(&lower[a_close..close], "p") {
        Some(p) => {
            let p = a_close + p;
            let p_end = p + lower[p..close].find('>')?;
            let p_close = lower[p_end..close]
                .find("</p>")
                .map_or(close, |i| p_end + i);
            html_text(&html[p_end + 1..p_close])
        }
        None => String::new(),
    };
    let excerpt = if excerpt == "null" {
        String::new()
    } else {
        excerpt
    };
    Some(Embed {
        url,
        link_title,
        excerpt,
        end: close + "</blockquote>".len(),
    })
}

/// Where the start tag `<name` (followed by white space or `>`) is in
/// lower-cased HTML.
fn find_tag(lower: &str, name: &str) -> Option<usize> {
    let open = format!("<{name}");
    let mut from = 0;
    while let Some(i) = lower[from..].find(&open) {
        let at = from + i;
        let next = lower[at + open.len()..].chars().next();
        if next.is_some_and(|c| c == '>' || c.is_whitespace()) {
            return Some(at);
        }
        from = at + open.len();
    }
    None
}

/// The decoded value of an attribute in a start tag.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let lower = tag.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = lower[from..].find(name) {
        let at = from + i;
        from = at + name.len();
        let before_ok = lower[..at].ends_with(|c: char| c.is_whitespace());
        let rest = lower[from..].trim_start();
        if !before_ok || !rest.starts_with('=') {
            continue;
        }
        let value_at = tag.len() - rest[1..].trim_start().len();
        let value = &tag[value_at..];
        let raw = match value.chars().next()? {
            quote @ ('"' | '\'') => {
                let value = &value[1..];
                &value[..value.find(quote)?]
            }
            _ => {
                let end = value
                    .find(|c: char| c.is_whitespace() || c == '>')
                    .unwrap_or(value.len());
                &value[..end]
            }
        };
        return Some(html_escape::decode_html_entities(raw.trim()).into_owned());
    }
    None
}

/// The text of an HTML fragment: tags removed, entities decoded, white
/// space collapsed.
fn html_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    let text = html_escape::decode_html_entities(&text);
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Embedly's loader, `<script ... src="...embedly..."></script>`, alone.
fn is_embed_script(html: &str) -> bool {
    let lower = html.to_ascii_lowercase();
    lower.starts_with("<script")
        && lower.ends_with("</script>")
        && lower.matches("<script").count() == 1
        && lower.contains("embedly")
}

#[cfg(test)]
#[path = "parse_tests.rs"]
mod tests;
