//! A page of a view, in keyset pagination, and rows by id for live updates.

use sqlx::{PgConnection, Postgres, QueryBuilder};

use super::{
    filters::{push_view_filters, Rows},
    row::{item_from_row, SELECT_ITEM, SELECT_ITEM_FROM},
    search::search,
};
use crate::{
    error::AppError,
    inbox::model::{Cursor, InboxItem, InboxPage, InboxQuery, Sort},
};

/// One page of the inbox as `member_id` sees it (for "+1 by me").
/// Its statements share one connection: each trip to the pool costs sqlx a
/// round trip to PostgreSQL (it pings a connection when it comes back).
pub async fn list(
    conn: &mut PgConnection,
    query: &InboxQuery,
    after: Option<Cursor>,
    member_id: i64,
    limit: i64,
) -> Result<InboxPage, AppError> {
    if query.q.split_whitespace().next().is_some() {
        return search(conn, query, member_id, after, limit).await;
    }
    let mut sql = QueryBuilder::<Postgres>::new(SELECT_ITEM);
    sql.push_bind(member_id);
    sql.push(SELECT_ITEM_FROM).push(" WHERE true");
    push_view_filters(&mut sql, query, member_id, Rows::Page);
    push_after(&mut sql, query.sort, after);
    push_order(&mut sql, query.sort, "c");
    push_limit(&mut sql, limit);
    // Without words the plan does not depend on the values, and planning
    // this statement costs as much as running it: keep it prepared.
    let rows = sql.build().persistent(true).fetch_all(conn).await?;
    let mut items = Vec::with_capacity(rows.len());
    let mut last = None;
    for row in &rows {
        let (item, cursor) = item_from_row(row, query.sort)?;
        last = Some(cursor);
        items.push(item);
    }
    Ok(InboxPage {
        next: next_cursor(items.len(), limit, last),
        items,
    })
}

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
