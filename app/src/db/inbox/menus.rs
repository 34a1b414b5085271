//! What the filter menus offer.

use sqlx::PgPool;

use crate::{error::AppError, inbox::model::FilterChoices};

/// How many feeds the feed filter offers: the most active ones. (A
/// thousand `<option>`s would double the page; every feed's page links to
/// its inbox view instead.)
pub const FEED_CHOICES: i64 = 100;

/// What the filter menus offer: the most active feeds, the tags of feeds,
/// and the categories common among recent candidates (all of them would
/// mean reading every row).
pub async fn filter_choices(pool: &PgPool) -> Result<FilterChoices, AppError> {
    let feeds = sqlx::query!(
        r#"SELECT f.id, coalesce(f.title, f.url) AS "name!"
           FROM feeds f
           LEFT JOIN (SELECT feed_id, count(*) AS recent FROM candidate_sources
                      WHERE first_seen_at > now() - interval '30 days' GROUP BY feed_id) r
                  ON r.feed_id = f.id
           ORDER BY coalesce(r.recent, 0) DESC, f.id
           LIMIT $1"#,
        FEED_CHOICES
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|row| (row.id, row.name))
    .collect::<Vec<_>>();
    let mut feeds = feeds;
    feeds.sort_by_key(|(_, name)| name.to_lowercase());
    let tags =
        sqlx::query_scalar!(r#"SELECT DISTINCT t AS "t!" FROM feeds, unnest(tags) t ORDER BY 1"#)
            .fetch_all(pool)
            .await?;
    let categories = sqlx::query_scalar!(
        r#"SELECT category AS "category!" FROM (
               SELECT unnest(categories) AS category
               FROM (SELECT categories FROM candidates ORDER BY published_at DESC LIMIT 5000) recent
           ) c
           GROUP BY category ORDER BY count(*) DESC, category LIMIT 100"#
    )
    .fetch_all(pool)
    .await?;
    Ok(FilterChoices {
        feeds,
        categories,
        tags,
    })
}
