//! Queries on candidates: listing newest first with keyset pagination, and
//! one candidate with its sources.

use chrono::{DateTime, Utc};
use sqlx::PgPool;

use crate::model::{Candidate, CandidateSource};

/// Where a page ends: the next page starts strictly after this
/// (published_at, id), so rows arriving meanwhile never shift pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    pub published_at: DateTime<Utc>,
    pub id: i64,
}

#[derive(Debug, Clone, Default)]
pub struct CandidateFilter {
    pub feed_id: Option<i64>,
    pub category: Option<String>,
    /// Case-insensitive substring of title or excerpt (works for CJK too).
    pub text: Option<String>,
    pub since: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
}

pub async fn list(
    pool: &PgPool,
    filter: &CandidateFilter,
    after: Option<Cursor>,
    limit: i64,
) -> Result<Vec<Candidate>, sqlx::Error> {
    let pattern = filter
        .text
        .as_ref()
        .map(|text| format!("%{}%", escape_like(text)));
    let rows = sqlx::query_as!(
        CandidateRow,
        r#"SELECT c.id, c.url, c.title, c.summary_html, c.excerpt, c.author, c.categories,
                  c.published_at, c.first_seen_at,
                  coalesce((SELECT json_agg(json_build_object('feed_id', f.id, 'feed_title', coalesce(f.title, f.url))
                                            ORDER BY f.id)
                            FROM candidate_sources s JOIN feeds f ON f.id = s.feed_id
                            WHERE s.candidate_id = c.id), '[]'::json) AS "sources!"
           FROM candidates c
           WHERE ($1::bigint IS NULL OR EXISTS (SELECT 1 FROM candidate_sources s
                                                WHERE s.candidate_id = c.id AND s.feed_id = $1))
             AND ($2::text IS NULL OR $2 = ANY (c.categories))
             AND ($3::text IS NULL OR c.title ILIKE $3 OR c.excerpt ILIKE $3)
             AND ($4::timestamptz IS NULL OR c.published_at >= $4)
             AND ($5::timestamptz IS NULL OR c.published_at < $5)
             AND ($6::timestamptz IS NULL OR (c.published_at, c.id) < ($6, $7))
           ORDER BY c.published_at DESC, c.id DESC
           LIMIT $8"#,
        filter.feed_id,
        filter.category,
        pattern,
        filter.since,
        filter.until,
        after.map(|cursor| cursor.published_at),
        after.map(|cursor| cursor.id).unwrap_or(0),
        limit
    )
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(Candidate::from).collect())
}

pub async fn get(pool: &PgPool, id: i64) -> Result<Option<Candidate>, sqlx::Error> {
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

/// `%`, `_` and `\` in user text match themselves.
fn escape_like(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}
