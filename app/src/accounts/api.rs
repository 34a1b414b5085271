//! Server functions of signing in, the account page and the members page.
//! Each one authorizes first (or is public, as marked), then calls the
//! module that owns the logic.

use leptos::prelude::*;

use super::{
    AccountOverview, AuditRecord, CreatedToken, Invite, Member, MembersOverview, SentInvite,
};
use crate::error::AppError;

#[cfg(feature = "ssr")]
use {
    super::{
        access, actor, identity, identity::Identity, invites, manage, sessions, sign_in as signing,
        Role,
    },
    crate::state::AppState,
    crate::{i18n::td_string, lang},
};

/// Public: the signed-in member, if any (for the header).
#[server(endpoint = "current_member")]
pub async fn current_member() -> Result<Option<Member>, AppError> {
    Ok(identity::current_identity().member().cloned())
}

/// Public: whether newsdesk still waits for its first admin (the sign-in
/// page then points to the setup link in the server log).
#[server(endpoint = "needs_setup")]
pub async fn needs_setup() -> Result<bool, AppError> {
    manage::needs_setup(&AppState::current()?.pool).await
}

/// Public. On success the browser gets a fresh session cookie and goes to
/// `next` (a path on this site).
#[server(endpoint = "sign_in")]
pub async fn sign_in(name: String, password: String, next: Option<String>) -> Result<(), AppError> {
    let state = AppState::current()?;
    let (_, session) = signing::sign_in(
        &state.pool,
        &name,
        &password,
        &identity::current_client(),
        current_session_id().as_deref(),
    )
    .await?;
    set_cookie(sessions::cookie(&session, state.web.secure_cookies));
    leptos_axum::redirect(access::safe_next(next.as_deref().unwrap_or("/")));
    Ok(())
}

#[server(endpoint = "sign_out")]
pub async fn sign_out() -> Result<(), AppError> {
    let state = AppState::current()?;
    let (member, session) = current_session()?;
    signing::sign_out(&state.pool, &member, &session, &identity::current_client()).await?;
    set_cookie(sessions::clearing_cookie(state.web.secure_cookies));
    leptos_axum::redirect("/sign-in");
    Ok(())
}

/// Ends the member's other sessions; returns how many ended.
#[server(endpoint = "sign_out_everywhere")]
pub async fn sign_out_everywhere() -> Result<u64, AppError> {
    let state = AppState::current()?;
    let member = identity::require(Role::Viewer)?;
    signing::sign_out_everywhere(
        &state.pool,
        &member,
        current_session_id().as_deref(),
        &identity::current_client(),
    )
    .await
}

/// Public: the invitation (or setup link) behind `token`, if still usable.
#[server(endpoint = "check_invite")]
pub async fn check_invite(token: String) -> Result<Invite, AppError> {
    invites::check(&AppState::current()?.pool, &token).await
}

/// Public: uses an invitation or the setup link; `name` is only read for
/// the setup link (invitations name their member).
#[server(endpoint = "accept_invite")]
pub async fn accept_invite(
    token: String,
    name: Option<String>,
    password: String,
    confirm: String,
) -> Result<(), AppError> {
    if password != confirm {
        return Err(AppError::invalid(
            "confirm",
            td_string!(lang::current(), accounts.passwords_differ),
        ));
    }
    let state = AppState::current()?;
    let (_, session) = invites::accept(
        &state.pool,
        &token,
        name.as_deref().unwrap_or_default(),
        &password,
        &identity::current_client(),
        current_session_id().as_deref(),
    )
    .await?;
    set_cookie(sessions::cookie(&session, state.web.secure_cookies));
    leptos_axum::redirect("/");
    Ok(())
}

#[server(endpoint = "load_account")]
pub async fn load_account() -> Result<AccountOverview, AppError> {
    let member = identity::require(Role::Viewer)?;
    manage::account(&AppState::current()?.pool, member).await
}

/// The member's own UI language and time zone (empty: the browser's).
/// Answers the tag of the language the UI speaks from now on, so the page
/// can switch without a reload.
#[server(endpoint = "save_preferences")]
pub async fn save_preferences(language: String, time_zone: String) -> Result<String, AppError> {
    let member = identity::require(Role::Viewer)?;
    let chosen =
        manage::save_preferences(&AppState::current()?.pool, &member, &language, &time_zone)
            .await?;
    let headers = use_context::<http::request::Parts>()
        .map(|parts| parts.headers)
        .unwrap_or_default();
    let speaks = crate::lang::resolve_headers(&headers, None, chosen.map(crate::lang::tag));
    Ok(crate::lang::tag(speaks).to_owned())
}

