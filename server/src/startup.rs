//! Binds the listener and runs the HTTP server until a shutdown signal.
//! Tests call [`Application::build`] with port 0 and drive it directly.

use std::{future::Future, net::SocketAddr, sync::Arc};

use axum::serve::ListenerExt as _;
use newsdesk_app::state::AppState;
use sqlx::PgPool;
use tokio::{net::TcpListener, sync::watch};

use crate::{
    config::ServeArgs,
    error::Error,
    http,
    ingest::{for_app::AppIngestion, Ingest},
    live::LiveHub,
};

pub struct Application {
    listener: TcpListener,
    router: axum::Router,
    /// Tells long-lived responses (live events) that the server is stopping.
    stopping: watch::Sender<bool>,
}

impl Application {
    pub async fn build(args: &ServeArgs, pool: PgPool) -> Result<Self, Error> {
        let listener = TcpListener::bind(args.addr)
            .await
            .map_err(|source| Error::Bind {
                addr: args.addr,
                source,
            })?;
        let fetcher = args.ingest.fetcher();
        let ingestion = AppIngestion::new(Ingest::new(pool.clone(), fetcher.clone()), fetcher);
        let state = AppState {
            pool,
            ingestion: Arc::new(ingestion),
            web: args.web_settings(),
            caches: Arc::default(),
        };
        let (stopping, stopping_rx) = watch::channel(false);
        let live = LiveHub::start(&state.pool);
        let router = http::router(
            state,
            http::RouterParts {
                site_root: args.site_root.clone(),
                trusted_proxies: args.trusted_proxies.clone(),
                max_in_flight: args.max_in_flight(),
                live,
                stopping: stopping_rx,
            },
        );
        Ok(Self {
            listener,
            router,
            stopping,
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .expect("a bound TCP listener has a local address")
    }

    /// The address to open in a browser (loopback when bound to all interfaces).
    pub fn url(&self) -> String {
        let addr = self.local_addr();
        if addr.ip().is_unspecified() {
            format!("http://localhost:{}/", addr.port())
        } else {
            format!("http://{addr}/")
        }
    }

    /// Serves until `shutdown` resolves, then lets in-flight requests finish.
    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> Result<(), Error> {
        let stopping = self.stopping;
        // Without TCP_NODELAY, the last small piece of a streamed page waits
        // for the client's delayed ACK: 40 ms added to every page on Linux.
        let listener = self.listener.tap_io(|stream| {
            if let Err(error) = stream.set_nodelay(true) {
                tracing::debug!(%error, "could not set TCP_NODELAY");
            }
        });
        axum::serve(
            listener,
            self.router
                .into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(async move {
            shutdown.await;
            let _ = stopping.send(true);
        })
        .await?;
        Ok(())
    }
}

/// Listens for Ctrl-C (SIGINT) and SIGTERM from now on and returns a future
/// that resolves at the first of them. Call it before startup work, so that
/// a signal arriving early is not lost (or fatal: without a handler,
/// SIGTERM kills the process before the database is stopped).
pub fn shutdown_signal() -> Result<impl Future<Output = ()> + Send + 'static, Error> {
    use tokio::signal::unix::{signal, SignalKind};
    let mut interrupt = signal(SignalKind::interrupt())?;
    let mut terminate = signal(SignalKind::terminate())?;
    Ok(async move {
        tokio::select! {
            _ = interrupt.recv() => {}
            _ = terminate.recv() => {}
        }
    })
}

/// Turns a shutdown future into a channel that every task can watch.
pub fn stop_on(
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> tokio::sync::watch::Receiver<bool> {
    let (stop, stopped) = tokio::sync::watch::channel(false);
    tokio::spawn(async move {
        shutdown.await;
        let _ = stop.send(true);
    });
    stopped
}
