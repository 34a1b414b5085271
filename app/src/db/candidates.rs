//! Queries on candidates: one candidate with its sources. (The inbox's
//! listing is in `inbox.rs`.)

use chrono::{DateTime, Utc};
use sqlx::PgPool;

use crate::{
    error::AppError,
    inbox::model::{Candidate, CandidateSource},
};

pub async fn get(pool: &PgPool, id: i64) -> Result<Option<Candidate>, AppError> {
    let row = sqlx::query_as!(
        CandidateRow,
        r#"SELECT c.id, c.url, c.title, c.summary_html, c.excerpt, c.author, c.categories,
                  c.published_at, c.first_seen_at,
                  coalesce((SELECT json_agg(json_build_object('feed_id', f.id, 'feed_title', coalesce(f.title, f.url))
                                            ORDER BY f.id)
                            FROM candidate_sources s JOIN feeds f ON f.id = s.feed_id
                            WHERE s.candidate_id = c.id), '[]'::json) AS "sources!"
           FROM candidates c WHERE c.id = $1"#,
        id
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(Candidate::from))
}

/// A candidate as selected, its sources still as JSON.
struct CandidateRow {
    id: i64,
    url: Option<String>,
    title: String,
    summary_html: String,
    excerpt: String,
    author: Option<String>,
    categories: Vec<String>,
    published_at: DateTime<Utc>,
    first_seen_at: DateTime<Utc>,
    sources: serde_json::Value,
}

impl From<CandidateRow> for Candidate {
    fn from(row: CandidateRow) -> Self {
        Self {
            id: row.id,
            url: row.url,
            title: row.title,
            summary_html: row.summary_html,
            excerpt: row.excerpt,
            author: row.author,
            categories: row.categories,
            published_at: row.published_at,
            first_seen_at: row.first_seen_at,
            sources: serde_json::from_value::<Vec<CandidateSource>>(row.sources)
                .unwrap_or_default(),
        }
    }
}
