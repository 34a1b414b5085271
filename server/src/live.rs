//! Live events for this process's open inboxes and issues. One PostgreSQL
//! connection LISTENs for what any newsdesk process (or the database
//! itself, for ingested candidates) announces, and fans it out to every
//! subscriber. If that connection drops, it reconnects and tells the
//! subscribers to resync, since notifications sent meanwhile are lost.

use std::time::Duration;

use newsdesk_app::{
    db::events::{CANDIDATES_CHANNEL, INBOX_CHANNEL, ISSUE_CHANNEL},
    editor::IssueEvent,
    inbox::InboxEvent,
};
use serde::Deserialize;
use sqlx::{postgres::PgListener, PgPool};
use tokio::sync::broadcast;

/// Events a slow subscriber may fall behind by before it must resync.
const BUFFER: usize = 1024;
const RECONNECT_AFTER: Duration = Duration::from_secs(1);

/// An event for open inboxes or for viewers of an issue.
#[derive(Clone, Debug)]
pub enum Live {
    Inbox(InboxEvent),
    Issue(IssueEvent),
}

#[derive(Clone)]
pub struct LiveHub {
    sender: broadcast::Sender<Live>,
}

impl LiveHub {
    /// Starts listening; the task ends with the runtime.
    pub fn start(pool: &PgPool) -> Self {
        let (sender, _) = broadcast::channel(BUFFER);
        tokio::spawn(listen(pool.clone(), sender.clone()));
        Self { sender }
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Live> {
        self.sender.subscribe()
    }
}

#[derive(Deserialize)]
struct NewCandidate {
    candidate_id: i64,
}

async fn listen(pool: PgPool, sender: broadcast::Sender<Live>) {
    let mut first = true;
    loop {
        match PgListener::connect_with(&pool).await {
            Ok(mut listener) => {
                if let Err(error) = listener
                    .listen_all([INBOX_CHANNEL, CANDIDATES_CHANNEL, ISSUE_CHANNEL])
                    .await
                {
                    tracing::warn!(%error, "live events: LISTEN failed");
                } else {
                    if !first {
                        let _ = sender.send(Live::Inbox(InboxEvent::Resync));
                        let _ = sender.send(Live::Issue(IssueEvent::Resync));
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
async fn forward(listener: &mut PgListener, sender: &broadcast::Sender<Live>) {
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
        let payload = notification.payload();
        let event = match notification.channel() {
            CANDIDATES_CHANNEL => serde_json::from_str::<NewCandidate>(payload).map(|new| {
                Live::Inbox(InboxEvent::Arrived {
                    ids: vec![new.candidate_id],
                })
            }),
            ISSUE_CHANNEL => serde_json::from_str::<IssueEvent>(payload).map(Live::Issue),
            _ => serde_json::from_str::<InboxEvent>(payload).map(Live::Inbox),
        };
        match event {
            // No subscribers is fine: nobody has a page open.
            Ok(event) => {
                let _ = sender.send(event);
            }
            Err(error) => tracing::warn!(%error, "live events: unreadable notification"),
        }
    }
}
