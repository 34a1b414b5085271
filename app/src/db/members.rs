//! Queries on `members`, `api_tokens` and `audit_log`. Names arrive here
//! already normalised and passwords already hashed (see `crate::accounts`).
//! Changes take a connection so that callers can put them and their audit
//! entry in one transaction.

use chrono::{DateTime, Utc};
use sqlx::{Acquire, PgConnection, PgPool};

use crate::{
    accounts::model::{ApiTokenInfo, AuditRecord, Member, Role},
    error::AppError,
};

/// A member row as stored; the role is checked when it becomes a `Member`.
pub(crate) struct MemberRow {
    pub id: i64,
    pub name: String,
    pub role: String,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub deactivated_at: Option<DateTime<Utc>>,
    pub language: Option<String>,
    pub time_zone: Option<String>,
}

impl TryFrom<MemberRow> for Member {
    type Error = AppError;

    fn try_from(row: MemberRow) -> Result<Self, AppError> {
        let role = Role::parse(&row.role)
            .map_err(|_| AppError::internal("unknown role in members", &row.role))?;
        Ok(Member {
            id: row.id,
            name: row.name,
            role,
            active: row.active,
            created_at: row.created_at,
            deactivated_at: row.deactivated_at,
            language: row.language,
            time_zone: row.time_zone,
        })
    }
}

fn members(rows: Vec<MemberRow>) -> Result<Vec<Member>, AppError> {
    rows.into_iter().map(Member::try_from).collect()
}

/// Adds a member; `None` when the name's key is taken, even by a
/// deactivated member.
pub async fn insert(
    conn: &mut PgConnection,
    name: &str,
    name_key: &str,
    role: Role,
    password_hash: &str,
) -> Result<Option<Member>, AppError> {
    let inserted = sqlx::query_as!(
        MemberRow,
        r#"INSERT INTO members (name, name_key, role, password_hash) VALUES ($1, $2, $3, $4)
           RETURNING id, name, role, active, created_at, deactivated_at, language, time_zone"#,
        name,
        name_key,
        role.as_str(),
        password_hash
    )
    .fetch_one(conn)
    .await;
    match inserted {
        Ok(row) => row.try_into().map(Some),
        Err(sqlx::Error::Database(error)) if error.is_unique_violation() => Ok(None),
        Err(error) => Err(error.into()),
    }
}

/// The member with this name key, active or not.
pub async fn find_by_key(pool: &PgPool, name_key: &str) -> Result<Option<Member>, AppError> {
    sqlx::query_as!(
        MemberRow,
        r#"SELECT id, name, role, active, created_at, deactivated_at, language, time_zone
           FROM members WHERE name_key = $1"#,
        name_key
    )
    .fetch_optional(pool)
    .await?
    .map(Member::try_from)
    .transpose()
}

pub async fn find_by_id(pool: &PgPool, member_id: i64) -> Result<Option<Member>, AppError> {
    sqlx::query_as!(
        MemberRow,
        r#"SELECT id, name, role, active, created_at, deactivated_at, language, time_zone
           FROM members WHERE id = $1"#,
        member_id
    )
    .fetch_optional(pool)
    .await?
    .map(Member::try_from)
    .transpose()
}

/// An active member and their password hash, for signing in.
pub async fn credentials(
    pool: &PgPool,
    name_key: &str,
) -> Result<Option<(Member, String)>, AppError> {
    let row = sqlx::query!(
        r#"SELECT id, name, role, active, created_at, deactivated_at, language, time_zone, password_hash
           FROM members WHERE name_key = $1 AND active"#,
        name_key
    )
    .fetch_optional(pool)
    .await?;
    row.map(|row| {
        let member = Member::try_from(MemberRow {
            id: row.id,
            name: row.name,
            role: row.role,
            active: row.active,
            created_at: row.created_at,
            deactivated_at: row.deactivated_at,
            language: row.language,
            time_zone: row.time_zone,
        })?;
        Ok((member, row.password_hash))
    })
    .transpose()
}

/// Everyone, active members first, then by name.
pub async fn list(pool: &PgPool) -> Result<Vec<Member>, AppError> {
    members(
        sqlx::query_as!(
            MemberRow,
            r#"SELECT id, name, role, active, created_at, deactivated_at, language, time_zone
               FROM members ORDER BY active DESC, name_key, id"#
        )
        .fetch_all(pool)
        .await?,
    )
}

/// Whether any active admin exists; without one, newsdesk offers first-run setup.
pub async fn any_active_admin(pool: &PgPool) -> Result<bool, AppError> {
    Ok(sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM members WHERE role = 'admin' AND active) AS "exists!""#
    )
    .fetch_one(pool)
    .await?)
}

/// Replaces a member's password hash; false when there is no such member.
pub async fn set_password(
    conn: &mut PgConnection,
    member_id: i64,
    password_hash: &str,
) -> Result<bool, AppError> {
    let updated = sqlx::query!(
        "UPDATE members SET password_hash = $2 WHERE id = $1",
        member_id,
        password_hash
    )
    .execute(conn)
    .await?
    .rows_affected();
    Ok(updated == 1)
}

/// Stores a member's UI language and time zone (`None`: the browser's).
pub async fn set_preferences(
    pool: &PgPool,
    member_id: i64,
    language: Option<&str>,
    time_zone: Option<&str>,
) -> Result<bool, AppError> {
    let updated = sqlx::query!(
        "UPDATE members SET language = $2, time_zone = $3 WHERE id = $1",
        member_id,
        language,
        time_zone
    )
    .execute(pool)
    .await?
    .rows_affected();
    Ok(updated == 1)
}

