//! The rules and transactions of an issue's picks: who may change them,
//! adding (a pick's title is trimmed and never empty), versioned saves,
//! moving within the issue and on to the next one, removal with undo,
//! layouts and notes. The statements are in `db::picks` and `db::notes`.
//!
//! Everything that changes positions locks the issue's row first, so
//! reorders of one issue run one at a time and positions stay dense and
//! unique (a deferred constraint checks that at commit).

use crate::i18n::td_string;
use crate::lang;
use sqlx::{PgConnection, PgPool};

use super::{drafts, IssueState, Placement, TextField};
use crate::{
    db::{
        events, issue_sections, issues, notes, pick_trash,
        picks::{self, Located, NewPick, PickEdit},
    },
    error::AppError,
};

/// A pick's title is cut to this many characters.
const MAX_TITLE_CHARS: usize = 500;

/// Where a new pick goes, by whom.
#[derive(Clone, Copy)]
pub struct Placed {
    pub issue_id: i64,
    pub section_id: i64,
    pub member_id: i64,
    /// A published issue may be changed (publishers' corrections).
    pub corrections: bool,
}

/// Drafts may be changed by editors; a published issue only as a
/// correction, by a publisher (`corrections`), and then re-published.
pub fn ensure_editable(state: IssueState, corrections: bool) -> Result<(), AppError> {
    if state == IssueState::Draft || corrections {
        Ok(())
    } else {
        Err(AppError::invalid(
            "issue",
            td_string!(lang::current(), editor.err_published_publisher_only),
        ))
    }
}

/// Locks an issue's row for a change of its picks.
pub async fn lock_issue(
    conn: &mut PgConnection,
    issue_id: i64,
    corrections: bool,
) -> Result<(), AppError> {
    let state = picks::lock_issue(conn, issue_id)
        .await?
        .ok_or(AppError::NotFound)?;
    ensure_editable(state, corrections)
}

/// Locks the pick's issue and returns where the pick is.
async fn locate(
    conn: &mut PgConnection,
    pick_id: i64,
    corrections: bool,
) -> Result<Located, AppError> {
    let at = picks::lock_issue_of(conn, pick_id)
        .await?
        .ok_or(AppError::NotFound)?;
    ensure_editable(at.state, corrections)?;
    Ok(at)
}

async fn ensure_section(
    conn: &mut PgConnection,
    issue_id: i64,
    section_id: i64,
) -> Result<(), AppError> {
    if !issue_sections::has(conn, issue_id, section_id).await? {
        return Err(AppError::invalid(
            "section",
            td_string!(lang::current(), editor.err_choose_section),
        ));
    }
    Ok(())
}

/// Adds a pick at the end of its section, in a transaction that holds the
/// issue's lock. `None` when the issue already has this candidate.
async fn insert(conn: &mut PgConnection, new: &NewPick<'_>) -> Result<Option<i64>, AppError> {
    ensure_section(conn, new.issue_id, new.section_id).await?;
    let title: String = new.title.trim().chars().take(MAX_TITLE_CHARS).collect();
    let title = if title.is_empty() {
        new.url.to_owned()
    } else {
        title
    };
    picks::insert(
        conn,
        &NewPick {
            title: &title,
            ..*new
        },
    )
    .await
}

