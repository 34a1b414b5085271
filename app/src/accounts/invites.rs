//! Invitation links. An admin invites a named member with a role; the link
//! lets that person choose a password, which creates the account and signs
//! them in. The first-run setup link is the same thing with no name: it is
//! issued when no active admin exists and creates the first admin. Links
//! carry 256 random bits; only their hash is stored, and each works once.

use chrono::{Duration, Utc};
use serde_json::json;
use sqlx::PgPool;

use super::{
    actor::Actor,
    identity::Client,
    manage::hash_off_thread,
    names::{name_taken, normalise_name},
    sessions, tokens, Invite, InvitePurpose, Member, Role,
};
use crate::{
    db::{self, invites::NewInvite, members as member_db},
    error::AppError,
    i18n::td_string,
    lang::{self, fill},
};

pub const SETUP_VALID_FOR: Duration = Duration::hours(24);
pub const INVITE_VALID_FOR: Duration = Duration::days(7);

/// Issues a fresh setup link token when no active admin exists (closing any
/// earlier one); `None` when there is an admin already.
pub async fn issue_setup_token(pool: &PgPool) -> Result<Option<String>, AppError> {
    if member_db::any_active_admin(pool).await? {
        return Ok(None);
    }
    let new = tokens::new_secret("");
    let mut tx = pool.begin().await?;
    db::invites::close_stale(&mut tx, None).await?;
    db::invites::insert(
        &mut tx,
        &NewInvite {
            token_hash: &new.hash,
            purpose: InvitePurpose::Setup,
            name: None,
            role: Role::Admin,
            created_by: None,
            expires_at: Utc::now() + SETUP_VALID_FOR,
        },
    )
    .await?
    .ok_or_else(|| AppError::internal("setup link", "an open setup link remained"))?;
    tx.commit().await?;
    Ok(Some(new.token))
}

/// Invites `raw_name` with `role`; returns the invitation and its token.
pub async fn invite(
    pool: &PgPool,
    actor: &Actor,
    raw_name: &str,
    role: Role,
) -> Result<(Invite, String), AppError> {
    let (name, key) = normalise_name(raw_name)?;
    if member_db::find_by_key(pool, &key).await?.is_some() {
        return Err(name_taken(&name));
    }
    let new = tokens::new_secret("");
    let mut tx = pool.begin().await?;
    db::invites::close_stale(&mut tx, Some(&key)).await?;
    let id = db::invites::insert(
        &mut tx,
        &NewInvite {
            token_hash: &new.hash,
            purpose: InvitePurpose::Invite,
            name: Some((&name, &key)),
            role,
            created_by: actor.member_id,
            expires_at: Utc::now() + INVITE_VALID_FOR,
        },
    )
    .await?
    .ok_or_else(|| {
        AppError::invalid("name", td_string!(lang::current(), accounts.invite_exists))
    })?;
    let detail = json!({ "invite_id": id, "role": role });
    member_db::append_audit(&mut tx, &actor.entry("invite.create", &name, detail)).await?;
    let invite = db::invites::lock_by_hash(&mut tx, &new.hash)
        .await?
        .ok_or_else(|| AppError::internal("invite vanished", id))?;
    tx.commit().await?;
    Ok((invite, new.token))
}

pub async fn revoke(pool: &PgPool, actor: &Actor, invite_id: i64) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    let Some(name) = db::invites::revoke(&mut tx, invite_id).await? else {
        return Err(AppError::NotFound);
    };
    let detail = json!({ "invite_id": invite_id });
    member_db::append_audit(&mut tx, &actor.entry("invite.revoke", &name, detail)).await?;
    tx.commit().await?;
    Ok(())
}

/// The invitation behind a link, if it can still be used; otherwise a
/// message saying why not.
pub async fn check(pool: &PgPool, token: &str) -> Result<Invite, AppError> {
    let mut tx = pool.begin().await?;
    let invite = usable(&mut tx, token).await?;
    tx.rollback().await?;
    Ok(invite)
}

/// Uses an invitation: creates the member with `password` (and, for the
/// setup link, `raw_name`), marks the link used and starts a session,
/// ending `replaces` (the browser's previous session, if any).
pub async fn accept(
    pool: &PgPool,
    token: &str,
    raw_name: &str,
    password: &str,
    client: &Client,
    replaces: Option<&[u8]>,
) -> Result<(Member, String), AppError> {
    // Hash before taking the row lock; argon2 takes a while.
    let hash = hash_off_thread(password).await?;
    let mut tx = pool.begin().await?;
    let invite = usable(&mut tx, token).await?;
    let (name, key) = match (&invite.purpose, &invite.name) {
        (InvitePurpose::Invite, Some(name)) => normalise_name(name)?,
        _ => normalise_name(raw_name)?,
    };
    if invite.purpose == InvitePurpose::Setup {
        // Two setup links can exist only if an admin was made meanwhile
        // (e.g. with `newsdesk user add`); the link is void then.
        let admin_exists = sqlx::query_scalar!(
            r#"SELECT EXISTS (SELECT 1 FROM members WHERE role = 'admin' AND active) AS "e!""#
        )
        .fetch_one(&mut *tx)
        .await?;
        if admin_exists {
            return Err(AppError::invalid(
                "token",
                td_string!(lang::current(), accounts.setup_link_void),
            ));
        }
    }
    let member = member_db::insert(&mut tx, &name, &key, invite.role, &hash)
        .await?
        .ok_or_else(|| name_taken(&name))?;
    db::invites::mark_used(&mut tx, invite.id, member.id).await?;
    let actor = Actor::anonymous(client);
    let action = match invite.purpose {
        InvitePurpose::Setup => "member.setup",
        InvitePurpose::Invite => "invite.accept",
    };
    let detail = json!({ "member_id": member.id, "role": member.role, "invite_id": invite.id });
    member_db::append_audit(&mut tx, &actor.entry(action, &member.name, detail)).await?;
    tx.commit().await?;
    let session = sessions::start(pool, &member, client, replaces).await?;
    Ok((member, session))
}

async fn usable(conn: &mut sqlx::PgConnection, token: &str) -> Result<Invite, AppError> {
    let invalid = |message: &str| AppError::invalid("token", message);
    let locale = lang::current();
    let token = token.trim();
    if token.is_empty() || token.len() > 100 {
        return Err(invalid(td_string!(locale, accounts.link_invalid)));
    }
    let Some(invite) = db::invites::lock_by_hash(conn, &tokens::hash_token(token)).await? else {
        return Err(invalid(td_string!(locale, accounts.link_invalid)));
    };
    if invite.used_at.is_some() {
        return Err(invalid(td_string!(locale, accounts.link_used)));
    }
    if invite.revoked_at.is_some() {
        return Err(invalid(td_string!(locale, accounts.link_withdrawn)));
    }
    if invite.is_expired(Utc::now()) {
        let text = if invite.purpose == InvitePurpose::Setup {
            td_string!(locale, accounts.setup_link_expired)
        } else {
            td_string!(locale, accounts.link_expired)
        };
        let date = invite.expires_at.format("%Y-%m-%d %H:%M UTC").to_string();
        return Err(invalid(&fill(text, &[("date", &date)])));
    }
    Ok(invite)
}
