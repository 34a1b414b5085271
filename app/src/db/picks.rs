//! Statements on picks: locking their issue, inserting, versioned saves of
//! title, commentary and link, positions, moving on to another issue.
//! Removal goes through `pick_trash`. The rules are in `editor::picking`.

use sqlx::{PgConnection, PgPool};

use super::{events, issues::issue_state};
use crate::{
    editor::model::{IssueState, TextField},
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

/// Where a pick is, with its issue's state.
pub struct Located {
    pub issue_id: i64,
    pub state: IssueState,
    pub section_id: i64,
    pub candidate_id: Option<i64>,
}

/// Locks the pick's issue and returns where the pick is.
pub async fn lock_issue_of(
    conn: &mut PgConnection,
    pick_id: i64,
) -> Result<Option<Located>, AppError> {
    let Some(issue) = sqlx::query!(
        r#"SELECT i.id, i.state FROM issues i JOIN picks p ON p.issue_id = i.id
           WHERE p.id = $1 FOR UPDATE OF i"#,
        pick_id
    )
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    let pick = sqlx::query!(
        "SELECT section_id, candidate_id FROM picks WHERE id = $1",
        pick_id
    )
    .fetch_one(&mut *conn)
    .await?;
    Ok(Some(Located {
        issue_id: issue.id,
        state: issue_state(&issue.state)?,
        section_id: pick.section_id,
        candidate_id: pick.candidate_id,
    }))
}

/// Locks an issue's row for a change of its picks; its state.
pub async fn lock_issue(
    conn: &mut PgConnection,
    issue_id: i64,
) -> Result<Option<IssueState>, AppError> {
    sqlx::query_scalar!(
        "SELECT state FROM issues WHERE id = $1 FOR UPDATE",
        issue_id
    )
    .fetch_optional(&mut *conn)
    .await?
    .map(|state| issue_state(&state))
    .transpose()
}

/// The issue a pick is in, with its state (not locked).
pub async fn issue_of_pick(
    conn: &mut PgConnection,
    pick_id: i64,
) -> Result<Option<(i64, IssueState)>, AppError> {
    sqlx::query!(
        "SELECT i.id, i.state FROM issues i JOIN picks p ON p.issue_id = i.id WHERE p.id = $1",
        pick_id
    )
    .fetch_optional(&mut *conn)
    .await?
    .map(|issue| Ok((issue.id, issue_state(&issue.state)?)))
    .transpose()
}

/// Inserts a pick at the end of its section; `None` when the issue
/// already has this candidate.
pub async fn insert(conn: &mut PgConnection, new: &NewPick<'_>) -> Result<Option<i64>, AppError> {
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
        new.title,
        new.member_id
    )
    .fetch_optional(&mut *conn)
    .await?;
    if id.is_some() {
        events::issue_changed(conn, new.issue_id).await?;
        if let Some(candidate) = new.candidate_id {
            events::candidates_changed(conn, vec![candidate]).await?;
        }
    }
    Ok(id)
}

/// A candidate's link and title, as a pick takes them.
pub struct CandidateLink {
    pub url: Option<String>,
    pub url_key: Option<String>,
    pub title: String,
}

pub async fn candidate_link(
    conn: &mut PgConnection,
    candidate_id: i64,
) -> Result<Option<CandidateLink>, AppError> {
    Ok(sqlx::query_as!(
        CandidateLink,
        "SELECT url, url_key, title FROM candidates WHERE id = $1",
        candidate_id
    )
    .fetch_optional(&mut *conn)
    .await?)
}

/// Saves a field if the pick is still at the edit's version; the new
/// version, or `None` when it is not.
pub async fn update_text(
    conn: &mut PgConnection,
    edit: &PickEdit<'_>,
    member_id: i64,
) -> Result<Option<i32>, AppError> {
    Ok(sqlx::query_scalar!(
        r#"UPDATE picks SET
               title = CASE WHEN $2 = 'title' THEN $3 ELSE title END,
               commentary = CASE WHEN $2 = 'commentary' THEN $3 ELSE commentary END,
               url = CASE WHEN $2 = 'url' THEN $3 ELSE url END,
               url_key = CASE WHEN $2 = 'url' THEN $6 ELSE url_key END,
               version = version + 1, updated_at = now(), updated_by = $5
           WHERE id = $1 AND version = $4 RETURNING version"#,
        edit.pick_id,
        edit.field.as_str(),
        edit.value,
        edit.version,
        member_id,
        edit.url_key
    )
    .fetch_optional(&mut *conn)
    .await?)
}

