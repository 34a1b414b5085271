//! Queries that change the team's view of candidates: state, +1s, picks
//! into the current draft, links added by hand. Each change is announced
//! (`events::candidates_changed`, delivered at commit), so every open inbox,
//! in any server process, sees it within a second.

use sqlx::{PgConnection, PgPool, Postgres, QueryBuilder, Row};

use crate::{
    error::AppError,
    inbox::model::{CandidateState, Covered, InboxQuery, SectionChoice},
};

/// Sets the state of candidates that are not picked; returns each changed
/// candidate with its previous state (what "undo" restores).
pub async fn set_state(
    pool: &PgPool,
    ids: &[i64],
    state: CandidateState,
    member_id: i64,
) -> Result<Vec<(i64, CandidateState)>, AppError> {
    let mut tx = pool.begin().await?;
    let rows = sqlx::query!(
        r#"UPDATE candidates c SET state = $2, state_changed_at = now(), state_changed_by = $3
           FROM (SELECT id, state FROM candidates WHERE id = ANY($1) FOR UPDATE) old
           WHERE c.id = old.id AND old.state <> $2
             AND NOT EXISTS (SELECT 1 FROM picks p WHERE p.candidate_id = c.id)
           RETURNING c.id, old.state AS "previous!: CandidateState""#,
        ids,
        state.as_str(),
        member_id
    )
    .fetch_all(&mut *tx)
    .await?;
    let changed: Vec<(i64, CandidateState)> =
        rows.into_iter().map(|row| (row.id, row.previous)).collect();
    super::events::candidates_changed(&mut tx, changed.iter().map(|(id, _)| *id).collect()).await?;
    tx.commit().await?;
    Ok(changed)
}

/// Marks new candidates as seen (opening one does this); others keep their state.
pub async fn mark_seen(pool: &PgPool, id: i64, member_id: i64) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    let changed = sqlx::query_scalar!(
        r#"UPDATE candidates SET state = 'seen', state_changed_at = now(), state_changed_by = $2
           WHERE id = $1 AND state = 'new' RETURNING id"#,
        id,
        member_id
    )
    .fetch_all(&mut *tx)
    .await?;
    super::events::candidates_changed(&mut tx, changed).await?;
    tx.commit().await?;
    Ok(())
}

/// Dismisses every open candidate of the view published before candidate
/// `than` ("dismiss everything older than this"); returns what changed,
/// with previous states.
pub async fn dismiss_older(
    pool: &PgPool,
    view: &InboxQuery,
    than: i64,
    member_id: i64,
) -> Result<Vec<(i64, CandidateState)>, AppError> {
    let Some(anchor) = sqlx::query!("SELECT published_at FROM candidates WHERE id = $1", than)
        .fetch_optional(pool)
        .await?
    else {
        return Err(AppError::NotFound);
    };
    let open_view = InboxQuery {
        state: crate::inbox::model::StateFilter::Open,
        after: None,
        ..view.clone()
    };
    let mut sql = QueryBuilder::<Postgres>::new("SELECT c.id FROM candidates c WHERE true");
    super::inbox::push_filters(&mut sql, &open_view, member_id);
    sql.push(" AND (c.published_at, c.id) < (")
        .push_bind(anchor.published_at)
        .push(", ")
        .push_bind(than)
        .push(")");
    let ids: Vec<i64> = sql
        .build()
        .fetch_all(pool)
        .await?
        .iter()
        .map(|row| row.try_get::<i64, _>("id"))
        .collect::<Result<_, _>>()?;
    set_state(pool, &ids, CandidateState::Dismissed, member_id).await
}

