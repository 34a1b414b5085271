//! `newsdesk serve`: database up, migrations, HTTP until SIGINT/SIGTERM,
//! then a clean stop of everything in reverse order.

use tokio::sync::watch;

use crate::{
    config::{GlobalArgs, ServeArgs},
    database::{self, Database},
    error::Error,
    ingest::{poller::Poller, Ingest},
    startup::{shutdown_signal, Application},
};

pub async fn serve(global: &GlobalArgs, args: &ServeArgs) -> Result<(), Error> {
    let shutdown = shutdown_signal()?;
    let database = Database::open(global).await?;
    let result = serve_on(&database, args, shutdown).await;
    // Stop the database even when serving failed, so no cluster is orphaned.
    let closed = database.close().await;
    result.and(closed)
}

async fn serve_on(
    database: &Database,
    args: &ServeArgs,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), Error> {
    database::migrate(&database.pool).await?;
    let app = Application::build(args, database.pool.clone()).await?;
    // One signal stops both the HTTP server and the poller.
    let (stop, stopped) = watch::channel(false);
    tokio::spawn(async move {
        shutdown.await;
        let _ = stop.send(true);
    });
    let poller = (!args.no_poller).then(|| {
        let poller = Poller::new(
            Ingest::new(database.pool.clone(), args.ingest.fetcher()),
            args.ingest.poller_settings(),
        );
        tokio::spawn(poller.run(stopped.clone()))
    });
    let url = app.url();
    tracing::info!(%url, "newsdesk is ready: open {url}");
    println!("newsdesk is running at {url} (Ctrl-C stops it)");
    let mut http_stop = stopped;
    app.run_until(async move {
        let _ = http_stop.wait_for(|stop| *stop).await;
    })
    .await?;
    tracing::info!("shutting down");
    if let Some(poller) = poller {
        if let Err(error) = poller.await {
            tracing::error!(%error, "the poller task failed");
        }
    }
    Ok(())
}
