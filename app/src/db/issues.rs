//! Issues: the drafts, the list, numbers and dates, and versioned saves of
//! the headline and intro. One issue as the editor shows it is
//! `issue_view`.

use sqlx::{PgConnection, PgPool};

use super::{events, settings};
use crate::{
    editor::model::{IssueState, IssueSummary, TextField},
    error::AppError,
};

/// The current draft (the lowest-numbered one), if there is one: `(id,
/// number)`. Reading never creates one (see `editor::drafts::current_for_writing`).
pub async fn current_draft(pool: &PgPool) -> Result<Option<(i64, i32)>, AppError> {
    Ok(
        sqlx::query!("SELECT id, number FROM issues WHERE state = 'draft' ORDER BY number LIMIT 1")
            .fetch_optional(pool)
            .await?
            .map(|draft| (draft.id, draft.number)),
    )
}

/// The last issue's number and date, if there is an issue.
pub async fn last(conn: &mut PgConnection) -> Result<Option<(i32, chrono::NaiveDate)>, AppError> {
    Ok(
        sqlx::query!("SELECT number, issue_date FROM issues ORDER BY number DESC LIMIT 1")
            .fetch_optional(&mut *conn)
            .await?
            .map(|last| (last.number, last.issue_date)),
    )
}

/// The highest issue number, if there is an issue.
pub async fn last_number(pool: &PgPool) -> Result<Option<i32>, AppError> {
    Ok(sqlx::query_scalar!("SELECT max(number) FROM issues")
        .fetch_one(pool)
        .await?)
}

/// A new draft's number, date and the texts its templates filled.
pub struct NewDraft {
    pub number: i32,
    pub date: chrono::NaiveDate,
    pub intro: String,
    pub closing_heading: String,
    pub closing: String,
}

/// Inserts a draft; `None` when its number is taken (two requests making
/// the next draft at once make one).
pub async fn insert_draft(
    conn: &mut PgConnection,
    draft: &NewDraft,
) -> Result<Option<i64>, AppError> {
    Ok(sqlx::query_scalar!(
        r#"INSERT INTO issues (number, issue_date, intro, closing_heading, closing)
           VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING id"#,
        draft.number,
        draft.date,
        draft.intro,
        draft.closing_heading,
        draft.closing
    )
    .fetch_optional(&mut *conn)
    .await?)
}

/// Every issue, newest first (drafts come first: they are the newest).
pub async fn list(pool: &PgPool) -> Result<Vec<IssueSummary>, AppError> {
    let settings = settings::load(pool).await?;
    let rows = sqlx::query!(
        r#"SELECT i.number, i.issue_date, i.state, i.headline, i.published_at,
                  i.snapshot->>'title' AS "published_title?",
                  (SELECT count(*) FROM picks p WHERE p.issue_id = i.id) AS "picks!"
           FROM issues i ORDER BY i.number DESC"#
    )
    .fetch_all(pool)
    .await?;
    rows.into_iter()
        .map(|row| {
            Ok(IssueSummary {
                // A published issue is named as published (an imported one
                // may not follow the title template).
                title: row
                    .published_title
                    .unwrap_or_else(|| settings.title(&row.headline, row.number, row.issue_date)),
                number: row.number,
                date: row.issue_date,
                state: issue_state(&row.state)?,
                picks: row.picks,
                published_at: row.published_at,
            })
        })
        .collect()
}

/// An issue's state as stored; any other value is a broken row, not a draft.
pub fn issue_state(state: &str) -> Result<IssueState, AppError> {
    match state {
        "draft" => Ok(IssueState::Draft),
        "published" => Ok(IssueState::Published),
        other => Err(AppError::internal(
            "issue state",
            format!("unknown state {other:?}"),
        )),
    }
}

/// The issue after issue `issue_id`, locked.
pub struct NextIssue {
    pub id: i64,
    pub number: i32,
    pub state: IssueState,
}

pub async fn lock_next(
    conn: &mut PgConnection,
    issue_id: i64,
) -> Result<Option<NextIssue>, AppError> {
    sqlx::query!(
        r#"SELECT id, number, state FROM issues
           WHERE number > (SELECT number FROM issues WHERE id = $1)
           ORDER BY number LIMIT 1 FOR UPDATE"#,
        issue_id
    )
    .fetch_optional(&mut *conn)
    .await?
    .map(|next| {
        Ok(NextIssue {
            id: next.id,
            number: next.number,
            state: issue_state(&next.state)?,
        })
    })
    .transpose()
}

pub async fn id_of(pool: &PgPool, number: i32) -> Result<i64, AppError> {
    id_of_in(&mut *pool.acquire().await?, number).await
}

