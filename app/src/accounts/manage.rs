//! Account changes as single steps: check the input, change the database and
//! append the audit entry in one transaction, so the log never misses a
//! change that happened nor records one that did not. Used by the command
//! line and by the account, members, setup and invitation pages.

use serde_json::json;
use sqlx::PgPool;

use super::actor::Actor;
use super::{
    names::{name_taken, normalise_name},
    passwords, tokens, ApiTokenInfo, Member, Role,
};
use super::{AccountOverview, AuditRecord, MembersOverview};
use crate::{
    db::{self as queries, members as db},
    error::AppError,
    i18n::td_string,
    lang::{self, clock, fill},
};

/// Audit log pages hold this many entries.
const AUDIT_PAGE: i64 = 100;

/// A member's own account page: their sessions and API tokens.
pub async fn account(pool: &PgPool, member: Member) -> Result<AccountOverview, AppError> {
    Ok(AccountOverview {
        sessions: queries::sessions::count_for_member(pool, member.id).await?,
        tokens: db::list_tokens(pool, member.id).await?,
        member,
    })
}

/// Stores the member's own UI language and time zone; an empty value
/// follows the browser. Answers the language stored.
pub async fn save_preferences(
    pool: &PgPool,
    member: &Member,
    language: &str,
    time_zone: &str,
) -> Result<Option<lang::Locale>, AppError> {
    let language = match language.trim() {
        "" => None,
        tag => Some(
            lang::from_tag(tag)
                .filter(|l| lang::tag(*l) == tag)
                .ok_or_else(|| {
                    AppError::invalid(
                        "language",
                        td_string!(lang::current(), accounts.language_unknown),
                    )
                })?,
        ),
    };
    let time_zone = match time_zone.trim() {
        "" => None,
        zone if clock::is_known_zone(zone) => Some(zone),
        _ => {
            return Err(AppError::invalid(
                "time_zone",
                td_string!(lang::current(), accounts.time_zone_unknown),
            ))
        }
    };
    if !db::set_preferences(pool, member.id, language.map(lang::tag), time_zone).await? {
        return Err(AppError::NotFound);
    }
    Ok(language)
}

/// The members page: every member and the open invitations.
pub async fn members(pool: &PgPool) -> Result<MembersOverview, AppError> {
    Ok(MembersOverview {
        members: db::list(pool).await?,
        invites: queries::invites::list_open(pool).await?,
    })
}

/// The audit log, newest first, a page at a time; `before` is the id of
/// the last entry already shown.
pub async fn audit_log(pool: &PgPool, before: Option<i64>) -> Result<Vec<AuditRecord>, AppError> {
    db::recent_audit(pool, AUDIT_PAGE, before).await
}

/// Whether newsdesk still waits for its first admin.
pub async fn needs_setup(pool: &PgPool) -> Result<bool, AppError> {
    Ok(!db::any_active_admin(pool).await?)
}

/// The member called `raw_name` (compared as names are: ignoring case and
/// letter width), active or not.
pub async fn find_member(pool: &PgPool, raw_name: &str) -> Result<Member, AppError> {
    let (display, key) = normalise_name(raw_name)?;
    db::find_by_key(pool, &key).await?.ok_or_else(|| {
        AppError::invalid(
            "name",
            fill(
                td_string!(lang::current(), accounts.member_unknown),
                &[("name", &display)],
            ),
        )
    })
}

/// The member with this id, active or not.
pub async fn member_by_id(pool: &PgPool, member_id: i64) -> Result<Member, AppError> {
    db::find_by_id(pool, member_id)
        .await?
        .ok_or(AppError::NotFound)
}

/// Adds a member with a password.
pub async fn add_member(
    pool: &PgPool,
    actor: &Actor,
    raw_name: &str,
    role: Role,
    password: &str,
) -> Result<Member, AppError> {
    let (name, key) = normalise_name(raw_name)?;
    let hash = hash_off_thread(password).await?;
    let mut tx = pool.begin().await?;
    let member = db::insert(&mut tx, &name, &key, role, &hash)
        .await?
        .ok_or_else(|| name_taken(&name))?;
    let detail = json!({ "member_id": member.id, "role": role });
    actor
        .commit_audited(tx, "member.add", &member.name, detail)
        .await?;
    Ok(member)
}

