//! Embed cards (the third layout): the `<blockquote class="embedly-card">`
//! or iframe HTML some blogs export, read for its link, title and excerpt.

pub(super) struct Embed {
    pub(super) url: String,
    pub(super) link_title: String,
    pub(super) excerpt: String,
    /// Where `</blockquote>` ends in the HTML block.
    pub(super) end: usize,
}

/// An embed card: `<blockquote class="embedly-card" ...><h4><a
/// href="URL">LINK TITLE</a></h4><p>EXCERPT</p></blockquote>`.
pub(super) fn read_embed(html: &str) -> Option<Embed> {
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
pub(super) fn find_tag(lower: &str, name: &str) -> Option<usize> {
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
pub(super) fn attribute(tag: &str, name: &str) -> Option<String> {
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
pub(super) fn html_text(html: &str) -> String {
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
pub(super) fn is_embed_script(html: &str) -> bool {
    let lower = html.to_ascii_lowercase();
    lower.starts_with("<script")
        && lower.ends_with("</script>")
        && lower.matches("<script").count() == 1
        && lower.contains("embedly")
}
