//! The second pass over a feed that feed-rs could not read, or read
//! without its entries: the document is tokenised leniently (quick-xml,
//! the reader feed-rs itself uses, with its checks relaxed) and written
//! out again as well-formed XML in the shape feed-rs knows, for a second
//! strict parse.
//!
//! Repairs, which make the feed "read with errors": bare `&`, entities XML
//! does not define (HTML's named entities become their characters, others
//! stay text), unclosed CDATA sections, unclosed or stray tags, documents
//! cut short. The DOCTYPE is dropped unread: nothing is fetched, and no
//! entity it declares is expanded (billion laughs stay inert).
//!
//! Adaptations, which are not errors: Atom 0.3 becomes Atom 1.0 (its
//! namespace, `issued`/`modified`, `tagline`/`copyright`, `mode` and MIME
//! `type` attributes); RSS without a version feed-rs knows, or with the
//! old RSS 2.0 namespaces, becomes plain RSS 2.0; RSS 0.90's namespace
//! becomes RSS 1.0's; an item's XHTML `<body>` becomes `content:encoded`;
//! well-known prefixes used without a declaration get one.
//!
//! Written by hand because no crate turns tag soup into a feed: HTML
//! parsers (html5ever) would treat `<link>` as a void element and lose
//! every RSS link. The pass only runs when the strict parse failed or
//! came back without entries, so well-formed feeds never pay for it.
//!
//! One file, though long: it is one state machine over quick-xml's events,
//! and its repairs share that state; split, each part would need all of it.

use newsdesk_app::lang::model::{Stored, StoredText};
use quick_xml::{
    events::{BytesRef, BytesStart, Event},
    name::ResolveResult,
    NsReader,
};

const ATOM_03: &[u8] = b"http://purl.org/atom/ns#";
const ATOM_10: &str = "http://www.w3.org/2005/Atom";
const XHTML: &[u8] = b"http://www.w3.org/1999/xhtml";
const RSS_090: &str = "http://my.netscape.com/rdf/simple/0.9/";
const RSS_10: &str = "http://purl.org/rss/1.0/";
const CONTENT: &str = "http://purl.org/rss/1.0/modules/content/";
/// Default namespaces some RSS 2.0 feeds declared, which feed-rs (rightly,
/// by the spec) does not take for RSS.
const RSS_2_NAMESPACES: [&str; 3] = [
    "http://backend.userland.com/rss2",
    "http://backend.userland.com/rss",
    "http://blogs.law.harvard.edu/tech/rss",
];
/// Prefixes feeds use without declaring them, and what they always mean.
const WELL_KNOWN_PREFIXES: [(&str, &str); 5] = [
    ("content", CONTENT),
    ("dc", "http://purl.org/dc/elements/1.1/"),
    ("media", "http://search.yahoo.com/mrss/"),
    ("itunes", "http://www.itunes.com/dtds/podcast-1.0.dtd"),
    ("atom", ATOM_10),
];
/// Errors after which the rest of a document is not worth reading.
const MAX_ERRORS: usize = 1000;
/// Limits that keep a hostile document linear in time and memory: nesting
/// (end tags search the open elements), distinct repairs noted, and the
/// output (escaping an item body's markup twice can grow it eightfold).
const MAX_DEPTH: usize = 256;
const MAX_REPAIRS: usize = 20;
const GROWTH: usize = 4;

/// The document written out again, and the repairs it needed, as
/// messages worded in the reader's language when shown (each once, in the
/// order met).
pub struct Rewritten {
    pub xml: String,
    pub repairs: Vec<Stored>,
}

