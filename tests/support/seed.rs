//! Rows written straight into the database, for tests that need a shape
//! of data faster than the API makes it: candidates, feeds, their links.

use chrono::{DateTime, Utc};
use sqlx::PgPool;

/// Inserts a candidate with a unique link; returns its id.
pub async fn insert_candidate(
    pool: &PgPool,
    title: &str,
    excerpt: &str,
    published_at: DateTime<Utc>,
) -> i64 {
    let slug = uuid::Uuid::new_v4().simple().to_string();
    sqlx::query_scalar(
        "INSERT INTO candidates (url, url_key, title, excerpt, published_at)
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(format!("https://example.com/{slug}"))
    .bind(format!("//example.com/{slug}"))
    .bind(title)
    .bind(excerpt)
    .bind(published_at)
    .fetch_one(pool)
    .await
    .expect("candidate inserted")
}

/// Inserts a candidate with the given id (the sequence is not used).
pub async fn insert_candidate_with_id(pool: &PgPool, id: i64, published_at: DateTime<Utc>) {
    sqlx::query(
        "INSERT INTO candidates (id, url, url_key, title, published_at)
         OVERRIDING SYSTEM VALUE VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(id)
    .bind(format!("https://example.com/row/{id}"))
    .bind(format!("//example.com/row/{id}"))
    .bind(format!("Row {id}"))
    .bind(published_at)
    .execute(pool)
    .await
    .expect("candidate inserted");
}

pub async fn insert_feed(pool: &PgPool, title: &str, tags: &[&str]) -> i64 {
    let tags: Vec<String> = tags.iter().map(|tag| (*tag).to_owned()).collect();
    sqlx::query_scalar("INSERT INTO feeds (url, title, tags) VALUES ($1, $2, $3) RETURNING id")
        .bind(format!(
            "https://{}.example.com/feed.xml",
            uuid::Uuid::new_v4().simple()
        ))
        .bind(title)
        .bind(tags)
        .fetch_one(pool)
        .await
        .expect("feed inserted")
}

pub async fn add_source(pool: &PgPool, feed_id: i64, candidate_id: i64) {
    sqlx::query(
        "INSERT INTO candidate_sources (feed_id, entry_key, candidate_id, content_hash)
         VALUES ($1, $2, $3, '')",
    )
    .bind(feed_id)
    .bind(format!("entry-{candidate_id}"))
    .bind(candidate_id)
    .execute(pool)
    .await
    .expect("source linked");
}

/// Makes the database refuse each row of `when` (such as `BEFORE UPDATE ON
/// pick_notes`) with an error saying `message`, the way a sick database
/// fails a step in the middle of a transaction. The trigger and its
/// function are both called `name`.
pub async fn refuse(pool: &PgPool, name: &str, when: &str, message: &str) {
    let sql = format!(
        "CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN RAISE EXCEPTION '{message}'; END $$;
         CREATE TRIGGER {name} {when}
             FOR EACH ROW EXECUTE FUNCTION {name}();"
    );
    sqlx::raw_sql(&sql)
        .execute(pool)
        .await
        .expect("trigger created");
}
