//! Markdown to HTML for previews, the archive and feeds. The team's
//! Markdown may not carry raw HTML (it is shown as text) nor links or images
//! with schemes other than http, https and mailto (they point nowhere), so
//! the result is safe to insert as is.

use pulldown_cmark::{html, CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};

use super::Rendering;

/// HTML for pages of this site (previews, the editor): relative links stay
/// relative. Sections (`##`) get ids from their titles, so they can be
/// linked to. Bare http(s) URLs become links, as on Zenn and Hugo; line
/// breaks and link cards follow `rendering`, the export target's way.
pub fn markdown_to_html(markdown: &str, rendering: Rendering) -> String {
    render(markdown, rendering, &|_| None)
}

/// The HTML of a whole issue (without front matter), as its export
/// target shows it.
pub fn issue_html(doc: &super::IssueDoc) -> String {
    markdown_to_html(&super::render_body(doc), doc.rendering)
}

/// HTML that leaves the site (feeds, the published issue's page): relative
/// links and images are resolved against `page_url`, the public URL of the
/// page the HTML belongs to, so `/issues/1` and `#events` still work in a
/// feed reader.
#[cfg(feature = "ssr")]
pub fn markdown_to_public_html(markdown: &str, page_url: &str, rendering: Rendering) -> String {
    let Ok(base) = url::Url::parse(page_url) else {
        return markdown_to_html(markdown, rendering);
    };
    render(markdown, rendering, &|dest| {
        base.join(dest).ok().map(String::from)
    })
}

/// `absolute` turns a relative destination into an absolute one, where it
/// can. A link or image with a refused scheme keeps only its text.
fn render(
    markdown: &str,
    rendering: Rendering,
    absolute: &dyn Fn(&str) -> Option<String>,
) -> String {
    let mut refused = Vec::new();
    let events: Vec<Event> = Parser::new_ext(markdown, Options::ENABLE_TABLES)
        .filter_map(|event| match event {
            Event::Html(raw) | Event::InlineHtml(raw) => Some(Event::Text(raw)),
            Event::Start(mut tag @ (Tag::Link { .. } | Tag::Image { .. })) => {
                if let Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. } = &mut tag {
                    let dest = std::mem::replace(dest_url, CowStr::Borrowed(""));
                    *dest_url = keep_destination(&mut refused, dest, absolute)?;
                }
                Some(Event::Start(tag))
            }
            // Links and images cannot nest in themselves, but an image can
            // sit in a link: the stack pairs each end with its start.
            Event::End(TagEnd::Link) | Event::End(TagEnd::Image) => {
                (!refused.pop().unwrap_or_default()).then_some(event)
            }
            other => Some(other),
        })
        .collect();
    let events = with_cards_and_breaks(linkify(merge_text(events)), rendering);
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, with_section_ids(events).into_iter());
    out
}

/// The parser may cut one run of text into several events (at a `_` or
/// `*` that opens nothing); URLs are found across them.
fn merge_text(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    let mut out: Vec<Event> = Vec::with_capacity(events.len());
    for event in events {
        match (out.last_mut(), event) {
            (Some(Event::Text(last)), Event::Text(more)) => {
                *last = CowStr::from(format!("{last}{more}"));
            }
            (_, event) => out.push(event),
        }
    }
    out
}

