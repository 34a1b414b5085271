//! API tokens for `Authorization: Bearer` on `/api/v1`. A token is 32
//! random bytes shown once as `nd_<base64url>`; only its SHA-256 is stored.
//! A fast hash is enough here (unlike passwords): the token has 256 bits of
//! entropy, so a stolen hash cannot be guessed back.

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use sha2::{Digest, Sha256};
use sqlx::PgPool;

use super::Member;
use crate::{
    db,
    error::AppError,
    i18n::td_string,
    lang::{self, fill},
};

/// Makes newsdesk tokens recognisable in logs, config files and secret scanners.
pub const TOKEN_PREFIX: &str = "nd_";
/// `nd_` plus 32 bytes in unpadded base64.
const TOKEN_LEN: usize = 3 + 43;
pub const MAX_TOKEN_NAME_CHARS: usize = 100;

/// A freshly generated token: `token` goes to its owner once, `hash` to the database.
pub struct NewToken {
    pub token: String,
    pub hash: Vec<u8>,
}

pub fn generate() -> NewToken {
    new_secret(TOKEN_PREFIX)
}

/// 256 random bits as `prefix` + unpadded base64url, and the hash to store.
/// Also used for session ids and invitation links.
pub fn new_secret(prefix: &str) -> NewToken {
    // ThreadRng is a CSPRNG seeded from the operating system.
    let bytes: [u8; 32] = rand::random();
    let token = format!("{prefix}{}", URL_SAFE_NO_PAD.encode(bytes));
    let hash = hash_token(&token);
    NewToken { token, hash }
}

/// What the database stores and looks secrets up by.
pub fn hash_token(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// Trims and checks a token's label, e.g. "CI publisher".
pub fn check_token_name(raw: &str) -> Result<String, AppError> {
    let name = raw.trim();
    if name.is_empty() {
        return Err(AppError::invalid(
            "token_name",
            td_string!(lang::current(), accounts.token_name_empty),
        ));
    }
    if name.chars().any(char::is_control) {
        return Err(AppError::invalid(
            "token_name",
            td_string!(lang::current(), accounts.token_name_control_chars),
        ));
    }
    if name.chars().count() > MAX_TOKEN_NAME_CHARS {
        return Err(AppError::invalid(
            "token_name",
            fill(
                td_string!(lang::current(), accounts.token_name_too_long),
                &[("max", &MAX_TOKEN_NAME_CHARS.to_string())],
            ),
        ));
    }
    Ok(name.to_owned())
}

/// The member a presented token belongs to, if the token exists, is not
/// revoked and its member is active; records the use.
pub async fn member_for_token(pool: &PgPool, presented: &str) -> Result<Option<Member>, AppError> {
    let presented = presented.trim();
    // Anything else cannot be one of ours; spare the database.
    if presented.len() != TOKEN_LEN || !presented.starts_with(TOKEN_PREFIX) {
        return Ok(None);
    }
    db::members::member_for_token_hash(pool, &hash_token(presented)).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_prefixed_unique_and_hashed() {
        let first = generate();
        let second = generate();
        assert!(first.token.starts_with("nd_"));
        assert_eq!(first.token.len(), TOKEN_LEN);
        assert!(URL_SAFE_NO_PAD.decode(&first.token[3..]).is_ok());
        assert_ne!(first.token, second.token);
        assert_eq!(first.hash, hash_token(&first.token));
        assert_eq!(first.hash.len(), 32);
    }

    #[test]
    fn token_names_are_checked() {
        assert_eq!(check_token_name("  CI  ").unwrap(), "CI");
        assert!(check_token_name(" ").is_err());
        assert!(check_token_name("a\nb").is_err());
        assert!(check_token_name(&"x".repeat(101)).is_err());
    }
}
