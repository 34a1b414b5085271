//! The trash that makes removing a pick undoable: a removed pick and its
//! notes are kept as JSON, and put back as they were.

use sqlx::PgConnection;

use crate::error::AppError;

/// Moves a pick and its notes to the trash and deletes it; the trash id.
pub async fn trash(conn: &mut PgConnection, pick_id: i64, member_id: i64) -> Result<i64, AppError> {
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
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query!("DELETE FROM picks WHERE id = $1", pick_id)
        .execute(&mut *conn)
        .await?;
    Ok(trash_id)
}

/// A removed pick: where it was.
pub struct Trashed {
    pub pick_id: i64,
    pub issue_id: i64,
    pub section_id: i64,
    pub position: i32,
    pub candidate_id: Option<i64>,
}

pub async fn lock_trashed(
    conn: &mut PgConnection,
    trash_id: i64,
) -> Result<Option<Trashed>, AppError> {
    Ok(sqlx::query_as!(
        Trashed,
        r#"SELECT (pick->>'id')::bigint AS "pick_id!", (pick->>'issue_id')::bigint AS "issue_id!",
                  (pick->>'section_id')::bigint AS "section_id!",
                  (pick->>'position')::int AS "position!",
                  (pick->>'candidate_id')::bigint AS candidate_id
           FROM pick_trash WHERE id = $1 FOR UPDATE"#,
        trash_id
    )
    .fetch_optional(&mut *conn)
    .await?)
}

/// Puts a removed pick back (at the end of its section) with its notes.
pub async fn untrash(conn: &mut PgConnection, trash_id: i64) -> Result<(), AppError> {
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
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        r#"INSERT INTO pick_notes OVERRIDING SYSTEM VALUE
           SELECT (jsonb_populate_record(NULL::pick_notes, n)).*
           FROM pick_trash t, jsonb_array_elements(t.notes) n WHERE t.id = $1"#,
        trash_id
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!("DELETE FROM pick_trash WHERE id = $1", trash_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