pub fn rewrite(text: &str) -> Rewritten {
    let mut writer = Writer {
        out: String::with_capacity(text.len() + 256),
        capture: None,
        stack: Vec::new(),
        repairs: Vec::new(),
        root_done: false,
        saw_channel: false,
        undeclared: WELL_KNOWN_PREFIXES
            .iter()
            .filter(|(prefix, _)| {
                text.contains(&format!("<{prefix}:")) && !text.contains(&format!("xmlns:{prefix}="))
            })
            .copied()
            .collect(),
    };
    let mut reader = NsReader::from_str(text);
    let config = reader.config_mut();
    config.check_end_names = false;
    config.allow_unmatched_ends = true;
    config.allow_dangling_amp = true;
    config.check_comments = false;
    config.expand_empty_elements = false;
    config.trim_text(false);
    let mut errors = 0;
    let limit = text.len().saturating_mul(GROWTH) + 64 * 1024;
    loop {
        if writer.out.len() + writer.capture.as_ref().map_or(0, String::len) > limit {
            writer.note(StoredText::RepairTooLarge, &[]);
            break;
        }
        let (namespace, event) = match reader.read_resolved_event() {
            Ok((resolved, event)) => (Namespace::of(resolved), event),
            Err(error) => {
                errors += 1;
                if let quick_xml::Error::Syntax(syntax) = &error {
                    let rest = usize::try_from(reader.error_position())
                        .ok()
                        .and_then(|at| text.get(at..))
                        .unwrap_or("");
                    writer.ended_early(syntax, rest);
                    break;
                }
                if errors >= MAX_ERRORS {
                    writer.note(StoredText::RepairEndsEarly, &[]);
                    break;
                }
                continue;
            }
        };
        if writer.root_done {
            if matches!(event, Event::Start(_) | Event::Empty(_)) {
                writer.note(StoredText::RepairAfterEnd, &[]);
                break;
            }
            if matches!(event, Event::Eof) {
                break;
            }
            continue;
        }
        match event {
            Event::Start(start) => writer.start(&start, namespace, false),
            Event::Empty(start) => writer.start(&start, namespace, true),
            Event::End(end) => {
                let name = String::from_utf8_lossy(end.name().as_ref()).into_owned();
                writer.end(&name);
            }
            Event::Text(text) => writer.text(&String::from_utf8_lossy(&text)),
            Event::CData(data) => writer.cdata(&String::from_utf8_lossy(&data)),
            Event::GeneralRef(reference) => writer.reference(&reference),
            // Declarations, DOCTYPEs, comments and processing instructions
            // carry nothing a feed reader needs; the DOCTYPE's entities
            // least of all.
            Event::Decl(_) | Event::DocType(_) | Event::Comment(_) | Event::PI(_) => {}
            Event::Eof => break,
        }
    }
    writer.close_all();
    Rewritten {
        xml: writer.out,
        repairs: writer.repairs,
    }
}

/// The namespaces the rewrite cares about.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Namespace {
    Atom03,
    Atom10,
    Xhtml,
    /// RSS 2.0 elements in one of the namespaces some RSS 2.0 feeds used.
    OldRss2,
    None,
    Other,
}

impl Namespace {
    fn of(resolved: ResolveResult<'_>) -> Self {
        match resolved {
            ResolveResult::Bound(namespace) => match namespace.as_ref() {
                ATOM_03 => Self::Atom03,
                XHTML => Self::Xhtml,
                uri if uri == ATOM_10.as_bytes() => Self::Atom10,
                uri if RSS_2_NAMESPACES.iter().any(|old| old.as_bytes() == uri) => Self::OldRss2,
                _ => Self::Other,
            },
            ResolveResult::Unbound => Self::None,
            ResolveResult::Unknown(_) => Self::Other,
        }
    }
}

#[derive(Default)]
struct Open {
    /// The name as the document wrote it, which its end tag repeats.
    source: String,
    /// The name as written out (after renaming).
    name: String,
    local: String,
    /// This element is an item's `<body>`, written as `content:encoded`.
    captures: bool,
    /// An RSS 1.0 item's `rdf:about`, its link when it has no `<link>`
    /// (feed-rs drops RSS 1.0 items without one).
    about: Option<String>,
    has_link: bool,
    /// The element's text, kept as well as written (an item's `<guid>`),
    /// or instead (Atom 0.3's `mode="base64"`, written decoded at the end).
    text: Option<String>,
    base64: bool,
}

struct Writer {
    out: String,
    /// Markup of an item's `<body>`, collected to be written as text.
    capture: Option<String>,
    stack: Vec<Open>,
    repairs: Vec<Stored>,
    root_done: bool,
    /// Whether an `<rss>` root had a `<channel>`; one is added if not, so
    /// that an empty RSS document is an empty feed, not an error.
    saw_channel: bool,
    undeclared: Vec<(&'static str, &'static str)>,
}

impl Writer {
    fn sink(&mut self) -> &mut String {
        self.capture.as_mut().unwrap_or(&mut self.out)
    }

