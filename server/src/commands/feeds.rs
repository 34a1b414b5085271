//! `newsdesk feeds import|export`: moving the feed list in and out as OPML
//! from the command line.

use std::{
    io::{self, Write},
    path::Path,
};

use newsdesk_app::{
    error::AppError,
    feeds::model::{ImportProgress, ImportSummary},
    feeds::opml::{export_opml, import::import_opml},
};
use sqlx::PgPool;

use crate::{
    config::{FeedsCommand, GlobalArgs},
    database::Database,
    error::Error,
};

pub async fn feeds(global: &GlobalArgs, command: FeedsCommand) -> Result<(), Error> {
    match command {
        FeedsCommand::Import { file } => {
            // A mistyped path should fail before a database is started.
            let text = read_opml_file(&file)?;
            let database = open_migrated(global).await?;
            let result = import(&database.pool, &text).await;
            close(database, result).await
        }
        FeedsCommand::Export { output } => {
            let database = open_migrated(global).await?;
            let result = export(&database.pool, output.as_deref()).await;
            close(database, result).await
        }
    }
}

async fn import(pool: &PgPool, text: &str) -> Result<(), Error> {
    let summary = import_opml(pool, text, print_progress).await?;
    print!("{}", summary_report(&summary));
    Ok(())
}

async fn export(pool: &PgPool, output: Option<&Path>) -> Result<(), Error> {
    let document = export_opml(pool).await?;
    match output {
        Some(path) => {
            std::fs::write(path, document).map_err(|error| file_error("write", path, error))?;
            tracing::info!(file = %path.display(), "feeds exported");
        }
        None => io::stdout().lock().write_all(document.as_bytes())?,
    }
    Ok(())
}

fn read_opml_file(path: &Path) -> Result<String, Error> {
    let bytes = std::fs::read(path).map_err(|error| file_error("read", path, error))?;
    String::from_utf8(bytes).map_err(|_| {
        AppError::invalid(
            "file",
            format!(
                "{} is not UTF-8 text; save it as UTF-8 and try again.",
                path.display()
            ),
        )
        .into()
    })
}

pub(super) fn file_error(action: &str, path: &Path, error: io::Error) -> Error {
    Error::Io(io::Error::new(
        error.kind(),
        format!("cannot {action} {}: {error}", path.display()),
    ))
}

fn print_progress(ImportProgress { done, total }: ImportProgress) {
    if done == 0 {
        println!("{total} feeds in the file");
    } else {
        println!("checked {done} of {total}");
    }
}

fn summary_report(summary: &ImportSummary) -> String {
    let mut report = format!(
        "{} added, {} duplicates skipped, {} invalid\n",
        summary.added,
        summary.skipped_duplicates,
        summary.invalid.len()
    );
    for (url, reason) in &summary.invalid {
        report.push_str(&format!("invalid: “{url}”: {reason}\n"));
    }
    report
}

pub(super) async fn open_migrated(global: &GlobalArgs) -> Result<Database, Error> {
    let database = Database::open(global).await?;
    match crate::database::migrate(&database.pool).await {
        Ok(()) => Ok(database),
        Err(error) => database.close_after(Err(error)).await,
    }
}

/// Closes the database whatever the work's outcome; the work's error is the
/// one reported.
pub(super) async fn close(database: Database, result: Result<(), Error>) -> Result<(), Error> {
    database.close_after(result).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_lists_every_refused_url_with_its_reason() {
        let summary = ImportSummary {
            added: 3,
            skipped_duplicates: 1,
            invalid: vec![("ftp://example.com/".into(), "Only http and https.".into())],
        };
        assert_eq!(
            summary_report(&summary),
            "3 added, 1 duplicates skipped, 1 invalid\ninvalid: “ftp://example.com/”: Only http and https.\n"
        );
    }
}
