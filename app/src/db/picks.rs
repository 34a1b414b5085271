//! Picks of an issue: adding, versioned saves of title and commentary,
//! ordering, removal with undo, moving on to the next issue, and notes.
//!
//! Everything that changes positions locks the issue's row first, so
//! reorders of one issue run one at a time and positions stay dense and
//! unique (a deferred constraint checks that at commit).

use sqlx::{PgConnection, PgPool};

use super::{events, issue_sections, issues, triage};
use crate::{
    editor::model::{Placement, TextField},
    error::AppError,
};

/// A new pick's data.
pub struct NewPick<'a> {
    pub issue_id: i64,
    pub section_id: i64,
    pub candidate_id: Option<i64>,
    pub url: &'a str,
    pub url_key: Option<&'a str>,
    pub title: &'a str,
    pub member_id: i64,
}

/// A versioned save of a pick's title, commentary or link.
#[derive(Clone, Copy)]
pub struct PickEdit<'a> {
    pub pick_id: i64,
    pub field: TextField,
    pub value: &'a str,
    /// The link's key, when the link is saved.
    pub url_key: Option<&'a str>,
    /// The version the save is based on.
    pub version: i32,
}

/// Where a pick is, and whether its issue may still be edited.
struct Located {
    issue_id: i64,
    section_id: i64,
    candidate_id: Option<i64>,
}

