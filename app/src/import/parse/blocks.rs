//! The Markdown event stream in blocks, and the plain text, links and
//! source slices the reader takes from them.

use super::*;

pub(super) type Spanned<'a> = (Event<'a>, Range<usize>);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Heading(HeadingLevel),
    Paragraph,
    Html,
    Quote,
    Other,
}

/// A block at one level of nesting, with the events inside it.
pub(super) struct Block<'a> {
    pub(super) kind: Kind,
    pub(super) range: Range<usize>,
    pub(super) inner: &'a [Spanned<'a>],
}

/// The blocks of an event stream at its outer level.
pub(super) fn split_blocks<'a>(events: &'a [Spanned<'a>]) -> Vec<Block<'a>> {
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
pub(super) fn matching_end(events: &[Spanned<'_>], start: usize) -> usize {
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
pub(super) struct Plain {
    pub(super) text: String,
    /// What was dropped: "emphasis", "code", ...
    pub(super) dropped: Vec<&'static str>,
}

pub(super) fn plain_text(events: &[Spanned<'_>]) -> Plain {
    let locale = lang::current();
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
                drop(td_string!(locale, inbox.import_drop_code));
            }
            Event::InlineMath(t) | Event::DisplayMath(t) => {
                text.push_str(t);
                drop(td_string!(locale, inbox.import_drop_math));
            }
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            Event::InlineHtml(_) | Event::Html(_) => {
                drop(td_string!(locale, inbox.import_drop_html))
            }
            Event::FootnoteReference(_) => drop(td_string!(locale, inbox.import_drop_footnote)),
            Event::Start(Tag::Emphasis) => drop(td_string!(locale, inbox.import_drop_emphasis)),
            Event::Start(Tag::Strong) => drop(td_string!(locale, inbox.import_drop_bold)),
            Event::Start(Tag::Strikethrough) => {
                drop(td_string!(locale, inbox.import_drop_strikethrough))
            }
            Event::Start(Tag::Link { .. }) => drop(td_string!(locale, inbox.import_drop_link)),
            Event::Start(Tag::Image { .. }) => drop(td_string!(locale, inbox.import_drop_image)),
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
pub(super) fn is_plain(events: &[Spanned<'_>]) -> bool {
    events
        .iter()
        .all(|(e, _)| matches!(e, Event::Text(_) | Event::SoftBreak | Event::HardBreak))
}

/// The link that is the whole of `events`: its type, destination and the
/// events of its text.
pub(super) fn sole_link<'a>(
    events: &'a [Spanned<'a>],
) -> Option<(LinkType, &'a str, &'a [Spanned<'a>])> {
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
pub(super) fn heading_source<'s>(block: &Block<'_>, source: &'s str) -> &'s str {
    let start = block.inner.iter().map(|(_, r)| r.start).min();
    let end = block.inner.iter().map(|(_, r)| r.end).max();
    match (start, end) {
        (Some(start), Some(end)) if start <= end => source[start..end].trim(),
        _ => "",
    }
}

/// Without leading blank lines and trailing white space.
pub(super) fn trim_blank_lines(text: &str) -> &str {
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        if !line.trim().is_empty() {
            break;
        }
        start += line.len();
    }
    text[start..].trim_end()
}

pub(super) fn append(target: &mut String, text: &str) {
    if text.is_empty() {
        return;
    }
    if !target.is_empty() {
        target.push_str("\n\n");
    }
    target.push_str(text);
}
