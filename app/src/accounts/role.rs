//! What a member may do. Each role includes everything the ones below it
//! may do, so permission checks are a comparison: `member.role >= Role::Editor`.

use std::{fmt, str::FromStr};

use serde::{Deserialize, Serialize};

use crate::{error::AppError, i18n::td_string, lang::fill};

/// Declared from least to most powerful; the derived `Ord` relies on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[derive(strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(feature = "ssr", sqlx(type_name = "text", rename_all = "snake_case"))]
pub enum Role {
    /// Reads everything, changes nothing.
    Viewer,
    /// Triages, picks and writes.
    Editor,
    /// An editor who may also publish issues.
    Publisher,
    /// A publisher who may also manage members, feed and newsletter settings.
    Admin,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Viewer, Role::Editor, Role::Publisher, Role::Admin];

    /// The name stored in the database and used on the command line.
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// Reads a role name, ignoring case and surrounding spaces.
    pub fn parse(text: &str) -> Result<Self, AppError> {
        let wanted = text.trim();
        Self::ALL
            .into_iter()
            .find(|role| role.as_str().eq_ignore_ascii_case(wanted))
            .ok_or_else(|| {
                AppError::invalid(
                    "role",
                    fill(
                        td_string!(crate::lang::current(), accounts.role_unknown),
                        &[("role", wanted)],
                    ),
                )
            })
    }

    /// The role's name in the page's language.
    pub fn label(self) -> &'static str {
        let locale = crate::lang::current();
        match self {
            Role::Viewer => td_string!(locale, accounts.role_viewer),
            Role::Editor => td_string!(locale, accounts.role_editor),
            Role::Publisher => td_string!(locale, accounts.role_publisher),
            Role::Admin => td_string!(locale, accounts.role_admin),
        }
    }

    /// Whether a member with this role may do what `required` may do.
    pub fn includes(self, required: Role) -> bool {
        self >= required
    }
}

impl FromStr for Role {
    type Err = AppError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::parse(text)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_are_ordered_by_power() {
        assert!(Role::Viewer < Role::Editor);
        assert!(Role::Editor < Role::Publisher);
        assert!(Role::Publisher < Role::Admin);
        assert!(Role::Admin.includes(Role::Editor));
        assert!(Role::Publisher.includes(Role::Publisher));
        assert!(!Role::Editor.includes(Role::Publisher));
        assert!(!Role::Viewer.includes(Role::Editor));
    }

    #[test]
    fn names_round_trip_and_unknown_ones_are_refused() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Ok(role));
            assert_eq!(role.to_string(), role.as_str());
        }
        assert_eq!(" Admin ".parse::<Role>(), Ok(Role::Admin));
        let error = Role::parse("owner").unwrap_err();
        assert!(error
            .field_message("role")
            .is_some_and(|m| m.contains("viewer, editor, publisher or admin")));
    }

    #[cfg(feature = "ssr")] // serde_json is a server dependency
    #[test]
    fn serde_uses_the_lowercase_names() {
        assert_eq!(
            serde_json::to_string(&Role::Publisher).unwrap(),
            "\"publisher\""
        );
        assert_eq!(
            serde_json::from_str::<Role>("\"viewer\"").unwrap(),
            Role::Viewer
        );
    }
}
