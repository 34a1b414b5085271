//! `newsdesk serve`: database up, migrations, HTTP until SIGINT/SIGTERM,
//! then a clean stop of everything in reverse order.

use newsdesk_app::{
    accounts::invites, delivery::job as delivery_job, feeds::opml::import as import_job,
};

use crate::{
    background::Background,
    config::{GlobalArgs, ServeArgs},
    database::{self, Database},
    error::Error,
    startup::{shutdown_signal, stop_on, Application},
};

pub async fn serve(global: &GlobalArgs, args: &ServeArgs) -> Result<(), Error> {
    let shutdown = shutdown_signal()?;
    let database = Database::open(global).await?;
    let result = serve_on(&database, args, shutdown).await;
    // Stop the database even when serving failed, so no cluster is orphaned.
    database.close_after(result).await
}

async fn serve_on(
    database: &Database,
    args: &ServeArgs,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), Error> {
    database::migrate(&database.pool).await?;
    // Uploads of back issues live in memory: one cut short by a stop says
    // so (importing the files again skips those already in).
    newsdesk_app::import::service::stop_unfinished(&database.pool).await?;
    let app = Application::build(args, database.pool.clone()).await?;
    // One signal stops both the HTTP server and the poller.
    let stopped = stop_on(shutdown);
    let background =
        (!args.no_poller).then(|| Background::start(&database.pool, &args.ingest, &stopped));
    // Imports are started here, so they are resumed here, poller or not.
    let imports = tokio::spawn(import_job::resume_imports(
        database.pool.clone(),
        stopped.clone(),
    ));
    // Deliveries are queued by publishing, which any server may do.
    let deliveries = tokio::spawn(delivery_job::run_deliveries(
        database.pool.clone(),
        stopped.clone(),
    ));
    let chat = tokio::spawn(crate::webhooks::run(
        database.pool.clone(),
        crate::webhooks::WebhookSender::new(args.ingest.allow_private_hosts.clone()),
        stopped.clone(),
    ));
    let url = app.url();
    announce_setup_link(&database.pool, args, &url).await?;
    tracing::info!(%url, "newsdesk is ready: open {url}");
    println!("newsdesk is running at {url} (Ctrl-C stops it)");
    let mut http_stop = stopped;
    app.run_until(async move {
        let _ = http_stop.wait_for(|stop| *stop).await;
    })
    .await?;
    tracing::info!("shutting down");
    if let Some(background) = background {
        background.join().await;
    }
    if let Err(error) = imports.await {
        tracing::error!(%error, "the OPML import task failed");
    }
    if let Err(error) = deliveries.await {
        tracing::error!(%error, "the git delivery task failed");
    }
    if let Err(error) = chat.await {
        tracing::error!(%error, "the webhook task failed");
    }
    Ok(())
}

/// Without an active admin nobody can sign in: print a one-time link that
/// creates the first admin. A new link replaces the previous one.
async fn announce_setup_link(
    pool: &sqlx::PgPool,
    args: &ServeArgs,
    local_url: &str,
) -> Result<(), Error> {
    let Some(token) = invites::issue_setup_token(pool).await? else {
        return Ok(());
    };
    let base = args
        .web_settings()
        .public_url
        .unwrap_or_else(|| local_url.trim_end_matches('/').to_owned());
    let setup_url = format!("{base}/setup/{token}");
    tracing::warn!(
        %setup_url,
        "newsdesk has no admin yet: open {setup_url} to create the first admin (valid for 24 hours, once)"
    );
    println!("No admin yet. Create the first admin at {setup_url}");
    Ok(())
}
