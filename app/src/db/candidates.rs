//! Queries on candidates: one candidate with its sources, and the title
//! keys near-duplicates are found by (the rule is `near_duplicates.rs`).
//! (The inbox's listing is in `inbox.rs`.)

use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool};

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

/// A stored candidate that shares a title key with a new one.
pub struct TitleKeyMatch {
    pub candidate_id: i64,
    pub other_id: i64,
    pub other_title: String,
}

/// Stores title keys (`(ids[i], keys[i])` pairs) of new candidates and
/// returns, per new candidate, the stored candidates sharing a key with it:
/// at most `per_key` per key, published within 7 days of it, none that
/// `feed_id` brought. New candidates do not see each other's keys (this
/// statement's own rows), which is right: they come from one feed.
pub async fn store_title_keys(
    conn: &mut PgConnection,
    feed_id: Option<i64>,
    ids: &[i64],
    keys: &[i64],
    per_key: i64,
) -> Result<Vec<TitleKeyMatch>, sqlx::Error> {
    // The LIMIT inside LATERAL keeps every lookup one short range scan of
    // the key index, whatever plan is cached.
    sqlx::query_as!(
        TitleKeyMatch,
        r#"WITH new AS (
               SELECT n.candidate_id, n.key, c.published_at
               FROM unnest($1::bigint[], $2::bigint[]) AS n(candidate_id, key)
               JOIN candidates c ON c.id = n.candidate_id
           ), stored AS (
               INSERT INTO candidate_title_keys (key, published_at, candidate_id)
               SELECT key, published_at, candidate_id FROM new
               ON CONFLICT DO NOTHING
           ), found AS (
               SELECT DISTINCT new.candidate_id, m.candidate_id AS other_id
               FROM new CROSS JOIN LATERAL (
                   SELECT k.candidate_id FROM candidate_title_keys k
                   WHERE k.key = new.key
                     AND k.published_at BETWEEN new.published_at - interval '7 days'
                                            AND new.published_at + interval '7 days'
                   ORDER BY k.published_at DESC LIMIT $4) m
           )
           SELECT found.candidate_id AS "candidate_id!", o.id AS "other_id!",
                  o.title AS "other_title!"
           FROM found JOIN candidates o ON o.id = found.other_id
           WHERE o.id <> found.candidate_id
             AND NOT EXISTS (SELECT 1 FROM candidate_sources s
                             WHERE s.feed_id = $3 AND s.candidate_id = o.id)"#,
        ids,
        keys,
        feed_id,
        per_key
    )
    .fetch_all(conn)
    .await
}

/// A stored candidate that shares a title key with entry number `entry`
/// (counted from 1) of a feed's batch.
pub struct EntryKeyMatch {
    pub entry: i32,
    pub other_id: i64,
    pub other_title: String,
}

/// A feed's entries before they are stored: `entry_keys`, `url_keys` and
/// `published` per entry; title keys as `(key_entries[i], keys[i])` pairs
/// (entry numbers counted from 1).
pub struct EntryKeys<'a> {
    pub entry_keys: &'a [&'a str],
    pub url_keys: &'a [Option<&'a str>],
    pub published: &'a [DateTime<Utc>],
    pub key_entries: &'a [i32],
    pub keys: &'a [i64],
}

/// For the entries of `feed_id` that are not stored yet (neither this
/// feed's nor another's link), the stored candidates sharing a title key
/// with them: at most `per_key` per key, published within 7 days of the
/// entry, none that `feed_id` brought. Entries already stored are skipped:
/// a feed fetched again mostly repeats itself.
pub async fn title_key_matches(
    conn: &mut PgConnection,
    feed_id: i64,
    batch: &EntryKeys<'_>,
    per_key: i64,
) -> Result<Vec<EntryKeyMatch>, sqlx::Error> {
    sqlx::query_as!(
        EntryKeyMatch,
        r#"WITH e AS (
               SELECT * FROM unnest($2::text[], $3::text[], $4::timestamptz[]) WITH ORDINALITY
                      AS e(key, url_key, published_at, n)
           ), fresh AS (
               SELECT e.n, e.published_at FROM e
               WHERE NOT EXISTS (SELECT 1 FROM candidate_sources s
                                 WHERE s.feed_id = $1 AND s.entry_key = e.key)
                 AND NOT EXISTS (SELECT 1 FROM candidates c
                                 WHERE e.url_key IS NOT NULL AND c.url_key = e.url_key)
           ), found AS (
               SELECT DISTINCT fresh.n, m.candidate_id AS other_id
               FROM unnest($5::integer[], $6::bigint[]) AS k(n, key)
               JOIN fresh ON fresh.n = k.n
               CROSS JOIN LATERAL (
                   SELECT t.candidate_id FROM candidate_title_keys t
                   WHERE t.key = k.key
                     AND t.published_at BETWEEN fresh.published_at - interval '7 days'
                                            AND fresh.published_at + interval '7 days'
                   ORDER BY t.published_at DESC LIMIT $7) m
           )
           SELECT found.n::integer AS "entry!", o.id AS "other_id!", o.title AS "other_title!"
           FROM found JOIN candidates o ON o.id = found.other_id
           WHERE NOT EXISTS (SELECT 1 FROM candidate_sources s
                             WHERE s.feed_id = $1 AND s.candidate_id = o.id)"#,
        feed_id,
        batch.entry_keys as &[&str],
        batch.url_keys as &[Option<&str>],
        batch.published,
        batch.key_entries,
        batch.keys,
        per_key
    )
    .fetch_all(conn)
    .await
}

/// Records near-duplicates: candidate `ids[i]` is like `others[i]`.
pub async fn set_similar_to(
    conn: &mut PgConnection,
    ids: &[i64],
    others: &[i64],
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        r#"UPDATE candidates c SET similar_to = u.other
           FROM unnest($1::bigint[], $2::bigint[]) AS u(id, other)
           WHERE c.id = u.id"#,
        ids,
        others
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// The candidates that name one of `ids` as their near-duplicate.
pub async fn near_duplicates_of(
    conn: &mut PgConnection,
    ids: &[i64],
) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar!("SELECT id FROM candidates WHERE similar_to = ANY($1)", ids)
        .fetch_all(conn)
        .await
}

/// Candidates published since `since` that have no title keys, after id
/// `after`, oldest id first: `(id, title)`.
pub async fn without_title_keys(
    pool: &PgPool,
    since: DateTime<Utc>,
    after: i64,
    limit: i64,
) -> Result<Vec<(i64, String)>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"SELECT c.id, c.title FROM candidates c
           WHERE c.published_at > $1 AND c.id > $2
             AND NOT EXISTS (SELECT 1 FROM candidate_title_keys k WHERE k.candidate_id = c.id)
           ORDER BY c.id LIMIT $3"#,
        since,
        after,
        limit
    )
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|row| (row.id, row.title)).collect())
}
