//! What an import of back issues reports, shared by the server, the CLI
//! and the browser's progress page.

use serde::{Deserialize, Serialize};

use crate::{i18n::td_string, lang};

/// What became of one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum FileOutcome {
    /// A new published issue.
    Imported { number: i32, title: String },
    /// The same issue is there already: nothing changed.
    Unchanged { number: i32 },
    /// Nothing was imported from this file; `message` says why.
    Failed { message: String },
}

/// One file's report: its outcome, and what was kept as text rather than
/// mapped exactly (nothing is dropped).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileReport {
    pub file: String,
    #[serde(flatten)]
    pub outcome: FileOutcome,
    #[serde(default)]
    pub notes: Vec<String>,
}

impl FileReport {
    pub fn failed(file: &str, message: impl Into<String>) -> Self {
        Self {
            file: file.to_owned(),
            outcome: FileOutcome::Failed {
                message: message.into(),
            },
            notes: Vec::new(),
        }
    }

    /// One line for the command line and the page.
    pub fn summary(&self) -> String {
        let locale = lang::current();
        match &self.outcome {
            FileOutcome::Imported { number, title } => lang::fill(
                td_string!(locale, inbox.import_report_imported),
                &[
                    ("file", &self.file),
                    ("number", &number.to_string()),
                    ("title", title),
                ],
            ),
            FileOutcome::Unchanged { number } => lang::fill(
                td_string!(locale, inbox.import_report_unchanged),
                &[("file", &self.file), ("number", &number.to_string())],
            ),
            FileOutcome::Failed { message } => lang::fill(
                td_string!(locale, inbox.import_report_failed),
                &[("file", &self.file), ("message", message)],
            ),
        }
    }
}

/// An upload of back issues and how far it got.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportBatch {
    pub id: i64,
    pub total: i32,
    pub reports: Vec<FileReport>,
    pub finished: bool,
    /// Why it stopped before the end.
    pub error: Option<String>,
}
