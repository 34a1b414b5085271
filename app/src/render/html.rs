//! Markdown to HTML for previews, the archive and feeds. The team's
//! Markdown may not carry raw HTML (it is shown as text) nor links or images
//! with schemes other than http, https and mailto (they point nowhere), so
//! the result is safe to insert as is.

use pulldown_cmark::{html, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// Sections (`##`) get ids from their titles, so they can be linked to.
pub fn markdown_to_html(markdown: &str) -> String {
    let events: Vec<Event> = Parser::new_ext(markdown, Options::ENABLE_TABLES)
        .map(|event| match event {
            Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => Event::Start(Tag::Link {
                link_type,
                dest_url: safe_url(dest_url),
                title,
                id,
            }),
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => Event::Start(Tag::Image {
                link_type,
                dest_url: safe_url(dest_url),
                title,
                id,
            }),
            other => other,
        })
        .collect();
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, with_section_ids(events).into_iter());
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

/// Keeps http(s), mailto, and relative or fragment links.
fn safe_url(url: CowStr<'_>) -> CowStr<'_> {
    let lower = url.trim_start().to_ascii_lowercase();
    let scheme_end = lower.find([':', '/', '?', '#']);
    let has_scheme = scheme_end.is_some_and(|end| lower[end..].starts_with(':'));
    let allowed = !has_scheme
        || lower.starts_with("http:")
        || lower.starts_with("https:")
        || lower.starts_with("mailto:");
    if allowed {
        url
    } else {
        CowStr::Borrowed("#")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_get_anchors() {
        let html = markdown_to_html("## 👀 Notable Articles\n\n## 🤝 Events\n\n## 🤝 Events!\n\n## 注目の記事\n\n### [x](https://e.com/)");
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
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(!html.to_lowercase().contains("javascript:"), "{html}");
        assert!(!html.contains("data:"), "{html}");
        assert!(html.contains(r#"href="https://e.com/""#));
        assert!(html.contains(r#"href="/issues/3""#));
    }
}
