//! Stored messages (`lang::model::Stored`) put into words: the catalogue
//! text of the reader's language with the stored values filled in. The
//! fetcher's reasons (`FetchError` in the server crate) are worded through
//! here too, when they are said at once.

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
            parts: Vec::new(),
        }
    }

    /// A message that introduces a list of others (`{parts}`).
    pub fn listing(text: StoredText, values: &[(&str, &str)], parts: Vec<Stored>) -> Self {
        Self {
            parts,
            ..Self::new(text, values)
        }
    }

    /// A message worded elsewhere, kept as it is.
    pub fn quoted(text: impl Into<String>) -> Self {
        Self::new(StoredText::Quoted, &[("text", &text.into())])
    }

    /// The message in `locale`.
    pub fn words(&self, locale: Locale) -> String {
        let parts = self
            .parts
            .iter()
            .map(|part| part.words(locale))
            .collect::<Vec<_>>()
            .join(td_string!(locale, feeds.list_separator));
        let mut values: Vec<(&str, &str)> = self
            .values
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_str()))
            .collect();
        if !self.parts.is_empty() {
            values.push(("parts", &parts));
        }
        fill(catalogue(self.text, locale), &values)
    }
}

/// What a page shows for a failure recorded with no reader: the stored
/// message in the reader's language, or, for rows stored before messages
/// were (or of a name this build does not know), the words kept as text.
pub fn shown(stored: Option<Stored>, words: Option<String>) -> Option<String> {
    stored.map(|stored| stored.words(current())).or(words)
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
        StoredText::FetchBlocked => td_string!(locale, feeds.fetch_blocked),
        StoredText::FetchBlockedResolved => td_string!(locale, feeds.fetch_blocked_resolved),
        StoredText::FetchConnectionRefused => td_string!(locale, feeds.fetch_connection_refused),
        StoredText::FetchConnectionReset => td_string!(locale, feeds.fetch_connection_reset),
        StoredText::FetchCannotConnect => td_string!(locale, feeds.fetch_cannot_connect),
        StoredText::FetchHostNotFound => td_string!(locale, feeds.fetch_host_not_found),
        StoredText::FetchTimeout => td_string!(locale, feeds.fetch_timeout),
        StoredText::FetchTooLarge => td_string!(locale, feeds.fetch_too_large),
        StoredText::FetchTooManyRedirects => td_string!(locale, feeds.fetch_too_many_redirects),
        StoredText::FetchRedirectLoop => td_string!(locale, feeds.fetch_redirect_loop),
        StoredText::FetchRedirectWithoutLocation => {
            td_string!(locale, feeds.fetch_redirect_without_location)
        }
        StoredText::FetchRedirectInvalid => td_string!(locale, feeds.fetch_redirect_invalid),
        StoredText::FetchUnsupportedScheme => td_string!(locale, feeds.fetch_unsupported_scheme),
        StoredText::FetchNotAFeed => td_string!(locale, feeds.fetch_not_a_feed),
        StoredText::FetchEmptyBody => td_string!(locale, feeds.fetch_empty_body),
        StoredText::FetchUnparseable => td_string!(locale, feeds.fetch_unparseable),
        StoredText::FetchNoFeedFound => td_string!(locale, feeds.fetch_no_feed_found),
        StoredText::FetchInvalidUrl => td_string!(locale, feeds.fetch_invalid_url),
        StoredText::FetchInvalidFeedUrl => td_string!(locale, feeds.fetch_invalid_feed_url),
        StoredText::FetchLinkSchemeUnsupported => {
            td_string!(locale, feeds.fetch_link_scheme_unsupported)
        }
        StoredText::FetchNoUsableAddress => td_string!(locale, feeds.fetch_no_usable_address),
        StoredText::FetchParserCrashed => td_string!(locale, feeds.fetch_parser_crashed),
        StoredText::FetchBodyBrokeOff => td_string!(locale, feeds.fetch_body_broke_off),
        StoredText::WebhookNotHttp => td_string!(locale, admin.webhook_not_http),
        StoredText::WebhookRefused => td_string!(locale, admin.webhook_refused),
        StoredText::WebhookRefusedResolved => td_string!(locale, admin.webhook_refused_resolved),
        StoredText::WebhookAnswered => td_string!(locale, admin.webhook_answered),
        StoredText::WebhookTimedOut => td_string!(locale, admin.webhook_timed_out),
        StoredText::WebhookUnreachable => td_string!(locale, admin.webhook_unreachable),
        StoredText::WebhookNotSent => td_string!(locale, admin.webhook_not_sent),
        StoredText::FeedReadWithErrors => td_string!(locale, feeds.read_with_errors),
        StoredText::FeedReadWithErrorsMore => td_string!(locale, feeds.read_with_errors_more),
        StoredText::RepairTooLarge => td_string!(locale, feeds.repair_too_large),
        StoredText::RepairEndsEarly => td_string!(locale, feeds.repair_ends_early),
        StoredText::RepairAfterEnd => td_string!(locale, feeds.repair_after_end),
        StoredText::RepairStrayLessThan => td_string!(locale, feeds.repair_stray_less_than),
        StoredText::RepairNestedTooDeeply => td_string!(locale, feeds.repair_nested_too_deeply),
        StoredText::RepairBrokenAttribute => td_string!(locale, feeds.repair_broken_attribute),
        StoredText::RepairEndTagWithoutStart => {
            td_string!(locale, feeds.repair_end_tag_without_start)
        }
        StoredText::RepairNotClosed => td_string!(locale, feeds.repair_not_closed),
        StoredText::RepairBareAmpersand => td_string!(locale, feeds.repair_bare_ampersand),
        StoredText::RepairInvalidCharacterReference => {
            td_string!(locale, feeds.repair_invalid_character_reference)
        }
        StoredText::RepairUndefinedEntity => td_string!(locale, feeds.repair_undefined_entity),
        StoredText::RepairUnclosedCdata => td_string!(locale, feeds.repair_unclosed_cdata),
        StoredText::EncodingNotUtf8 => td_string!(locale, feeds.encoding_not_utf8),
        StoredText::EncodingUndeclared => td_string!(locale, feeds.encoding_undeclared),
        StoredText::EncodingBytesReplaced => td_string!(locale, feeds.encoding_bytes_replaced),
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