/// Changes a member's role; false when there is no such member.
pub async fn set_role(
    conn: &mut PgConnection,
    member_id: i64,
    role: Role,
) -> Result<bool, AppError> {
    let updated = sqlx::query!(
        "UPDATE members SET role = $2 WHERE id = $1",
        member_id,
        role.as_str()
    )
    .execute(conn)
    .await?
    .rows_affected();
    Ok(updated == 1)
}

/// Deactivates a member, ends their sessions and revokes all their tokens at
/// once; false when there is no such active member.
pub async fn deactivate(conn: &mut PgConnection, member_id: i64) -> Result<bool, AppError> {
    let mut tx = conn.begin().await?;
    let updated = sqlx::query!(
        "UPDATE members SET active = false, deactivated_at = now() WHERE id = $1 AND active",
        member_id
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    sqlx::query!(
        "UPDATE api_tokens SET revoked_at = now() WHERE member_id = $1 AND revoked_at IS NULL",
        member_id
    )
    .execute(&mut *tx)
    .await?;
    super::sessions::delete_for_member(&mut tx, member_id, None).await?;
    tx.commit().await?;
    Ok(updated == 1)
}

/// The active admins, locked until the transaction ends, so that two
/// concurrent demotions cannot each leave the other as the last admin.
pub async fn lock_active_admins(conn: &mut PgConnection) -> Result<Vec<i64>, AppError> {
    Ok(
        sqlx::query_scalar!("SELECT id FROM members WHERE role = 'admin' AND active FOR UPDATE")
            .fetch_all(conn)
            .await?,
    )
}

/// Stores a new token for a member.
pub async fn insert_token(
    conn: &mut PgConnection,
    member_id: i64,
    name: &str,
    token_hash: &[u8],
) -> Result<ApiTokenInfo, AppError> {
    Ok(sqlx::query_as!(
        ApiTokenInfo,
        r#"INSERT INTO api_tokens (member_id, name, token_hash) VALUES ($1, $2, $3)
           RETURNING id, member_id, name, created_at, last_used_at, revoked_at"#,
        member_id,
        name,
        token_hash
    )
    .fetch_one(conn)
    .await?)
}

/// Revokes one of a member's tokens; false when it is not theirs or
/// already revoked.
pub async fn revoke_token(
    conn: &mut PgConnection,
    member_id: i64,
    token_id: i64,
) -> Result<bool, AppError> {
    let updated = sqlx::query!(
        r#"UPDATE api_tokens SET revoked_at = now()
           WHERE id = $1 AND member_id = $2 AND revoked_at IS NULL"#,
        token_id,
        member_id
    )
    .execute(conn)
    .await?
    .rows_affected();
    Ok(updated == 1)
}

/// A member's tokens, newest first, revoked ones included.
pub async fn list_tokens(pool: &PgPool, member_id: i64) -> Result<Vec<ApiTokenInfo>, AppError> {
    Ok(sqlx::query_as!(
        ApiTokenInfo,
        r#"SELECT id, member_id, name, created_at, last_used_at, revoked_at
           FROM api_tokens WHERE member_id = $1 ORDER BY created_at DESC, id DESC"#,
        member_id
    )
    .fetch_all(pool)
    .await?)
}

/// The active member owning an unrevoked token with this hash, recording
/// the use in the same statement.
pub async fn member_for_token_hash(
    pool: &PgPool,
    token_hash: &[u8],
) -> Result<Option<Member>, AppError> {
    sqlx::query_as!(
        MemberRow,
        r#"UPDATE api_tokens t SET last_used_at = now()
           FROM members m
           WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND m.id = t.member_id AND m.active
           RETURNING m.id, m.name, m.role, m.active, m.created_at, m.deactivated_at, m.language, m.time_zone"#,
        token_hash
    )
    .fetch_optional(pool)
    .await?
    .map(Member::try_from)
    .transpose()
}

/// What an audit entry records; `at` is set by the database.
#[derive(Debug, Clone)]
pub struct AuditEntry<'a> {
    /// The member who acted; `None` for the command line and anonymous attempts.
    pub actor_id: Option<i64>,
    /// What happened, e.g. `member.add`, `token.create`.
    pub action: &'a str,
    /// Whom or what it happened to, e.g. a member's name.
    pub subject: &'a str,
    pub detail: serde_json::Value,
    pub client_addr: Option<&'a str>,
}

pub async fn append_audit(conn: &mut PgConnection, entry: &AuditEntry<'_>) -> Result<(), AppError> {
    sqlx::query!(
        r#"INSERT INTO audit_log (actor_id, action, subject, detail, client_addr)
           VALUES ($1, $2, $3, $4, $5)"#,
        entry.actor_id,
        entry.action,
        entry.subject,
        entry.detail,
        entry.client_addr
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// The most recent audit entries, newest first; `before` (an entry id)
/// pages further back.
pub async fn recent_audit(
    pool: &PgPool,
    limit: i64,
    before: Option<i64>,
) -> Result<Vec<AuditRecord>, AppError> {
    Ok(sqlx::query_as!(
        AuditRecord,
        r#"SELECT a.id, a.at, a.actor_id, m.name AS "actor_name?", a.action, a.subject,
                  a.detail, a.client_addr
           FROM audit_log a LEFT JOIN members m ON m.id = a.actor_id
           WHERE $2::bigint IS NULL OR a.id < $2
           ORDER BY a.id DESC LIMIT $1"#,
        limit,
        before
    )
    .fetch_all(pool)
    .await?)
}
