//! Notes on picks: the team's thread under each pick, and promoting one
//! into the pick's commentary.

use sqlx::PgConnection;

use crate::error::AppError;

pub async fn insert(
    conn: &mut PgConnection,
    pick_id: i64,
    body: &str,
    member_id: i64,
) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar!(
        "INSERT INTO pick_notes (pick_id, member_id, body) VALUES ($1, $2, $3) RETURNING id",
        pick_id,
        member_id,
        body
    )
    .fetch_one(&mut *conn)
    .await?)
}

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
