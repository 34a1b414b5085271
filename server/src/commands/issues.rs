//! `newsdesk issues import FILE...`: back issues from the command line,
//! with a line per file as it is done and a summary at the end. The exit
//! status is 1 when a file could not be imported (the others are in).

use std::path::PathBuf;

use newsdesk_app::error::AppError;
use newsdesk_app::import::{
    service::{check_size, import_planned, plan, ImportFile},
    FileOutcome, FileReport,
};
use sqlx::PgPool;

use super::feeds::{close, open_migrated};
use crate::{
    config::{GlobalArgs, IssuesCommand},
    error::Error,
};

pub async fn issues(global: &GlobalArgs, command: IssuesCommand) -> Result<(), Error> {
    match command {
        IssuesCommand::Import {
            first_number,
            files,
        } => {
            if first_number.is_some_and(|n| n <= 0) {
                return Err(AppError::invalid(
                    "first_number",
                    "--first-number is a whole number above 0",
                )
                .into());
            }
            let (files, unreadable) = read_files(files);
            let database = open_migrated(global).await?;
            let result = import(&database.pool, files, unreadable, first_number).await;
            close(database, result).await
        }
    }
}

/// The files' bytes; a file that cannot be read (or is too big) is a
/// report already.
fn read_files(paths: Vec<PathBuf>) -> (Vec<ImportFile>, Vec<FileReport>) {
    let mut files = Vec::new();
    let mut unreadable = Vec::new();
    for path in paths {
        let name = path.display().to_string();
        // Checked before reading, so a huge file is never loaded.
        let size = std::fs::metadata(&path).map_or(0, |meta| meta.len() as usize);
        if let Err(message) = check_size(size) {
            unreadable.push(FileReport::failed(&name, message));
            continue;
        }
        match std::fs::read(&path) {
            Ok(bytes) => files.push(ImportFile { name, bytes }),
            Err(error) => unreadable.push(FileReport::failed(
                &name,
                format!("cannot read it: {error}"),
            )),
        }
    }
    (files, unreadable)
}

async fn import(
    pool: &PgPool,
    files: Vec<ImportFile>,
    unreadable: Vec<FileReport>,
    first_number: Option<i32>,
) -> Result<(), Error> {
    let total = files.len() + unreadable.len();
    let mut reports = Vec::with_capacity(total);
    for report in unreadable {
        println!("{}", report.summary());
        reports.push(report);
    }
    for planned in plan(files, first_number) {
        let report = import_planned(pool, planned, None).await?;
        println!("[{}/{total}] {}", reports.len() + 1, report.summary());
        for note in &report.notes {
            println!("    note: {note}");
        }
        reports.push(report);
    }
    let count =
        |wanted: fn(&FileOutcome) -> bool| reports.iter().filter(|r| wanted(&r.outcome)).count();
    let failed = count(|o| matches!(o, FileOutcome::Failed { .. }));
    println!(
        "{} imported, {} unchanged, {failed} not imported",
        count(|o| matches!(o, FileOutcome::Imported { .. })),
        count(|o| matches!(o, FileOutcome::Unchanged { .. })),
    );
    if failed > 0 {
        return Err(AppError::invalid(
            "files",
            format!("{failed} of {total} files were not imported"),
        )
        .into());
    }
    Ok(())
}
