//! Queries behind OPML import and export: feeds with the fields an OPML
//! outline carries (URL, title, category, site URL).

use sqlx::{PgConnection, PgPool};

use crate::{
    feeds::opml::OpmlFeed,
    model::{ImportProgress, ImportStatus, ImportSummary},
};

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

pub async fn create_import(
    pool: &PgPool,
    id: uuid::Uuid,
    file_name: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO opml_imports (id, file_name) VALUES ($1, $2)",
        id,
        file_name
    )
    .execute(pool)
    .await?;
    Ok(())
}

pub async fn set_progress(
    pool: &PgPool,
    id: uuid::Uuid,
    progress: ImportProgress,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE opml_imports SET done = $2, total = $3 WHERE id = $1 AND finished_at IS NULL",
        id,
        progress.done as i32,
        progress.total as i32
    )
    .execute(pool)
    .await?;
    Ok(())
}

pub async fn finish_import(
    pool: &PgPool,
    id: uuid::Uuid,
    summary: Option<&ImportSummary>,
    error: Option<&str>,
) -> Result<(), sqlx::Error> {
    let summary = summary.map(|s| serde_json::to_value(s).expect("a summary serialises"));
    sqlx::query!(
        r#"UPDATE opml_imports SET summary = $2, error = $3, finished_at = now(),
                  done = CASE WHEN $2::jsonb IS NULL THEN done ELSE total END
           WHERE id = $1"#,
        id,
        summary,
        error
    )
    .execute(pool)
    .await?;
    Ok(())
}

pub async fn import_status(
    pool: &PgPool,
    id: uuid::Uuid,
) -> Result<Option<ImportStatus>, sqlx::Error> {
    let row = sqlx::query!(
        "SELECT file_name, done, total, summary, error FROM opml_imports WHERE id = $1",
        id
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|row| ImportStatus {
        file_name: row.file_name,
        progress: ImportProgress {
            done: row.done.max(0) as usize,
            total: row.total.max(0) as usize,
        },
        summary: row
            .summary
            .and_then(|value| serde_json::from_value(value).ok()),
        error: row.error,
    }))
}
