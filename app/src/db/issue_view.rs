//! One issue as the editor, the preview and publishing read it: the issue
//! with its own sections, picks (with where each was covered before) and
//! notes, and the settings it renders with.

use sqlx::{PgConnection, PgPool};

use super::{issues::issue_state, settings};
use crate::{
    editor::model::{IssueView, NoteView, PickView, SectionView},
    error::AppError,
    inbox::model::Covered,
    render::model::PickLayout,
};

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
