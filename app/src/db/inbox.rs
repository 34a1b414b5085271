//! The inbox query: candidates filtered, searched and sorted, a page at a
//! time with keyset pagination, each with the team's signals (state, +1s,
//! picks, "covered in #N", near-duplicates). The WHERE clause depends on the
//! filters, so it is built with `QueryBuilder`; every value is bound.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use sqlx::{PgConnection, PgPool, Postgres, QueryBuilder, Row};

use crate::{
    error::AppError,
    inbox::model::CandidateSource,
    inbox::model::{
        CandidateState, Covered, FilterChoices, InboxItem, InboxPage, InboxQuery, NearDuplicate,
        PickInfo, Sort, StateFilter,
    },
};

/// Where a page ended. Newest-first pages continue strictly after
/// (published_at, id); by-votes pages after (votes, published_at, id). Rows
/// arriving meanwhile therefore never shift a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    pub votes: Option<i32>,
    pub published_at: DateTime<Utc>,
    pub id: i64,
}

impl Cursor {
    pub fn encode(&self) -> String {
        let micros = self.published_at.timestamp_micros();
        match self.votes {
            Some(votes) => format!("v{votes}_{micros}_{}", self.id),
            None => format!("n{micros}_{}", self.id),
        }
    }

    pub fn decode(text: &str, sort: Sort) -> Result<Self, AppError> {
        let invalid = || AppError::BadRequest(format!("invalid page cursor {text:?}"));
        let parts: Vec<&str> = text.get(1..).ok_or_else(invalid)?.split('_').collect();
        let number = |s: &str| s.parse::<i64>().map_err(|_| invalid());
        let (votes, micros, id) = match (sort, text.as_bytes().first(), parts.as_slice()) {
            (Sort::Votes, Some(b'v'), [votes, micros, id]) => (
                Some(i32::try_from(number(votes)?).map_err(|_| invalid())?),
                number(micros)?,
                number(id)?,
            ),
            (Sort::Newest, Some(b'n'), [micros, id]) => (None, number(micros)?, number(id)?),
            _ => return Err(invalid()),
        };
        Ok(Self {
            votes,
            published_at: DateTime::from_timestamp_micros(micros).ok_or_else(invalid)?,
            id,
        })
    }
}

/// One page of the inbox as `member_id` sees it (for "+1 by me").
/// Its statements share one connection: each trip to the pool costs sqlx a
/// round trip to PostgreSQL (it pings a connection when it comes back).
pub async fn list(
    conn: &mut PgConnection,
    query: &InboxQuery,
    member_id: i64,
    limit: i64,
) -> Result<InboxPage, AppError> {
    let after = query
        .after
        .as_deref()
        .map(|cursor| Cursor::decode(cursor, query.sort))
        .transpose()?;
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
async fn search(
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

/// A LIMIT written into a prepared statement, not bound: PostgreSQL
/// replans a prepared statement for every execution while its generic plan
/// looks costlier than the custom ones, and with an unknown LIMIT the
/// generic plan always does (planning the inbox statement cost as much as
/// running it). Page sizes are few, so the statements stay few.
fn push_limit(sql: &mut QueryBuilder<'_, Postgres>, limit: i64) {
    sql.push(format!(" LIMIT {limit}"));
}

/// A full page may have more after it.
fn next_cursor(count: usize, limit: i64, last: Option<Cursor>) -> Option<String> {
    (count as i64 == limit)
        .then(|| last.map(|cursor| cursor.encode()))
        .flatten()
}

fn push_after(sql: &mut QueryBuilder<'_, Postgres>, sort: Sort, after: Option<Cursor>) {
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
fn push_order(sql: &mut QueryBuilder<'_, Postgres>, sort: Sort, table: &str) {
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

/// Everything an inbox row shows, in one statement. Each signal is a
/// lookup per row, and the rarer ones (+1s, picks, coverage, hand-added,
/// near-duplicates) are guarded by a cheap test of the row itself or one
/// index probe, so that the common row with no signal runs no join: the
/// page's statement went from 0.8 to 0.4 ms that way. The feeds' tags come
/// with each source and are merged here (`item_from_row`), which saves a
/// second walk over the sources.
const SELECT_ITEM: &str = r#"SELECT c.id, c.url, c.title, c.excerpt, c.categories, c.published_at,
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
const SELECT_ITEM_FROM: &str = "), false) ELSE false END AS me FROM candidates c";

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
enum Rows {
    /// About a page: "not picked" probes the picks index once per row.
    Page,
    /// A search's walk: "not picked" is checked against one hash of all
    /// picked ids (a few thousand at most), cheaper than thousands of
    /// index probes.
    Thousands,
}

/// The view's filters other than the search words.
fn push_view_filters(
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

/// Every word must appear in the title or excerpt (substring, any
/// script). `search_text` is their lower-case copy, with a trigram index.
fn push_words(sql: &mut QueryBuilder<'_, Postgres>, q: &str, table: &str) {
    for word in words(q) {
        sql.push(format!(" AND {table}.search_text LIKE "))
            .push_bind(format!("%{}%", escape_like(&word)));
    }
}

/// The words of a search, lower-case like `search_text`.
fn words(q: &str) -> Vec<String> {
    q.to_lowercase()
        .split_whitespace()
        .map(str::to_owned)
        .collect()
}

fn item_from_row(row: &sqlx::postgres::PgRow, sort: Sort) -> Result<(InboxItem, Cursor), AppError> {
    let picked = json::<PickInfo>(row, "picked")?;
    let state: String = row.try_get("state")?;
    let state = if picked.is_some() {
        CandidateState::Picked
    } else {
        CandidateState::parse(&state).unwrap_or(CandidateState::New)
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

/// `%`, `_` and `\` in user text match themselves.
pub fn escape_like(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

/// How many feeds the feed filter offers: the most active ones. (A
/// thousand `<option>`s would double the page; every feed's page links to
/// its inbox view instead.)
pub const FEED_CHOICES: i64 = 100;

/// What the filter menus offer: the most active feeds, the tags of feeds,
/// and the categories common among recent candidates (all of them would
/// mean reading every row).
pub async fn filter_choices(pool: &PgPool) -> Result<FilterChoices, AppError> {
    let feeds = sqlx::query!(
        r#"SELECT f.id, coalesce(f.title, f.url) AS "name!"
           FROM feeds f
           LEFT JOIN (SELECT feed_id, count(*) AS recent FROM candidate_sources
                      WHERE first_seen_at > now() - interval '30 days' GROUP BY feed_id) r
                  ON r.feed_id = f.id
           ORDER BY coalesce(r.recent, 0) DESC, f.id
           LIMIT $1"#,
        FEED_CHOICES
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|row| (row.id, row.name))
    .collect::<Vec<_>>();
    let mut feeds = feeds;
    feeds.sort_by_key(|(_, name)| name.to_lowercase());
    let tags =
        sqlx::query_scalar!(r#"SELECT DISTINCT t AS "t!" FROM feeds, unnest(tags) t ORDER BY 1"#)
            .fetch_all(pool)
            .await?;
    let categories = sqlx::query_scalar!(
        r#"SELECT category AS "category!" FROM (
               SELECT unnest(categories) AS category
               FROM (SELECT categories FROM candidates ORDER BY published_at DESC LIMIT 5000) recent
           ) c
           GROUP BY category ORDER BY count(*) DESC, category LIMIT 100"#
    )
    .fetch_all(pool)
    .await?;
    Ok(FilterChoices {
        feeds,
        categories,
        tags,
    })
}
