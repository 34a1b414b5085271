//! Queries on `invites`: admins' invitations and the first-run setup link.
//! Tokens arrive here already hashed.

use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool};

use crate::{
    accounts::model::{Invite, InvitePurpose, Role},
    error::AppError,
};

struct InviteRow {
    id: i64,
    purpose: String,
    name: Option<String>,
    role: String,
    created_by_name: Option<String>,
    created_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    used_at: Option<DateTime<Utc>>,
    revoked_at: Option<DateTime<Utc>>,
}

impl TryFrom<InviteRow> for Invite {
    type Error = AppError;

    fn try_from(row: InviteRow) -> Result<Self, AppError> {
        let role = Role::parse(&row.role)
            .map_err(|_| AppError::internal("unknown role in invites", &row.role))?;
        let purpose = match row.purpose.as_str() {
            "setup" => InvitePurpose::Setup,
            _ => InvitePurpose::Invite,
        };
        Ok(Invite {
            id: row.id,
            purpose,
            name: row.name,
            role,
            created_by: row.created_by_name,
            created_at: row.created_at,
            expires_at: row.expires_at,
            used_at: row.used_at,
            revoked_at: row.revoked_at,
        })
    }
}

pub struct NewInvite<'a> {
    pub token_hash: &'a [u8],
    pub purpose: InvitePurpose,
    /// Display name and key; `None` for the setup link.
    pub name: Option<(&'a str, &'a str)>,
    pub role: Role,
    pub created_by: Option<i64>,
    pub expires_at: DateTime<Utc>,
}

/// Stores an invitation. An open invitation for the same name is refused.
pub async fn insert(conn: &mut PgConnection, new: &NewInvite<'_>) -> Result<Option<i64>, AppError> {
    let purpose = match new.purpose {
        InvitePurpose::Setup => "setup",
        InvitePurpose::Invite => "invite",
    };
    let inserted = sqlx::query_scalar!(
        r#"INSERT INTO invites (token_hash, purpose, name, name_key, role, created_by, expires_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id"#,
        new.token_hash,
        purpose,
        new.name.map(|(name, _)| name),
        new.name.map(|(_, key)| key),
        new.role.as_str(),
        new.created_by,
        new.expires_at
    )
    .fetch_one(conn)
    .await;
    match inserted {
        Ok(id) => Ok(Some(id)),
        // An open invitation for this name exists.
        Err(sqlx::Error::Database(error)) if error.is_unique_violation() => Ok(None),
        Err(error) => Err(error.into()),
    }
}

/// The invitation with this token hash, locked until the transaction ends
/// so that two people cannot use one link at the same time.
pub async fn lock_by_hash(
    conn: &mut PgConnection,
    token_hash: &[u8],
) -> Result<Option<Invite>, AppError> {
    sqlx::query_as!(
        InviteRow,
        r#"SELECT i.id, i.purpose, i.name, i.role, m.name AS "created_by_name?", i.created_at,
                  i.expires_at, i.used_at, i.revoked_at
           FROM invites i LEFT JOIN members m ON m.id = i.created_by
           WHERE i.token_hash = $1
           FOR UPDATE OF i"#,
        token_hash
    )
    .fetch_optional(conn)
    .await?
    .map(Invite::try_from)
    .transpose()
}

pub async fn mark_used(
    conn: &mut PgConnection,
    invite_id: i64,
    member_id: i64,
) -> Result<(), AppError> {
    sqlx::query!(
        "UPDATE invites SET used_at = now(), used_by = $2 WHERE id = $1",
        invite_id,
        member_id
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Revokes an open invitation; `None` when there is no open one with this id.
pub async fn revoke(conn: &mut PgConnection, invite_id: i64) -> Result<Option<String>, AppError> {
    Ok(sqlx::query_scalar!(
        r#"UPDATE invites SET revoked_at = now()
           WHERE id = $1 AND purpose = 'invite' AND used_at IS NULL AND revoked_at IS NULL
           RETURNING name AS "name!""#,
        invite_id
    )
    .fetch_optional(conn)
    .await?)
}

/// Closes open invitations that can no longer be used: expired ones for
/// `name_key` (so the name can be invited again), or every open setup link
/// when `name_key` is None.
pub async fn close_stale(conn: &mut PgConnection, name_key: Option<&str>) -> Result<(), AppError> {
    sqlx::query!(
        r#"UPDATE invites SET revoked_at = now()
           WHERE used_at IS NULL AND revoked_at IS NULL
             AND (($1::text IS NULL AND purpose = 'setup')
                  OR (name_key = $1 AND expires_at <= now()))"#,
        name_key
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Invitations not yet used or revoked (expired ones included, marked so).
pub async fn list_open(pool: &PgPool) -> Result<Vec<Invite>, AppError> {
    sqlx::query_as!(
        InviteRow,
        r#"SELECT i.id, i.purpose, i.name, i.role, m.name AS "created_by_name?", i.created_at,
                  i.expires_at, i.used_at, i.revoked_at
           FROM invites i LEFT JOIN members m ON m.id = i.created_by
           WHERE i.purpose = 'invite' AND i.used_at IS NULL AND i.revoked_at IS NULL
           ORDER BY i.created_at DESC, i.id DESC"#
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(Invite::try_from)
    .collect()
}
