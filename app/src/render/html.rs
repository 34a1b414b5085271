//! Markdown to HTML for previews, the archive and feeds. The team's
//! Markdown may not carry raw HTML (it is shown as text) nor links or images
//! with schemes other than http, https and mailto (they point nowhere), so
//! the result is safe to insert as is.

use pulldown_cmark::{html, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// HTML for pages of this site (previews, the editor): relative links stay
/// relative. Sections (`##`) get ids from their titles, so they can be
/// linked to.
pub fn markdown_to_html(markdown: &str) -> String {
    render(markdown, &|_| None)
}

/// HTML that leaves the site (feeds, the published issue's page): relative
/// links and images are resolved against `page_url`, the public URL of the
/// page the HTML belongs to, so `/issues/1` and `#events` still work in a
/// feed reader.
#[cfg(feature = "ssr")]
pub fn markdown_to_public_html(markdown: &str, page_url: &str) -> String {
    let Ok(base) = url::Url::parse(page_url) else {
        return markdown_to_html(markdown);
    };
    render(markdown, &|dest| base.join(dest).ok().map(String::from))
}

/// `absolute` turns a relative destination into an absolute one, where it
/// can. A link or image with a refused scheme keeps only its text.
fn render(markdown: &str, absolute: &dyn Fn(&str) -> Option<String>) -> String {
    let mut refused = Vec::new();
    let events: Vec<Event> = Parser::new_ext(markdown, Options::ENABLE_TABLES)
        .filter_map(|event| match event {
            Event::Html(raw) | Event::InlineHtml(raw) => Some(Event::Text(raw)),
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                refused.push(!is_safe(&dest_url));
                (!refused.last().copied().unwrap_or_default()).then(|| {
                    Event::Start(Tag::Link {
                        link_type,
                        dest_url: resolve(dest_url, absolute),
                        title,
                        id,
                    })
                })
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                refused.push(!is_safe(&dest_url));
                (!refused.last().copied().unwrap_or_default()).then(|| {
                    Event::Start(Tag::Image {
                        link_type,
                        dest_url: resolve(dest_url, absolute),
                        title,
                        id,
                    })
                })
            }
            // Links and images cannot nest in themselves, but an image can
            // sit in a link: the stack pairs each end with its start.
            Event::End(TagEnd::Link) | Event::End(TagEnd::Image) => {
                (!refused.pop().unwrap_or_default()).then_some(event)
            }
            other => Some(other),
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
