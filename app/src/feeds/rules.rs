//! Validation of keep/block filter rules. The poller compiles patterns with
//! [`compile_pattern`] too, so what is accepted here also works there.

use regex::{Regex, RegexBuilder};

use crate::{
    error::AppError,
    feeds::model::{RuleAction, RuleField},
    i18n::td_string,
    lang::{self, current as locale},
};

const MAX_PATTERN_CHARS: usize = 500;

/// Case-insensitive and size-limited, so that a hostile pattern cannot
/// blow up memory or time.
pub fn compile_pattern(pattern: &str) -> Result<Regex, regex::Error> {
    RegexBuilder::new(pattern)
        .case_insensitive(true)
        .size_limit(1 << 20)
        .build()
}

/// Checks a rule as typed into the form; its action and field.
pub fn validate_rule(
    action: &str,
    field: &str,
    pattern: &str,
) -> Result<(RuleAction, RuleField), AppError> {
    let action: RuleAction = action
        .parse()
        .map_err(|_| AppError::invalid("action", td_string!(locale(), feeds.error_rule_action)))?;
    let field: RuleField = field
        .parse()
        .map_err(|_| AppError::invalid("field", td_string!(locale(), feeds.error_rule_field)))?;
    let pattern = pattern.trim();
    if pattern.is_empty() {
        return Err(AppError::invalid(
            "pattern",
            td_string!(locale(), feeds.error_rule_empty),
        ));
    }
    if pattern.chars().count() > MAX_PATTERN_CHARS {
        return Err(AppError::invalid(
            "pattern",
            lang::fill(
                td_string!(locale(), feeds.error_rule_long),
                &[("max", &MAX_PATTERN_CHARS.to_string())],
            ),
        ));
    }
    compile_pattern(pattern)
        .map(|_| (action, field))
        .map_err(|error| {
            AppError::invalid(
                "pattern",
                lang::fill(
                    td_string!(locale(), feeds.error_rule_regex),
                    &[("error", &first_line(&error.to_string()))],
                ),
            )
        })
}

fn first_line(text: &str) -> String {
    text.lines()
        .rev()
        .find(|line| !line.trim().is_empty())
        .unwrap_or(text)
        .trim()
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_are_checked() {
        assert!(validate_rule("block", "title", "^\\[sponsored\\]").is_ok());
        assert!(validate_rule("drop", "title", "x")
            .unwrap_err()
            .field_message("action")
            .is_some());
        assert!(validate_rule("keep", "body", "x")
            .unwrap_err()
            .field_message("field")
            .is_some());
        assert!(validate_rule("keep", "title", " ")
            .unwrap_err()
            .field_message("pattern")
            .is_some());
        let message = validate_rule("keep", "title", "(unclosed")
            .unwrap_err()
            .field_message("pattern")
            .unwrap();
        assert!(
            message.starts_with("Not a valid regular expression"),
            "{message}"
        );
        assert!(validate_rule("keep", "title", &"(a|b)".repeat(99)).is_ok());
    }

    #[test]
    fn patterns_ignore_case_and_refuse_huge_programs() {
        assert!(compile_pattern("kubernetes")
            .unwrap()
            .is_match("Kubernetes 1.35"));
        assert!(compile_pattern(&"(a|b)".repeat(100_000)).is_err());
    }
}