/// Adds a candidate (a link typed into the issue becomes one first) to a
/// section of an issue, at the end, with the pick's own title (`None`: the
/// candidate's). Returns the new pick's id, or `None` when the issue
/// already has this candidate.
pub async fn add_candidate(
    pool: &PgPool,
    placed: Placed,
    candidate_id: i64,
    title: Option<&str>,
) -> Result<Option<i64>, AppError> {
    let mut tx = pool.begin().await?;
    lock_issue(&mut tx, placed.issue_id, placed.corrections).await?;
    let candidate = picks::candidate_link(&mut tx, candidate_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let url = candidate.url.ok_or_else(|| {
        AppError::invalid(
            "section",
            td_string!(lang::current(), editor.err_no_link_to_pick),
        )
    })?;
    let new = NewPick {
        issue_id: placed.issue_id,
        section_id: placed.section_id,
        candidate_id: Some(candidate_id),
        url: &url,
        url_key: candidate.url_key.as_deref(),
        title: title.unwrap_or(&candidate.title),
        member_id: placed.member_id,
    };
    let id = insert(&mut tx, &new).await?;
    tx.commit().await?;
    Ok(id)
}

/// Adds a pick that is no candidate (a topic whose links are in its
/// commentary) at the end of its section; returns its id.
pub async fn add_without_candidate(
    pool: &PgPool,
    new: &NewPick<'_>,
    corrections: bool,
) -> Result<i64, AppError> {
    let mut tx = pool.begin().await?;
    lock_issue(&mut tx, new.issue_id, corrections).await?;
    let id = insert(&mut tx, new)
        .await?
        .ok_or_else(|| AppError::internal("pick", "a pick without candidate conflicted"))?;
    tx.commit().await?;
    Ok(id)
}

/// Saves the display title, commentary or link if the pick is still at
/// `version`; returns the new version, or a conflict with the value as it
/// is now.
pub async fn save_text(
    pool: &PgPool,
    edit: &PickEdit<'_>,
    member_id: i64,
    corrections: bool,
) -> Result<i32, AppError> {
    let mut tx = pool.begin().await?;
    let version = save_text_in(&mut tx, edit, member_id, corrections).await?;
    tx.commit().await?;
    Ok(version)
}

/// [`save_text`] as part of the caller's transaction.
pub async fn save_text_in(
    tx: &mut PgConnection,
    edit: &PickEdit<'_>,
    member_id: i64,
    corrections: bool,
) -> Result<i32, AppError> {
    let (issue_id, state) = picks::issue_of_pick(&mut *tx, edit.pick_id)
        .await?
        .ok_or(AppError::NotFound)?;
    ensure_editable(state, corrections)?;
    let Some(version) = picks::update_text(&mut *tx, edit, member_id).await? else {
        let current = picks::current_text(&mut *tx, edit.pick_id).await?;
        return Err(AppError::conflict(
            current.version,
            match edit.field {
                TextField::Title => current.title,
                TextField::Url => current.url,
                _ => current.commentary,
            },
            current.by,
        ));
    };
    super::service::record_revision(
        &mut *tx,
        issue_id,
        Some(edit.pick_id),
        edit.field,
        edit.value,
        member_id,
    )
    .await?;
    events::issue_changed(&mut *tx, issue_id).await?;
    Ok(version)
}

/// Moves a pick to `placement` (a section of the same issue, at an index
/// among the other picks there) and renumbers what it left and joined.
pub async fn move_to(
    pool: &PgPool,
    pick_id: i64,
    placement: Placement,
    corrections: bool,
) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    let at = locate(&mut tx, pick_id, corrections).await?;
    if placement.section_id != at.section_id {
        ensure_section(&mut tx, at.issue_id, placement.section_id).await?;
    }
    let mut order =
        picks::section_order(&mut tx, at.issue_id, placement.section_id, pick_id).await?;
    let index = (placement.index.max(0) as usize).min(order.len());
    order.insert(index, pick_id);
    picks::set_section(&mut tx, pick_id, placement.section_id).await?;
    picks::renumber(&mut tx, &order).await?;
    if placement.section_id != at.section_id {
        picks::close_gap(&mut tx, at.issue_id, at.section_id, pick_id).await?;
        picks::announce_candidate_of(&mut tx, pick_id).await?;
    }
    events::issue_changed(&mut tx, at.issue_id).await?;
    tx.commit().await?;
    Ok(())
}

/// Removes a pick, keeping it and its notes so the removal can be undone;
/// returns the id that undoes it. Its candidate returns to the inbox.
pub async fn remove(
    pool: &PgPool,
    pick_id: i64,
    member_id: i64,
    corrections: bool,
) -> Result<i64, AppError> {
    let mut tx = pool.begin().await?;
    let at = locate(&mut tx, pick_id, corrections).await?;
    let trash_id = pick_trash::trash(&mut tx, pick_id, member_id).await?;
    picks::close_gap(&mut tx, at.issue_id, at.section_id, pick_id).await?;
    events::issue_changed(&mut tx, at.issue_id).await?;
    if let Some(candidate) = at.candidate_id {
        crate::db::events::candidates_changed(&mut tx, vec![candidate]).await?;
    }
    tx.commit().await?;
    Ok(trash_id)
}

