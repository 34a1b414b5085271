//! Feeds a feed reader must read although strict XML or feed-rs alone would
//! not: legacy encodings, DOCTYPEs, broken XML (read, and the feed's health
//! says "read with errors: …"), Atom 0.3 and items whose content is in an
//! XHTML `<body>`.

use crate::{
    fixtures::{item, rss},
    harness,
};

async fn stored_titles(pool: &sqlx::PgPool) -> Vec<String> {
    sqlx::query_scalar("SELECT title FROM candidates ORDER BY id")
        .fetch_all(pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn broken_xml_is_read_with_errors_and_the_feed_says_so() {
    let h = harness().await;
    let broken = r#"<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Broken &amp; proud</title>
<item><guid>a</guid><title>Caf&eacute;&nbsp;news</title><link>https://example.com/a?x=1&y=2</link>
<description>Fish & chips</description></item>
<item><guid>b</guid><title><![CDATA[Cut off"#;
    h.server.set_feed("broken", broken);
    let feed = h.add_feed("/feed/broken").await;
    let report = h.refresh(feed).await;
    assert_eq!(report.error, None, "{report:?}");
    assert_eq!(report.counts.new, 2);
    let state = h.feed(feed).await;
    let health = state.last_error.clone().unwrap_or_default();
    assert!(health.starts_with("read with errors: "), "{health}");
    for words in ["a bare & in text", "undefined entity &eacute;"] {
        assert!(health.contains(words), "{words} in {health}");
    }
    assert_eq!(report.warning.as_deref(), Some(health.as_str()));
    assert_eq!(
        state.consecutive_failures, 0,
        "read with errors is not a failure"
    );
    assert!(state.last_success_at.is_some());
    assert_eq!(stored_titles(&h.pool).await, ["Café news", "Cut off"]);
    let url: Option<String> = sqlx::query_scalar("SELECT url FROM candidates ORDER BY id LIMIT 1")
        .fetch_one(&h.pool)
        .await
        .unwrap();
    assert_eq!(url.as_deref(), Some("https://example.com/a?x=1&y=2"));

    // Unchanged (304): the errors still hold.
    assert!(h.refresh(feed).await.not_modified);
    assert_eq!(
        h.feed(feed).await.last_error.as_deref(),
        Some(health.as_str())
    );

    // Mended: the note goes.
    h.server.set_feed(
        "broken",
        rss("Mended", &[item("a", "Café news", "https://example.com/a")]),
    );
    assert_eq!(h.refresh(feed).await.warning, None);
    assert_eq!(h.feed(feed).await.last_error, None);
}

#[tokio::test]
async fn what_is_not_a_feed_still_fails_plainly() {
    let h = harness().await;
    h.server
        .set_raw("prose", "text/plain", "Just some words & more words.");
    let feed = h.add_feed("/raw/prose").await;
    let report = h.refresh(feed).await;
    assert!(
        report
            .error
            .as_deref()
            .is_some_and(|e| e.starts_with("not a valid feed")),
        "{report:?}"
    );
    h.server.set_raw(
        "markup",
        "application/xml",
        "<html><body><p>A page</p></body></html>",
    );
    let feed = h.add_feed("/raw/markup").await;
    assert_eq!(
        h.refresh(feed).await.error.as_deref(),
        Some("not a feed: got application/xml")
    );
}

#[tokio::test]
async fn legacy_encodings_are_decoded_by_bom_header_and_declaration() {
    let h = harness().await;
    let feed_in = |title: &str, declaration: &str| {
        format!(
            "{declaration}<rss version=\"2.0\"><channel><title>t</title>{}</channel></rss>",
            item(
                title,
                title,
                &format!("https://example.com/{}", title.len())
            )
        )
    };
    // Shift_JIS declared by nothing at all: guessed, and said so.
    let title = "クラスタ管理ツールを公開しました";
    let source = feed_in(title, "");
    let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode(&source);
    h.server
        .set_raw("sjis", "application/rss+xml", sjis.into_owned());
    let feed = h.add_feed("/raw/sjis").await;
    let report = h.refresh(feed).await;
    assert_eq!(report.error, None, "{report:?}");
    assert_eq!(
        report.warning.as_deref(),
        Some("read with errors: no character encoding declared, read as Shift_JIS")
    );
    // EUC-JP by its XML declaration: no error at all.
    let title_euc = "コンテナの新しい版";
    let source = feed_in(title_euc, "<?xml version=\"1.0\" encoding=\"EUC-JP\"?>\n");
    let (euc, _, _) = encoding_rs::EUC_JP.encode(&source);
    h.server.set_raw("euc", "text/xml", euc.into_owned());
    let feed = h.add_feed("/raw/euc").await;
    let report = h.refresh(feed).await;
    assert_eq!((report.error, report.warning), (None, None));
    // KOI8-R by the HTTP charset, over a declaration that says otherwise
    // (RFC 7303: the header wins).
    let title_koi = "Новости Kubernetes";
    let source = feed_in(
        title_koi,
        "<?xml version=\"1.0\" encoding=\"windows-1251\"?>",
    );
    let (koi, _, _) = encoding_rs::KOI8_R.encode(&source);
    h.server
        .set_raw("koi", "application/xml; charset=KOI8-R", koi.into_owned());
    let feed = h.add_feed("/raw/koi").await;
    assert_eq!(h.refresh(feed).await.error, None);
    // UTF-16 with a BOM.
    let title_utf16 = "Überblick";
    let mut utf16 = vec![0xff, 0xfe];
    for unit in feed_in(title_utf16, "<?xml version=\"1.0\" encoding=\"UTF-16\"?>").encode_utf16() {
        utf16.extend_from_slice(&unit.to_le_bytes());
    }
    h.server.set_raw("utf16", "application/xml", utf16);
    let feed = h.add_feed("/raw/utf16").await;
    assert_eq!(h.refresh(feed).await.error, None);

    assert_eq!(
        stored_titles(&h.pool).await,
        [title, title_euc, title_koi, title_utf16]
    );
}

#[tokio::test]
async fn doctypes_are_skipped_and_html_entities_read() {
    let h = harness().await;
    let netscape = r#"<?xml version="1.0" encoding="ISO-8859-1"?>
<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd">
<rss version="0.91"><channel><title>Old &amp; fine</title><link>https://example.com/</link>
<item><title>R&eacute;sum&eacute; &mdash; 0.91</title><link>https://example.com/091</link></item>
</channel></rss>"#;
    h.server
        .set_raw("netscape", "application/rss+xml", netscape);
    let feed = h.add_feed("/raw/netscape").await;
    let report = h.refresh(feed).await;
    assert_eq!(report.error, None, "{report:?}");
    assert_eq!(stored_titles(&h.pool).await, ["Résumé — 0.91"]);
    // Without a channel yet (as feedparser's corpus has it): an empty feed,
    // not "no root element".
    let empty = r#"<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd">
<rss version="0.91"></rss>"#;
    h.server.set_raw("empty091", "application/rss+xml", empty);
    let feed = h.add_feed("/raw/empty091").await;
    let report = h.refresh(feed).await;
    assert_eq!((report.error, report.warning), (None, None));
}

#[tokio::test]
async fn atom_03_entries_and_rss_bodies_have_their_content() {
    let h = harness().await;
    let atom03 = r#"<?xml version="1.0" encoding="utf-8"?>
<feed version="0.3" xmlns="http://purl.org/atom/ns#">
<title>Old Atom</title><link rel="alternate" type="text/html" href="https://example.com/"/>
<modified>2004-01-02T00:00:00Z</modified>
<entry><title type="text/plain" mode="xml">Atom 0.3 entry</title>
<link rel="alternate" type="text/html" href="https://example.com/atom03"/>
<id>tag:example.com,2004:1</id><issued>2004-01-01T12:00:00Z</issued><modified>2004-01-02T00:00:00Z</modified>
<content type="text/html" mode="escaped">&lt;p&gt;Escaped &lt;b&gt;HTML&lt;/b&gt;&lt;/p&gt;</content></entry>
</feed>"#;
    h.server.set_feed("atom03", atom03);
    let feed = h.add_feed("/feed/atom03").await;
    let report = h.refresh(feed).await;
    assert_eq!(
        (report.error, report.warning, report.counts.new),
        (None, None, 1)
    );
    let body = r#"<rss version="2.0" xmlns:xhtml="http://www.w3.org/1999/xhtml"><channel><title>Bodies</title>
<item><title>With a body</title><link>https://example.com/body</link>
<xhtml:body><xhtml:p>Body <xhtml:em>text</xhtml:em></xhtml:p></xhtml:body></item></channel></rss>"#;
    h.server.set_feed("body", body);
    let feed = h.add_feed("/feed/body").await;
    assert_eq!(h.refresh(feed).await.counts.new, 1);

    let rows: Vec<(String, String, chrono::DateTime<chrono::Utc>)> =
        sqlx::query_as("SELECT title, summary_html, published_at FROM candidates ORDER BY id")
            .fetch_all(&h.pool)
            .await
            .unwrap();
    assert_eq!(rows[0].0, "Atom 0.3 entry");
    assert_eq!(rows[0].1, "<p>Escaped <b>HTML</b></p>");
    assert_eq!(rows[0].2.to_rfc3339(), "2004-01-01T12:00:00+00:00");
    assert_eq!(rows[1].1, "<p>Body <em>text</em></p>");
}
