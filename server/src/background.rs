//! Work that runs beside the HTTP server (or alone in `newsdesk poll`): the
//! feed poller and the daily maintenance run, all stopped by one signal.

use sqlx::PgPool;
use tokio::{sync::watch, task::JoinHandle};

use crate::{
    config::IngestArgs,
    ingest::{poller::Poller, Ingest},
    maintenance,
};

pub struct Background {
    tasks: Vec<JoinHandle<()>>,
}

impl Background {
    pub fn start(pool: &PgPool, args: &IngestArgs, stop: &watch::Receiver<bool>) -> Self {
        let poller = Poller::new(
            Ingest::new(pool.clone(), args.fetcher()),
            args.poller_settings(),
        );
        let tasks = vec![
            tokio::spawn(poller.run(stop.clone())),
            tokio::spawn(maintenance::run_daily(
                pool.clone(),
                args.retention_days,
                stop.clone(),
            )),
        ];
        Self { tasks }
    }

    /// Waits for the tasks to finish after the stop signal.
    pub async fn join(self) {
        for task in self.tasks {
            if let Err(error) = task.await {
                tracing::error!(%error, "a background task failed");
            }
        }
    }
}
