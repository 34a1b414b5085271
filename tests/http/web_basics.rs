//! Health, 404, security headers, compression and static asset caching.

use std::fs;

use crate::support::{spawn_app, spawn_app_with_site};

#[tokio::test]
async fn healthz_follows_the_database() {
    let app = spawn_app().await;
    let ok = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(ok.status(), 200);
    assert_eq!(ok.text().await.unwrap(), "ok\n");

    app.pool.close().await;
    let down = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(down.status(), 503);
}

#[tokio::test]
async fn unknown_paths_get_a_404_page_inside_the_layout() {
    let app = spawn_app().await;
    let response = app
        .client
        .get(app.url("/no/such/page"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
    let page = response.text().await.unwrap();
    assert!(page.contains("Page not found"));
    assert!(page.contains(r#"href="/feeds""#), "navigation is present");
}

#[tokio::test]
async fn the_issue_list_and_the_archive_render_on_the_server() {
    let app = spawn_app().await;
    let page = app.page("/edit").await;
    assert!(
        page.contains("Start the next issue") && !page.contains(r#"href="/edit/1""#),
        "a new newsletter offers to start its first draft: {page}"
    );
    assert_eq!(app.call("start_draft", &[]).await.status(), 200);
    let page = app.page("/edit").await;
    assert!(
        page.contains(r#"href="/edit/1""#) && !page.contains("Start the next issue"),
        "the draft is listed: {page}"
    );
    let response = app.anonymous.get(app.url("/issues")).send().await.unwrap();
    assert_eq!(response.status(), 200, "the archive is public");
    let page = response.text().await.unwrap();
    assert!(page.contains("Nothing published yet."), "{page}");
    assert!(page.contains(r#"href="/feed.atom""#), "{page}");
}

#[tokio::test]
async fn pages_carry_a_csp_whose_nonce_their_scripts_use() {
    let app = spawn_app().await;
    let nonce_of = |csp: &str| {
        csp.split("'nonce-")
            .nth(1)
            .and_then(|rest| rest.split('\'').next())
            .expect("CSP has a nonce")
            .to_owned()
    };
    let first = app.client.get(app.url("/feeds")).send().await.unwrap();
    let csp = first.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(csp.contains("default-src 'self'"));
    assert!(csp.contains("object-src 'none'"));
    assert!(!csp.contains("unsafe-inline"));
    assert_eq!(first.headers()["x-content-type-options"], "nosniff");
    assert_eq!(first.headers()["x-frame-options"], "DENY");
    let nonce = nonce_of(&csp);
    let page = first.text().await.unwrap();
    let scripts = page.matches("<script").count();
    assert!(scripts >= 1);
    assert_eq!(
        page.matches(&format!(r#"nonce="{nonce}""#)).count(),
        scripts,
        "every script tag carries this response's nonce"
    );

    let second = app.client.get(app.url("/feeds")).send().await.unwrap();
    let second_csp = second.headers()["content-security-policy"]
        .to_str()
        .unwrap();
    assert_ne!(nonce_of(second_csp), nonce, "a fresh nonce per response");
}

#[tokio::test]
async fn responses_are_compressed_when_the_client_accepts_it() {
    let app = spawn_app().await;
    // A client that does not decode, so the encoding stays visible.
    let raw = reqwest::Client::builder().no_gzip().build().unwrap();
    let response = raw
        .get(app.url("/feeds"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["content-encoding"], "gzip");
    let body = response.bytes().await.unwrap();
    assert_eq!(&body[..2], &[0x1f, 0x8b], "gzip magic bytes");
}

#[tokio::test]
async fn a_build_in_a_hashed_folder_is_referenced_by_pages_and_served_with_brotli() {
    let site = tempdir("site-folder");
    let folder = site.join("pkg/newsdesk-0123456789abcdef");
    fs::create_dir_all(&folder).unwrap();
    fs::write(
        site.join("manifest.json"),
        r#"{"output_name": "newsdesk", "pkg_dir": "pkg/newsdesk-0123456789abcdef"}"#,
    )
    .unwrap();
    fs::write(folder.join("newsdesk.css"), "body{}").unwrap();
    // "body{}", brotli-compressed (as scripts/build-site.sh stores it).
    fs::write(
        folder.join("newsdesk.css.br"),
        [139, 2, 128, 98, 111, 100, 121, 123, 125, 3],
    )
    .unwrap();
    let app = spawn_app_with_site(site.clone()).await;

    let page = app.page("/feeds").await;
    assert!(page.contains(r#"href="/pkg/newsdesk-0123456789abcdef/newsdesk.css""#));
    assert!(page.contains("/pkg/newsdesk-0123456789abcdef/newsdesk.js"));

    let raw = reqwest::Client::builder().no_brotli().build().unwrap();
    let css = raw
        .get(app.url("/pkg/newsdesk-0123456789abcdef/newsdesk.css"))
        .header("accept-encoding", "gzip, deflate, br")
        .send()
        .await
        .unwrap();
    assert_eq!(css.status(), 200);
    assert_eq!(css.headers()["content-encoding"], "br");
    assert_eq!(
        css.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
}

#[tokio::test]
async fn a_manifest_naming_a_folder_outside_pkg_is_not_used() {
    let site = tempdir("site-outside");
    fs::write(
        site.join("manifest.json"),
        r#"{"output_name": "newsdesk", "pkg_dir": "pkg/../../etc"}"#,
    )
    .unwrap();
    let app = spawn_app_with_site(site.clone()).await;
    let page = app.page("/feeds").await;
    assert!(!page.contains("etc/newsdesk"), "{page}");
    assert!(page.contains("/pkg/newsdesk-unbuilt.css"));
}

#[tokio::test]
async fn hashed_assets_are_cached_forever_and_referenced_by_pages() {
    let site = tempdir("site");
    fs::create_dir_all(site.join("pkg")).unwrap();
    fs::write(
        site.join("manifest.json"),
        r#"{"output_name": "newsdesk-0123456789abcdef"}"#,
    )
    .unwrap();
    fs::write(site.join("pkg/newsdesk-0123456789abcdef.css"), "body{}").unwrap();
    let app = spawn_app_with_site(site.clone()).await;

    let page = app.page("/feeds").await;
    assert!(page.contains(r#"href="/pkg/newsdesk-0123456789abcdef.css""#));
    assert!(page.contains("/pkg/newsdesk-0123456789abcdef.js"));
    assert!(page.contains("newsdesk-0123456789abcdef_bg"));

    let css = app
        .client
        .get(app.url("/pkg/newsdesk-0123456789abcdef.css"))
        .send()
        .await
        .unwrap();
    assert_eq!(css.status(), 200);
    assert_eq!(
        css.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert!(css.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/css"));

    let missing = app
        .client
        .get(app.url("/pkg/nope.js"))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
    assert!(
        missing.headers().get("cache-control").is_none(),
        "404s are not cached forever"
    );
    fs::remove_dir_all(site).unwrap();
}

fn tempdir(label: &str) -> std::path::PathBuf {
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("{label}-{}", uuid::Uuid::new_v4().simple()));
    fs::create_dir_all(&dir).unwrap();
    dir
}

#[tokio::test]
async fn metrics_count_feed_refreshes() {
    use crate::fixtures::{item, rss, FeedServer};
    let app = spawn_app().await;
    let server = FeedServer::start().await;
    server.set_feed("m", rss("M", &[item("m", "M", "https://example.com/m")]));
    let url = server.url("/feed/m");
    let added: serde_json::Value = app
        .call(
            "add_feed",
            &[("url", url.as_str()), ("title", ""), ("exact", "true")],
        )
        .await
        .json()
        .await
        .unwrap();
    let id = added["Added"]["id"].to_string();
    let count_of = |text: &str| -> f64 {
        text.lines()
            .find(|line| line.starts_with("newsdesk_feed_refreshes_total{outcome=\"fetched\"}"))
            .and_then(|line| line.rsplit(' ').next())
            .and_then(|n| n.parse().ok())
            .unwrap_or(0.0)
    };
    let before = count_of(&app.page("/metrics").await);
    assert_eq!(
        app.call("refresh_feed", &[("id", id.as_str())])
            .await
            .status(),
        200
    );
    let response = app.client.get(app.url("/metrics")).send().await.unwrap();
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/plain"));
    let text = response.text().await.unwrap();
    // Other tests in this process refresh feeds too: at least one more.
    assert!(count_of(&text) >= before + 1.0, "{text}");
    assert!(text.contains("newsdesk_feed_fetch_seconds_bucket"));
}