/// Bare http(s) URLs in text, outside links and code, become links.
fn linkify(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    let mut out = Vec::with_capacity(events.len());
    let mut in_link = 0usize;
    for event in events {
        match event {
            Event::Start(Tag::Link { .. } | Tag::Image { .. } | Tag::CodeBlock(_)) => {
                in_link += 1;
                out.push(event);
            }
            Event::End(TagEnd::Link | TagEnd::Image | TagEnd::CodeBlock) => {
                in_link = in_link.saturating_sub(1);
                out.push(event);
            }
            Event::Text(text) if in_link == 0 && text.contains("://") => {
                let mut rest: &str = &text;
                while let Some((start, end)) = find_url(rest) {
                    if start > 0 {
                        out.push(Event::Text(CowStr::from(rest[..start].to_owned())));
                    }
                    let url = rest[start..end].to_owned();
                    out.push(Event::Start(Tag::Link {
                        link_type: LinkType::Autolink,
                        dest_url: CowStr::from(url.clone()),
                        title: CowStr::from(""),
                        id: CowStr::from(""),
                    }));
                    out.push(Event::Text(CowStr::from(url)));
                    out.push(Event::End(TagEnd::Link));
                    rest = &rest[end..];
                }
                if !rest.is_empty() {
                    out.push(Event::Text(CowStr::from(rest.to_owned())));
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// The first bare URL in `text`, as byte offsets. Trailing punctuation that
/// ends a sentence is not part of it, nor a `)` without its `(`.
fn find_url(text: &str) -> Option<(usize, usize)> {
    let start = ["https://", "http://"]
        .iter()
        .filter_map(|scheme| text.find(scheme))
        .min()?;
    let word_end = text[start..]
        .find(|c: char| c.is_whitespace() || !c.is_ascii() || matches!(c, '<' | '>' | '"'))
        .map_or(text.len(), |i| start + i);
    let mut end = word_end;
    loop {
        let url = &text[start..end];
        let last = url.chars().last()?;
        let unbalanced = last == ')' && url.matches('(').count() < url.matches(')').count();
        if matches!(
            last,
            '.' | ',' | ';' | ':' | '!' | '?' | '\'' | '*' | '_' | '~'
        ) || unbalanced
        {
            end -= last.len_utf8();
        } else {
            break;
        }
    }
    let scheme_only = text[start..end].trim_end_matches('/').ends_with(':');
    (!scheme_only).then_some((start, end))
}

/// Where the target renders a newline inside a paragraph as a line break,
/// soft breaks become hard ones. Where it makes link cards, a line that is
/// a URL alone is one; inside a paragraph the breaks around it stay line
/// breaks, so the card stands on its own line in feed readers too, which
/// drop our styles (Zenn hides them behind a block card).
fn with_cards_and_breaks(events: Vec<Event<'_>>, rendering: Rendering) -> Vec<Event<'_>> {
    let is_line_edge = |event: Option<&Event>| {
        matches!(
            event,
            None | Some(
                Event::Start(Tag::Paragraph)
                    | Event::End(TagEnd::Paragraph)
                    | Event::SoftBreak
                    | Event::HardBreak
            )
        )
    };
    let mut cards = vec![false; events.len()];
    if rendering.link_cards {
        for i in 0..events.len() {
            let alone = matches!(
                (&events[i], events.get(i + 1), events.get(i + 2)),
                (
                    Event::Start(Tag::Link { link_type: LinkType::Autolink, dest_url, .. }),
                    Some(Event::Text(text)),
                    Some(Event::End(TagEnd::Link)),
                ) if text.as_ref() == dest_url.as_ref() && !dest_url.starts_with("mailto:")
            ) && is_line_edge(i.checked_sub(1).map(|j| &events[j]))
                && is_line_edge(events.get(i + 3));
            if alone {
                cards[i] = true;
            }
        }
    }
    let card_at = |i: usize| cards.get(i).copied().unwrap_or(false);
    let mut out = Vec::with_capacity(events.len() + 4);
    for (i, event) in events.into_iter().enumerate() {
        match event {
            Event::SoftBreak | Event::HardBreak if card_at(i + 1) || (i >= 3 && card_at(i - 3)) => {
                out.push(Event::HardBreak)
            }
            Event::SoftBreak if rendering.line_breaks => out.push(Event::HardBreak),
            Event::Start(Tag::Link { .. }) if card_at(i) => {
                out.push(Event::InlineHtml(CowStr::from(
                    "<span class=\"link-card\">",
                )));
                out.push(event);
            }
            Event::End(TagEnd::Link) if i >= 2 && card_at(i - 2) => {
                out.push(event);
                out.push(Event::InlineHtml(CowStr::from("</span>")));
            }
            other => out.push(other),
        }
    }
    out
}

fn with_section_ids(mut events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    let mut used: Vec<String> = Vec::new();
    for start in 0..events.len() {
        if !matches!(
            events[start],
            Event::Start(Tag::Heading {
                level: HeadingLevel::H2,
                ..
            })
        ) {
            continue;
        }
        let mut text = String::new();
        for event in &events[start + 1..] {
            match event {
                Event::End(TagEnd::Heading(_)) => break,
                Event::Text(t) | Event::Code(t) => text.push_str(t),
                _ => {}
            }
        }
        let base = section_anchor(&text);
        let mut anchor = base.clone();
        let mut n = 1;
        while used.contains(&anchor) {
            n += 1;
            anchor = format!("{base}-{n}");
        }
        used.push(anchor.clone());
        if let Event::Start(Tag::Heading { id, .. }) = &mut events[start] {
            *id = Some(CowStr::from(anchor));
        }
    }
    events
}

/// The anchor of a section title: letters and digits of any script,
/// lower-cased, words joined by `-` ("👀 Notable Articles" → "notable-articles").
pub fn section_anchor(title: &str) -> String {
    let words: Vec<String> = title
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_lowercase)
        .collect();
    if words.is_empty() {
        "section".to_owned()
    } else {
        words.join("-")
    }
}

/// A link's or image's destination, resolved, or `None` when it is
/// refused; `refused` remembers which, so that its end is dropped too.
fn keep_destination<'a>(
    refused: &mut Vec<bool>,
    dest: CowStr<'a>,
    absolute: &dyn Fn(&str) -> Option<String>,
) -> Option<CowStr<'a>> {
    let safe = is_safe(&dest);
    refused.push(!safe);
    safe.then(|| resolve(dest, absolute))
}

fn resolve<'a>(dest: CowStr<'a>, absolute: &dyn Fn(&str) -> Option<String>) -> CowStr<'a> {
    if has_scheme(&dest) {
        dest
    } else {
        absolute(&dest).map_or(dest, CowStr::from)
    }
}

/// Whether `url` names a scheme (`https:`, `javascript:`) rather than a
/// path, query or fragment of this page.
fn has_scheme(url: &str) -> bool {
    let scheme_end = url.trim_start().find([':', '/', '?', '#']);
    scheme_end.is_some_and(|end| url.trim_start()[end..].starts_with(':'))
}

/// http(s), mailto, and relative or fragment links; nothing else points
/// anywhere a reader should go.
fn is_safe(url: &str) -> bool {
    let lower = url.trim_start().to_ascii_lowercase();
    !has_scheme(&lower)
        || lower.starts_with("http:")
        || lower.starts_with("https:")
        || lower.starts_with("mailto:")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_get_anchors() {
        let html = markdown_to_html("## 👀 Notable Articles\n\n## 🤝 Events\n\n## 🤝 Events!\n\n## 注目の記事\n\n### [x](https://e.com/)", Rendering::default());
        assert!(html.contains(r#"<h2 id="notable-articles">"#), "{html}");
        assert!(html.contains(r#"<h2 id="events">"#), "{html}");
        assert!(html.contains(r#"<h2 id="events-2">"#), "{html}");
        assert!(html.contains(r#"<h2 id="注目の記事">"#), "{html}");
        assert!(html.contains("<h3><a href"), "{html}");
    }

    #[test]
    fn raw_html_and_script_links_are_neutralised() {
        let html = markdown_to_html(
            "<script>alert(1)</script>\n\n[x](javascript:alert(1)) [y](JaVaScRiPt:1) \
             ![i](data:image/png;base64,AA) [ok](https://e.com/) [rel](/issues/3)",
            Rendering::default(),
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(!html.to_lowercase().contains("javascript:"), "{html}");
        assert!(!html.contains("data:"), "{html}");
        assert!(html.contains(r#"href="https://e.com/""#));
        assert!(html.contains(r#"href="/issues/3""#));
        assert!(!html.contains(r##"href="#""##), "{html}");
        for text in ["<p>x y", "i"] {
            assert!(html.contains(text), "refused links keep their text: {html}");
        }
    }

    /// A link inside a refused link's text, and an image inside a link,
    /// keep their own starts and ends paired.
    #[test]
    fn refused_links_around_images_stay_balanced() {
        let html = markdown_to_html(
            "[![ok](https://e.com/i.png)](javascript:1) [![no](data:x)](https://e.com/)",
            Rendering::default(),
        );
        assert_eq!(
            html,
            "<p><img src=\"https://e.com/i.png\" alt=\"ok\" /> <a href=\"https://e.com/\">no</a></p>\n"
        );
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn public_html_resolves_relative_links_against_the_page() {
        let html = markdown_to_public_html(
            "[a](/issues/1) [b](#events) [c](notes/x.html) [d](?q=1) [e](//cdn.example/x) \
             ![f](/logo.png) [g](https://other.example/) [h](mailto:a@b.example)",
            "https://news.example.com/issues/7",
            Rendering::default(),
        );
        for href in [
            r#"href="https://news.example.com/issues/1""#,
            r#"href="https://news.example.com/issues/7#events""#,
            r#"href="https://news.example.com/issues/notes/x.html""#,
            r#"href="https://news.example.com/issues/7?q=1""#,
            r#"href="https://cdn.example/x""#,
            r#"src="https://news.example.com/logo.png""#,
            r#"href="https://other.example/""#,
            r#"href="mailto:a@b.example""#,
        ] {
            assert!(html.contains(href), "{href} in {html}");
        }
    }
}
