//! OPML imports as background jobs: the upload returns at once, the import
//! runs in a task, and its progress is written to `opml_imports` so that the
//! import page (in any newsdesk process) can show it.

use std::time::Duration;

use sqlx::PgPool;
use tokio::sync::watch;
use uuid::Uuid;

use super::opml::import_opml;
use crate::{
    db,
    error::AppError,
    model::{ImportProgress, ImportStatus},
};

/// Largest OPML file accepted (bytes); real subscription lists are far smaller.
pub const MAX_FILE_BYTES: usize = 5 * 1024 * 1024;
/// How often progress is written while an import runs.
const PROGRESS_EVERY: Duration = Duration::from_millis(200);

/// Starts importing `text` and returns the job id at once.
pub async fn start_import(pool: &PgPool, file_name: &str, text: String) -> Result<Uuid, AppError> {
    let id = Uuid::new_v4();
    db::opml::create_import(pool, id, file_name).await?;
    let pool = pool.clone();
    tokio::spawn(async move {
        let (progress_tx, progress_rx) = watch::channel(ImportProgress { done: 0, total: 0 });
        let reporter = tokio::spawn(report_progress(pool.clone(), id, progress_rx));
        let result = import_opml(&pool, &text, |progress| {
            let _ = progress_tx.send(progress);
        })
        .await;
        drop(progress_tx);
        let _ = reporter.await;
        let (summary, error) = match result {
            Ok(summary) => (Some(summary), None),
            Err(error) => (None, Some(error.to_string())),
        };
        if let Err(error) =
            db::opml::finish_import(&pool, id, summary.as_ref(), error.as_deref()).await
        {
            tracing::error!(%error, import = %id, "cannot record the end of an OPML import");
        }
        if summary.is_some_and(|s| s.added > 0) {
            let _ = db::feeds::wake_pollers(&pool).await;
        }
    });
    Ok(id)
}

/// Records a failed upload (unreadable file) as a finished import, so the
/// user lands on a page that says what went wrong.
pub async fn record_failed_upload(
    pool: &PgPool,
    file_name: &str,
    error: &str,
) -> Result<Uuid, AppError> {
    let id = Uuid::new_v4();
    db::opml::create_import(pool, id, file_name).await?;
    db::opml::finish_import(pool, id, None, Some(error)).await?;
    Ok(id)
}

async fn report_progress(pool: PgPool, id: Uuid, mut progress: watch::Receiver<ImportProgress>) {
    while progress.changed().await.is_ok() {
        let current = *progress.borrow_and_update();
        if let Err(error) = db::opml::set_progress(&pool, id, current).await {
            tracing::warn!(%error, import = %id, "cannot record OPML import progress");
        }
        tokio::time::sleep(PROGRESS_EVERY).await;
    }
}

pub async fn status(pool: &PgPool, id: &str) -> Result<ImportStatus, AppError> {
    let id = Uuid::parse_str(id).map_err(|_| AppError::NotFound)?;
    db::opml::import_status(pool, id)
        .await?
        .ok_or(AppError::NotFound)
}
