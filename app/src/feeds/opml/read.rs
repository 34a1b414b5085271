//! Reading an OPML file into the feeds it lists.

use opml::{Outline, OPML};
use quick_xml::{events::Event, Reader};

use super::{clean_name, CATEGORY_SEPARATOR, MAX_CATEGORY_CHARS, MAX_OUTLINE_NESTING};
use crate::{
    error::AppError,
    feeds::{
        model::OpmlFeed,
        validate::{normalise_feed_url, MAX_TITLE_CHARS},
    },
    i18n::td_string,
    lang,
};

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
            lang::fill(
                td_string!(lang::current(), feeds.opml_too_deep),
                &[("max", &MAX_OUTLINE_NESTING.to_string())],
            ),
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

fn unreadable(text: &str, error: &opml::Error) -> AppError {
    let locale = lang::current();
    let message = match error {
        _ if !text.contains("<opml") => td_string!(locale, feeds.opml_not_opml).to_owned(),
        opml::Error::UnsupportedVersion(version) => lang::fill(
            td_string!(locale, feeds.opml_version),
            &[("version", &version.to_string())],
        ),
        opml::Error::XmlError(cause) => lang::fill(
            td_string!(locale, feeds.opml_damaged),
            &[("cause", &cause.to_string())],
        ),
        other => lang::fill(
            td_string!(locale, feeds.opml_unreadable),
            &[("cause", &other.to_string())],
        ),
    };
    AppError::invalid("file", message)
}

/// Whether elements in `xml` nest deeper than `limit`. quick-xml's reader
/// keeps no stack of its own, so a file nested a million levels deep costs
/// nothing here; markup it cannot read is left for the OPML parser to
/// report.
fn nesting_exceeds(xml: &str, limit: usize) -> bool {
    let mut reader = Reader::from_str(xml);
    // Mismatched end tags are the OPML parser's to report, with its message.
    reader.config_mut().check_end_names = false;
    let mut depth = 0usize;
    loop {
        match reader.read_event() {
            Ok(Event::Start(_)) => {
                depth += 1;
                if depth > limit {
                    return true;
                }
            }
            Ok(Event::Empty(_)) if depth + 1 > limit => return true,
            Ok(Event::End(_)) => depth = depth.saturating_sub(1),
            Ok(Event::Eof) | Err(_) => return false,
            Ok(_) => {}
        }
    }
}
