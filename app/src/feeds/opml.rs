//! OPML, the format feed readers use to move subscription lists: reading the
//! files Miniflux, FreshRSS, Feedly and others export (importing their
//! feeds is a job, in `import_job`), and writing ours so a team can move
//! them back out (or into newsdesk again).

use opml::{Body, Head, Outline, OPML};
use sqlx::PgPool;

use super::validate::{normalise_feed_url, MAX_TITLE_CHARS};
use crate::error::AppError;

/// The `feeds.category` column allows at most this many characters.
pub const MAX_CATEGORY_CHARS: usize = 100;
/// Joins the names of nested folders into one category.
pub const CATEGORY_SEPARATOR: &str = " / ";
/// Real subscription lists nest outlines a few levels deep. The OPML parser
/// recurses once per level and about a hundred levels overflow a worker
/// thread's stack, which would abort the whole server, so deeper files are
/// refused before parsing.
pub const MAX_OUTLINE_NESTING: usize = 12;

/// One feed as an OPML outline describes it. From [`parse_opml`] the URL is
/// as written in the file; from the database it is normalised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpmlFeed {
    pub url: String,
    pub title: Option<String>,
    pub category: Option<String>,
    pub site_url: Option<String>,
}

/// The feeds in an OPML document, in document order. Outlines with an
/// `xmlUrl` are feeds; the outlines around them are folders and become the
/// feed's category.
pub fn parse_opml(text: &str) -> Result<Vec<OpmlFeed>, AppError> {
    // Editors on Windows like to start files with a byte order mark, which
    // the XML parser does not expect.
    let text = text.trim_start_matches('\u{feff}').trim_start();
    // The outlines sit inside <opml> and <body>.
    if nesting_exceeds(text, MAX_OUTLINE_NESTING + 2) {
        return Err(AppError::invalid(
            "file",
            format!("This OPML file nests outlines more than {MAX_OUTLINE_NESTING} levels deep, which newsdesk cannot read."),
        ));
    }
    let document = match OPML::from_str(text) {
        Ok(document) => document,
        // What an export of an empty feed list looks like: nothing to import.
        Err(opml::Error::BodyHasNoOutlines) => return Ok(Vec::new()),
        Err(error) => return Err(unreadable(text, &error)),
    };
    let mut feeds = Vec::new();
    collect_feeds(&document.body.outlines, &mut Vec::new(), &mut feeds);
    Ok(feeds)
}

/// All feeds as an OPML 2.0 document, one folder outline per category.
pub async fn export_opml(pool: &PgPool) -> Result<String, AppError> {
    let feeds = crate::db::opml::list_feeds(pool).await?;
    let document = build_document(&feeds, &chrono::Utc::now().to_rfc2822());
    let xml = document
        .to_string()
        .map_err(|cause| AppError::internal("cannot write OPML", cause))?;
    Ok(format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{}",
        one_element_per_line(&xml)
    ))
}

fn collect_feeds<'a>(
    outlines: &'a [Outline],
    folders: &mut Vec<&'a str>,
    feeds: &mut Vec<OpmlFeed>,
) {
    for outline in outlines {
        match &outline.xml_url {
            Some(url) => {
                feeds.push(feed_from_outline(outline, url, folders));
                // A feed outline with children is odd, but its children are
                // still in the same folder.
                collect_feeds(&outline.outlines, folders, feeds);
            }
            None => {
                let name = outline_name(outline);
                folders.extend(name);
                collect_feeds(&outline.outlines, folders, feeds);
                if name.is_some() {
                    folders.pop();
                }
            }
        }
    }
}

fn feed_from_outline(outline: &Outline, url: &str, folders: &[&str]) -> OpmlFeed {
    OpmlFeed {
        url: url.to_owned(),
        // Some readers write the URL as the text of an untitled feed (so do
        // we): that is no title.
        title: outline_name(outline)
            .and_then(|name| clean_name(name, MAX_TITLE_CHARS))
            .filter(|title| title != url.trim()),
        category: category_of(folders),
        // Only a web address is worth linking to (never `javascript:`).
        site_url: outline
            .html_url
            .as_deref()
            .and_then(|site| normalise_feed_url(site).ok()),
    }
}

/// `title` is the feed's own title where readers write both; `text` is what
/// every outline has.
fn outline_name(outline: &Outline) -> Option<&str> {
    [outline.title.as_deref(), Some(outline.text.as_str())]
        .into_iter()
        .flatten()
        .find(|name| !name.trim().is_empty())
}

