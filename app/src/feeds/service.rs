//! Adding feeds: validation, then storage, with duplicates reported on the
//! URL field.

use sqlx::PgPool;

use super::validate::validate_new_feed;
use crate::{db::feeds::InsertError, error::AppError, model::Feed};

pub async fn add_feed(pool: &PgPool, url: &str, title: &str) -> Result<Feed, AppError> {
    let new_feed = validate_new_feed(url, title)?;
    match crate::db::feeds::insert(pool, &new_feed.url, new_feed.title.as_deref()).await {
        Ok(feed) => {
            tracing::info!(feed_id = feed.id, url = %feed.url, "feed added");
            Ok(feed)
        }
        Err(InsertError::DuplicateUrl { existing }) => Err(AppError::invalid(
            "url",
            format!(
                "This feed is already in the list as “{}”.",
                existing.display_name()
            ),
        )),
        Err(InsertError::Database(cause)) => Err(cause.into()),
    }
}
