//! Queries behind OPML import and export: feeds with the fields an OPML
//! outline carries (URL, title, category, site URL).

use sqlx::{PgConnection, PgPool};

use crate::feeds::opml::OpmlFeed;

/// Inserts an imported feed whose URL is already normalised, unless a feed
/// with that URL exists. Returns whether it was inserted. The unique index
/// decides, so a concurrent add of the same URL cannot make a second row.
pub async fn insert_feed(
    connection: &mut PgConnection,
    feed: &OpmlFeed,
) -> Result<bool, sqlx::Error> {
    let inserted = sqlx::query_scalar!(
        r#"INSERT INTO feeds (url, title, category, site_url) VALUES ($1, $2, $3, $4)
           ON CONFLICT (url) DO NOTHING
           RETURNING id"#,
        feed.url,
        feed.title,
        feed.category,
        feed.site_url
    )
    .fetch_optional(connection)
    .await?;
    Ok(inserted.is_some())
}

/// Every feed, grouped by category (uncategorised first), then by name, so
/// that an export reads like the Feeds page.
pub async fn list_feeds(pool: &PgPool) -> Result<Vec<OpmlFeed>, sqlx::Error> {
    sqlx::query_as!(
        OpmlFeed,
        r#"SELECT url, title, category, site_url FROM feeds
           ORDER BY category NULLS FIRST, lower(coalesce(title, url)), id"#
    )
    .fetch_all(pool)
    .await
}
