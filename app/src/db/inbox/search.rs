//! Searching a view for words.

use chrono::{DateTime, Utc};
use sqlx::{PgConnection, Postgres, QueryBuilder};

use super::{
    filters::{push_view_filters, push_words, words, Rows},
    keyset::{next_cursor, push_after, push_limit, push_order},
    row::items,
};
use crate::{
    error::AppError,
    inbox::model::{Cursor, InboxPage, InboxQuery, Sort},
};

/// How many of a view's rows a search reads in the view's order before it
/// asks the trigram index instead.
const SEARCH_WINDOW: i64 = 5000;

/// A search finds the page's ids first, then reads their rows with the
/// prepared item statement.
///
/// The ids come from a walk of the view's newest rows (in its own index
/// order) with a budget, checking each row's words: a common word or pair
/// fills a page within a few hundred rows. Only when the budget runs out is
/// the search planned for its words, and then the trigram index wins,
/// because the words are rare. Leaving the choice to the planner alone
/// went wrong for several words: it multiplies their selectivities as if
/// independent, expects a few matches where there are thousands, and reads
/// them all through the trigram index (tens of milliseconds).
pub(super) async fn search(
    conn: &mut PgConnection,
    query: &InboxQuery,
    member_id: i64,
    after: Option<Cursor>,
    limit: i64,
) -> Result<InboxPage, AppError> {
    // By votes there is no index order to walk (most rows have none).
    let mut hits = match query.sort {
        Sort::Newest => walk_newest(conn, query, member_id, after, limit).await?,
        Sort::Votes => Vec::new(),
    };
    if (hits.len() as i64) < limit {
        // Rare words (or a short view): every match, planned for the words
        // each time, since a cached generic plan cannot know how selective
        // they are (two-character Japanese words have no trigram at all).
        let mut full = QueryBuilder::<Postgres>::new(
            "SELECT c.id, c.published_at, c.votes FROM candidates c WHERE true",
        );
        push_view_filters(&mut full, query, member_id, Rows::Thousands);
        push_words(&mut full, &query.q, "c");
        push_after(&mut full, query.sort, after);
        push_order(&mut full, query.sort, "c");
        full.push(" LIMIT ").push_bind(limit);
        hits = full
            .build_query_as()
            .persistent(false)
            .fetch_all(&mut *conn)
            .await?;
    }
    let ids: Vec<i64> = hits.iter().map(|(id, ..)| *id).collect();
    let mut found = items(conn, &ids, member_id).await?;
    // The rows come back newest first; the page keeps the search's order.
    found.sort_by_key(|item| ids.iter().position(|id| *id == item.id));
    let last = hits.last().map(|(id, published_at, votes)| Cursor {
        votes: (query.sort == Sort::Votes).then_some(*votes),
        published_at: *published_at,
        id: *id,
    });
    Ok(InboxPage {
        next: next_cursor(hits.len(), limit, last),
        items: found,
    })
}

/// The first `limit` matches among the view's `SEARCH_WINDOW` newest rows
/// after the cursor: `(id, published_at, votes)`. The walk reads only the
/// covering date index, and its plan does not depend on the words, so the
/// statement stays prepared.
async fn walk_newest(
    conn: &mut PgConnection,
    query: &InboxQuery,
    member_id: i64,
    after: Option<Cursor>,
    limit: i64,
) -> Result<Vec<(i64, DateTime<Utc>, i32)>, AppError> {
    let mut walk = QueryBuilder::<Postgres>::new(
        "SELECT w.id, w.published_at, w.votes FROM (SELECT c.id, c.published_at, c.votes, c.search_text \
         FROM candidates c WHERE true",
    );
    push_view_filters(&mut walk, query, member_id, Rows::Thousands);
    push_after(&mut walk, Sort::Newest, after);
    push_order(&mut walk, Sort::Newest, "c");
    push_limit(&mut walk, SEARCH_WINDOW);
    walk.push(") w WHERE true");
    // The walk tests each row itself, so it needs no index, and `strpos`
    // finds a word in a third less time than LIKE's pattern matcher does
    // on Japanese text.
    for word in words(&query.q) {
        walk.push(" AND strpos(w.search_text, ")
            .push_bind(word)
            .push(") > 0");
    }
    push_order(&mut walk, Sort::Newest, "w");
    push_limit(&mut walk, limit);
    Ok(walk.build_query_as().fetch_all(conn).await?)
}