    /// Values are names from the document: cut short, as a hostile one
    /// can be of any length.
    fn note(&mut self, text: StoredText, values: &[(&str, &str)]) {
        const NAME_LIMIT: usize = 40;
        let values: Vec<(&str, &str)> = values
            .iter()
            .map(|&(name, value)| {
                let end = value
                    .char_indices()
                    .nth(NAME_LIMIT)
                    .map_or(value.len(), |(at, _)| at);
                (name, &value[..end])
            })
            .collect();
        let repair = Stored::new(text, &values);
        if self.repairs.len() < MAX_REPAIRS && !self.repairs.contains(&repair) {
            self.repairs.push(repair);
        }
    }

    fn start(&mut self, start: &BytesStart<'_>, namespace: Namespace, empty: bool) {
        let qname = String::from_utf8_lossy(start.name().as_ref()).into_owned();
        if !is_xml_name(&qname) {
            // `a < b` or `<>` in text: the `<` was meant as a character.
            self.note(StoredText::RepairStrayLessThan, &[]);
            let raw = String::from_utf8_lossy(start);
            let mut text = String::with_capacity(raw.len() + 2);
            text.push('<');
            text.push_str(&raw);
            if empty {
                text.push('/');
            }
            text.push('>');
            let sink = self.sink();
            escape_into(sink, &text, false);
            return;
        }
        if self.stack.len() >= MAX_DEPTH {
            self.note(StoredText::RepairNestedTooDeeply, &[]);
            return;
        }
        let (prefix, local) = match qname.split_once(':') {
            Some((prefix, local)) => (Some(prefix), local),
            None => (None, qname.as_str()),
        };
        let parent = self.stack.last().map(|open| open.local.clone());
        let parent = parent.as_deref();
        let is_root = self.stack.is_empty();
        let mut attributes = self.attributes(start);

        // An item's XHTML body is its content (feedparser reads it so).
        if self.capture.is_none()
            && local == "body"
            && parent == Some("item")
            && matches!(namespace, Namespace::Xhtml | Namespace::None)
        {
            let name = "content:encoded".to_owned();
            self.out.push_str("<content:encoded xmlns:content=\"");
            self.out.push_str(CONTENT);
            self.out.push_str("\">");
            if empty {
                self.out.push_str("</content:encoded>");
                return;
            }
            self.capture = Some(String::new());
            self.stack.push(Open {
                source: qname.clone(),
                name,
                local: local.to_owned(),
                captures: true,
                ..Open::default()
            });
            return;
        }

        let mut local_out = local.to_owned();
        if namespace == Namespace::Atom03 {
            local_out = match local {
                "issued" => "published",
                "modified" => "updated",
                "tagline" => "subtitle",
                "copyright" => "rights",
                "url" if matches!(parent, Some("author" | "contributor")) => "uri",
                other => other,
            }
            .to_owned();
        }
        let mut base64 = false;
        if matches!(namespace, Namespace::Atom03 | Namespace::Atom10)
            && matches!(
                local_out.as_str(),
                "title" | "subtitle" | "summary" | "content" | "rights"
            )
        {
            base64 = namespace == Namespace::Atom03
                && attributes.iter().any(|(name, value)| {
                    name == "mode" && value.trim().eq_ignore_ascii_case("base64")
                });
            atom_text_type(&mut attributes, local_out == "content");
        }
        let permalink_guid = local == "guid"
            && parent == Some("item")
            && !attributes.iter().any(|(name, value)| {
                name.eq_ignore_ascii_case("isPermaLink")
                    && value.trim().eq_ignore_ascii_case("false")
            });
        attributes.retain(|(name, value)| {
            !((name == "xmlns" || name.starts_with("xmlns:"))
                && RSS_2_NAMESPACES.contains(&value.as_str()))
        });
        if is_root && local == "rss" {
            match attributes.iter_mut().find(|(name, _)| name == "version") {
                Some((_, version)) if matches!(version.as_str(), "2.0" | "0.91" | "0.92") => {}
                Some((_, version)) => *version = "2.0".into(),
                None => attributes.push(("version".into(), "2.0".into())),
            }
        }
        for (name, value) in attributes.iter_mut() {
            if name == "xmlns" || name.starts_with("xmlns:") {
                if value == "http://purl.org/atom/ns#" {
                    *value = ATOM_10.into();
                } else if value == RSS_090 {
                    *value = RSS_10.into();
                }
            }
        }
        if is_root {
            for (prefix, uri) in std::mem::take(&mut self.undeclared) {
                attributes.push((format!("xmlns:{prefix}"), uri.into()));
            }
        }
        // Inside a captured body only HTML matters: no prefixes; RSS 2.0
        // in an old namespace becomes plain RSS 2.0.
        let name = match prefix {
            Some(prefix) if self.capture.is_none() && namespace != Namespace::OldRss2 => {
                format!("{prefix}:{local_out}")
            }
            _ => local_out.clone(),
        };
        // RSS 0.9x files whose items sit right in <rss>, without a channel.
        if parent == Some("rss")
            && self.stack.len() == 1
            && local != "channel"
            && namespace != Namespace::Other
        {
            self.out.push_str("<channel>");
            self.saw_channel = true;
            self.stack.push(Open {
                name: "channel".into(),
                local: "channel".into(),
                ..Open::default()
            });
        }
        if local == "channel" && self.stack.len() <= 1 {
            self.saw_channel = true;
        }
        if local == "link" && parent == Some("item") {
            if let Some(item) = self.stack.last_mut() {
                item.has_link = true;
            }
        }
        let about = (local == "item" && self.capture.is_none())
            .then(|| {
                attributes
                    .iter()
                    .find(|(name, _)| name == "rdf:about")
                    .map(|(_, value)| value.clone())
            })
            .flatten();
        let wrap_channel = is_root && local == "channel";
        let sink = self.sink();
        if wrap_channel {
            // RSS 0.9x files that start at <channel>.
            sink.push_str("<rss version=\"2.0\">");
        }
        sink.push('<');
        sink.push_str(&name);
        for (attribute, value) in &attributes {
            sink.push(' ');
            sink.push_str(attribute);
            sink.push_str("=\"");
            escape_into(sink, value, true);
            sink.push('"');
        }
        if empty {
            sink.push_str("/>");
        } else {
            sink.push('>');
        }
        if wrap_channel {
            self.stack.push(Open {
                name: "rss".into(),
                local: "rss".into(),
                ..Open::default()
            });
        }
        if empty {
            if wrap_channel {
                self.pop();
            } else if is_root {
                self.root_done = true;
            }
            return;
        }
        self.stack.push(Open {
            source: qname.clone(),
            name,
            local: local_out,
            about,
            text: (base64 || permalink_guid).then(String::new),
            base64,
            ..Open::default()
        });
    }

