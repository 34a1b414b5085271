//! OPML import and export against a real database: the files other feed
//! readers write, duplicates, refused URLs, broken files, the round trip and
//! the `/feeds.opml` download.

use std::collections::BTreeSet;

use newsdesk_app::{
    error::AppError,
    feeds::model::{ImportProgress, ImportSummary},
    feeds::{
        opml::import::import_opml,
        opml::{export_opml, parse_opml},
    },
};
use sqlx::PgPool;

use crate::support::{fresh_database, spawn_app, workspace_dir};

type Row = (String, Option<String>, Option<String>);

fn fixture(name: &str) -> String {
    let path = workspace_dir().join("tests/fixtures/opml").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

async fn import(pool: &PgPool, text: &str) -> Result<ImportSummary, AppError> {
    import_opml(pool, text, |_| {}).await
}

/// (url, title, category) of every stored feed.
async fn stored(pool: &PgPool) -> BTreeSet<Row> {
    sqlx::query_as("SELECT url, title, category FROM feeds")
        .fetch_all(pool)
        .await
        .unwrap()
        .into_iter()
        .collect()
}

fn row(url: &str, title: &str, category: Option<&str>) -> Row {
    (url.into(), Some(title.into()), category.map(Into::into))
}

fn added(count: usize) -> ImportSummary {
    ImportSummary {
        added: count,
        ..ImportSummary::default()
    }
}

#[tokio::test]
async fn miniflux_export_imports_with_its_categories_and_site_links() {
    let pool = fresh_database().await;
    let mut progress = Vec::new();
    let summary = import_opml(&pool, &fixture("miniflux-style.opml"), |p| progress.push(p))
        .await
        .unwrap();
    assert_eq!(summary, added(3));
    assert_eq!(
        progress,
        (0..=3)
            .map(|done| ImportProgress { done, total: 3 })
            .collect::<Vec<_>>()
    );
    assert_eq!(
        stored(&pool).await,
        BTreeSet::from([
            row(
                "https://kubernetes.io/feed.xml",
                "Kubernetes Blog",
                Some("Kubernetes")
            ),
            row(
                "https://github.com/kubernetes/kubernetes/releases.atom",
                "Release notes from kubernetes",
                Some("Kubernetes")
            ),
            row(
                "https://www.cncf.io/feed/",
                "CNCF Blog & News",
                Some("CNCF")
            ),
        ])
    );
    let site: Option<String> =
        sqlx::query_scalar("SELECT site_url FROM feeds WHERE url = 'https://www.cncf.io/feed/'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(site.as_deref(), Some("https://www.cncf.io/"));
}

#[tokio::test]
async fn freshrss_export_imports_with_its_categories() {
    let pool = fresh_database().await;
    let summary = import(&pool, &fixture("freshrss-style.opml"))
        .await
        .unwrap();
    assert_eq!(summary, added(3));
    assert_eq!(
        stored(&pool).await,
        BTreeSet::from([
            row(
                "https://github.com/kubernetes-sigs/kubebuilder/releases.atom",
                "Kubebuilder releases",
                Some("Cloud Native")
            ),
            row(
                "https://go.dev/blog/feed.atom",
                "The Go Blog",
                Some("Cloud Native")
            ),
            row(
                "https://grafana.com/blog/index.xml",
                "Grafana Labs blog",
                Some("Uncategorized")
            ),
        ])
    );
}

#[tokio::test]
async fn feedly_export_imports_with_a_feed_outside_any_category() {
    let pool = fresh_database().await;
    let summary = import(&pool, &fixture("feedly-style.opml")).await.unwrap();
    assert_eq!(summary, added(3));
    assert_eq!(
        stored(&pool).await,
        BTreeSet::from([
            row(
                "https://kubernetes.io/feed.xml",
                "Kubernetes Blog",
                Some("k8s")
            ),
            row(
                "https://github.com/cilium/cilium/releases.atom",
                "Cilium releases",
                Some("k8s")
            ),
            row(
                "https://hnrss.org/frontpage",
                "Hacker News: Front Page",
                None
            ),
        ])
    );
}

#[tokio::test]
async fn importing_a_file_twice_skips_every_feed_the_second_time() {
    let pool = fresh_database().await;
    let text = fixture("miniflux-style.opml");
    assert_eq!(import(&pool, &text).await.unwrap(), added(3));
    let before = stored(&pool).await;
    let again = import(&pool, &text).await.unwrap();
    assert_eq!(
        again,
        ImportSummary {
            added: 0,
            skipped_duplicates: 3,
            invalid: vec![],
        }
    );
    assert_eq!(stored(&pool).await, before);
}

#[tokio::test]
async fn a_mixed_file_adds_the_valid_feeds_and_reports_the_rest() {
    let pool = fresh_database().await;
    sqlx::query(
        "INSERT INTO feeds (url, title) VALUES ('https://kubernetes.io/feed.xml', 'Kept title')",
    )
    .execute(&pool)
    .await
    .unwrap();
    let text = r#"<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0"><head><title>mixed</title></head><body>
  <outline text="Good">
    <outline text="Go" type="rss" xmlUrl="https://go.dev/blog/feed.atom"/>
    <outline text="Already stored, spelled differently" xmlUrl="HTTPS://Kubernetes.IO:443/feed.xml#latest"/>
    <outline text="Bad" xmlUrl="javascript:alert(1)"/>
  </outline>
  <outline text="Grafana" xmlUrl="https://grafana.com/blog/index.xml"/>
  <outline text="Go again" xmlUrl="https://GO.dev/blog/feed.atom"/>
  <outline text="FTP" xmlUrl="ftp://example.com/feed.xml"/>
  <outline text="No scheme" xmlUrl="example.com/feed.xml"/>
</body></opml>"#;
    let summary = import(&pool, text).await.unwrap();
    assert_eq!(summary.added, 2, "{summary:?}");
    assert_eq!(summary.skipped_duplicates, 2, "{summary:?}");
    let invalid: Vec<(&str, &str)> = summary
        .invalid
        .iter()
        .map(|(url, reason)| (url.as_str(), reason.as_str()))
        .collect();
    assert_eq!(invalid.len(), 3, "{invalid:?}");
    assert_eq!(invalid[0].0, "javascript:alert(1)");
    assert!(invalid[0].1.contains("“javascript:”"), "{invalid:?}");
    assert_eq!(invalid[1].0, "ftp://example.com/feed.xml");
    assert!(invalid[1].1.contains("Only http and https"), "{invalid:?}");
    assert_eq!(invalid[2].0, "example.com/feed.xml");
    assert!(
        invalid[2].1.contains("https://example.com/feed.xml"),
        "{invalid:?}"
    );
    assert_eq!(
        stored(&pool).await,
        BTreeSet::from([
            row("https://kubernetes.io/feed.xml", "Kept title", None),
            row("https://go.dev/blog/feed.atom", "Go", Some("Good")),
            row("https://grafana.com/blog/index.xml", "Grafana", None),
        ])
    );
}

#[tokio::test]
async fn an_import_that_fails_on_a_feed_every_time_stops_with_its_error() {
    let pool = fresh_database().await;
    sqlx::raw_sql(
        "CREATE FUNCTION refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN
             IF NEW.url LIKE '%poison%' THEN RAISE EXCEPTION 'this feed cannot be stored (test)'; END IF;
             RETURN NEW;
         END $$;
         CREATE TRIGGER refuse_poison BEFORE INSERT ON feeds
             FOR EACH ROW EXECUTE FUNCTION refuse_poison();",
    )
    .execute(&pool)
    .await
    .unwrap();
    let text = r#"<opml version="2.0"><body>
        <outline text="A" xmlUrl="https://a.example.com/feed"/>
        <outline text="Poison" xmlUrl="https://poison.example.com/feed"/>
        <outline text="C" xmlUrl="https://c.example.com/feed"/>
      </body></opml>"#;
    // Time passes quickly here: each retry of the feed comes due at once.
    let hurry = {
        let pool = pool.clone();
        tokio::spawn(async move {
            loop {
                sqlx::query(
                    "UPDATE opml_import_feeds SET claimed_until = NULL
                     WHERE claimed_by IS NULL AND outcome IS NULL",
                )
                .execute(&pool)
                .await
                .unwrap();
                tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            }
        })
    };
    let outcome = tokio::time::timeout(std::time::Duration::from_secs(30), import(&pool, text))
        .await
        .expect("the import ends instead of retrying forever");
    hurry.abort();
    let error = outcome.unwrap_err().to_string();
    assert!(
        error.contains("this feed cannot be stored (test)"),
        "{error}"
    );
    let (summary, recorded): (serde_json::Value, String) =
        sqlx::query_as("SELECT summary, error FROM opml_imports WHERE finished_at IS NOT NULL")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(recorded, error, "the import page shows the same error");
    assert_eq!(
        summary["added"], 2,
        "what it did before and after: {summary}"
    );
    assert_eq!(
        stored(&pool).await,
        BTreeSet::from([
            row("https://a.example.com/feed", "A", None),
            row("https://c.example.com/feed", "C", None),
        ])
    );
}

#[tokio::test]
async fn malformed_files_are_refused_with_a_message_and_store_nothing() {
    let pool = fresh_database().await;
    let cases = [
        // The first feed is complete; the document breaks after it.
        (
            r#"<opml version="2.0"><body><outline text="Go" xmlUrl="https://go.dev/blog/feed.atom"/><outline text="open"></body></opml>"#,
            "damaged",
        ),
        (
            r#"<opml version="2.0"><body><outline text="a" xmlUrl="https://go.dev/""#,
            "damaged",
        ),
        (
            "<html><body><p>Not OPML</p></body></html>",
            "not an OPML file",
        ),
        ("", "not an OPML file"),
        (
            r#"<opml version="3.1"><body><outline text="a" xmlUrl="https://go.dev/"/></body></opml>"#,
            "version “3.1”",
        ),
    ];
    for (text, expected) in cases {
        let error = import(&pool, text).await.unwrap_err();
        let message = error
            .field_message("file")
            .unwrap_or_else(|| panic!("{text:?}: {error:?} is about the file"));
        assert!(message.contains(expected), "{text:?}: {message:?}");
    }
    assert!(stored(&pool).await.is_empty());
}

#[tokio::test]
async fn an_export_imports_into_a_fresh_database_unchanged() {
    let source = fresh_database().await;
    for name in [
        "miniflux-style.opml",
        "freshrss-style.opml",
        "feedly-style.opml",
    ] {
        import(&source, &fixture(name)).await.unwrap();
    }
    // Untitled, uncategorised, and names that need escaping in XML.
    sqlx::query(
        "INSERT INTO feeds (url, title, category) VALUES
           ('https://example.com/untitled.xml', NULL, NULL),
           ('https://example.com/q?a=1&b=2', 'Quotes \" & <tags>', 'R&D / \"Labs\"')",
    )
    .execute(&source)
    .await
    .unwrap();
    let original = stored(&source).await;
    assert_eq!(original.len(), 10, "kubernetes.io is in two fixtures");

    let document = export_opml(&source).await.unwrap();
    assert!(
        document.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\">")
    );
    assert!(document.contains(r#"type="rss""#));

    let target = fresh_database().await;
    let summary = import(&target, &document).await.unwrap();
    assert_eq!(summary, added(original.len()));
    assert_eq!(stored(&target).await, original);
    let sites = |pool: PgPool| async move {
        sqlx::query_as::<_, (String, Option<String>)>("SELECT url, site_url FROM feeds")
            .fetch_all(&pool)
            .await
            .unwrap()
            .into_iter()
            .collect::<BTreeSet<_>>()
    };
    assert_eq!(sites(target).await, sites(source).await);
}

#[tokio::test]
async fn feeds_opml_downloads_the_export() {
    let app = spawn_app().await;
    import(&app.pool, &fixture("feedly-style.opml"))
        .await
        .unwrap();
    let response = app.client.get(app.url("/feeds.opml")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let header = |name: &str| response.headers()[name].to_str().unwrap().to_owned();
    assert_eq!(header("content-type"), "text/x-opml; charset=utf-8");
    assert_eq!(
        header("content-disposition"),
        r#"attachment; filename="newsdesk-feeds.opml""#
    );
    let feeds = parse_opml(&response.text().await.unwrap()).unwrap();
    let categories: BTreeSet<(String, Option<String>)> = feeds
        .into_iter()
        .map(|feed| (feed.url, feed.category))
        .collect();
    assert_eq!(
        categories,
        BTreeSet::from([
            ("https://kubernetes.io/feed.xml".into(), Some("k8s".into())),
            (
                "https://github.com/cilium/cilium/releases.atom".into(),
                Some("k8s".into())
            ),
            ("https://hnrss.org/frontpage".into(), None),
        ])
    );
}

#[tokio::test]
async fn an_empty_feed_list_exports_a_file_that_imports_as_nothing() {
    let app = spawn_app().await;
    let response = app.client.get(app.url("/feeds.opml")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let document = response.text().await.unwrap();
    assert!(document.contains("<opml version=\"2.0\">"), "{document}");
    assert_eq!(parse_opml(&document).unwrap(), []);
    assert_eq!(import(&app.pool, &document).await.unwrap(), added(0));
}
