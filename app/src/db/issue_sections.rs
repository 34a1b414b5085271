//! An issue's own sections: copied from the newsletter's defaults when the
//! draft is made, then added to, renamed, reordered and removed per issue;
//! and the saved sections (`sections`) an editor can choose from.

use sqlx::PgConnection;

use crate::{editor::model::SavedSection, error::AppError};

/// Gives a new issue the newsletter's default sections, in their order.
pub async fn copy_defaults(conn: &mut PgConnection, issue_id: i64) -> Result<(), AppError> {
    sqlx::query!(
        r#"INSERT INTO issue_sections (issue_id, section_id, position, title)
           SELECT $1, s.id, row_number() OVER (ORDER BY s.position, s.id), s.title
           FROM sections s WHERE s.archived_at IS NULL
           ON CONFLICT (issue_id, section_id) DO NOTHING"#,
        issue_id
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Appends saved section `section_id` to an issue under `title`; false
/// when the issue has it already.
pub async fn append(
    conn: &mut PgConnection,
    issue_id: i64,
    section_id: i64,
    title: &str,
) -> Result<bool, AppError> {
    let added = sqlx::query!(
        r#"INSERT INTO issue_sections (issue_id, section_id, position, title)
           SELECT $1, $2, coalesce(max(position), 0) + 1, $3
           FROM issue_sections WHERE issue_id = $1
           ON CONFLICT (issue_id, section_id) DO NOTHING"#,
        issue_id,
        section_id,
        title
    )
    .execute(&mut *conn)
    .await?;
    Ok(added.rows_affected() > 0)
}

/// Makes sure issue `to` has section `section_id` (appended, titled as in
/// issue `from`, or as saved), before a pick moves into it.
pub async fn ensure_like(
    conn: &mut PgConnection,
    to: i64,
    from: i64,
    section_id: i64,
) -> Result<(), AppError> {
    sqlx::query!(
        r#"INSERT INTO issue_sections (issue_id, section_id, position, title)
           SELECT $1, $3,
                  (SELECT coalesce(max(position), 0) + 1 FROM issue_sections WHERE issue_id = $1),
                  coalesce((SELECT title FROM issue_sections WHERE issue_id = $2 AND section_id = $3),
                           s.title)
           FROM sections s WHERE s.id = $3
           ON CONFLICT (issue_id, section_id) DO NOTHING"#,
        to,
        from,
        section_id
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Whether an issue has section `section_id`.
pub async fn has(
    conn: &mut PgConnection,
    issue_id: i64,
    section_id: i64,
) -> Result<bool, AppError> {
    Ok(sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM issue_sections
                          WHERE issue_id = $1 AND section_id = $2) AS "has!""#,
        issue_id,
        section_id
    )
    .fetch_one(&mut *conn)
    .await?)
}

/// Renames a section in one issue; false when the issue has no such section.
pub async fn rename(
    conn: &mut PgConnection,
    issue_id: i64,
    section_id: i64,
    title: &str,
) -> Result<bool, AppError> {
    let done = sqlx::query!(
        "UPDATE issue_sections SET title = $3 WHERE issue_id = $1 AND section_id = $2",
        issue_id,
        section_id,
        title
    )
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// The ids of an issue's sections, in order.
pub async fn ids(conn: &mut PgConnection, issue_id: i64) -> Result<Vec<i64>, AppError> {
    Ok(sqlx::query_scalar!(
        "SELECT section_id FROM issue_sections WHERE issue_id = $1 ORDER BY position",
        issue_id
    )
    .fetch_all(&mut *conn)
    .await?)
}

/// Puts an issue's sections in the order of `ids` (exactly its sections).
pub async fn order(conn: &mut PgConnection, issue_id: i64, ids: &[i64]) -> Result<(), AppError> {
    sqlx::query!(
        r#"UPDATE issue_sections s SET position = o.ordinality
           FROM unnest($2::bigint[]) WITH ORDINALITY AS o(id, ordinality)
           WHERE s.issue_id = $1 AND s.section_id = o.id"#,
        issue_id,
        ids
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// How many picks an issue has in a section.
pub async fn picks_in(
    conn: &mut PgConnection,
    issue_id: i64,
    section_id: i64,
) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar!(
        r#"SELECT count(*) AS "n!" FROM picks WHERE issue_id = $1 AND section_id = $2"#,
        issue_id,
        section_id
    )
    .fetch_one(&mut *conn)
    .await?)
}

/// Takes a section out of an issue and closes the gap in the positions.
pub async fn remove(
    conn: &mut PgConnection,
    issue_id: i64,
    section_id: i64,
) -> Result<(), AppError> {
    sqlx::query!(
        "DELETE FROM issue_sections WHERE issue_id = $1 AND section_id = $2",
        issue_id,
        section_id
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        r#"UPDATE issue_sections s SET position = o.position
           FROM (SELECT section_id, row_number() OVER (ORDER BY position) AS position
                 FROM issue_sections WHERE issue_id = $1) o
           WHERE s.issue_id = $1 AND s.section_id = o.section_id"#,
        issue_id
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Every saved section, defaults first in their order, then the others by
/// title: what the editor offers to add to an issue.
pub async fn saved(conn: &mut PgConnection) -> Result<Vec<SavedSection>, AppError> {
    Ok(sqlx::query_as!(
        SavedSection,
        r#"SELECT id, title, archived_at IS NULL AS "is_default!" FROM sections
           ORDER BY archived_at IS NOT NULL, position, title, id"#
    )
    .fetch_all(&mut *conn)
    .await?)
}

/// The saved section with this exact title (a default first), if any.
pub async fn saved_titled(conn: &mut PgConnection, title: &str) -> Result<Option<i64>, AppError> {
    Ok(sqlx::query_scalar!(
        r#"SELECT id FROM sections WHERE title = $1
           ORDER BY archived_at IS NOT NULL, id LIMIT 1"#,
        title
    )
    .fetch_optional(&mut *conn)
    .await?)
}

/// The title of a saved section.
pub async fn saved_title(
    conn: &mut PgConnection,
    section_id: i64,
) -> Result<Option<String>, AppError> {
    Ok(
        sqlx::query_scalar!("SELECT title FROM sections WHERE id = $1", section_id)
            .fetch_optional(&mut *conn)
            .await?,
    )
}

/// Saves a section that is not one of the newsletter's defaults (made for
/// one issue, or by an import); returns its id.
pub async fn save_extra(conn: &mut PgConnection, title: &str) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar!(
        r#"INSERT INTO sections (title, position, archived_at)
           SELECT $1, coalesce(max(position), 0) + 1, now() FROM sections RETURNING id"#,
        title
    )
    .fetch_one(&mut *conn)
    .await?)
}

/// The candidates picked into a section of an issue.
pub async fn candidates_in(
    conn: &mut PgConnection,
    issue_id: i64,
    section_id: i64,
) -> Result<Vec<i64>, AppError> {
    Ok(sqlx::query_scalar!(
        r#"SELECT candidate_id AS "id!" FROM picks
           WHERE issue_id = $1 AND section_id = $2 AND candidate_id IS NOT NULL"#,
        issue_id,
        section_id
    )
    .fetch_all(&mut *conn)
    .await?)
}
