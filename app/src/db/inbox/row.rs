//! The statement every inbox row is read with, its mapping, and rows by id
//! (for live updates).

use chrono::{DateTime, Utc};
use sqlx::{PgConnection, Postgres, QueryBuilder, Row};

use crate::{
    error::AppError,
    inbox::model::{
        CandidateSource, CandidateState, Covered, Cursor, InboxItem, NearDuplicate, PickInfo, Sort,
    },
};

/// Everything an inbox row shows, in one statement. Each signal is a
/// lookup per row, and the rarer ones (+1s, picks, coverage, hand-added,
/// near-duplicates) are guarded by a cheap test of the row itself or one
/// index probe, so that the common row with no signal runs no join: the
/// page's statement went from 0.8 to 0.4 ms that way. The feeds' tags come
/// with each source and are merged here (`item_from_row`), which saves a
/// second walk over the sources.
pub(super) const SELECT_ITEM: &str = r#"SELECT c.id, c.url, c.title, c.excerpt, c.categories, c.published_at,
       c.state, c.votes,
       (SELECT json_agg(json_build_array(f.id, coalesce(f.title, f.url), f.tags))
        FROM candidate_sources s JOIN feeds f ON f.id = s.feed_id
        WHERE s.candidate_id = c.id) AS sources,
       CASE WHEN c.added_by IS NOT NULL THEN
         (SELECT m.name FROM members m WHERE m.id = c.added_by) END AS added_by,
       CASE WHEN c.votes > 0 THEN
         (SELECT array_agg(m.name ORDER BY v.created_at)
          FROM candidate_votes v JOIN members m ON m.id = v.member_id
          WHERE v.candidate_id = c.id) END AS voters,
       CASE WHEN (SELECT true FROM picks p WHERE p.candidate_id = c.id LIMIT 1) THEN
         (SELECT json_build_object('issue_number', i.number, 'section', sec.title, 'by', m.name)
          FROM picks p JOIN issues i ON i.id = p.issue_id JOIN issue_sections sec ON sec.issue_id = p.issue_id AND sec.section_id = p.section_id
               LEFT JOIN members m ON m.id = p.brought_by
          WHERE p.candidate_id = c.id ORDER BY i.number DESC LIMIT 1) END AS picked,
       CASE WHEN (SELECT true FROM picks p WHERE p.url_key = c.url_key LIMIT 1) THEN
         (SELECT json_build_object('issue_number', i.number, 'issue_date', i.issue_date)
          FROM picks p JOIN issues i ON i.id = p.issue_id
          WHERE p.url_key = c.url_key AND i.state = 'published'
          ORDER BY i.number DESC LIMIT 1) END AS covered,
       CASE WHEN c.similar_to IS NOT NULL THEN
         (SELECT json_build_object('id', d.id, 'title', d.title)
          FROM candidates d WHERE d.id = c.similar_to) END AS similar,
       -- One primary-key lookup (an EXISTS would be planned as a hash of
       -- all the member's votes, built for every page).
       CASE WHEN c.votes > 0 THEN
         coalesce((SELECT true FROM candidate_votes v WHERE v.candidate_id = c.id AND v.member_id = "#;

/// Closes `SELECT_ITEM` after the member's id.
pub(super) const SELECT_ITEM_FROM: &str = "), false) ELSE false END AS me FROM candidates c";

pub(super) fn item_from_row(
    row: &sqlx::postgres::PgRow,
    sort: Sort,
) -> Result<(InboxItem, Cursor), AppError> {
    let picked = json::<PickInfo>(row, "picked")?;
    let state = if picked.is_some() {
        CandidateState::Picked
    } else {
        row.try_get("state")?
    };
    let votes: i32 = row.try_get("votes")?;
    let published_at: DateTime<Utc> = row.try_get("published_at")?;
    let id: i64 = row.try_get("id")?;
    let mut sources = json::<Vec<SourceRow>>(row, "sources")?.unwrap_or_default();
    sources.sort_unstable_by_key(|(feed_id, ..)| *feed_id);
    let mut tags: Vec<String> = sources
        .iter()
        .flat_map(|(.., tags)| tags.iter().cloned())
        .collect();
    tags.sort_unstable();
    tags.dedup();
    let item = InboxItem {
        id,
        url: row.try_get("url")?,
        title: row.try_get("title")?,
        excerpt: row.try_get("excerpt")?,
        categories: row.try_get("categories")?,
        tags,
        published_at,
        sources: sources
            .into_iter()
            .map(|(feed_id, feed_title, _)| CandidateSource {
                feed_id,
                feed_title,
            })
            .collect(),
        added_by: row.try_get("added_by")?,
        state,
        voters: row
            .try_get::<Option<Vec<String>>, _>("voters")?
            .unwrap_or_default(),
        voted_by_me: row.try_get("me")?,
        picked,
        covered: json::<Covered>(row, "covered")?,
        similar: json::<NearDuplicate>(row, "similar")?,
    };
    let cursor = Cursor {
        votes: (sort == Sort::Votes).then_some(votes),
        published_at,
        id,
    };
    Ok((item, cursor))
}

/// A source as `SELECT_ITEM` gives it: feed id, title and the feed's tags,
/// as a JSON array (PostgreSQL builds and sqlx reads arrays faster than
/// objects; sorting in the statement cost a sort per row).
type SourceRow = (i64, String, Vec<String>);

/// A JSON column read straight into its type.
fn json<T: serde::de::DeserializeOwned>(
    row: &sqlx::postgres::PgRow,
    column: &str,
) -> Result<Option<T>, AppError> {
    Ok(row
        .try_get::<Option<sqlx::types::Json<T>>, _>(column)?
        .map(|json| json.0))
}

/// The given candidates as the inbox shows them (for live updates).
pub async fn items(
    conn: &mut PgConnection,
    ids: &[i64],
    member_id: i64,
) -> Result<Vec<InboxItem>, AppError> {
    let mut sql = QueryBuilder::<Postgres>::new(SELECT_ITEM);
    sql.push_bind(member_id);
    sql.push(SELECT_ITEM_FROM)
        .push(" WHERE c.id = ANY(")
        .push_bind(ids)
        .push(") ORDER BY c.published_at DESC, c.id DESC");
    let rows = sql.build().fetch_all(conn).await?;
    rows.iter()
        .map(|row| item_from_row(row, Sort::Newest).map(|(item, _)| item))
        .collect()
}