/// The time zones a member can choose from, for the account page.
#[server(endpoint = "time_zones")]
pub async fn time_zones() -> Result<Vec<String>, AppError> {
    identity::require(Role::Viewer)?;
    Ok(crate::lang::clock::zone_names())
}

/// Changes the member's own password; their other sessions end.
#[server(endpoint = "change_password")]
pub async fn change_password(
    current: String,
    password: String,
    confirm: String,
) -> Result<(), AppError> {
    let (member, actor) = actor::require_actor(Role::Viewer)?;
    if password != confirm {
        return Err(AppError::invalid(
            "confirm",
            td_string!(lang::current(), accounts.passwords_differ),
        ));
    }
    manage::change_own_password(
        &AppState::current()?.pool,
        &actor,
        &member,
        &current,
        &password,
        current_session_id().as_deref(),
    )
    .await
}

/// Creates an API token for the signed-in member, with their role.
#[server(endpoint = "create_token")]
pub async fn create_token(name: String) -> Result<CreatedToken, AppError> {
    let (member, actor) = actor::require_actor(Role::Viewer)?;
    let (info, token) =
        manage::create_token(&AppState::current()?.pool, &actor, &member, &name).await?;
    Ok(CreatedToken { info, token })
}

#[server(endpoint = "revoke_token")]
pub async fn revoke_token(id: i64) -> Result<(), AppError> {
    let (member, actor) = actor::require_actor(Role::Viewer)?;
    manage::revoke_token(&AppState::current()?.pool, &actor, &member, id).await
}

#[server(endpoint = "load_members")]
pub async fn load_members() -> Result<MembersOverview, AppError> {
    identity::require(Role::Admin)?;
    manage::members(&AppState::current()?.pool).await
}

#[server(endpoint = "invite_member")]
pub async fn invite_member(name: String, role: String) -> Result<SentInvite, AppError> {
    let (_, actor) = actor::require_actor(Role::Admin)?;
    let state = AppState::current()?;
    let role = Role::parse(&role)?;
    let (invite, token) = invites::invite(&state.pool, &actor, &name, role).await?;
    Ok(SentInvite {
        invite,
        url: format!("{}/invite/{token}", state.site_origin()),
    })
}

#[server(endpoint = "revoke_invite")]
pub async fn revoke_invite(id: i64) -> Result<(), AppError> {
    let (_, actor) = actor::require_actor(Role::Admin)?;
    invites::revoke(&AppState::current()?.pool, &actor, id).await
}

#[server(endpoint = "change_role")]
pub async fn change_role(member_id: i64, role: String) -> Result<(), AppError> {
    let (_, actor) = actor::require_actor(Role::Admin)?;
    let pool = AppState::current()?.pool;
    let role = Role::parse(&role)?;
    let member = manage::member_by_id(&pool, member_id).await?;
    manage::set_role(&pool, &actor, &member, role).await
}

/// Deactivates a member: their sessions and tokens stop working at once.
#[server(endpoint = "deactivate_member")]
pub async fn deactivate_member(member_id: i64) -> Result<(), AppError> {
    let (_, actor) = actor::require_actor(Role::Admin)?;
    let pool = AppState::current()?.pool;
    let member = manage::member_by_id(&pool, member_id).await?;
    manage::deactivate(&pool, &actor, &member).await
}

/// The audit log, newest first, a page at a time; `before` is the id of
/// the last entry already shown.
#[server(endpoint = "audit_log")]
pub async fn audit_log(before: Option<i64>) -> Result<Vec<AuditRecord>, AppError> {
    identity::require(Role::Admin)?;
    manage::audit_log(&AppState::current()?.pool, before).await
}

/// The signed-in member and their session; API tokens have no session.
#[cfg(feature = "ssr")]
fn current_session() -> Result<(Member, Vec<u8>), AppError> {
    match identity::current_identity() {
        Identity::Session { member, session } => Ok((member, session)),
        Identity::Token { .. } => Err(AppError::BadRequest(
            td_string!(lang::current(), accounts.token_has_no_session).into(),
        )),
        Identity::Rejected(message) => Err(AppError::Unauthenticated(message)),
        Identity::Anonymous => Err(AppError::Unauthenticated(
            td_string!(lang::current(), accounts.sign_in_to_continue).into(),
        )),
    }
}

/// The (hashed) id of the browser's session, when the request has one.
#[cfg(feature = "ssr")]
fn current_session_id() -> Option<Vec<u8>> {
    match identity::current_identity() {
        Identity::Session { session, .. } => Some(session),
        _ => None,
    }
}

#[cfg(feature = "ssr")]
fn set_cookie(value: String) {
    if let (Some(options), Ok(value)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::HeaderValue::from_str(&value),
    ) {
        options.append_header(http::header::SET_COOKIE, value);
    }
}
