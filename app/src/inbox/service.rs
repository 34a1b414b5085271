//! Inbox logic behind the server functions and the JSON API: input checks,
//! then the queries in `crate::db::{inbox, triage}`.

use sqlx::{PgConnection, PgPool};

use super::{
    AddedLink, CandidateState, Cursor, DraftInfo, FilterChoices, InboxItem, InboxPage, InboxQuery,
    InboxStart, PageInfo,
};
use crate::{
    accounts::Member,
    db::{inbox, triage},
    error::AppError,
    i18n::td_string,
    lang,
    state::{reword_refusal, AppState},
};

pub const PAGE_SIZE: i64 = 50;
/// How long the filter menus are reused before being read again.
const CHOICES_FOR: std::time::Duration = std::time::Duration::from_secs(60);
/// Bulk actions beyond this are refused (the UI never sends more).
const MAX_IDS: usize = 1000;

/// `limit` rows of a view (the pages load `PAGE_SIZE`).
pub async fn page(
    pool: &PgPool,
    query: &InboxQuery,
    member: &Member,
    limit: i64,
) -> Result<InboxPage, AppError> {
    let after = cursor(query)?;
    inbox::list(&mut *pool.acquire().await?, query, after, member.id, limit).await
}

/// Where the page asked for begins.
fn cursor(query: &InboxQuery) -> Result<Option<Cursor>, AppError> {
    query
        .after
        .as_deref()
        .map(|text| {
            Cursor::decode(text, query.sort)
                .ok_or_else(|| AppError::BadRequest(format!("invalid page cursor {text:?}")))
        })
        .transpose()
}

/// The inbox page's first render, on one connection: every trip to the
/// pool costs a round trip to PostgreSQL (sqlx pings a returned
/// connection), and this runs for every inbox view.
pub async fn start(
    pool: &PgPool,
    query: &InboxQuery,
    member: &Member,
) -> Result<InboxStart, AppError> {
    let mut conn = pool.acquire().await?;
    let after = cursor(query)?;
    let page = inbox::list(&mut conn, query, after, member.id, PAGE_SIZE).await?;
    let draft = draft_info(&mut conn).await?;
    Ok(InboxStart { page, draft })
}

/// The issue picks go into and the sections to pick into: the current
/// draft and its sections, or the one a first pick will create with the
/// default sections (reading creates nothing).
async fn draft_info(conn: &mut PgConnection) -> Result<DraftInfo, AppError> {
    let (draft, sections) = triage::current_draft(&mut *conn).await?;
    let (issue_number, issue_date) = match draft {
        Some(draft) => draft,
        None => crate::editor::drafts::next_after_last(conn).await?,
    };
    Ok(DraftInfo {
        issue_number,
        issue_date,
        sections,
    })
}

/// The filter menus, from the cache when fresh.
pub async fn filter_choices(state: &AppState) -> Result<FilterChoices, AppError> {
    let cached = state
        .caches
        .filter_choices
        .lock()
        .ok()
        .and_then(|cache| cache.clone())
        .filter(|(at, _)| at.elapsed() < CHOICES_FOR);
    if let Some((_, choices)) = cached {
        return Ok(choices);
    }
    let choices = inbox::filter_choices(&state.pool).await?;
    if let Ok(mut cache) = state.caches.filter_choices.lock() {
        *cache = Some((std::time::Instant::now(), choices.clone()));
    }
    Ok(choices)
}

pub async fn items(
    pool: &PgPool,
    ids: &[i64],
    member: &Member,
) -> Result<Vec<InboxItem>, AppError> {
    check_ids(ids)?;
    inbox::items(&mut *pool.acquire().await?, ids, member.id).await
}

/// Sets `state` (new, seen or dismissed) on candidates; returns each changed
/// candidate with its previous state, for undo.
pub async fn change_state(
    pool: &PgPool,
    ids: &[i64],
    state: &str,
    member: &Member,
) -> Result<Vec<(i64, CandidateState)>, AppError> {
    check_ids(ids)?;
    let state = match CandidateState::parse(state.trim()) {
        Some(state @ (CandidateState::New | CandidateState::Seen | CandidateState::Dismissed)) => {
            state
        }
        _ => {
            return Err(AppError::invalid(
                "state",
                td_string!(lang::current(), inbox.error_state),
            ))
        }
    };
    triage::set_state(pool, ids, state, member.id).await
}

pub async fn vote(
    pool: &PgPool,
    ids: &[i64],
    on: bool,
    member: &Member,
) -> Result<Vec<i64>, AppError> {
    check_ids(ids)?;
    triage::vote(pool, ids, member.id, on).await
}

pub async fn dismiss_older(
    pool: &PgPool,
    view: &InboxQuery,
    than: i64,
    member: &Member,
) -> Result<Vec<(i64, CandidateState)>, AppError> {
    triage::dismiss_older(pool, view, than, member.id).await
}

