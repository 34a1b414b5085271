//! The view's conditions: state, feed, tag, category, dates, +1s, words.

use chrono::{NaiveDate, NaiveTime};
use sqlx::{Postgres, QueryBuilder};

use crate::inbox::model::{InboxQuery, StateFilter};

/// The view's filters and its search words.
pub(crate) fn push_filters(
    sql: &mut QueryBuilder<'_, Postgres>,
    query: &InboxQuery,
    member_id: i64,
) {
    push_view_filters(sql, query, member_id, Rows::Page);
    push_words(sql, &query.q, "c");
}

/// How many rows a statement is expected to test against the filters.
#[derive(Clone, Copy)]
pub(super) enum Rows {
    /// About a page: "not picked" probes the picks index once per row.
    Page,
    /// A search's walk: "not picked" is checked against one hash of all
    /// picked ids (a few thousand at most), cheaper than thousands of
    /// index probes.
    Thousands,
}

/// The view's filters other than the search words.
pub(super) fn push_view_filters(
    sql: &mut QueryBuilder<'_, Postgres>,
    query: &InboxQuery,
    member_id: i64,
    rows: Rows,
) {
    let picked = "EXISTS (SELECT 1 FROM picks p WHERE p.candidate_id = c.id)";
    let not_picked = match rows {
        Rows::Page => "NOT EXISTS (SELECT 1 FROM picks p WHERE p.candidate_id = c.id)",
        Rows::Thousands => {
            "c.id NOT IN (SELECT p.candidate_id FROM picks p WHERE p.candidate_id IS NOT NULL)"
        }
    };
    match query.state {
        StateFilter::Open => {
            sql.push(" AND c.state IN ('new', 'seen') AND ")
                .push(not_picked);
        }
        StateFilter::New | StateFilter::Seen | StateFilter::Dismissed => {
            sql.push(" AND c.state = ")
                .push_bind(query.state.as_str())
                .push(" AND ")
                .push(not_picked);
        }
        StateFilter::Picked => {
            sql.push(" AND ").push(picked);
        }
        StateFilter::All => {}
    }
    if let Some(feed) = query.feed {
        sql.push(" AND EXISTS (SELECT 1 FROM candidate_sources s WHERE s.candidate_id = c.id AND s.feed_id = ")
            .push_bind(feed)
            .push(")");
    }
    if !query.category.is_empty() {
        sql.push(" AND c.categories @> ARRAY[")
            .push_bind(query.category.clone())
            .push("]::text[]");
    }
    if !query.tag.is_empty() {
        sql.push(
            " AND EXISTS (SELECT 1 FROM candidate_sources s JOIN feeds f ON f.id = s.feed_id \
             WHERE s.candidate_id = c.id AND ",
        )
        .push_bind(query.tag.clone())
        .push(" = ANY (f.tags))");
    }
    if let Some(from) = query.from {
        sql.push(" AND c.published_at >= ")
            .push_bind(from.and_time(NaiveTime::MIN).and_utc());
    }
    if let Some(to) = query.to {
        let end = to.succ_opt().unwrap_or(NaiveDate::MAX);
        sql.push(" AND c.published_at < ")
            .push_bind(end.and_time(NaiveTime::MIN).and_utc());
    }
    if query.mine {
        sql.push(" AND EXISTS (SELECT 1 FROM candidate_votes v WHERE v.candidate_id = c.id AND v.member_id = ")
            .push_bind(member_id)
            .push(")");
    }
    if query.voted {
        sql.push(" AND c.votes > 0");
    }
}

/// `%`, `_` and `\` in user text match themselves.
pub fn escape_like(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

/// Every word must appear in the title or excerpt (substring, any
/// script). `search_text` is their lower-case copy, with a trigram index.
pub(super) fn push_words(sql: &mut QueryBuilder<'_, Postgres>, q: &str, table: &str) {
    for word in words(q) {
        sql.push(format!(" AND {table}.search_text LIKE "))
            .push_bind(format!("%{}%", escape_like(&word)));
    }
}

/// The words of a search, lower-case like `search_text`.
pub(super) fn words(q: &str) -> Vec<String> {
    q.to_lowercase()
        .split_whitespace()
        .map(str::to_owned)
        .collect()
}
