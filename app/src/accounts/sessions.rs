//! Server-side sessions. The browser holds a random session id in an
//! HttpOnly cookie; the database holds its SHA-256, the member, and two
//! limits: idle (unused for a week) and absolute (a month after sign-in).
//! Sessions are rows, so they can be listed and revoked — one, or all of a
//! member's ("sign out everywhere"), or all at deactivation.

use chrono::{Duration, Utc};
use sqlx::PgPool;

use super::{identity::Client, tokens, Member};
use crate::{db, error::AppError};

pub const COOKIE_NAME: &str = "newsdesk_session";
pub const IDLE_LIMIT: Duration = Duration::days(7);
pub const ABSOLUTE_LIMIT: Duration = Duration::days(30);
/// Session ids are 32 random bytes in base64url: 43 characters.
const ID_LEN: usize = 43;

fn idle_secs() -> f64 {
    IDLE_LIMIT.num_seconds() as f64
}

/// Starts a session for `member`; returns the id for the cookie. `replaces`
/// (the caller's previous session, if any) ends in the same transaction, so
/// a session id is never reused across sign-ins (no fixation).
pub async fn start(
    pool: &PgPool,
    member: &Member,
    client: &Client,
    replaces: Option<&[u8]>,
) -> Result<String, AppError> {
    let new = tokens::new_secret("");
    let mut tx = pool.begin().await?;
    if let Some(old) = replaces {
        db::sessions::delete(&mut tx, old).await?;
    }
    db::sessions::insert(
        &mut tx,
        &db::sessions::NewSession {
            id_hash: &new.hash,
            member_id: member.id,
            expires_at: Utc::now() + ABSOLUTE_LIMIT,
            client_addr: &client.addr,
            user_agent: client.user_agent.as_deref(),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(new.token)
}

/// The member a cookie's session id belongs to, with the id's hash, if the
/// session is live and the member active.
pub async fn resolve(
    pool: &PgPool,
    cookie_value: &str,
) -> Result<Option<(Member, Vec<u8>)>, AppError> {
    // Anything else was not made by us: spare the database.
    if cookie_value.len() != ID_LEN
        || !cookie_value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Ok(None);
    }
    let hash = tokens::hash_token(cookie_value);
    let member = db::sessions::member_for_session(pool, &hash, idle_secs()).await?;
    Ok(member.map(|member| (member, hash)))
}

pub async fn end(pool: &PgPool, session: &[u8]) -> Result<(), AppError> {
    let mut conn = pool.acquire().await?;
    db::sessions::delete(&mut conn, session).await?;
    Ok(())
}

/// Deletes expired and idle sessions; run by the daily maintenance job.
pub async fn prune(pool: &PgPool) -> Result<u64, AppError> {
    db::sessions::prune(pool, idle_secs()).await
}

/// The `Set-Cookie` value that stores a session id. `Secure` when newsdesk is
/// served over HTTPS (a configured https public URL), since browsers drop
/// Secure cookies on plain-HTTP localhost.
pub fn cookie(session_id: &str, secure: bool) -> String {
    format!(
        "{COOKIE_NAME}={session_id}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{}",
        ABSOLUTE_LIMIT.num_seconds(),
        if secure { "; Secure" } else { "" }
    )
}

/// The `Set-Cookie` value that makes the browser forget its session id.
pub fn clearing_cookie(secure: bool) -> String {
    format!(
        "{COOKIE_NAME}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{}",
        if secure { "; Secure" } else { "" }
    )
}

/// The session id in a `Cookie` request header, if any.
pub fn from_cookie_header(header: &str) -> Option<&str> {
    cookie_value(header, COOKIE_NAME)
}

/// The value of the cookie `name` in a `Cookie` request header, if any.
pub fn cookie_value<'a>(header: &'a str, name: &str) -> Option<&'a str> {
    header
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.trim_matches('"'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_http_only_and_same_site_and_secure_on_https() {
        let plain = cookie("abc", false);
        assert!(plain.starts_with("newsdesk_session=abc; Path=/; HttpOnly; SameSite=Lax"));
        assert!(!plain.contains("Secure"));
        assert!(cookie("abc", true).ends_with("; Secure"));
        assert!(clearing_cookie(false).contains("Max-Age=0"));
    }

    #[test]
    fn the_session_cookie_is_found_among_others() {
        assert_eq!(
            from_cookie_header("a=1; newsdesk_session=xyz; b=2"),
            Some("xyz")
        );
        assert_eq!(from_cookie_header("newsdesk_sessionx=1"), None);
        assert_eq!(from_cookie_header(""), None);
    }
}
