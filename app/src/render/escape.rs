//! Making arbitrary titles and URLs safe inside Markdown constructs, so a
//! title with `]`, `*`, `#`, `<` or backticks, or a URL with `)` or spaces,
//! still renders as exactly one link with exactly that text and target.

/// Characters that can start or end inline Markdown (emphasis, code, links,
/// autolinks, HTML, images, GFM strikethrough and tables) wherever they
/// stand. `#`, `!` and `&` mean something only in some places and are
/// escaped only there, so titles such as "Meetup #99" or "Wow!" come back
/// as they were written. Other punctuation stays as it is ("Tools,
/// Frameworks, Libraries", not "Tools\, …").
const SPECIAL: &[char] = &['\\', '`', '*', '_', '[', ']', '<', '>', '~', '|'];

/// Text that must render literally: characters with a Markdown meaning are
/// backslash-escaped, runs of white space (line breaks too) become one
/// space, control characters go.
pub fn literal_text(text: &str) -> String {
    let mut words: Vec<char> = Vec::with_capacity(text.len());
    for c in text.trim().chars() {
        if c.is_whitespace() {
            if words.last() != Some(&' ') {
                words.push(' ');
            }
        } else if !c.is_control() {
            words.push(c);
        }
    }
    // A heading's closing sequence: the last run of `#`, when white space
    // or nothing stands before it. A `#` at the start would open a heading.
    let run_start = words.iter().rposition(|&c| c != '#').map_or(0, |i| i + 1);
    let closing_run = run_start < words.len() && (run_start == 0 || words[run_start - 1] == ' ');
    let mut out = String::with_capacity(words.len() + 8);
    for (i, &c) in words.iter().enumerate() {
        let escape = match c {
            '#' => i == 0 || (closing_run && i >= run_start),
            '!' => words.get(i + 1) == Some(&'['),
            // Only what could read as an entity: `&name;` or `&#…;`.
            '&' => {
                let rest: String = words[i + 1..].iter().take(33).collect();
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '#')
                    .collect();
                !name.is_empty() && rest[name.len()..].starts_with(';')
            }
            c => SPECIAL.contains(&c),
        };
        if escape {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// [`literal_text`] that starts a paragraph of its own (an excerpt in a
/// quote): a leading list marker (`-`, `+`, `1.`, `1)`) or a rule (`---`)
/// is escaped too, so it stays text.
pub fn literal_block_text(text: &str) -> String {
    let mut out = literal_text(text);
    let digits = out.chars().take_while(char::is_ascii_digit).count();
    if out.starts_with(['-', '+', '=']) {
        out.insert(0, '\\');
    } else if (1..=9).contains(&digits) && out[digits..].starts_with(['.', ')']) {
        out.insert(digits, '\\');
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
        assert_eq!(literal_text("Meetup #99"), "Meetup #99");
        assert_eq!(literal_text("Closing ##"), r"Closing \#\#");
        assert_eq!(literal_text("Wow! ![x]"), r"Wow! \!\[x\]");
        assert_eq!(literal_text("A&B &amp; &#60;"), r"A&B \&amp; \&#60;");
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