/// Replaces a member's password and ends their sessions, except `keep`
/// (the session of a member changing their own password).
pub async fn set_password(
    pool: &PgPool,
    actor: &Actor,
    member: &Member,
    password: &str,
    keep: Option<&[u8]>,
) -> Result<(), AppError> {
    let hash = hash_off_thread(password).await?;
    let mut tx = pool.begin().await?;
    if !db::set_password(&mut tx, member.id, &hash).await? {
        return Err(AppError::NotFound);
    }
    let ended = crate::db::sessions::delete_for_member(&mut tx, member.id, keep).await?;
    let detail = json!({ "member_id": member.id, "sessions_ended": ended });
    actor
        .commit_audited(tx, "member.password", &member.name, detail)
        .await?;
    Ok(())
}

/// A member changes their own password: the current one must be right.
pub async fn change_own_password(
    pool: &PgPool,
    actor: &Actor,
    member: &Member,
    current: &str,
    new: &str,
    keep: Option<&[u8]>,
) -> Result<(), AppError> {
    let stored = db::credentials(pool, &normalise_name(&member.name)?.1)
        .await?
        .map(|(_, hash)| hash)
        .ok_or(AppError::NotFound)?;
    let current = current.to_owned();
    let right = tokio::task::spawn_blocking(move || passwords::verify_password(&current, &stored))
        .await
        .map_err(|error| AppError::internal("password check task failed", error))?;
    if !right {
        return Err(AppError::invalid(
            "current",
            td_string!(lang::current(), accounts.wrong_current_password),
        ));
    }
    set_password(pool, actor, member, new, keep).await
}

/// Refuses to demote or deactivate the last active admin: a team without
/// one cannot manage itself. The admins stay locked until the caller's
/// transaction ends.
async fn keep_an_admin(conn: &mut sqlx::PgConnection, member_id: i64) -> Result<(), AppError> {
    if db::lock_active_admins(conn).await? == [member_id] {
        return Err(AppError::invalid(
            "role",
            td_string!(lang::current(), accounts.last_admin),
        ));
    }
    Ok(())
}

/// Gives a member another role.
pub async fn set_role(
    pool: &PgPool,
    actor: &Actor,
    member: &Member,
    role: Role,
) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    if role != Role::Admin {
        keep_an_admin(&mut tx, member.id).await?;
    }
    if !db::set_role(&mut tx, member.id, role).await? {
        return Err(AppError::NotFound);
    }
    let detail = json!({ "member_id": member.id, "from": member.role, "to": role });
    actor
        .commit_audited(tx, "member.role", &member.name, detail)
        .await?;
    Ok(())
}

/// Deactivates a member; their tokens stop working at once.
pub async fn deactivate(pool: &PgPool, actor: &Actor, member: &Member) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    keep_an_admin(&mut tx, member.id).await?;
    if !db::deactivate(&mut tx, member.id).await? {
        return Err(AppError::invalid(
            "name",
            fill(
                td_string!(lang::current(), accounts.already_deactivated),
                &[("name", &member.name)],
            ),
        ));
    }
    let detail = json!({ "member_id": member.id });
    actor
        .commit_audited(tx, "member.deactivate", &member.name, detail)
        .await?;
    Ok(())
}

/// Creates an API token for an active member; returns it with the token
/// itself, which is not stored and cannot be shown again.
pub async fn create_token(
    pool: &PgPool,
    actor: &Actor,
    member: &Member,
    raw_label: &str,
) -> Result<(ApiTokenInfo, String), AppError> {
    let label = tokens::check_token_name(raw_label)?;
    if !member.active {
        return Err(AppError::invalid(
            "name",
            fill(
                td_string!(lang::current(), accounts.deactivated_no_tokens),
                &[("name", &member.name)],
            ),
        ));
    }
    let new = tokens::generate();
    let mut tx = pool.begin().await?;
    let info = db::insert_token(&mut tx, member.id, &label, &new.hash).await?;
    let detail = json!({ "member_id": member.id, "token_id": info.id, "token_name": label });
    actor
        .commit_audited(tx, "token.create", &member.name, detail)
        .await?;
    Ok((info, new.token))
}

/// Revokes one of a member's tokens.
pub async fn revoke_token(
    pool: &PgPool,
    actor: &Actor,
    member: &Member,
    token_id: i64,
) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    if !db::revoke_token(&mut tx, member.id, token_id).await? {
        return Err(AppError::NotFound);
    }
    let detail = json!({ "member_id": member.id, "token_id": token_id });
    actor
        .commit_audited(tx, "token.revoke", &member.name, detail)
        .await?;
    Ok(())
}

/// Argon2 deliberately burns CPU; keep it off the async workers.
pub(crate) async fn hash_off_thread(password: &str) -> Result<String, AppError> {
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || passwords::hash_password(&password))
        .await
        .map_err(|error| AppError::internal("password hashing task failed", error))?
}
