//! Queries on `sessions`. Session ids arrive here already hashed.

use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool};

use super::members::MemberRow;
use crate::{accounts::model::Member, error::AppError};

pub struct NewSession<'a> {
    pub id_hash: &'a [u8],
    pub member_id: i64,
    pub expires_at: DateTime<Utc>,
    pub client_addr: &'a str,
    pub user_agent: Option<&'a str>,
}

pub async fn insert(conn: &mut PgConnection, session: &NewSession<'_>) -> Result<(), AppError> {
    sqlx::query!(
        r#"INSERT INTO sessions (id_hash, member_id, expires_at, client_addr, user_agent)
           VALUES ($1, $2, $3, $4, $5)"#,
        session.id_hash,
        session.member_id,
        session.expires_at,
        session.client_addr,
        session.user_agent
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// The active member of a live session: not past its absolute expiry and
/// seen within `idle_secs`. Marks the session as seen when the last mark is
/// older than a minute, so most requests do not write.
pub async fn member_for_session(
    pool: &PgPool,
    id_hash: &[u8],
    idle_secs: f64,
) -> Result<Option<Member>, AppError> {
    let row = sqlx::query_as!(
        MemberRow,
        r#"WITH live AS (
               SELECT s.id_hash, s.last_seen_at FROM sessions s
               WHERE s.id_hash = $1 AND s.expires_at > now()
                 AND s.last_seen_at > now() - make_interval(secs => $2)
           ), touched AS (
               UPDATE sessions s SET last_seen_at = now()
               FROM live
               WHERE s.id_hash = live.id_hash AND live.last_seen_at < now() - interval '1 minute'
           )
           SELECT m.id, m.name, m.role, m.active, m.created_at, m.deactivated_at, m.language, m.time_zone
           FROM live JOIN sessions s USING (id_hash) JOIN members m ON m.id = s.member_id
           WHERE m.active"#,
        id_hash,
        idle_secs
    )
    .fetch_optional(pool)
    .await?;
    row.map(Member::try_from).transpose()
}

/// Ends one session; false when it did not exist.
pub async fn delete(conn: &mut PgConnection, id_hash: &[u8]) -> Result<bool, AppError> {
    let deleted = sqlx::query!("DELETE FROM sessions WHERE id_hash = $1", id_hash)
        .execute(conn)
        .await?
        .rows_affected();
    Ok(deleted == 1)
}

/// Ends every session of a member except `keep`; returns how many ended.
pub async fn delete_for_member(
    conn: &mut PgConnection,
    member_id: i64,
    keep: Option<&[u8]>,
) -> Result<u64, AppError> {
    Ok(sqlx::query!(
        r#"DELETE FROM sessions WHERE member_id = $1
           AND ($2::bytea IS NULL OR id_hash <> $2)"#,
        member_id,
        keep
    )
    .execute(conn)
    .await?
    .rows_affected())
}

/// How many live sessions a member has (shown on the account page).
pub async fn count_for_member(pool: &PgPool, member_id: i64) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar!(
        r#"SELECT count(*) AS "count!" FROM sessions WHERE member_id = $1 AND expires_at > now()"#,
        member_id
    )
    .fetch_one(pool)
    .await?)
}

/// Removes sessions past their absolute expiry or idle for `idle_secs`.
pub async fn prune(pool: &PgPool, idle_secs: f64) -> Result<u64, AppError> {
    Ok(sqlx::query!(
        r#"DELETE FROM sessions
           WHERE expires_at <= now() OR last_seen_at <= now() - make_interval(secs => $1)"#,
        idle_secs
    )
    .execute(pool)
    .await?
    .rows_affected())
}
