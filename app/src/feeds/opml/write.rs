//! Writing the feeds as an OPML 2.0 document, one folder outline per
//! category, one element per line (people open exports in editors and keep
//! them in version control, where that reads and diffs well).

use opml::{Body, Head, Outline, OPML};
use quick_xml::{
    events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event},
    Writer,
};
use sqlx::PgPool;

use super::{clean_name, MAX_CATEGORY_CHARS};
use crate::{
    error::AppError,
    feeds::{model::OpmlFeed, validate::MAX_TITLE_CHARS},
};

/// All feeds as an OPML 2.0 document, one folder outline per category.
pub async fn export_opml(pool: &PgPool) -> Result<String, AppError> {
    let feeds = crate::db::opml::list_feeds(pool).await?;
    let document = build_document(&feeds, &chrono::Utc::now().to_rfc2822());
    write_xml(&document, true).map_err(|cause| AppError::internal("cannot write OPML", cause))
}

pub(super) fn build_document(feeds: &[OpmlFeed], created: &str) -> OPML {
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

/// The document as indented XML, with the XML declaration when asked.
pub(super) fn write_xml(document: &OPML, declaration: bool) -> Result<String, quick_xml::Error> {
    let mut writer = Writer::new_with_indent(Vec::new(), b' ', 2);
    if declaration {
        writer.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    }
    writer.write_event(Event::Start(
        BytesStart::new("opml").with_attributes([("version", document.version.as_str())]),
    ))?;
    if let Some(head) = &document.head {
        writer.write_event(Event::Start(BytesStart::new("head")))?;
        for (name, value) in [("title", &head.title), ("dateCreated", &head.date_created)] {
            if let Some(value) = value {
                writer
                    .create_element(name)
                    .write_text_content(BytesText::new(value))?;
            }
        }
        writer.write_event(Event::End(BytesEnd::new("head")))?;
    }
    writer.write_event(Event::Start(BytesStart::new("body")))?;
    for outline in &document.body.outlines {
        write_outline(&mut writer, outline)?;
    }
    writer.write_event(Event::End(BytesEnd::new("body")))?;
    writer.write_event(Event::End(BytesEnd::new("opml")))?;
    let mut xml = String::from_utf8(writer.into_inner())
        .map_err(|error| quick_xml::Error::Encoding(error.utf8_error().into()))?;
    xml.push('\n');
    Ok(xml)
}

fn write_outline(writer: &mut Writer<Vec<u8>>, outline: &Outline) -> Result<(), quick_xml::Error> {
    // The attribute order other readers write: text and type first.
    let attributes = [
        ("text", Some(outline.text.as_str())),
        ("type", outline.r#type.as_deref()),
        ("xmlUrl", outline.xml_url.as_deref()),
        ("htmlUrl", outline.html_url.as_deref()),
        ("title", outline.title.as_deref()),
    ];
    let start = BytesStart::new("outline").with_attributes(
        attributes
            .into_iter()
            .filter_map(|(name, value)| value.map(|value| (name, value))),
    );
    if outline.outlines.is_empty() {
        writer.write_event(Event::Empty(start))?;
    } else {
        writer.write_event(Event::Start(start))?;
        for child in &outline.outlines {
            write_outline(writer, child)?;
        }
        writer.write_event(Event::End(BytesEnd::new("outline")))?;
    }
    Ok(())
}