/// Locks the pick's issue and returns where the pick is. A published
/// issue may be changed only with `corrections` (publishers).
async fn locate(
    conn: &mut PgConnection,
    pick_id: i64,
    corrections: bool,
) -> Result<Located, AppError> {
    let issue = sqlx::query!(
        r#"SELECT i.id, i.state FROM issues i JOIN picks p ON p.issue_id = i.id
           WHERE p.id = $1 FOR UPDATE OF i"#,
        pick_id
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(AppError::NotFound)?;
    ensure_editable(&issue.state, corrections)?;
    let pick = sqlx::query!(
        "SELECT section_id, candidate_id FROM picks WHERE id = $1",
        pick_id
    )
    .fetch_one(&mut *conn)
    .await?;
    Ok(Located {
        issue_id: issue.id,
        section_id: pick.section_id,
        candidate_id: pick.candidate_id,
    })
}

/// Drafts may be changed by editors; a published issue only as a
/// correction, by a publisher (`corrections`), and then re-published.
pub fn ensure_editable(state: &str, corrections: bool) -> Result<(), AppError> {
    if state == "draft" || corrections {
        Ok(())
    } else {
        Err(AppError::invalid(
            "issue",
            "This issue is published; only a publisher can correct it.",
        ))
    }
}

/// Locks an issue's row for a change of its picks.
pub async fn lock_issue(
    conn: &mut PgConnection,
    issue_id: i64,
    corrections: bool,
) -> Result<(), AppError> {
    let state = sqlx::query_scalar!(
        "SELECT state FROM issues WHERE id = $1 FOR UPDATE",
        issue_id
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(AppError::NotFound)?;
    ensure_editable(&state, corrections)
}

async fn ensure_section(
    conn: &mut PgConnection,
    issue_id: i64,
    section_id: i64,
) -> Result<(), AppError> {
    if !issue_sections::has(conn, issue_id, section_id).await? {
        return Err(AppError::invalid("section", "Choose one of the sections."));
    }
    Ok(())
}

/// Adds a pick at the end of its section, in a transaction that holds the
/// issue's lock. `None` when the issue already has this candidate.
pub async fn insert(conn: &mut PgConnection, new: &NewPick<'_>) -> Result<Option<i64>, AppError> {
    ensure_section(conn, new.issue_id, new.section_id).await?;
    let title: String = new.title.trim().chars().take(500).collect();
    let id = sqlx::query_scalar!(
        r#"INSERT INTO picks (issue_id, section_id, position, candidate_id, url, url_key, title,
                              brought_by, updated_by, link_title, excerpt)
           SELECT $1, $2, coalesce(max(position), 0) + 1, $3, $4, $5, $6, $7, $7,
                  coalesce((SELECT left(c.title, 500) FROM candidates c WHERE c.id = $3), ''),
                  coalesce((SELECT left(c.excerpt, 2000) FROM candidates c WHERE c.id = $3), '')
           FROM picks WHERE issue_id = $1 AND section_id = $2
           ON CONFLICT (issue_id, candidate_id) DO NOTHING
           RETURNING id"#,
        new.issue_id,
        new.section_id,
        new.candidate_id,
        new.url,
        new.url_key,
        if title.is_empty() {
            new.url.to_owned()
        } else {
            title
        },
        new.member_id
    )
    .fetch_optional(&mut *conn)
    .await?;
    if id.is_some() {
        events::issue_changed(conn, new.issue_id).await?;
        if let Some(candidate) = new.candidate_id {
            triage::announce_changed(conn, vec![candidate]).await?;
        }
    }
    Ok(id)
}

/// Adds a candidate (a link typed into the issue becomes one first) to a
/// section of an issue, at the end. Returns the new pick's id, or `None`
/// when the issue already has this candidate.
pub async fn add_candidate(
    pool: &PgPool,
    issue_id: i64,
    section_id: i64,
    candidate_id: i64,
    member_id: i64,
    corrections: bool,
) -> Result<Option<i64>, AppError> {
    let placed = Placed {
        issue_id,
        section_id,
        member_id,
        corrections,
    };
    add_candidate_titled(pool, placed, candidate_id, None).await
}

/// Where a new pick goes, by whom.
#[derive(Clone, Copy)]
pub struct Placed {
    pub issue_id: i64,
    pub section_id: i64,
    pub member_id: i64,
    /// A published issue may be changed (publishers' corrections).
    pub corrections: bool,
}

/// [`add_candidate`] with the pick's own title (`None`: the candidate's).
pub async fn add_candidate_titled(
    pool: &PgPool,
    placed: Placed,
    candidate_id: i64,
    title: Option<&str>,
) -> Result<Option<i64>, AppError> {
    let Placed {
        issue_id,
        section_id,
        member_id,
        corrections,
    } = placed;
    let mut tx = pool.begin().await?;
    lock_issue(&mut tx, issue_id, corrections).await?;
    let candidate = sqlx::query!(
        "SELECT url, url_key, title FROM candidates WHERE id = $1",
        candidate_id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    let url = candidate.url.ok_or_else(|| {
        AppError::invalid(
            "section",
            "This article has no link, so it cannot be picked.",
        )
    })?;
    let new = NewPick {
        issue_id,
        section_id,
        candidate_id: Some(candidate_id),
        url: &url,
        url_key: candidate.url_key.as_deref(),
        title: title.unwrap_or(&candidate.title),
        member_id,
    };
    let id = insert(&mut tx, &new).await?;
    tx.commit().await?;
    Ok(id)
}

/// Saves the display title or commentary if the pick is still at
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
    let PickEdit {
        pick_id,
        field,
        value,
        url_key,
        version,
    } = *edit;
    let issue = sqlx::query!(
        "SELECT i.id, i.state FROM issues i JOIN picks p ON p.issue_id = i.id WHERE p.id = $1",
        pick_id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    ensure_editable(&issue.state, corrections)?;
    let saved = sqlx::query_scalar!(
        r#"UPDATE picks SET
               title = CASE WHEN $2 = 'title' THEN $3 ELSE title END,
               commentary = CASE WHEN $2 = 'commentary' THEN $3 ELSE commentary END,
               url = CASE WHEN $2 = 'url' THEN $3 ELSE url END,
               url_key = CASE WHEN $2 = 'url' THEN $6 ELSE url_key END,
               version = version + 1, updated_at = now(), updated_by = $5
           WHERE id = $1 AND version = $4 RETURNING version"#,
        pick_id,
        field.as_str(),
        value,
        version,
        member_id,
        url_key
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(version) = saved else {
        let current = sqlx::query!(
            r#"SELECT p.version, p.title, p.commentary, p.url, m.name AS "by?"
               FROM picks p LEFT JOIN members m ON m.id = p.updated_by WHERE p.id = $1"#,
            pick_id
        )
        .fetch_one(&mut *tx)
        .await?;
        return Err(AppError::Conflict {
            version: current.version,
            value: match field {
                TextField::Title => current.title,
                TextField::Url => current.url,
                _ => current.commentary,
            },
            changed_by: current.by.unwrap_or_else(|| "someone".into()),
        });
    };
    issues::record_revision(&mut *tx, issue.id, Some(pick_id), field, value, member_id).await?;
    events::issue_changed(&mut *tx, issue.id).await?;
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
    let mut order = section_order(&mut tx, at.issue_id, placement.section_id, pick_id).await?;
    let index = (placement.index.max(0) as usize).min(order.len());
    order.insert(index, pick_id);
    sqlx::query!(
        "UPDATE picks SET section_id = $2 WHERE id = $1",
        pick_id,
        placement.section_id
    )
    .execute(&mut *tx)
    .await?;
    renumber(&mut tx, &order).await?;
    if placement.section_id != at.section_id {
        let left = section_order(&mut tx, at.issue_id, at.section_id, pick_id).await?;
        renumber(&mut tx, &left).await?;
        announce_candidate_of(&mut tx, pick_id).await?;
    }
    events::issue_changed(&mut tx, at.issue_id).await?;
    tx.commit().await?;
    Ok(())
}

/// The inbox row of the candidate behind a pick shows where it was picked
/// into: open inboxes reload it.
async fn announce_candidate_of(conn: &mut PgConnection, pick_id: i64) -> Result<(), AppError> {
    let candidate = sqlx::query_scalar!("SELECT candidate_id FROM picks WHERE id = $1", pick_id)
        .fetch_one(&mut *conn)
        .await?;
    if let Some(candidate) = candidate {
        triage::announce_changed(conn, vec![candidate]).await?;
    }
    Ok(())
}

/// The picks of a section in order, without `except`.
async fn section_order(
    conn: &mut PgConnection,
    issue_id: i64,
    section_id: i64,
    except: i64,
) -> Result<Vec<i64>, AppError> {
    Ok(sqlx::query_scalar!(
        r#"SELECT id FROM picks WHERE issue_id = $1 AND section_id = $2 AND id <> $3
           ORDER BY position, id"#,
        issue_id,
        section_id,
        except
    )
    .fetch_all(&mut *conn)
    .await?)
}

/// Positions 1, 2, 3 … in the order of `ids`.
async fn renumber(conn: &mut PgConnection, ids: &[i64]) -> Result<(), AppError> {
    sqlx::query!(
        r#"UPDATE picks p SET position = o.ordinality
           FROM unnest($1::bigint[]) WITH ORDINALITY AS o(id, ordinality)
           WHERE p.id = o.id AND p.position <> o.ordinality"#,
        ids
    )
    .execute(&mut *conn)
    .await?;
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
    let trash_id = sqlx::query_scalar!(
        r#"INSERT INTO pick_trash (pick, notes, removed_by)
           SELECT to_jsonb(p),
                  coalesce((SELECT jsonb_agg(to_jsonb(n) ORDER BY n.id)
                            FROM pick_notes n WHERE n.pick_id = p.id), '[]'),
                  $2
           FROM picks p WHERE p.id = $1 RETURNING id"#,
        pick_id,
        member_id
    )
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query!("DELETE FROM picks WHERE id = $1", pick_id)
        .execute(&mut *tx)
        .await?;
    let left = section_order(&mut tx, at.issue_id, at.section_id, pick_id).await?;
    renumber(&mut tx, &left).await?;
    events::issue_changed(&mut tx, at.issue_id).await?;
    if let Some(candidate) = at.candidate_id {
        triage::announce_changed(&mut tx, vec![candidate]).await?;
    }
    tx.commit().await?;
    Ok(trash_id)
}

/// Undoes a removal: the pick comes back with its id, notes and history,
/// at the place it had.
pub async fn restore(pool: &PgPool, trash_id: i64, corrections: bool) -> Result<i64, AppError> {
    let mut tx = pool.begin().await?;
    let trash = sqlx::query!(
        r#"SELECT (pick->>'id')::bigint AS "pick_id!", (pick->>'issue_id')::bigint AS "issue_id!",
                  (pick->>'section_id')::bigint AS "section_id!",
                  (pick->>'position')::int AS "position!",
                  (pick->>'candidate_id')::bigint AS candidate_id
           FROM pick_trash WHERE id = $1 FOR UPDATE"#,
        trash_id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    lock_issue(&mut tx, trash.issue_id, corrections).await?;
    // The section may have been taken out of the issue meanwhile.
    issue_sections::ensure_like(&mut tx, trash.issue_id, trash.issue_id, trash.section_id).await?;
    let mut order = section_order(&mut tx, trash.issue_id, trash.section_id, trash.pick_id).await?;
    // ON CONFLICT cannot be used: the position constraint is deferrable.
    if let Some(candidate) = trash.candidate_id {
        let again = sqlx::query_scalar!(
            r#"SELECT count(*) AS "n!" FROM picks WHERE issue_id = $1 AND candidate_id = $2"#,
            trash.issue_id,
            candidate
        )
        .fetch_one(&mut *tx)
        .await?;
        if again > 0 {
            return Err(AppError::invalid(
                "pick",
                "This link was picked into the issue again meanwhile.",
            ));
        }
    }
    sqlx::query!(
        r#"INSERT INTO picks OVERRIDING SYSTEM VALUE
           SELECT (jsonb_populate_record(NULL::picks, t.pick || jsonb_build_object(
                      'position', $2::int,
                      -- The candidate may have been deleted meanwhile.
                      'candidate_id', (SELECT c.id FROM candidates c
                                       WHERE c.id = (t.pick->>'candidate_id')::bigint)))).*
           FROM pick_trash t WHERE t.id = $1"#,
        trash_id,
        i32::MAX
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        r#"INSERT INTO pick_notes OVERRIDING SYSTEM VALUE
           SELECT (jsonb_populate_record(NULL::pick_notes, n)).*
           FROM pick_trash t, jsonb_array_elements(t.notes) n WHERE t.id = $1"#,
        trash_id
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!("DELETE FROM pick_trash WHERE id = $1", trash_id)
        .execute(&mut *tx)
        .await?;
    let index = ((trash.position - 1).max(0) as usize).min(order.len());
    order.insert(index, trash.pick_id);
    renumber(&mut tx, &order).await?;
    events::issue_changed(&mut tx, trash.issue_id).await?;
    if let Some(candidate) = trash.candidate_id {
        triage::announce_changed(&mut tx, vec![candidate]).await?;
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
    let number = sqlx::query_scalar!("SELECT number FROM issues WHERE id = $1", at.issue_id)
        .fetch_one(&mut *tx)
        .await?;
    let next = loop {
        let next = sqlx::query!(
            "SELECT id, number, state FROM issues WHERE number > $1 ORDER BY number LIMIT 1 FOR UPDATE",
            number
        )
        .fetch_optional(&mut *tx)
        .await?;
        match next {
            Some(next) if next.state == "draft" => {
                break next;
            }
            Some(next) => {
                return Err(AppError::invalid(
                    "pick",
                    format!("Issue #{} is already published.", next.number),
                ))
            }
            None => issues::create_after_last(&mut tx).await?,
        }
    };
    issue_sections::ensure_like(&mut tx, next.id, at.issue_id, at.section_id).await?;
    let moved = sqlx::query!(
        r#"UPDATE picks SET issue_id = $2,
               position = (SELECT coalesce(max(position), 0) + 1 FROM picks
                           WHERE issue_id = $2 AND section_id = $3)
           WHERE id = $1
             AND NOT EXISTS (SELECT 1 FROM picks o WHERE o.issue_id = $2
                             AND o.candidate_id = picks.candidate_id)"#,
        pick_id,
        next.id,
        at.section_id
    )
    .execute(&mut *tx)
    .await?;
    if moved.rows_affected() == 0 {
        return Err(AppError::invalid(
            "pick",
            format!("Issue #{} already has this link.", next.number),
        ));
    }
    sqlx::query!(
        "UPDATE revisions SET issue_id = $2 WHERE pick_id = $1",
        pick_id,
        next.id
    )
    .execute(&mut *tx)
    .await?;
    let left = section_order(&mut tx, at.issue_id, at.section_id, pick_id).await?;
    renumber(&mut tx, &left).await?;
    events::issue_changed(&mut tx, at.issue_id).await?;
    events::issue_changed(&mut tx, next.id).await?;
    announce_candidate_of(&mut tx, pick_id).await?;
    tx.commit().await?;
    Ok(next.number)
}

/// The issue a pick belongs to.
pub async fn issue_of(pool: &PgPool, pick_id: i64) -> Result<i64, AppError> {
    sqlx::query_scalar!("SELECT issue_id FROM picks WHERE id = $1", pick_id)
        .fetch_optional(pool)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn url_of(pool: &PgPool, pick_id: i64) -> Result<String, AppError> {
    sqlx::query_scalar!("SELECT url FROM picks WHERE id = $1", pick_id)
        .fetch_optional(pool)
        .await?
        .ok_or(AppError::NotFound)
}

/// Adds a member's note to a pick's thread.
pub async fn add_note(
    pool: &PgPool,
    pick_id: i64,
    body: &str,
    member_id: i64,
) -> Result<i64, AppError> {
    let mut tx = pool.begin().await?;
    let issue_id = sqlx::query_scalar!("SELECT issue_id FROM picks WHERE id = $1", pick_id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(AppError::NotFound)?;
    let id = sqlx::query_scalar!(
        "INSERT INTO pick_notes (pick_id, member_id, body) VALUES ($1, $2, $3) RETURNING id",
        pick_id,
        member_id,
        body
    )
    .fetch_one(&mut *tx)
    .await?;
    events::issue_changed(&mut tx, issue_id).await?;
    tx.commit().await?;
    Ok(id)
}

/// The note with this id, and its pick.
/// A note on its way into its pick's commentary, locked until the
/// transaction ends (so that two promotions of it run one after the
/// other), with the commentary as it is now.
pub struct NoteToPromote {
    pub pick_id: i64,
    pub body: String,
    pub promoted: bool,
    pub commentary: String,
    pub pick_version: i32,
}

pub async fn lock_note(tx: &mut PgConnection, note_id: i64) -> Result<NoteToPromote, AppError> {
    sqlx::query_as!(
        NoteToPromote,
        r#"SELECT n.pick_id, n.body, n.promoted_at IS NOT NULL AS "promoted!",
                  p.commentary, p.version AS pick_version
           FROM pick_notes n JOIN picks p ON p.id = n.pick_id
           WHERE n.id = $1
           FOR UPDATE OF n"#,
        note_id
    )
    .fetch_optional(tx)
    .await?
    .ok_or(AppError::NotFound)
}

pub async fn mark_promoted(tx: &mut PgConnection, note_id: i64) -> Result<(), AppError> {
    sqlx::query!(
        "UPDATE pick_notes SET promoted_at = now() WHERE id = $1",
        note_id
    )
    .execute(tx)
    .await?;
    Ok(())
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
    sqlx::query!(
        r#"UPDATE picks SET layout = $2, version = version + 1, updated_at = now(),
               updated_by = $3
           WHERE id = $1"#,
        pick_id,
        layout,
        member_id
    )
    .execute(&mut *tx)
    .await?;
    events::issue_changed(&mut tx, at.issue_id).await?;
    tx.commit().await?;
    Ok(())
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
