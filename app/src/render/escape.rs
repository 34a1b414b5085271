//! Making arbitrary titles and URLs safe inside Markdown constructs, so a
//! title with `]`, `*`, `#`, `<` or backticks, or a URL with `)` or spaces,
//! still renders as exactly one link with exactly that text and target.

/// Characters that can start or end inline Markdown (emphasis, code, links,
/// autolinks, HTML, entities, images, GFM strikethrough and tables) or close
/// an ATX heading. Other punctuation stays as it is, so the exported file
/// reads naturally ("Tools, Frameworks, Libraries", not "Tools\, …").
const SPECIAL: &[char] = &[
    '\\', '`', '*', '_', '[', ']', '<', '>', '&', '#', '!', '~', '|',
];

/// Text that must render literally: characters with a Markdown meaning are
/// backslash-escaped, runs of white space (line breaks too) become one
/// space, control characters go.
pub fn literal_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut last_space = false;
    for c in text.trim().chars() {
        if c.is_whitespace() {
            if !last_space {
                out.push(' ');
            }
            last_space = true;
            continue;
        }
        if c.is_control() {
            continue;
        }
        last_space = false;
        if SPECIAL.contains(&c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A link destination that CommonMark reads back as `url`: spaces and
/// characters that cannot appear in a destination are percent-encoded,
/// parentheses and backslashes are backslash-escaped.
pub fn link_destination(url: &str) -> String {
    let mut out = String::with_capacity(url.len() + 8);
    for c in url.trim().chars() {
        match c {
            '(' | ')' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            ' ' | '<' | '>' | '"' | '`' => out.push_str(&format!("%{:02X}", c as u32)),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A YAML double-quoted scalar.
pub fn yaml_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn punctuation_is_escaped_and_lines_joined() {
        assert_eq!(literal_text("a*b_[c]"), r"a\*b\_\[c\]");
        assert_eq!(literal_text("Tools, Frameworks."), "Tools, Frameworks.");
        assert_eq!(literal_text("# one\ntwo"), r"\# one two");
        assert_eq!(literal_text("日本語"), "日本語");
    }

    #[test]
    fn destinations_keep_their_meaning() {
        assert_eq!(
            link_destination("https://e.com/a (b)"),
            r"https://e.com/a%20\(b\)"
        );
        assert_eq!(yaml_string("say \"hi\""), r#""say \"hi\"""#);
    }
}
