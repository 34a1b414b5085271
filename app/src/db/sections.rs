//! The saved sections: the defaults a new draft starts with, in order.
//! The rules are in `settings::sections`.

use sqlx::{PgConnection, PgPool};

use crate::{error::AppError, settings::model::SectionSetting};

/// Sections in use, in order, with how many picks each has.
pub async fn in_use(pool: &PgPool) -> Result<Vec<SectionSetting>, AppError> {
    Ok(sqlx::query_as!(
        SectionSetting,
        r#"SELECT s.id, s.title,
                  (SELECT count(*) FROM picks p WHERE p.section_id = s.id) AS "picks!"
           FROM sections s WHERE s.archived_at IS NULL ORDER BY s.position, s.id"#
    )
    .fetch_all(pool)
    .await?)
}

/// Adds a default section, and to open drafts at the end.
pub async fn add(conn: &mut PgConnection, title: &str) -> Result<i64, AppError> {
    let id = sqlx::query_scalar!(
        r#"INSERT INTO sections (title, position)
           SELECT $1, coalesce(max(position), 0) + 1 FROM sections RETURNING id"#,
        title
    )
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query!(
        r#"INSERT INTO issue_sections (issue_id, section_id, position, title)
           SELECT i.id, $1, (SELECT coalesce(max(position), 0) + 1 FROM issue_sections
                             WHERE issue_id = i.id), $2
           FROM issues i WHERE i.state = 'draft'"#,
        id,
        title
    )
    .execute(&mut *conn)
    .await?;
    Ok(id)
}

/// Renames a default section, and the section in drafts that have not
/// renamed it for themselves; false when there is no such section.
pub async fn rename(conn: &mut PgConnection, id: i64, title: &str) -> Result<bool, AppError> {
    let old = sqlx::query_scalar!(
        "SELECT title FROM sections WHERE id = $1 AND archived_at IS NULL FOR UPDATE",
        id
    )
    .fetch_optional(&mut *conn)
    .await?;
    let Some(old) = old else {
        return Ok(false);
    };
    sqlx::query!("UPDATE sections SET title = $2 WHERE id = $1", id, title)
        .execute(&mut *conn)
        .await?;
    sqlx::query!(
        r#"UPDATE issue_sections s SET title = $3 FROM issues i
           WHERE i.id = s.issue_id AND i.state = 'draft' AND s.section_id = $1 AND s.title = $2"#,
        id,
        old,
        title
    )
    .execute(&mut *conn)
    .await?;
    Ok(true)
}

/// The sections in use, by id, locked until the transaction ends.
pub async fn lock_in_use(conn: &mut PgConnection) -> Result<Vec<i64>, AppError> {
    Ok(sqlx::query_scalar!(
        "SELECT id FROM sections WHERE archived_at IS NULL ORDER BY id FOR UPDATE"
    )
    .fetch_all(&mut *conn)
    .await?)
}

/// Puts the sections in the order of `ids`.
pub async fn set_order(conn: &mut PgConnection, ids: &[i64]) -> Result<(), AppError> {
    sqlx::query!(
        r#"UPDATE sections s SET position = o.ordinality
           FROM unnest($1::bigint[]) WITH ORDINALITY AS o(id, ordinality) WHERE s.id = o.id"#,
        ids
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// How many picks of drafts are in the section.
pub async fn picks_in_drafts(conn: &mut PgConnection, id: i64) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar!(
        r#"SELECT count(*) AS "n!" FROM picks p JOIN issues i ON i.id = p.issue_id
           WHERE p.section_id = $1 AND i.state = 'draft'"#,
        id
    )
    .fetch_one(&mut *conn)
    .await?)
}

/// How many other sections are in use.
pub async fn others_in_use(conn: &mut PgConnection, id: i64) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar!(
        r#"SELECT count(*) AS "n!" FROM sections WHERE archived_at IS NULL AND id <> $1"#,
        id
    )
    .fetch_one(&mut *conn)
    .await?)
}

/// The drafts that have the section.
pub async fn drafts_with(conn: &mut PgConnection, id: i64) -> Result<Vec<i64>, AppError> {
    Ok(sqlx::query_scalar!(
        r#"SELECT s.issue_id FROM issue_sections s JOIN issues i ON i.id = s.issue_id
           WHERE s.section_id = $1 AND i.state = 'draft'"#,
        id
    )
    .fetch_all(&mut *conn)
    .await?)
}

/// Deletes the section when no issue has it, else archives it.
pub async fn delete_or_archive(conn: &mut PgConnection, id: i64) -> Result<(), AppError> {
    let deleted = sqlx::query!(
        r#"DELETE FROM sections s WHERE id = $1
             AND NOT EXISTS (SELECT 1 FROM picks p WHERE p.section_id = s.id)
             AND NOT EXISTS (SELECT 1 FROM issue_sections i WHERE i.section_id = s.id)"#,
        id
    )
    .execute(&mut *conn)
    .await?;
    if deleted.rows_affected() == 0 {
        sqlx::query!(
            "UPDATE sections SET archived_at = now() WHERE id = $1 AND archived_at IS NULL",
            id
        )
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}