    /// Attributes as (name, unescaped value), duplicates and broken ones
    /// dropped (quick-xml's HTML mode also takes unquoted values).
    fn attributes(&mut self, start: &BytesStart<'_>) -> Vec<(String, String)> {
        let mut attributes: Vec<(String, String)> = Vec::new();
        // XML's rules (quoted values, no duplicates) first, to say so; then
        // read as HTML would.
        if start.attributes().any(|attribute| attribute.is_err()) {
            self.note(
                StoredText::RepairBrokenAttribute,
                &[("tag", &tag_name(start))],
            );
        }
        for attribute in start.html_attributes().with_checks(false) {
            let Ok(attribute) = attribute else {
                continue;
            };
            let name = String::from_utf8_lossy(attribute.key.as_ref()).into_owned();
            if !is_xml_name(&name) || attributes.iter().any(|(seen, _)| *seen == name) {
                continue;
            }
            let raw = String::from_utf8_lossy(&attribute.value);
            let mut value = String::with_capacity(raw.len());
            self.unescape_into(&mut value, &raw);
            attributes.push((name, value));
        }
        attributes
    }

    fn end(&mut self, name: &str) {
        let Some(depth) = self.stack.iter().rposition(|open| open.source == name) else {
            self.note(StoredText::RepairEndTagWithoutStart, &[("tag", name)]);
            return;
        };
        while self.stack.len() > depth + 1 {
            let open = self.stack.last().filter(|open| !open.source.is_empty());
            if let Some(open) = open.map(|open| open.name.clone()) {
                self.note(StoredText::RepairNotClosed, &[("tag", &open)]);
            }
            self.pop();
        }
        self.pop();
    }