/// [`id_of`] on a given connection.
pub async fn id_of_in(conn: &mut PgConnection, number: i32) -> Result<i64, AppError> {
    sqlx::query_scalar!("SELECT id FROM issues WHERE number = $1", number)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(AppError::NotFound)
}

/// Saves the headline, intro or closing part if the issue is still at
/// `version`; the new version, or `None` when it is not.
pub async fn update_text(
    conn: &mut PgConnection,
    issue_id: i64,
    (field, value): (TextField, &str),
    version: i32,
    member_id: i64,
) -> Result<Option<i32>, AppError> {
    Ok(sqlx::query_scalar!(
        r#"UPDATE issues SET
               headline = CASE WHEN $2 = 'headline' THEN $3 ELSE headline END,
               intro = CASE WHEN $2 = 'intro' THEN $3 ELSE intro END,
               closing_heading = CASE WHEN $2 = 'closing_heading' THEN $3
                                      ELSE closing_heading END,
               closing = CASE WHEN $2 = 'closing' THEN $3 ELSE closing END,
               version = version + 1, updated_at = now(), updated_by = $5
           WHERE id = $1 AND version = $4 RETURNING version"#,
        issue_id,
        field.as_str(),
        value,
        version,
        member_id
    )
    .fetch_optional(&mut *conn)
    .await?)
}

/// An issue's texts as they are now, and who changed them last.
pub struct CurrentText {
    pub version: i32,
    pub headline: String,
    pub intro: String,
    pub closing_heading: String,
    pub closing: String,
    pub by: Option<String>,
}

pub async fn current_text(
    conn: &mut PgConnection,
    issue_id: i64,
) -> Result<Option<CurrentText>, AppError> {
    Ok(sqlx::query_as!(
        CurrentText,
        r#"SELECT i.version, i.headline, i.intro, i.closing_heading, i.closing,
                  m.name AS "by?"
           FROM issues i LEFT JOIN members m ON m.id = i.updated_by WHERE i.id = $1"#,
        issue_id
    )
    .fetch_optional(&mut *conn)
    .await?)
}

/// The issue's state.
pub async fn state_of(pool: &PgPool, issue_id: i64) -> Result<IssueState, AppError> {
    let state = sqlx::query_scalar!("SELECT state FROM issues WHERE id = $1", issue_id)
        .fetch_optional(pool)
        .await?
        .ok_or(AppError::NotFound)?;
    issue_state(&state)
}

/// An issue's number, date and the texts its templates fill, locked for a
/// change of the number or date.
pub struct Dated {
    pub state: String,
    pub number: i32,
    pub date: chrono::NaiveDate,
    pub version: i32,
    pub intro: String,
    pub closing_heading: String,
    pub closing: String,
    pub updated_by: Option<String>,
}

pub async fn lock_dated(conn: &mut PgConnection, issue_id: i64) -> Result<Dated, AppError> {
    sqlx::query_as!(
        Dated,
        r#"SELECT i.state, i.number, i.issue_date AS date, i.version, i.intro,
                  i.closing_heading, i.closing, m.name AS "updated_by?"
           FROM issues i LEFT JOIN members m ON m.id = i.updated_by
           WHERE i.id = $1 FOR UPDATE OF i"#,
        issue_id
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(AppError::NotFound)
}

/// Whether another issue has this number.
pub async fn number_taken(
    conn: &mut PgConnection,
    issue_id: i64,
    number: i32,
) -> Result<bool, AppError> {
    Ok(sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM issues WHERE number = $1 AND id <> $2) AS "taken!""#,
        number,
        issue_id
    )
    .fetch_one(&mut *conn)
    .await?)
}

/// Gives an issue a new number and date, with the texts its templates
/// fill; returns the new version.
pub async fn redate(
    conn: &mut PgConnection,
    issue_id: i64,
    dated: &Dated,
    member_id: i64,
) -> Result<i32, AppError> {
    let version = sqlx::query_scalar!(
        r#"UPDATE issues SET number = $2, issue_date = $3, intro = $4, closing_heading = $5,
               closing = $6, version = version + 1, updated_at = now(), updated_by = $7
           WHERE id = $1 RETURNING version"#,
        issue_id,
        dated.number,
        dated.date,
        dated.intro,
        dated.closing_heading,
        dated.closing,
        member_id
    )
    .fetch_one(&mut *conn)
    .await?;
    events::issue_changed(conn, issue_id).await?;
    Ok(version)
}

/// The candidates picked into an issue (their inbox rows name the issue).
pub async fn picked_candidates(
    conn: &mut PgConnection,
    issue_id: i64,
) -> Result<Vec<i64>, AppError> {
    Ok(sqlx::query_scalar!(
        r#"SELECT candidate_id AS "id!" FROM picks
           WHERE issue_id = $1 AND candidate_id IS NOT NULL"#,
        issue_id
    )
    .fetch_all(&mut *conn)
    .await?)
}
