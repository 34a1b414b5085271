//! Stored messages (`lang::model::Stored`) put into words: the catalogue
//! text of the reader's language with the stored values filled in.

use std::fmt;

use super::{
    current, fill,
    model::{Stored, StoredText},
    Locale,
};
use crate::i18n::td_string;

impl Stored {
    pub fn new(text: StoredText, values: &[(&str, &str)]) -> Self {
        Self {
            text,
            values: values
                .iter()
                .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
                .collect(),
        }
    }

    /// A message worded elsewhere, kept as it is.
    pub fn quoted(text: impl Into<String>) -> Self {
        Self::new(StoredText::Quoted, &[("text", &text.into())])
    }

    /// The message in `locale`.
    pub fn words(&self, locale: Locale) -> String {
        let values: Vec<(&str, &str)> = self
            .values
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_str()))
            .collect();
        fill(catalogue(self.text, locale), &values)
    }
}

/// In the current request's language (English with none: logs, chat).
impl fmt::Display for Stored {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.words(current()))
    }
}

fn catalogue(text: StoredText, locale: Locale) -> &'static str {
    match text {
        StoredText::JobTimeout => td_string!(locale, admin.job_timeout),
        StoredText::JobDatabase => td_string!(locale, admin.job_database),
        StoredText::JobSwitchedOff => td_string!(locale, admin.job_switched_off),
        StoredText::JobSshKeyNotFile => td_string!(locale, admin.job_ssh_key_not_file),
        StoredText::JobSshKeyUnreadable => td_string!(locale, admin.job_ssh_key_unreadable),
        StoredText::JobTokenFileEmpty => td_string!(locale, admin.job_token_file_empty),
        StoredText::JobTokenFileUnreadable => td_string!(locale, admin.job_token_file_unreadable),
        StoredText::JobEnvNotSet => td_string!(locale, admin.job_env_not_set),
        StoredText::GitCredentials => td_string!(locale, admin.git_credentials),
        StoredText::GitUnreachable => td_string!(locale, admin.git_unreachable),
        StoredText::GitKeptMoving => td_string!(locale, admin.git_kept_moving),
        StoredText::GitFailed => td_string!(locale, admin.git_failed),
        StoredText::GitNotRunnable => td_string!(locale, admin.git_not_runnable),
        StoredText::Quoted => "{text}",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stored_message_is_worded_in_the_readers_language() {
        let stored = Stored::new(StoredText::GitUnreachable, &[("detail", "no route")]);
        let json = serde_json::to_string(&stored).unwrap();
        let back: Stored = serde_json::from_str(&json).unwrap();
        assert_eq!(
            back.words(Locale::en),
            "The remote could not be reached (no route)."
        );
        let japanese = back.words(Locale::ja);
        assert!(japanese.contains("no route"), "{japanese}");
        assert_ne!(japanese, back.words(Locale::en));
        // Quoted text stays as it came, braces and all.
        assert_eq!(
            Stored::quoted("Issue {3} has no snapshot").words(Locale::ja),
            "Issue {3} has no snapshot"
        );
    }
}