    fn pop(&mut self) {
        let Some(open) = self.stack.pop() else {
            return;
        };
        if open.captures {
            let markup = self.capture.take().unwrap_or_default();
            escape_into(&mut self.out, &markup, false);
            self.out.push_str("</content:encoded>");
        } else {
            let add_channel = open.local == "rss" && self.stack.is_empty() && !self.saw_channel;
            if open.local == "guid" {
                // A permalink GUID is the item's link when it has no other.
                let guid = open.text.as_deref().map(str::trim).unwrap_or("");
                let is_url = guid.starts_with("http://") || guid.starts_with("https://");
                if let Some(item) = self.stack.last_mut().filter(|_| is_url) {
                    item.about.get_or_insert_with(|| guid.to_owned());
                }
            }
            let decoded = open.base64.then(|| {
                use base64::Engine as _;
                let kept: String = open
                    .text
                    .as_deref()
                    .unwrap_or("")
                    .split_whitespace()
                    .collect();
                base64::engine::general_purpose::STANDARD
                    .decode(kept.as_bytes())
                    .ok()
                    .and_then(|bytes| String::from_utf8(bytes).ok())
                    .unwrap_or_default()
            });
            let sink = self.sink();
            if let Some(decoded) = decoded {
                escape_into(sink, &decoded, false);
            }
            if let Some(about) = open.about.as_deref().filter(|_| !open.has_link) {
                sink.push_str("<link>");
                escape_into(sink, about, false);
                sink.push_str("</link>");
            }
            if add_channel {
                sink.push_str("<channel></channel>");
            }
            sink.push_str("</");
            sink.push_str(&open.name);
            sink.push('>');
        }
        if self.stack.is_empty() {
            self.root_done = true;
        }
    }

    fn close_all(&mut self) {
        let innermost = self.stack.iter().rev().find(|open| !open.source.is_empty());
        if let Some(name) = innermost.map(|open| open.name.clone()) {
            self.note(StoredText::RepairNotClosed, &[("tag", &name)]);
        }
        while !self.stack.is_empty() {
            self.pop();
        }
        self.root_done = true;
    }

    fn text(&mut self, raw: &str) {
        if self.stack.is_empty() {
            return; // whitespace or junk around the root element
        }
        let mut text = String::with_capacity(raw.len());
        self.unescape_into(&mut text, raw);
        self.write_text(&text);
    }

    fn cdata(&mut self, data: &str) {
        if self.stack.is_empty() {
            return;
        }
        self.write_text(data);
    }

    /// Character data of the innermost element: written out escaped, and
    /// kept aside where the element's text is needed (a GUID, base64).
    fn write_text(&mut self, text: &str) {
        let Some(open) = self.stack.last_mut() else {
            return;
        };
        if let Some(kept) = open.text.as_mut() {
            kept.push_str(text);
            if open.base64 {
                return;
            }
        }
        let sink = self.sink();
        escape_into(sink, text, false);
    }

    fn reference(&mut self, reference: &BytesRef<'_>) {
        if self.stack.is_empty() {
            return;
        }
        let name = String::from_utf8_lossy(reference).into_owned();
        let mut text = String::new();
        self.resolve_reference(&mut text, &name);
        self.write_text(&text);
    }