/// A pick's texts as they are now, and who changed them last.
pub struct CurrentText {
    pub version: i32,
    pub title: String,
    pub commentary: String,
    pub url: String,
    pub by: Option<String>,
}

pub async fn current_text(conn: &mut PgConnection, pick_id: i64) -> Result<CurrentText, AppError> {
    Ok(sqlx::query_as!(
        CurrentText,
        r#"SELECT p.version, p.title, p.commentary, p.url, m.name AS "by?"
           FROM picks p LEFT JOIN members m ON m.id = p.updated_by WHERE p.id = $1"#,
        pick_id
    )
    .fetch_one(&mut *conn)
    .await?)
}

pub async fn set_section(
    conn: &mut PgConnection,
    pick_id: i64,
    section_id: i64,
) -> Result<(), AppError> {
    sqlx::query!(
        "UPDATE picks SET section_id = $2 WHERE id = $1",
        pick_id,
        section_id
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The inbox row of the candidate behind a pick shows where it was picked
/// into: open inboxes reload it.
pub async fn announce_candidate_of(conn: &mut PgConnection, pick_id: i64) -> Result<(), AppError> {
    let candidate = sqlx::query_scalar!("SELECT candidate_id FROM picks WHERE id = $1", pick_id)
        .fetch_one(&mut *conn)
        .await?;
    if let Some(candidate) = candidate {
        events::candidates_changed(conn, vec![candidate]).await?;
    }
    Ok(())
}

/// The picks of a section in order, without `except`.
pub async fn section_order(
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
pub async fn renumber(conn: &mut PgConnection, ids: &[i64]) -> Result<(), AppError> {
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

/// Renumbers a section that pick `left` is no longer in.
pub async fn close_gap(
    conn: &mut PgConnection,
    issue_id: i64,
    section_id: i64,
    left: i64,
) -> Result<(), AppError> {
    let order = section_order(conn, issue_id, section_id, left).await?;
    renumber(conn, &order).await
}

/// Whether the issue has a pick of this candidate.
pub async fn has_candidate(
    conn: &mut PgConnection,
    issue_id: i64,
    candidate_id: i64,
) -> Result<bool, AppError> {
    // ON CONFLICT cannot stand in for this: the position constraint is deferrable.
    Ok(sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM picks WHERE issue_id = $1 AND candidate_id = $2)
           AS "found!""#,
        issue_id,
        candidate_id
    )
    .fetch_one(&mut *conn)
    .await?)
}

/// Moves a pick to the end of a section of another issue, with its
/// history; `false` when that issue already has its candidate.
pub async fn move_to_issue(
    conn: &mut PgConnection,
    pick_id: i64,
    issue_id: i64,
    section_id: i64,
) -> Result<bool, AppError> {
    let moved = sqlx::query!(
        r#"UPDATE picks SET issue_id = $2,
               position = (SELECT coalesce(max(position), 0) + 1 FROM picks
                           WHERE issue_id = $2 AND section_id = $3)
           WHERE id = $1
             AND NOT EXISTS (SELECT 1 FROM picks o WHERE o.issue_id = $2
                             AND o.candidate_id = picks.candidate_id)"#,
        pick_id,
        issue_id,
        section_id
    )
    .execute(&mut *conn)
    .await?;
    if moved.rows_affected() == 0 {
        return Ok(false);
    }
    sqlx::query!(
        "UPDATE revisions SET issue_id = $2 WHERE pick_id = $1",
        pick_id,
        issue_id
    )
    .execute(&mut *conn)
    .await?;
    Ok(true)
}

pub async fn set_layout(
    conn: &mut PgConnection,
    pick_id: i64,
    layout: Option<&str>,
    member_id: i64,
) -> Result<(), AppError> {
    sqlx::query!(
        r#"UPDATE picks SET layout = $2, version = version + 1, updated_at = now(),
               updated_by = $3
           WHERE id = $1"#,
        pick_id,
        layout,
        member_id
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
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
