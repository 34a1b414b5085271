//! The language layer's plain data that the database stores.

use serde::{Deserialize, Serialize};

/// A message for someone to read later, in their own language. Work that
/// runs with no reader (the delivery job, the poller, the webhook sender) stores it as the name of its
/// catalogue text and the values to fill in; it is worded when shown
/// (`lang::stored`), in the language of the page that shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stored {
    pub text: StoredText,
    pub values: Vec<(String, String)>,
    /// The messages a list message introduces (a feed's "read with errors"
    /// names each repair), worded with it into its `{parts}`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<Stored>,
}

/// The catalogue texts a stored message can be. Stored by name: renaming
/// a variant would orphan the messages stored under the old name (they
/// are then shown in the English kept beside them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StoredText {
    JobTimeout,
    JobDatabase,
    JobSwitchedOff,
    JobSshKeyNotFile,
    JobSshKeyUnreadable,
    JobTokenFileEmpty,
    JobTokenFileUnreadable,
    JobEnvNotSet,
    GitCredentials,
    GitUnreachable,
    GitKeptMoving,
    GitFailed,
    GitNotRunnable,
    FetchBlocked,
    FetchBlockedResolved,
    FetchConnectionRefused,
    FetchConnectionReset,
    FetchCannotConnect,
    FetchHostNotFound,
    FetchTimeout,
    FetchTooLarge,
    FetchTooManyRedirects,
    FetchRedirectLoop,
    FetchRedirectWithoutLocation,
    FetchRedirectInvalid,
    FetchUnsupportedScheme,
    FetchNotAFeed,
    FetchEmptyBody,
    FetchUnparseable,
    FetchNoFeedFound,
    FetchInvalidUrl,
    FetchInvalidFeedUrl,
    FetchLinkSchemeUnsupported,
    FetchNoUsableAddress,
    FetchParserCrashed,
    FetchBodyBrokeOff,
    WebhookNotHttp,
    WebhookRefused,
    WebhookRefusedResolved,
    WebhookAnswered,
    WebhookTimedOut,
    WebhookUnreachable,
    WebhookNotSent,
    FeedReadWithErrors,
    FeedReadWithErrorsMore,
    RepairTooLarge,
    RepairEndsEarly,
    RepairAfterEnd,
    RepairStrayLessThan,
    RepairNestedTooDeeply,
    RepairBrokenAttribute,
    RepairEndTagWithoutStart,
    RepairNotClosed,
    RepairBareAmpersand,
    RepairInvalidCharacterReference,
    RepairUndefinedEntity,
    RepairUnclosedCdata,
    EncodingNotUtf8,
    EncodingUndeclared,
    EncodingBytesReplaced,
    /// Worded elsewhere already (an export check's message), kept as it
    /// came: the value `text`.
    Quoted,
}