/// Picks a candidate into the current draft. A link that an earlier issue
/// already covered needs `confirmed`.
pub async fn pick(
    pool: &PgPool,
    candidate_id: i64,
    section_id: i64,
    confirmed: bool,
    member: &Member,
) -> Result<i32, AppError> {
    if !confirmed {
        if let Some(covered) = triage::covered(pool, candidate_id).await? {
            return Err(AppError::invalid(
                "covered",
                lang::fill(
                    td_string!(lang::current(), inbox.error_covered),
                    &[
                        ("number", &covered.issue_number.to_string()),
                        ("date", &covered.issue_date.to_string()),
                    ],
                ),
            ));
        }
    }
    let (issue_id, issue_number) = crate::editor::drafts::current_for_writing(pool).await?;
    let placed = crate::editor::picking::Placed {
        issue_id,
        section_id,
        member_id: member.id,
        corrections: false,
    };
    match crate::editor::picking::add_candidate(pool, placed, candidate_id, None).await? {
        Some(_) => Ok(issue_number),
        None => Err(AppError::invalid(
            "section",
            lang::fill(
                td_string!(lang::current(), inbox.error_already_picked),
                &[("number", &issue_number.to_string())],
            ),
        )),
    }
}

/// Fetches the page at `url` and adds it as a candidate brought by `member`.
/// `title` overrides the page's own title when given.
pub async fn add_link(
    state: &AppState,
    url: &str,
    title: &str,
    member: &Member,
) -> Result<AddedLink, AppError> {
    let page = read_page(state, url).await?;
    // Control characters (a NUL above all) cannot be stored in text.
    let given: String = title
        .chars()
        .filter(|c| !c.is_control())
        .take(300)
        .collect();
    let title = match given.trim() {
        "" if page.title.is_empty() => page.url.clone(),
        "" => page.title.clone(),
        given => given.to_owned(),
    };
    let link = triage::ManualLink {
        url: &page.url,
        url_key: &page.url_key,
        title: &title,
        excerpt: &page.description,
    };
    let (id, created) = store_link(&state.pool, &link, member).await?;
    let item = items(&state.pool, &[id], member)
        .await?
        .pop()
        .ok_or(AppError::NotFound)?;
    Ok(AddedLink { item, created })
}

/// Reads the page a member typed or pasted the link of, through the
/// SSRF-guarded fetcher; problems are errors on the `url` field.
pub async fn read_page(state: &AppState, url: &str) -> Result<PageInfo, AppError> {
    let url = url.trim();
    if url.chars().any(char::is_control) {
        return Err(AppError::invalid(
            "url",
            td_string!(lang::current(), inbox.error_link_control),
        ));
    }
    if url.is_empty() {
        return Err(AppError::invalid(
            "url",
            td_string!(lang::current(), inbox.error_link_empty),
        ));
    }
    if url.len() > 2048 {
        return Err(AppError::invalid(
            "url",
            td_string!(lang::current(), inbox.error_link_long),
        ));
    }
    let locale = lang::current();
    state
        .ingestion
        .read_page(url.to_owned())
        .await
        .map_err(|error| {
            reword_refusal(error, |reason| {
                lang::fill(
                    td_string!(locale, inbox.error_read_page),
                    &[("reason", reason)],
                )
            })
        })
}

fn check_ids(ids: &[i64]) -> Result<(), AppError> {
    if ids.is_empty() {
        return Err(AppError::BadRequest("no candidates given".into()));
    }
    if ids.len() > MAX_IDS {
        return Err(AppError::BadRequest(format!(
            "at most {MAX_IDS} candidates at once"
        )));
    }
    Ok(())
}

/// Opening a candidate marks it seen (when it was new).
pub async fn mark_seen(pool: &PgPool, id: i64, member: &Member) -> Result<(), AppError> {
    triage::mark_seen(pool, id, member.id).await
}

/// One candidate with its sources.
pub async fn candidate(pool: &PgPool, id: i64) -> Result<Option<super::Candidate>, AppError> {
    crate::db::candidates::get(pool, id).await
}

/// Stores a link added by hand as a candidate, marked against its
/// near-duplicates and announced to open inboxes; an article already known
/// (same normalised URL) is returned instead of duplicated. `(id, created)`.
pub async fn store_link(
    pool: &PgPool,
    link: &triage::ManualLink<'_>,
    member: &Member,
) -> Result<(i64, bool), AppError> {
    let mut tx = pool.begin().await?;
    let result = match triage::insert_link(&mut tx, link, member.id).await? {
        Some(id) => {
            crate::near_duplicates::mark(&mut tx, None, &[(id, link.title)]).await?;
            crate::db::events::candidates_arrived(&mut tx, vec![id]).await?;
            (id, true)
        }
        None => (triage::id_by_url_key(&mut tx, link.url_key).await?, false),
    };
    tx.commit().await?;
    Ok(result)
}