/// Undoes a removal: the pick comes back with its id, notes and history,
/// at the place it had.
pub async fn restore(pool: &PgPool, trash_id: i64, corrections: bool) -> Result<i64, AppError> {
    let mut tx = pool.begin().await?;
    let trash = pick_trash::lock_trashed(&mut tx, trash_id)
        .await?
        .ok_or(AppError::NotFound)?;
    lock_issue(&mut tx, trash.issue_id, corrections).await?;
    // The section may have been taken out of the issue meanwhile.
    issue_sections::ensure_like(&mut tx, trash.issue_id, trash.issue_id, trash.section_id).await?;
    let mut order =
        picks::section_order(&mut tx, trash.issue_id, trash.section_id, trash.pick_id).await?;
    if let Some(candidate) = trash.candidate_id {
        if picks::has_candidate(&mut tx, trash.issue_id, candidate).await? {
            return Err(AppError::invalid(
                "pick",
                td_string!(lang::current(), editor.err_picked_again),
            ));
        }
    }
    pick_trash::untrash(&mut tx, trash_id).await?;
    let index = ((trash.position - 1).max(0) as usize).min(order.len());
    order.insert(index, trash.pick_id);
    picks::renumber(&mut tx, &order).await?;
    events::issue_changed(&mut tx, trash.issue_id).await?;
    if let Some(candidate) = trash.candidate_id {
        crate::db::events::candidates_changed(&mut tx, vec![candidate]).await?;
    }
    tx.commit().await?;
    Ok(trash.pick_id)
}

/// Moves a pick on to the next issue (created as a draft when missing),
/// at the end of the same section. Returns that issue's number.
pub async fn move_to_next_issue(
    pool: &PgPool,
    pick_id: i64,
    corrections: bool,
) -> Result<i32, AppError> {
    let mut tx = pool.begin().await?;
    let at = locate(&mut tx, pick_id, corrections).await?;
    let next = loop {
        match issues::lock_next(&mut tx, at.issue_id).await? {
            Some(next) if next.state == IssueState::Draft => break next,
            Some(next) => {
                return Err(AppError::invalid(
                    "pick",
                    lang::fill(
                        td_string!(lang::current(), editor.err_issue_already_published),
                        &[("number", &next.number.to_string())],
                    ),
                ))
            }
            None => drafts::create_after_last(&mut tx).await?,
        }
    };
    issue_sections::ensure_like(&mut tx, next.id, at.issue_id, at.section_id).await?;
    if !picks::move_to_issue(&mut tx, pick_id, next.id, at.section_id).await? {
        return Err(AppError::invalid(
            "pick",
            lang::fill(
                td_string!(lang::current(), editor.err_issue_has_link),
                &[("number", &next.number.to_string())],
            ),
        ));
    }
    picks::close_gap(&mut tx, at.issue_id, at.section_id, pick_id).await?;
    events::issue_changed(&mut tx, at.issue_id).await?;
    events::issue_changed(&mut tx, next.id).await?;
    picks::announce_candidate_of(&mut tx, pick_id).await?;
    tx.commit().await?;
    Ok(next.number)
}

/// Sets a pick's layout (`None`: the newsletter's).
pub async fn set_layout(
    pool: &PgPool,
    pick_id: i64,
    layout: Option<&str>,
    member_id: i64,
    corrections: bool,
) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    let at = locate(&mut tx, pick_id, corrections).await?;
    picks::set_layout(&mut tx, pick_id, layout, member_id).await?;
    events::issue_changed(&mut tx, at.issue_id).await?;
    tx.commit().await?;
    Ok(())
}

/// Adds a member's note to a pick's thread.
pub async fn add_note(
    pool: &PgPool,
    pick_id: i64,
    body: &str,
    member_id: i64,
) -> Result<i64, AppError> {
    let mut tx = pool.begin().await?;
    let (issue_id, _) = picks::issue_of_pick(&mut tx, pick_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let id = notes::insert(&mut tx, pick_id, body, member_id).await?;
    events::issue_changed(&mut tx, issue_id).await?;
    tx.commit().await?;
    Ok(id)
}
