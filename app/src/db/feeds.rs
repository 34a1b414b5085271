//! Queries on the `feeds` table.

use sqlx::PgPool;

use crate::model::Feed;

/// All feeds, titled ones alphabetically, then untitled ones by URL.
pub async fn list(pool: &PgPool) -> Result<Vec<Feed>, sqlx::Error> {
    sqlx::query_as!(
        Feed,
        r#"SELECT id, url, title, created_at FROM feeds
           ORDER BY lower(coalesce(title, url)), id"#
    )
    .fetch_all(pool)
    .await
}

/// Why a feed could not be inserted.
#[derive(Debug, thiserror::Error)]
pub enum InsertError {
    #[error("a feed with this URL already exists")]
    DuplicateUrl { existing: Feed },
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// Inserts a feed whose URL is already normalised. A concurrent insert of the
/// same URL is caught by the unique index, never by a prior SELECT alone.
pub async fn insert(pool: &PgPool, url: &str, title: Option<&str>) -> Result<Feed, InsertError> {
    let inserted = sqlx::query_as!(
        Feed,
        r#"INSERT INTO feeds (url, title) VALUES ($1, $2)
           ON CONFLICT (url) DO NOTHING
           RETURNING id, url, title, created_at"#,
        url,
        title
    )
    .fetch_optional(pool)
    .await?;
    match inserted {
        Some(feed) => Ok(feed),
        None => {
            let existing = sqlx::query_as!(
                Feed,
                "SELECT id, url, title, created_at FROM feeds WHERE url = $1",
                url
            )
            .fetch_one(pool)
            .await?;
            Err(InsertError::DuplicateUrl { existing })
        }
    }
}
