//! Which PostgreSQL newsdesk talks to (an external one from DATABASE_URL, or
//! its private cluster), the connection pool, and migrations.

pub mod private_cluster;

use std::{str::FromStr, time::Duration};

use sqlx::{
    postgres::{PgConnectOptions, PgPoolOptions},
    Connection, PgPool,
};

use crate::{config::GlobalArgs, error::Error};
pub use private_cluster::PrivateCluster;

/// The pool plus, when newsdesk runs its own database, the cluster to stop.
pub struct Database {
    pub pool: PgPool,
    cluster: Option<PrivateCluster>,
}

impl Database {
    pub async fn open(global: &GlobalArgs) -> Result<Self, Error> {
        match global.external_database_url() {
            Some(url) => {
                let options = PgConnectOptions::from_str(url.expose())
                    .map_err(|e| Error::Database(format!("DATABASE_URL is not usable: {e}")))?;
                tracing::info!(
                    host = options.get_host(),
                    database = options.get_database().unwrap_or("(default)"),
                    "using the PostgreSQL from DATABASE_URL"
                );
                let pool = connect(options).await?;
                Ok(Self {
                    pool,
                    cluster: None,
                })
            }
            None => {
                let cluster = PrivateCluster::start(&global.data_dir).await?;
                let layout = cluster.layout();
                tracing::info!(
                    data_dir = %layout.root.display(),
                    log = %layout.log_file.display(),
                    "data lives in the private PostgreSQL under {}; connect with: {}",
                    layout.pgdata.display(),
                    layout.psql_command()
                );
                match connect(layout.connect_options()).await {
                    Ok(pool) => Ok(Self {
                        pool,
                        cluster: Some(cluster),
                    }),
                    Err(error) => {
                        if let Err(stop_error) = cluster.stop().await {
                            tracing::error!(%stop_error, "stopping the private PostgreSQL failed too");
                        }
                        Err(error)
                    }
                }
            }
        }
    }

    /// Closes the database after work that used it, and returns the work's
    /// result. When the work failed, its error is what the caller reports:
    /// a failure to close that follows from it (PostgreSQL gone, say) would
    /// hide the cause, so it is only logged.
    pub async fn close_after<T>(self, result: Result<T, Error>) -> Result<T, Error> {
        let closed = self.close().await;
        match (result, closed) {
            (Ok(value), closed) => closed.map(|()| value),
            (Err(error), Ok(())) => Err(error),
            (Err(error), Err(close_error)) => {
                tracing::error!(%close_error, "closing the database failed too");
                Err(error)
            }
        }
    }

    /// Closes the pool, then stops the private cluster if we run one.
    pub async fn close(self) -> Result<(), Error> {
        self.pool.close().await;
        match self.cluster {
            Some(cluster) => cluster.stop().await,
            None => Ok(()),
        }
    }
}

/// Connections idle this long are pinged before use (see `connect`): under
/// load a connection is back at work within microseconds, and a restart of
/// PostgreSQL takes longer than this.
const PING_IDLE_CONNECTIONS_AFTER: Duration = Duration::from_millis(100);

async fn connect(options: PgConnectOptions) -> Result<PgPool, Error> {
    // More busy backends than cores only adds context switches: on 2 cores
    // 6 connections served the inbox faster than 16 (the rest of the
    // requests wait for a connection instead of for a core).
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get()) as u32;
    PgPoolOptions::new()
        .max_connections((cores * 3).clamp(4, 16))
        // A ping before every use was a round trip per query: a tenth of
        // the inbox's database time. Busy connections go straight back to
        // work; only one that sat idle for a while is pinged first, since
        // PostgreSQL may have restarted meanwhile and a dead connection
        // would fail the request that got it (sqlx then opens a new one).
        .test_before_acquire(false)
        .before_acquire(|connection, meta| {
            Box::pin(async move {
                if meta.idle_for >= PING_IDLE_CONNECTIONS_AFTER {
                    connection.ping().await?;
                }
                Ok(true)
            })
        })
        .acquire_timeout(Duration::from_secs(5))
        .connect_with(options)
        .await
        .map_err(|e| Error::Database(format!("cannot connect to PostgreSQL: {e}")))
}

/// Applies the migrations in `migrations/` that have not run yet.
pub async fn migrate(pool: &PgPool) -> Result<(), Error> {
    sqlx::migrate!("../migrations").run(pool).await?;
    Ok(())
}
