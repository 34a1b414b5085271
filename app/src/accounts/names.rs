//! Member names: what is stored for display and what makes two names the
//! same. Names appear in attributions and presence, so look-alikes must not
//! become two members: "Ａｌｉｃｅ" (fullwidth), "ALICE" and "alice" are one.

use unicode_normalization::UnicodeNormalization;

use crate::{
    error::AppError,
    i18n::td_string,
    lang::{self, fill},
};

/// Longest display name, in characters (after normalisation).
pub const MAX_NAME_CHARS: usize = 64;

/// Returns `(display, key)`: the display name is NFKC-normalised with
/// whitespace trimmed and collapsed; the key is its lowercase form and is
/// what the database keeps unique.
pub fn normalise_name(raw: &str) -> Result<(String, String), AppError> {
    let normalised: String = raw.nfkc().collect();
    if normalised.chars().any(char::is_control) {
        return Err(AppError::invalid(
            "name",
            td_string!(lang::current(), accounts.name_control_chars),
        ));
    }
    if normalised.chars().any(is_invisible) {
        return Err(AppError::invalid(
            "name",
            td_string!(lang::current(), accounts.name_invisible_chars),
        ));
    }
    // "Alice  Smith" and "Alice Smith" would look alike in any list.
    let display = normalised.split_whitespace().collect::<Vec<_>>().join(" ");
    if display.is_empty() {
        return Err(AppError::invalid(
            "name",
            td_string!(lang::current(), accounts.name_empty),
        ));
    }
    if display.chars().count() > MAX_NAME_CHARS {
        return Err(AppError::invalid(
            "name",
            fill(
                td_string!(lang::current(), accounts.name_too_long),
                &[("max", &MAX_NAME_CHARS.to_string())],
            ),
        ));
    }
    // Lowercasing can leave a string that is no longer in NFKC form.
    let key = display.to_lowercase().nfkc().collect();
    Ok((display, key))
}

/// Format characters that render as nothing or reorder the text around them;
/// they would let two different keys look identical.
fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{180E}'
        | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{206F}'
        | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}' | '\u{FFA0}')
}

/// The refusal of a name whose key another member (or an open invitation)
/// has; deactivated members keep their names, so past contributions stay
/// attributed.
pub fn name_taken(name: &str) -> AppError {
    AppError::invalid(
        "name",
        fill(
            td_string!(lang::current(), accounts.name_taken),
            &[("name", name)],
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(name: &str) -> String {
        normalise_name(name).unwrap().1
    }

    fn refusal(name: &str) -> String {
        normalise_name(name)
            .unwrap_err()
            .field_message("name")
            .expect("a message about the name")
    }

    #[test]
    fn fullwidth_case_and_spacing_variants_share_one_key() {
        assert_eq!(key("Ａｌｉｃｅ"), "alice");
        assert_eq!(key("ALICE"), "alice");
        assert_eq!(key("  alice "), "alice");
        assert_eq!(key("Alice   Smith"), key("alice smith"));
        // U+FB01 LATIN SMALL LIGATURE FI, U+2126 OHM SIGN.
        assert_eq!(key("ﬁona"), key("Fiona"));
        assert_eq!(key("\u{2126}mega"), key("\u{03A9}MEGA"));
        // Composed and decomposed é.
        assert_eq!(key("Ren\u{00E9}"), key("Rene\u{0301}"));
    }

    #[test]
    fn the_display_name_keeps_its_case_but_is_normalised() {
        assert_eq!(
            normalise_name("  Ａｌｉｃｅ  Smith ").unwrap().0,
            "Alice Smith"
        );
    }

    #[test]
    fn empty_overlong_and_control_characters_are_refused() {
        assert_eq!(refusal(""), "Enter a name.");
        assert_eq!(refusal(" \u{3000} "), "Enter a name.");
        assert!(refusal("a\tb").contains("control characters"));
        assert!(refusal("bob\n").contains("control characters"));
        assert!(refusal("bo\u{200B}b").contains("invisible"));
        assert!(refusal("\u{202E}evil").contains("invisible"));
        assert!(refusal(&"x".repeat(65)).contains("at most 64"));
        assert_eq!(
            normalise_name(&"é".repeat(64)).unwrap().0.chars().count(),
            64
        );
    }
}
