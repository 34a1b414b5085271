//! Signing in with a name and password, throttled against guessing: after
//! too many failures within a window, further attempts for that account, or
//! from that client address, are refused without checking the password
//! until the window has slid past the oldest failure. The account limit
//! protects one member from a distributed attack; the address limit stops
//! one client from trying many accounts. Neither locks out anyone else.

use chrono::{DateTime, Duration, Utc};
use serde_json::json;
use sqlx::PgPool;

use super::{actor::Actor, identity::Client, names::normalise_name, passwords, sessions, Member};
use crate::{
    db::{self, members::AuditEntry},
    error::AppError,
    i18n::td_string,
    lang::{self, fill},
};

pub const WINDOW: Duration = Duration::minutes(15);
pub const MAX_FAILURES_PER_ACCOUNT: i64 = 5;
pub const MAX_FAILURES_PER_ADDRESS: i64 = 20;

/// The same answer for an unknown name and a wrong password, so that the
/// sign-in form does not reveal who has an account.
fn wrong() -> &'static str {
    td_string!(lang::current(), accounts.wrong_credentials)
}

/// Checks the credentials and starts a session; returns the member and the
/// new session id. `replaces` is the caller's current session, which ends.
pub async fn sign_in(
    pool: &PgPool,
    raw_name: &str,
    password: &str,
    client: &Client,
    replaces: Option<&[u8]>,
) -> Result<(Member, String), AppError> {
    let (display, key) = normalise_name(raw_name)?;
    if password.is_empty() {
        return Err(AppError::invalid(
            "password",
            td_string!(lang::current(), accounts.enter_password),
        ));
    }
    if password.chars().count() > passwords::MAX_PASSWORD_CHARS {
        // No stored password is this long; say so rather than "wrong".
        return Err(AppError::invalid(
            "password",
            fill(
                td_string!(lang::current(), accounts.password_max),
                &[("max", &passwords::MAX_PASSWORD_CHARS.to_string())],
            ),
        ));
    }
    let window = WINDOW.num_seconds() as f64;
    let recent = db::sign_in::recent(pool, &key, &client.addr, window).await?;
    let throttled = if recent.for_account >= MAX_FAILURES_PER_ACCOUNT {
        Some(("account", recent.account_oldest))
    } else if recent.from_address >= MAX_FAILURES_PER_ADDRESS {
        Some(("address", recent.address_oldest))
    } else {
        None
    };
    if let Some((scope, oldest)) = throttled {
        audit(
            pool,
            None,
            client,
            "sign_in.throttled",
            &display,
            json!({ "scope": scope }),
        )
        .await?;
        let text = if scope == "account" {
            td_string!(lang::current(), accounts.throttled_account)
        } else {
            td_string!(lang::current(), accounts.throttled_address)
        };
        return Err(AppError::Throttled(fill(
            text,
            &[("wait", &wait_text(oldest))],
        )));
    }

    let credentials = db::members::credentials(pool, &key).await?;
    let stored = credentials.as_ref().map(|(_, hash)| hash.clone());
    let matches = verify_off_thread(password, stored).await?;
    let member = match (credentials, matches) {
        (Some((member, _)), true) => member,
        _ => {
            db::sign_in::record(pool, &key, &client.addr).await?;
            audit(pool, None, client, "sign_in.failure", &display, json!({})).await?;
            return Err(AppError::invalid("password", wrong()));
        }
    };
    db::sign_in::forget_account(pool, &key).await?;
    let session = sessions::start(pool, &member, client, replaces).await?;
    audit(
        pool,
        Some(member.id),
        client,
        "sign_in.success",
        &member.name,
        json!({}),
    )
    .await?;
    Ok((member, session))
}

/// Ends the current session.
pub async fn sign_out(
    pool: &PgPool,
    member: &Member,
    session: &[u8],
    client: &Client,
) -> Result<(), AppError> {
    sessions::end(pool, session).await?;
    audit(
        pool,
        Some(member.id),
        client,
        "sign_out",
        &member.name,
        json!({}),
    )
    .await
}

/// Ends every session of the member except the current one.
pub async fn sign_out_everywhere(
    pool: &PgPool,
    member: &Member,
    keep: Option<&[u8]>,
    client: &Client,
) -> Result<u64, AppError> {
    let mut tx = pool.begin().await?;
    let ended = db::sessions::delete_for_member(&mut tx, member.id, keep).await?;
    let actor = Actor::web(member, client);
    let detail = json!({ "member_id": member.id, "sessions": ended });
    actor
        .commit_audited(tx, "sign_out.everywhere", &member.name, detail)
        .await?;
    Ok(ended)
}

async fn audit(
    pool: &PgPool,
    actor_id: Option<i64>,
    client: &Client,
    action: &str,
    subject: &str,
    detail: serde_json::Value,
) -> Result<(), AppError> {
    let mut conn = pool.acquire().await?;
    let mut detail = detail;
    detail["via"] = json!("web");
    db::members::append_audit(
        &mut conn,
        &AuditEntry {
            actor_id,
            action,
            subject,
            detail,
            client_addr: Some(&client.addr),
        },
    )
    .await
}

/// Verifies against the stored hash, or against a dummy one when the name is
/// unknown, so that both cases take the same time.
async fn verify_off_thread(password: &str, stored: Option<String>) -> Result<bool, AppError> {
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || match stored {
        Some(hash) => passwords::verify_password(&password, &hash),
        None => {
            passwords::verify_password(&password, passwords::dummy_hash());
            false
        }
    })
    .await
    .map_err(|error| AppError::internal("password check task failed", error))
}

/// "3 minutes": when the oldest failure in the window leaves it.
fn wait_text(oldest: Option<DateTime<Utc>>) -> String {
    let free_at = oldest.unwrap_or_else(Utc::now) + WINDOW;
    let minutes = ((free_at - Utc::now()).num_seconds().max(1) + 59) / 60;
    let locale = lang::current();
    lang::counted(
        minutes,
        td_string!(locale, accounts.wait_minutes_single),
        td_string!(locale, accounts.wait_minutes_many),
    )
}
