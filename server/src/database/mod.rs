//! Which PostgreSQL newsdesk talks to (an external one from DATABASE_URL, or
//! its private cluster), the connection pool, and migrations.

pub mod private_cluster;

use std::{str::FromStr, time::Duration};

use sqlx::{
    postgres::{PgConnectOptions, PgPoolOptions},
    PgPool,
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
                        cluster.stop().await?;
                        Err(error)
                    }
                }
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

async fn connect(options: PgConnectOptions) -> Result<PgPool, Error> {
    PgPoolOptions::new()
        .max_connections(16)
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
