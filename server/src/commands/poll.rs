//! `newsdesk poll`: the feed poller without the web server.

use crate::{
    background::Background,
    config::{GlobalArgs, IngestArgs},
    database::{self, Database},
    error::Error,
    ingest::{poller::Poller, Ingest},
    startup::{shutdown_signal, stop_on},
};

pub async fn poll(global: &GlobalArgs, ingest: &IngestArgs, once: bool) -> Result<(), Error> {
    let shutdown = shutdown_signal()?;
    let database = Database::open(global).await?;
    let result = poll_on(&database, ingest, once, shutdown).await;
    database.close_after(result).await
}

async fn poll_on(
    database: &Database,
    args: &IngestArgs,
    once: bool,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), Error> {
    database::migrate(&database.pool).await?;
    if once {
        let poller = Poller::new(
            Ingest::new(database.pool.clone(), args.fetcher()),
            args.poller_settings(),
        );
        poller.add_missing_title_keys().await;
        let reports = poller.run_due_once().await?;
        let failed = reports.iter().filter(|r| r.error.is_some()).count();
        let new: i32 = reports.iter().map(|r| r.counts.new).sum();
        println!(
            "refreshed {} feeds: {new} new candidates, {failed} failed",
            reports.len()
        );
        return Ok(());
    }
    let stopped = stop_on(shutdown);
    Background::start(&database.pool, args, &stopped)
        .join()
        .await;
    Ok(())
}
