//! Reading, writing and reading back OPML.

use super::{
    parse_opml,
    write::{build_document, write_xml},
    CATEGORY_SEPARATOR, MAX_CATEGORY_CHARS, MAX_OUTLINE_NESTING,
};
use crate::feeds::{model::OpmlFeed, validate::MAX_TITLE_CHARS};

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
    let odd_written = write_xml(&build_document(&[odd], "now"), false).unwrap();
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

    let written = write_xml(&document, false).unwrap();
    assert!(
        written
            .starts_with("<opml version=\"2.0\">\n  <head>\n    <title>newsdesk feeds</title>\n"),
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
