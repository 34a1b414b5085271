//! Issues: the drafts, the list, one issue with its sections, picks and
//! notes, and versioned saves of its headline and intro.

use sqlx::{PgConnection, PgPool};

use super::{events, settings};
use crate::{
    editor::model::{
        IssueState, IssueSummary, IssueView, NoteView, PickView, SectionView, TextField,
    },
    error::AppError,
    inbox::model::Covered,
    render::model::PickLayout,
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

/// One issue with its own sections, picks and notes.
pub async fn load(pool: &PgPool, number: i32) -> Result<IssueView, AppError> {
    load_with(&mut *pool.acquire().await?, number).await
}

/// [`load`] on a given connection (inside a transaction, when publishing).
pub async fn load_with(conn: &mut PgConnection, number: i32) -> Result<IssueView, AppError> {
    let settings = settings::load(&mut *conn).await?;
    let issue = sqlx::query!(
        r#"SELECT i.id, i.number, i.issue_date, i.state, i.headline, i.intro, i.version,
                  i.closing_heading, i.closing,
                  u.name AS "updated_by?", i.meeting_pick_id, mb.name AS "meeting_by?",
                  i.published_at, i.revised_at, i.hidden_at IS NOT NULL AS "hidden!"
           FROM issues i LEFT JOIN members u ON u.id = i.updated_by
                LEFT JOIN members mb ON mb.id = i.meeting_by
           WHERE i.number = $1"#,
        number
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(AppError::NotFound)?;
    let sections = sqlx::query!(
        r#"SELECT section_id AS id, title FROM issue_sections
           WHERE issue_id = $1 ORDER BY position"#,
        issue.id
    )
    .fetch_all(&mut *conn)
    .await?;
    let picks = sqlx::query!(
        r#"SELECT p.id, p.section_id, p.position, p.title, p.url, p.candidate_id, p.commentary,
                  p.layout AS "layout: PickLayout", p.link_title, p.excerpt,
                  p.version, p.updated_at, b.name AS "brought_by?", u.name AS "updated_by?",
                  cov.number AS "covered_number?", cov.issue_date AS "covered_date?"
           FROM picks p
                LEFT JOIN members b ON b.id = p.brought_by
                LEFT JOIN members u ON u.id = p.updated_by
                LEFT JOIN LATERAL (
                    SELECT i.number, i.issue_date FROM picks o JOIN issues i ON i.id = o.issue_id
                    WHERE o.url_key = p.url_key AND o.issue_id <> p.issue_id
                      AND i.state = 'published'
                    ORDER BY i.number DESC LIMIT 1) cov ON true
           WHERE p.issue_id = $1 ORDER BY p.section_id, p.position"#,
        issue.id
    )
    .fetch_all(&mut *conn)
    .await?;
    let notes = sqlx::query!(
        r#"SELECT n.id, n.pick_id, m.name AS author, n.body, n.created_at,
                  n.promoted_at IS NOT NULL AS "promoted!"
           FROM pick_notes n JOIN picks p ON p.id = n.pick_id JOIN members m ON m.id = n.member_id
           WHERE p.issue_id = $1 ORDER BY n.id"#,
        issue.id
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut views: Vec<SectionView> = sections
        .into_iter()
        .map(|section| SectionView {
            id: section.id,
            title: section.title,
            picks: Vec::new(),
        })
        .collect();
    for pick in picks {
        let Some(section) = views.iter_mut().find(|s| s.id == pick.section_id) else {
            continue;
        };
        section.picks.push(PickView {
            id: pick.id,
            section_id: pick.section_id,
            position: pick.position,
            title: pick.title,
            url: pick.url,
            candidate_id: pick.candidate_id,
            brought_by: pick.brought_by,
            commentary: pick.commentary,
            layout: pick.layout,
            link_title: pick.link_title,
            excerpt: pick.excerpt,
            version: pick.version,
            updated_at: pick.updated_at,
            updated_by: pick.updated_by,
            notes: notes
                .iter()
                .filter(|note| note.pick_id == pick.id)
                .map(|note| NoteView {
                    id: note.id,
                    author: note.author.clone(),
                    body: note.body.clone(),
                    created_at: note.created_at,
                    promoted: note.promoted,
                })
                .collect(),
            covered: pick.covered_number.zip(pick.covered_date).map(
                |(issue_number, issue_date)| Covered {
                    issue_number,
                    issue_date,
                },
            ),
        });
    }
    let meeting = match (issue.meeting_pick_id, issue.meeting_by) {
        (Some(pick), Some(by)) => Some((pick, by)),
        _ => None,
    };
    Ok(IssueView {
        title: settings.title(&issue.headline, issue.number, issue.issue_date),
        id: issue.id,
        number: issue.number,
        date: issue.issue_date,
        state: issue_state(&issue.state)?,
        headline: issue.headline,
        intro: issue.intro,
        closing_heading: issue.closing_heading,
        closing: issue.closing,
        rendering: settings.rendering(),
        version: issue.version,
        updated_by: issue.updated_by,
        sections: views,
        meeting,
        published_at: issue.published_at,
        revised_at: issue.revised_at,
        hidden: issue.hidden,
        snapshot_problem: None,
    })
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