    /// Text with references resolved the lenient way: XML's own and
    /// character references, then HTML's named entities; anything else,
    /// a bare `&` included, stays as written.
    fn unescape_into(&mut self, out: &mut String, raw: &str) {
        let mut rest = raw;
        while let Some(at) = rest.find('&') {
            out.push_str(&rest[..at]);
            let after = &rest[at + 1..];
            let name_end = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '#'))
                .unwrap_or(after.len());
            if after[name_end..].starts_with(';') && name_end > 0 {
                self.resolve_reference(out, &after[..name_end]);
                rest = &after[name_end + 1..];
            } else {
                self.note(StoredText::RepairBareAmpersand, &[]);
                out.push('&');
                rest = after;
            }
        }
        out.push_str(rest);
    }

    fn resolve_reference(&mut self, out: &mut String, name: &str) {
        if let Some(number) = name.strip_prefix('#') {
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok(),
                None => number.parse().ok(),
            };
            match code.and_then(char::from_u32).filter(|&c| is_xml_char(c)) {
                Some(c) => out.push(c),
                None => {
                    self.note(
                        StoredText::RepairInvalidCharacterReference,
                        &[("name", name)],
                    );
                    out.push('\u{fffd}');
                }
            }
            return;
        }
        let predefined = match name {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => None,
        };
        if let Some(c) = predefined {
            out.push(c);
            return;
        }
        self.note(StoredText::RepairUndefinedEntity, &[("name", name)]);
        let reference = format!("&{name};");
        let decoded = html_escape::decode_html_entities(&reference);
        // Not an HTML entity either (or one the DOCTYPE declared): it stays
        // text, as feed-rs leaves it.
        out.push_str(&decoded);
    }

    fn ended_early(&mut self, error: &quick_xml::errors::SyntaxError, rest: &str) {
        use quick_xml::errors::SyntaxError;
        match error {
            SyntaxError::UnclosedCData => {
                self.note(StoredText::RepairUnclosedCdata, &[]);
                let data = rest.strip_prefix("<![CDATA[").unwrap_or("");
                self.cdata(data);
            }
            _ => self.note(StoredText::RepairEndsEarly, &[]),
        }
    }
}

/// Atom text constructs with Atom 0.3's `mode` and MIME types, or MIME
/// types in Atom 1.0, take the types feed-rs knows: text, html, xhtml.
fn atom_text_type(attributes: &mut Vec<(String, String)>, is_content: bool) {
    let value = |name: &str, attributes: &[(String, String)]| {
        attributes
            .iter()
            .find(|(attribute, _)| attribute == name)
            .map(|(_, value)| value.trim().to_ascii_lowercase())
    };
    let kind = value("type", attributes);
    let mode = value("mode", attributes);
    attributes.retain(|(name, _)| name != "mode");
    // Base64 text is written out decoded, which leaves it escaped.
    let escaped = matches!(mode.as_deref(), Some("escaped" | "base64"));
    let new = match kind.as_deref() {
        None | Some("text" | "html" | "xhtml") if !escaped => return,
        None | Some("text/plain" | "text") => "text",
        Some("html" | "text/html") if escaped => "html",
        Some("application/xhtml+xml" | "xhtml") => "xhtml",
        Some("text/html" | "html") => "xhtml",
        Some(_) if is_content => return,
        Some(kind) if kind.contains("html") => "html",
        Some(_) => "text",
    };
    attributes.retain(|(name, _)| name != "type");
    attributes.push(("type".into(), new.into()));
}

fn tag_name(start: &BytesStart<'_>) -> String {
    String::from_utf8_lossy(start.name().as_ref()).into_owned()
}

/// XML's Name production, simplified to what quick-xml can hand over.
fn is_xml_name(name: &str) -> bool {
    let mut chars = name.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    (first.is_alphabetic() || first == '_' || first == ':')
        && chars.all(|c| c.is_alphanumeric() || matches!(c, '-' | '.' | '_' | ':' | '\u{b7}'))
        && name.matches(':').count() <= 1
        && !name.ends_with(':')
}

fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
}

