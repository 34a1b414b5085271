//! The history of issues' and picks' texts: every save of a headline,
//! intro, closing part, pick title, commentary or link.

use sqlx::{PgConnection, PgPool};

use crate::{
    editor::model::{Revision, TextField},
    error::AppError,
};

/// Keeps a saved value in the history: it replaces the field's last
/// revision when that is the same member's and younger than `merge_within`
/// seconds, else it is a new one.
pub async fn record(
    conn: &mut PgConnection,
    issue_id: i64,
    pick_id: Option<i64>,
    (field, value): (TextField, &str),
    member_id: i64,
    merge_within: f64,
) -> Result<(), AppError> {
    let updated = sqlx::query!(
        r#"UPDATE revisions SET value = $4, created_at = now()
           WHERE id = (SELECT id FROM revisions
                       WHERE issue_id = $1 AND pick_id IS NOT DISTINCT FROM $2 AND field = $3
                       ORDER BY id DESC LIMIT 1)
             AND member_id = $5 AND created_at > now() - make_interval(secs => $6)"#,
        issue_id,
        pick_id,
        field.as_str(),
        value,
        member_id,
        merge_within
    )
    .execute(&mut *conn)
    .await?;
    if updated.rows_affected() == 0 {
        sqlx::query!(
            r#"INSERT INTO revisions (issue_id, pick_id, field, value, member_id)
               VALUES ($1, $2, $3, $4, $5)"#,
            issue_id,
            pick_id,
            field.as_str(),
            value,
            member_id
        )
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// The history of a field, newest first.
pub async fn of_field(
    pool: &PgPool,
    issue_id: i64,
    pick_id: Option<i64>,
    field: TextField,
) -> Result<Vec<Revision>, AppError> {
    Ok(sqlx::query_as!(
        Revision,
        r#"SELECT r.id, r.value, m.name AS "author?", r.created_at
           FROM revisions r LEFT JOIN members m ON m.id = r.member_id
           WHERE r.issue_id = $1 AND r.pick_id IS NOT DISTINCT FROM $2 AND r.field = $3
           ORDER BY r.id DESC LIMIT 100"#,
        issue_id,
        pick_id,
        field.as_str()
    )
    .fetch_all(pool)
    .await?)
}