/// Adds or removes `member_id`'s +1 on candidates; returns the ids changed.
pub async fn vote(
    pool: &PgPool,
    ids: &[i64],
    member_id: i64,
    on: bool,
) -> Result<Vec<i64>, AppError> {
    let mut tx = pool.begin().await?;
    let changed = if on {
        sqlx::query_scalar!(
            r#"WITH added AS (
                   INSERT INTO candidate_votes (candidate_id, member_id)
                   SELECT id, $2 FROM candidates WHERE id = ANY($1)
                   ON CONFLICT DO NOTHING RETURNING candidate_id)
               UPDATE candidates c SET votes = votes + 1 FROM added
               WHERE c.id = added.candidate_id RETURNING c.id"#,
            ids,
            member_id
        )
        .fetch_all(&mut *tx)
        .await?
    } else {
        sqlx::query_scalar!(
            r#"WITH removed AS (
                   DELETE FROM candidate_votes WHERE candidate_id = ANY($1) AND member_id = $2
                   RETURNING candidate_id)
               UPDATE candidates c SET votes = votes - 1 FROM removed
               WHERE c.id = removed.candidate_id RETURNING c.id"#,
            ids,
            member_id
        )
        .fetch_all(&mut *tx)
        .await?
    };
    super::events::candidates_changed(&mut tx, changed.clone()).await?;
    tx.commit().await?;
    Ok(changed)
}

/// The current draft's number and date with its sections, or (no draft)
/// the default sections a first pick's draft will get. One statement:
/// every inbox view asks for it.
pub async fn current_draft(
    conn: &mut PgConnection,
) -> Result<(Option<(i32, chrono::NaiveDate)>, Vec<SectionChoice>), AppError> {
    let draft = sqlx::query!(
        r#"SELECT i.number AS "number?", i.issue_date AS "issue_date?",
                  CASE WHEN i.id IS NULL THEN
                      coalesce((SELECT json_agg(json_build_object('id', s.id, 'title', s.title)
                                                ORDER BY s.position, s.id)
                                FROM sections s WHERE s.archived_at IS NULL), '[]')
                  ELSE
                      coalesce((SELECT json_agg(json_build_object('id', s.section_id,
                                                                  'title', s.title)
                                                ORDER BY s.position)
                                FROM issue_sections s WHERE s.issue_id = i.id), '[]')
                  END AS "sections!"
           FROM (SELECT 1) AS one
                LEFT JOIN LATERAL (SELECT id, number, issue_date FROM issues WHERE state = 'draft'
                                   ORDER BY number LIMIT 1) i ON true"#
    )
    .fetch_one(&mut *conn)
    .await?;
    let sections: Vec<SectionChoice> = serde_json::from_value(draft.sections)
        .map_err(|error| AppError::internal("sections of the draft", error))?;
    Ok((draft.number.zip(draft.issue_date), sections))
}

/// The latest published issue that had this candidate's link.
pub async fn covered(pool: &PgPool, candidate_id: i64) -> Result<Option<Covered>, AppError> {
    Ok(sqlx::query_as!(
        Covered,
        r#"SELECT i.number AS issue_number, i.issue_date
           FROM candidates c JOIN picks p ON p.url_key = c.url_key
                JOIN issues i ON i.id = p.issue_id AND i.state = 'published'
           WHERE c.id = $1 ORDER BY i.number DESC LIMIT 1"#,
        candidate_id
    )
    .fetch_optional(pool)
    .await?)
}

/// A link a member adds by hand, already fetched and normalised.
pub struct ManualLink<'a> {
    pub url: &'a str,
    pub url_key: &'a str,
    pub title: &'a str,
    pub excerpt: &'a str,
}

/// Inserts a link added by hand as a candidate; `None` when an article
/// with the same normalised URL is already stored.
pub async fn insert_link(
    conn: &mut PgConnection,
    link: &ManualLink<'_>,
    member_id: i64,
) -> Result<Option<i64>, AppError> {
    Ok(sqlx::query_scalar!(
        r#"INSERT INTO candidates (url, url_key, title, excerpt, published_at, added_by)
           VALUES ($1, $2, $3, $4, now(), $5)
           ON CONFLICT (url_key) DO NOTHING RETURNING id"#,
        link.url,
        link.url_key,
        link.title,
        link.excerpt,
        member_id
    )
    .fetch_optional(&mut *conn)
    .await?)
}

/// The candidate with this normalised URL.
pub async fn id_by_url_key(conn: &mut PgConnection, url_key: &str) -> Result<i64, AppError> {
    Ok(
        sqlx::query_scalar!("SELECT id FROM candidates WHERE url_key = $1", url_key)
            .fetch_one(&mut *conn)
            .await?,
    )
}
