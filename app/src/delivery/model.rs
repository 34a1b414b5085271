//! What the delivery settings and the delivery state look like to the
//! browser.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// How newsdesk authenticates to the remote: a reference to the secret,
/// never the secret itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[derive(strum::EnumString, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(feature = "ssr", sqlx(type_name = "text", rename_all = "snake_case"))]
pub enum CredentialKind {
    /// A local path, or a remote the machine's own git setup reaches.
    #[default]
    None,
    /// A private SSH key (a deploy key) in a file newsdesk reads.
    SshKeyFile,
    /// An HTTPS token (e.g. a GitHub fine-grained token) in a file.
    TokenFile,
    /// An HTTPS token in an environment variable of the server.
    TokenEnv,
}

impl CredentialKind {
    pub const ALL: [Self; 4] = [
        Self::None,
        Self::SshKeyFile,
        Self::TokenFile,
        Self::TokenEnv,
    ];

    /// The kind's name in the UI's language.
    pub fn label(self) -> &'static str {
        use crate::i18n::td_string;
        let locale = crate::lang::current();
        match self {
            Self::None => td_string!(locale, admin.credential_none),
            Self::SshKeyFile => td_string!(locale, admin.credential_ssh_key_file),
            Self::TokenFile => td_string!(locale, admin.credential_token_file),
            Self::TokenEnv => td_string!(locale, admin.credential_token_env),
        }
    }
}

words!(CredentialKind);

/// Where published issues go (Settings → Delivery, admins).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct DeliveryTarget {
    #[serde(default)]
    pub enabled: bool,
    /// An SSH or HTTPS remote, or a local path.
    pub remote: String,
    pub branch: String,
    /// `{number}`, `{date}` and `{slug}` are filled in.
    pub path_template: String,
    /// `{number}` and `{date}` are filled in.
    pub slug_template: String,
    pub author_name: String,
    pub author_email: String,
    pub credential_kind: CredentialKind,
    /// A path or an environment variable's name; never the secret.
    #[serde(default)]
    pub credential_ref: String,
    pub version: i32,
}

/// Where a delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[derive(strum::EnumString, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(feature = "ssr", sqlx(type_name = "text", rename_all = "snake_case"))]
pub enum DeliveryState {
    Queued,
    Delivered,
    Failed,
}

/// An issue's delivery as members see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryView {
    pub number: i32,
    pub state: DeliveryState,
    /// The commit that holds the export (delivered).
    pub commit_id: Option<String>,
    /// The file written.
    pub path: Option<String>,
    /// Why the last attempt failed, in plain words.
    pub error: Option<String>,
    pub attempts: i32,
    /// When it is tried again by itself (queued or failed).
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub delivered_at: Option<DateTime<Utc>>,
    /// Whoever asks may press "Retry" (a publisher, on a failed delivery).
    #[serde(default)]
    pub can_retry: bool,
}
