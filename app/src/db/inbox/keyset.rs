//! What every page and search of a view shares: its order, the keyset
//! cursor after which the next page starts, and the LIMIT.

use sqlx::{Postgres, QueryBuilder};

use crate::inbox::model::{Cursor, Sort};

/// A LIMIT written into a prepared statement, not bound: PostgreSQL
/// replans a prepared statement for every execution while its generic plan
/// looks costlier than the custom ones, and with an unknown LIMIT the
/// generic plan always does (planning the inbox statement cost as much as
/// running it). Page sizes are few, so the statements stay few.
pub(super) fn push_limit(sql: &mut QueryBuilder<'_, Postgres>, limit: i64) {
    sql.push(format!(" LIMIT {limit}"));
}

/// A full page may have more after it.
pub(super) fn next_cursor(count: usize, limit: i64, last: Option<Cursor>) -> Option<String> {
    (count as i64 == limit)
        .then(|| last.map(|cursor| cursor.encode()))
        .flatten()
}

pub(super) fn push_after(sql: &mut QueryBuilder<'_, Postgres>, sort: Sort, after: Option<Cursor>) {
    match (sort, after) {
        (Sort::Newest, Some(after)) => {
            sql.push(" AND (c.published_at, c.id) < (")
                .push_bind(after.published_at)
                .push(", ")
                .push_bind(after.id)
                .push(")");
        }
        (Sort::Votes, Some(after)) => {
            sql.push(" AND (c.votes, c.published_at, c.id) < (")
                .push_bind(after.votes.unwrap_or(0))
                .push(", ")
                .push_bind(after.published_at)
                .push(", ")
                .push_bind(after.id)
                .push(")");
        }
        (_, None) => {}
    }
}

/// The view's order over the rows named `table`.
pub(super) fn push_order(sql: &mut QueryBuilder<'_, Postgres>, sort: Sort, table: &str) {
    match sort {
        Sort::Newest => sql.push(format!(
            " ORDER BY {table}.published_at DESC, {table}.id DESC"
        )),
        Sort::Votes => sql.push(format!(
            " ORDER BY {table}.votes DESC, {table}.published_at DESC, {table}.id DESC"
        )),
    };
}