fn category_of(folders: &[&str]) -> Option<String> {
    let names: Vec<String> = folders
        .iter()
        .filter_map(|folder| clean_name(folder, MAX_CATEGORY_CHARS))
        .collect();
    clean_name(&names.join(CATEGORY_SEPARATOR), MAX_CATEGORY_CHARS)
}

/// Names are shown on one line, so line breaks and other whitespace runs
/// become one space and control characters go. An overlong name is cut
/// rather than refused: one long title should not block an import.
fn clean_name(raw: &str, max_chars: usize) -> Option<String> {
    let one_line: String = raw
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .filter(|character| !character.is_control())
        .collect();
    let cut: String = one_line.chars().take(max_chars).collect();
    let name = cut.trim_end();
    (!name.is_empty()).then(|| name.to_owned())
}

fn unreadable(text: &str, error: &opml::Error) -> AppError {
    let message = match error {
        _ if !text.contains("<opml") => {
            "This is not an OPML file. Export your subscriptions as OPML from your feed reader and choose that file.".to_owned()
        }
        opml::Error::UnsupportedVersion(version) => format!(
            "This OPML file says it is version “{version}”; newsdesk reads versions 1.0, 1.1 and 2.0."
        ),
        opml::Error::XmlError(cause) => {
            format!("This OPML file is damaged and cannot be read ({cause}).")
        }
        other => format!("This OPML file cannot be read ({other})."),
    };
    AppError::invalid("file", message)
}

/// Whether elements in `xml` nest deeper than `limit`, found by a scan that
/// needs no stack. Markup it does not understand is left for the parser to
/// report.
fn nesting_exceeds(xml: &str, limit: usize) -> bool {
    let mut depth = 0usize;
    let mut rest = xml;
    while let Some(start) = rest.find('<') {
        let Some((markup, length)) = next_markup(&rest[start..]) else {
            return false;
        };
        rest = &rest[start + length..];
        match markup {
            Markup::Open | Markup::Empty if depth + 1 > limit => return true,
            Markup::Open => depth += 1,
            Markup::Close => depth = depth.saturating_sub(1),
            Markup::Empty | Markup::Other => {}
        }
    }
    false
}

enum Markup {
    Open,
    Empty,
    Close,
    /// Comments, CDATA, processing instructions, DOCTYPE.
    Other,
}

/// The kind and length of the markup `text` begins with (at a `<`).
fn next_markup(text: &str) -> Option<(Markup, usize)> {
    let up_to = |closer: &str, markup| text.find(closer).map(|end| (markup, end + closer.len()));
    if text.starts_with("<!--") {
        up_to("-->", Markup::Other)
    } else if text.starts_with("<![CDATA[") {
        up_to("]]>", Markup::Other)
    } else if text.starts_with("<?") {
        up_to("?>", Markup::Other)
    } else if text.starts_with("<!") {
        up_to(">", Markup::Other)
    } else if text.starts_with("</") {
        up_to(">", Markup::Close)
    } else {
        let (length, self_closing) = start_tag_length(text)?;
        Some((
            if self_closing {
                Markup::Empty
            } else {
                Markup::Open
            },
            length,
        ))
    }
}

/// The length of the start tag `tag` begins with, and whether it closes
/// itself; attribute values may contain `>`.
fn start_tag_length(tag: &str) -> Option<(usize, bool)> {
    let mut quote = None;
    for (index, character) in tag.char_indices() {
        match (quote, character) {
            (Some(open), _) if character == open => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(character),
            (None, '>') => return Some((index + 1, tag[..index].ends_with('/'))),
            (None, _) => {}
        }
    }
    None
}

fn build_document(feeds: &[OpmlFeed], created: &str) -> OPML {
    let mut loose = Vec::new();
    let mut folders: Vec<Outline> = Vec::new();
    for feed in feeds {
        let outline = feed_outline(feed);
        let category = feed
            .category
            .as_deref()
            .and_then(|category| clean_name(category, MAX_CATEGORY_CHARS));
        let Some(category) = category else {
            loose.push(outline);
            continue;
        };
        match folders.iter_mut().find(|folder| folder.text == category) {
            Some(folder) => folder.outlines.push(outline),
            None => folders.push(Outline {
                text: category.clone(),
                title: Some(category),
                outlines: vec![outline],
                ..Outline::default()
            }),
        }
    }
    loose.append(&mut folders);
    OPML {
        version: "2.0".to_owned(),
        head: Some(Head {
            title: Some("newsdesk feeds".to_owned()),
            date_created: Some(created.to_owned()),
            ..Head::default()
        }),
        body: Body { outlines: loose },
    }
}

