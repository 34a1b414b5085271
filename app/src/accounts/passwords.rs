//! Password rules and hashing. Hashes are argon2id PHC strings with the
//! OWASP-recommended minimum cost (19 MiB, 2 passes, 1 lane), so the
//! parameters travel with each hash and can be raised later without
//! invalidating stored ones. Hashing takes tens of milliseconds of CPU:
//! async code should call it through `spawn_blocking`.

use argon2::{
    password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString},
    Algorithm, Argon2, Params, Version,
};

use crate::{
    error::AppError,
    i18n::td_string,
    lang::{self, fill},
};

pub const MIN_PASSWORD_CHARS: usize = 10;
/// Long enough for any passphrase or manager; short enough that hashing
/// cannot be abused to burn CPU with megabyte passwords.
pub const MAX_PASSWORD_CHARS: usize = 256;

/// Checks a new password against the rules; the message says what to change.
pub fn check_password_rules(password: &str) -> Result<(), AppError> {
    let length = password.chars().count();
    if length < MIN_PASSWORD_CHARS {
        return Err(AppError::invalid(
            "password",
            fill(
                td_string!(lang::current(), accounts.password_too_short),
                &[("min", &MIN_PASSWORD_CHARS.to_string())],
            ),
        ));
    }
    if length > MAX_PASSWORD_CHARS {
        return Err(AppError::invalid(
            "password",
            fill(
                td_string!(lang::current(), accounts.password_too_long),
                &[("max", &MAX_PASSWORD_CHARS.to_string())],
            ),
        ));
    }
    Ok(())
}

/// Checks the rules, then hashes with a fresh random salt.
pub fn hash_password(password: &str) -> Result<String, AppError> {
    check_password_rules(password)?;
    let salt = SaltString::generate(&mut OsRng);
    hasher()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|error| AppError::internal("hashing a password failed", error))
}

/// Whether `password` matches the stored PHC string. The comparison is
/// constant-time (done by argon2); a damaged hash never matches.
pub fn verify_password(password: &str, stored: &str) -> bool {
    if password.chars().count() > MAX_PASSWORD_CHARS {
        return false;
    }
    PasswordHash::new(stored)
        .map(|hash| {
            Argon2::default()
                .verify_password(password.as_bytes(), &hash)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A valid hash of a random password, to verify against when a name is
/// unknown (so that unknown names answer as slowly as wrong passwords).
pub fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| {
        let random: [u8; 16] = rand::random();
        hash_password(&format!("{random:02x?}")).expect("hashing a generated password")
    })
}

fn hasher() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("valid argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_password_only() {
        let hash = hash_password("correct horse battery").unwrap();
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        assert!(verify_password("correct horse battery", &hash));
        assert!(!verify_password("correct horse battery ", &hash));
        assert!(!verify_password("", &hash));
        assert!(!verify_password("correct horse battery", "not a hash"));
        assert_ne!(
            hash,
            hash_password("correct horse battery").unwrap(),
            "salted"
        );
    }

    #[test]
    fn length_limits_are_explained() {
        let short = hash_password("123456789").unwrap_err();
        assert!(short
            .field_message("password")
            .is_some_and(|m| m.contains("at least 10")));
        let long = check_password_rules(&"p".repeat(257)).unwrap_err();
        assert!(long
            .field_message("password")
            .is_some_and(|m| m.contains("at most 256")));
        assert!(check_password_rules(&"p".repeat(256)).is_ok());
        // Characters, not bytes: ten accented letters are enough.
        assert!(check_password_rules(&"é".repeat(10)).is_ok());
    }
}
