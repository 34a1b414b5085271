//! `newsdesk export --issue N [--front-matter none|yaml|zenn] [--output FILE]`:
//! an issue as Markdown, byte for byte what the web export gives.

use std::io::Write;

use newsdesk_app::{error::AppError, publish::archive, settings::FrontMatterKind};

use super::feeds::{close, file_error, open_migrated};
use crate::{
    config::{ExportArgs, GlobalArgs},
    error::Error,
};

pub async fn export(global: &GlobalArgs, args: &ExportArgs) -> Result<(), Error> {
    let front_matter = args
        .front_matter
        .as_deref()
        .and_then(FrontMatterKind::parse);
    let database = open_migrated(global).await?;
    let result = write(&database.pool, args, front_matter).await;
    close(database, result).await
}

async fn write(
    pool: &sqlx::PgPool,
    args: &ExportArgs,
    front_matter: Option<FrontMatterKind>,
) -> Result<(), Error> {
    let markdown = archive::export(pool, args.issue, front_matter)
        .await
        .map_err(|error| match error {
            AppError::NotFound => {
                AppError::invalid("issue", format!("There is no issue #{}.", args.issue))
            }
            other => other,
        })?;
    match &args.output {
        Some(path) => {
            std::fs::write(path, markdown).map_err(|error| file_error("write", path, error))?;
            tracing::info!(file = %path.display(), issue = args.issue, "issue exported");
        }
        None => std::io::stdout().lock().write_all(markdown.as_bytes())?,
    }
    Ok(())
}