/// XML-escapes `text` into `out`, dropping characters XML cannot carry.
fn escape_into(out: &mut String, text: &str, attribute: bool) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            c if is_xml_char(c) => out.push(c),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use newsdesk_app::lang::Locale;

    use super::*;

    fn english(done: &Rewritten) -> Vec<String> {
        done.repairs
            .iter()
            .map(|repair| repair.words(Locale::en))
            .collect()
    }

    #[test]
    fn bare_ampersands_and_html_entities_are_repaired() {
        let done = rewrite("<rss version=\"2.0\"><channel><title>A &amp; B & C&nbsp;&eacute;&bogus;</title></channel></rss>");
        assert_eq!(
            done.xml,
            "<rss version=\"2.0\"><channel><title>A &amp; B &amp; C\u{a0}é&amp;bogus;</title></channel></rss>"
        );
        assert_eq!(
            english(&done),
            [
                "a bare & in text",
                "undefined entity &nbsp;",
                "undefined entity &eacute;",
                "undefined entity &bogus;"
            ]
        );
    }

    #[test]
    fn unclosed_tags_and_cdata_are_closed() {
        let done = rewrite("<rss version=\"2.0\"><channel><item><title><![CDATA[Cut <b>off");
        assert_eq!(
            done.xml,
            "<rss version=\"2.0\"><channel><item><title>Cut &lt;b&gt;off</title></item></channel></rss>"
        );
        assert_eq!(
            english(&done),
            ["an unclosed CDATA section", "<title> not closed"]
        );
    }

    #[test]
    fn stray_and_mismatched_end_tags() {
        let done =
            rewrite("<rss><channel><item><title>a</b></title><link>x</item></channel></rss>");
        assert_eq!(
            done.xml,
            "<rss version=\"2.0\"><channel><item><title>a</title><link>x</link></item></channel></rss>"
        );
        assert_eq!(
            english(&done),
            ["an end tag </b> without a start", "<link> not closed"]
        );
    }

    #[test]
    fn a_hostile_name_is_cut_short_in_its_note() {
        let name = "x".repeat(10_000);
        let done = rewrite(&format!(
            "<rss version=\"2.0\"><channel></{name}></channel></rss>"
        ));
        assert_eq!(
            english(&done),
            [format!("an end tag </{}> without a start", "x".repeat(40))]
        );
    }

    #[test]
    fn doctype_entities_are_not_expanded() {
        let done = rewrite(
            "<!DOCTYPE rss [<!ENTITY a \"aaaaaaaa\"><!ENTITY b \"&a;&a;&a;\">]><rss version=\"2.0\"><channel><title>&b;</title></channel></rss>",
        );
        assert_eq!(
            done.xml,
            "<rss version=\"2.0\"><channel><title>&amp;b;</title></channel></rss>"
        );
    }

    #[test]
    fn atom_03_becomes_atom_10() {
        let done = rewrite(
            r#"<feed version="0.3" xmlns="http://purl.org/atom/ns#"><entry><title type="text/plain" mode="escaped">T</title><issued>2004-01-01T00:00:00Z</issued><content type="text/html" mode="escaped">&lt;p&gt;x&lt;/p&gt;</content><author><url>http://a/</url></author></entry></feed>"#,
        );
        assert_eq!(
            done.xml,
            r#"<feed version="0.3" xmlns="http://www.w3.org/2005/Atom"><entry><title type="text">T</title><published>2004-01-01T00:00:00Z</published><content type="html">&lt;p&gt;x&lt;/p&gt;</content><author><uri>http://a/</uri></author></entry></feed>"#
        );
        assert!(done.repairs.is_empty(), "{:?}", done.repairs);
    }

    #[test]
    fn an_items_xhtml_body_becomes_its_content() {
        let done = rewrite(
            r#"<rss version="2.0" xmlns:xhtml="http://www.w3.org/1999/xhtml"><channel><item><xhtml:body><xhtml:p>Hi <xhtml:b>there</xhtml:b></xhtml:p></xhtml:body></item></channel></rss>"#,
        );
        assert_eq!(
            done.xml,
            r#"<rss version="2.0" xmlns:xhtml="http://www.w3.org/1999/xhtml"><channel><item><content:encoded xmlns:content="http://purl.org/rss/1.0/modules/content/">&lt;p&gt;Hi &lt;b&gt;there&lt;/b&gt;&lt;/p&gt;</content:encoded></item></channel></rss>"#
        );
    }

    #[test]
    fn undeclared_well_known_prefixes_are_declared() {
        let done = rewrite("<rss version=\"2.0\"><channel><item><content:encoded>x</content:encoded></item></channel></rss>");
        assert_eq!(
            done.xml,
            "<rss version=\"2.0\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\"><channel><item><content:encoded>x</content:encoded></item></channel></rss>"
        );
    }

    #[test]
    fn hostile_nesting_stays_linear() {
        // Below 65,536: quick-xml counts its own nesting in a u16.
        let depth = 60_000;
        let text = format!("<rss>{}{}</rss>", "<a>".repeat(depth), "</b>".repeat(depth));
        let clock = std::time::Instant::now();
        let done = rewrite(&text);
        assert!(clock.elapsed() < std::time::Duration::from_secs(2));
        assert!(english(&done).contains(&"elements nested too deeply".to_owned()));
        assert!(done.repairs.len() <= MAX_REPAIRS);
        assert!(done.xml.len() < text.len() * GROWTH + 64 * 1024);
    }
}