/// The writer puts the whole document on one line; people open exports in
/// editors and keep them in version control, where one outline per line
/// reads and diffs well. The writer escapes `<` and `>` everywhere, so every
/// `><` is between two tags.
fn one_element_per_line(xml: &str) -> String {
    let mut pretty = String::with_capacity(xml.len() * 2);
    let mut depth = 0usize;
    let pieces: Vec<&str> = xml.split("><").collect();
    for (index, piece) in pieces.iter().enumerate() {
        let open = if index == 0 { "" } else { "<" };
        let close = if index + 1 == pieces.len() { "" } else { ">" };
        let tag = format!("{open}{piece}{close}");
        let closing = tag.starts_with("</");
        if closing {
            depth = depth.saturating_sub(1);
        }
        pretty.push_str(&"  ".repeat(depth));
        pretty.push_str(&tag);
        pretty.push('\n');
        let opening = !closing && !tag.ends_with("/>") && !tag.contains("</");
        if opening {
            depth += 1;
        }
    }
    pretty
}

fn feed_outline(feed: &OpmlFeed) -> Outline {
    // XML cannot carry most control characters, and other readers show
    // names on one line too.
    let title = feed
        .title
        .as_deref()
        .and_then(|title| clean_name(title, MAX_TITLE_CHARS));
    Outline {
        // `text` is required, so an untitled feed shows its URL; `title` is
        // left out so that reading the file back gives no title again.
        text: title.clone().unwrap_or_else(|| feed.url.clone()),
        title,
        r#type: Some("rss".to_owned()),
        xml_url: Some(feed.url.clone()),
        html_url: feed.site_url.clone(),
        ..Outline::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn feed(url: &str, title: Option<&str>, category: Option<&str>) -> OpmlFeed {
        OpmlFeed {
            url: url.to_owned(),
            title: title.map(str::to_owned),
            category: category.map(str::to_owned),
            site_url: None,
        }
    }

    fn file_error(text: &str) -> String {
        parse_opml(text)
            .unwrap_err()
            .field_message("file")
            .expect("error is about the file")
    }

    #[test]
    fn nested_folders_join_into_one_category() {
        let feeds = parse_opml(
            r#"<opml version="2.0"><body>
                 <outline text="Cloud">
                   <outline text="Kubernetes">
                     <outline text="SIGs" title="Special interest groups">
                       <outline text="sig-node" xmlUrl="https://example.com/node.xml"/>
                     </outline>
                     <outline text="k8s blog" xmlUrl="https://kubernetes.io/feed.xml"/>
                   </outline>
                   <outline text="CNCF" type="rss" xmlUrl="https://www.cncf.io/feed/"/>
                 </outline>
                 <outline text="Loose" xmlUrl="https://example.com/loose.xml"/>
               </body></opml>"#,
        )
        .unwrap();
        let categories: Vec<_> = feeds
            .iter()
            .map(|feed| (feed.title.as_deref().unwrap(), feed.category.as_deref()))
            .collect();
        assert_eq!(
            categories,
            [
                (
                    "sig-node",
                    Some("Cloud / Kubernetes / Special interest groups")
                ),
                ("k8s blog", Some("Cloud / Kubernetes")),
                ("CNCF", Some("Cloud")),
                ("Loose", None),
            ]
        );
    }

    #[test]
    fn nameless_folders_add_nothing_to_the_category() {
        let feeds = parse_opml(
            r#"<opml version="1.0"><body><outline text="News"><outline text=" ">
                 <outline text="a" xmlUrl="https://example.com/a.xml"/>
               </outline></outline></body></opml>"#,
        )
        .unwrap();
        assert_eq!(feeds[0].category.as_deref(), Some("News"));
    }

    #[test]
    fn title_is_preferred_to_text_and_a_url_is_no_title() {
        let feeds = parse_opml(
            r#"<opml version="2.0"><body>
                 <outline text="short" title="The Long Title" xmlUrl="https://example.com/a.xml" htmlUrl="HTTPS://Example.com"/>
                 <outline text="https://example.com/b.xml" xmlUrl="https://example.com/b.xml" htmlUrl="javascript:alert(1)"/>
               </body></opml>"#,
        )
        .unwrap();
        assert_eq!(feeds[0].title.as_deref(), Some("The Long Title"));
        assert_eq!(feeds[0].site_url.as_deref(), Some("https://example.com/"));
        assert_eq!(feeds[1].title, None);
        assert_eq!(feeds[1].site_url, None, "only http(s) site links are kept");
    }

    #[test]
    fn names_are_put_on_one_line_and_cut_to_fit() {
        let long = "x".repeat(MAX_TITLE_CHARS + 50);
        let text = format!(
            r#"<opml version="2.0"><body><outline text="{}">
                 <outline text="Two&#10;lines" xmlUrl="https://example.com/a.xml"/>
                 <outline text="{long}" xmlUrl="https://example.com/b.xml"/>
               </outline></body></opml>"#,
            "c".repeat(MAX_CATEGORY_CHARS + 1)
        );
        let feeds = parse_opml(&text).unwrap();
        assert_eq!(feeds[0].title.as_deref(), Some("Two lines"));
        assert_eq!(
            feeds[1].title.as_ref().unwrap().chars().count(),
            MAX_TITLE_CHARS
        );
        assert_eq!(
            feeds[0].category.as_ref().unwrap().chars().count(),
            MAX_CATEGORY_CHARS
        );
    }

    #[test]
    fn a_byte_order_mark_and_an_empty_body_are_fine() {
        let empty = "\u{feff}<?xml version=\"1.0\"?>\n<opml version=\"2.0\"><head/><body/></opml>";
        assert_eq!(parse_opml(empty).unwrap(), []);
    }

    #[test]
    fn unreadable_files_are_explained() {
        assert!(file_error("<html><body>hello</body></html>").contains("not an OPML file"));
        assert!(file_error("").contains("not an OPML file"));
        assert!(
            file_error(r#"<opml version="2.0"><body><outline text="a"></body></opml>"#)
                .contains("damaged")
        );
        assert!(
            file_error(r#"<opml version="9"><body><outline text="a"/></body></opml>"#)
                .contains("version “9”")
        );
    }

    #[test]
    fn deep_nesting_is_refused_before_parsing() {
        let deep = format!(
            r#"<opml version="2.0"><body>{}{}</body></opml>"#,
            r#"<outline text="a>b">"#.repeat(100_000),
            "</outline>".repeat(100_000)
        );
        assert!(file_error(&deep).contains("levels deep"));
        let folders = MAX_OUTLINE_NESTING - 1;
        let fine = format!(
            r#"<!-- <a><b><c> --><opml version="2.0"><body>{}<outline text="f" xmlUrl="https://example.com/"/>{}</body></opml>"#,
            r#"<outline text="a"><outline text='b/>'/>"#.repeat(folders),
            "</outline>".repeat(folders)
        );
        let feeds = parse_opml(&fine).unwrap();
        assert_eq!(feeds.len(), 1);
        assert_eq!(
            feeds[0].category.as_deref(),
            Some(vec!["a"; folders].join(CATEGORY_SEPARATOR).as_str())
        );
        let one_too_deep = fine
            .replacen("<body>", r#"<body><outline text="x">"#, 1)
            .replacen("</body>", "</outline></body>", 1);
        assert!(file_error(&one_too_deep).contains("levels deep"));
    }

    #[test]
    fn export_groups_by_category_and_reads_back() {
        let feeds = vec![
            feed("https://example.com/a.xml", Some("A & <B>"), Some("News")),
            feed("https://example.com/loose.xml", None, None),
            feed("https://example.com/b.xml", Some("B"), Some("Cloud / K8s")),
            feed("https://example.com/c.xml", Some("C"), Some("News")),
        ];
        let odd = feed(
            "https://example.com/odd.xml",
            Some("Line\nbreak\u{1}"),
            None,
        );
        let odd_written = one_element_per_line(&build_document(&[odd], "now").to_string().unwrap());
        assert!(
            odd_written.contains(r#"<outline text="Line break" "#),
            "{odd_written}"
        );
        let document = build_document(&feeds, "Fri, 20 Nov 2026 09:00:00 +0000");
        let outlines = &document.body.outlines;
        assert_eq!(
            outlines[0].xml_url.as_deref(),
            Some("https://example.com/loose.xml")
        );
        assert_eq!(outlines[1].text, "News");
        assert_eq!(outlines[1].outlines.len(), 2);
        assert_eq!(outlines[2].text, "Cloud / K8s");

        let written = one_element_per_line(&document.to_string().unwrap());
        assert!(
            written.starts_with(
                "<opml version=\"2.0\">\n  <head>\n    <title>newsdesk feeds</title>\n"
            ),
            "{written}"
        );
        assert!(written.contains("\n    <outline text=\"News\" title=\"News\">\n      <outline text=\"A &amp; &lt;B&gt;\" type=\"rss\""), "{written}");
        assert!(written.ends_with("  </body>\n</opml>\n"), "{written}");
        let mut back = parse_opml(&written).unwrap();
        let mut expected = feeds;
        let key = |feed: &OpmlFeed| feed.url.clone();
        back.sort_by_key(key);
        expected.sort_by_key(key);
        assert_eq!(back, expected);
    }
}
