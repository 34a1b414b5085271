//! A page of a view, in keyset pagination.

use sqlx::{PgConnection, Postgres, QueryBuilder};

use super::{
    filters::{push_view_filters, Rows},
    keyset::{next_cursor, push_after, push_limit, push_order},
    row::{item_from_row, SELECT_ITEM, SELECT_ITEM_FROM},
    search::search,
};
use crate::{
    error::AppError,
    inbox::model::{Cursor, InboxPage, InboxQuery},
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
