//! Live inbox events for this process's open inboxes. One PostgreSQL
//! connection LISTENs for what any newsdesk process (or the database
//! itself, for ingested candidates) announces, and fans it out to every
//! subscriber. If that connection drops, it reconnects and tells the
//! subscribers to resync, since notifications sent meanwhile are lost.

use std::time::Duration;

use newsdesk_app::{db::triage::CHANNEL, inbox::InboxEvent};
use serde::Deserialize;
use sqlx::{postgres::PgListener, PgPool};
use tokio::sync::broadcast;

/// Announced by the `ingest_entries` database function for each new candidate.
const CANDIDATES_CHANNEL: &str = "newsdesk_candidates";
/// Events a slow subscriber may fall behind by before it must resync.
const BUFFER: usize = 1024;
const RECONNECT_AFTER: Duration = Duration::from_secs(1);

#[derive(Clone)]
pub struct LiveHub {
    sender: broadcast::Sender<InboxEvent>,
}

impl LiveHub {
    /// Starts listening; the task ends with the runtime.
    pub fn start(pool: &PgPool) -> Self {
        let (sender, _) = broadcast::channel(BUFFER);
        tokio::spawn(listen(pool.clone(), sender.clone()));
        Self { sender }
    }

    pub fn subscribe(&self) -> broadcast::Receiver<InboxEvent> {
        self.sender.subscribe()
    }
}

#[derive(Deserialize)]
struct NewCandidate {
    candidate_id: i64,
}

async fn listen(pool: PgPool, sender: broadcast::Sender<InboxEvent>) {
    let mut first = true;
    loop {
        match PgListener::connect_with(&pool).await {
            Ok(mut listener) => {
                if let Err(error) = listener.listen_all([CHANNEL, CANDIDATES_CHANNEL]).await {
                    tracing::warn!(%error, "live events: LISTEN failed");
                } else {
                    if !first {
                        let _ = sender.send(InboxEvent::Resync);
                    }
                    first = false;
                    forward(&mut listener, &sender).await;
                }
            }
            Err(error) => tracing::warn!(%error, "live events: cannot connect"),
        }
        if pool.is_closed() {
            return;
        }
        tokio::time::sleep(RECONNECT_AFTER).await;
    }
}

/// Forwards notifications until the connection fails.
async fn forward(listener: &mut PgListener, sender: &broadcast::Sender<InboxEvent>) {
    loop {
        let notification = match listener.try_recv().await {
            Ok(Some(notification)) => notification,
            // The connection was lost (sqlx would reconnect silently on
            // `recv`; we want to know, to resync subscribers).
            Ok(None) => return,
            Err(error) => {
                tracing::warn!(%error, "live events: connection lost");
                return;
            }
        };
        let event =
            match notification.channel() {
                CANDIDATES_CHANNEL => serde_json::from_str::<NewCandidate>(notification.payload())
                    .map(|new| InboxEvent::Arrived {
                        ids: vec![new.candidate_id],
                    }),
                _ => serde_json::from_str::<InboxEvent>(notification.payload()),
            };
        match event {
            // No subscribers is fine: nobody has an inbox open.
            Ok(event) => {
                let _ = sender.send(event);
            }
            Err(error) => tracing::warn!(%error, "live events: unreadable notification"),
        }
    }
}
