//! `/api/v1/inbox/events`: the live inbox as server-sent events. Each event
//! is an `InboxEvent` as JSON. The stream ends when the server shuts down,
//! so a graceful shutdown does not wait for open inboxes.

use std::convert::Infallible;

use axum::{
    extract::State,
    response::sse::{Event, KeepAlive, Sse},
};
use futures_util::{stream, Stream};
use newsdesk_app::inbox::InboxEvent;
use tokio::sync::broadcast::error::RecvError;

use super::{guard::Viewer, HttpState};

pub async fn inbox(
    _: Viewer,
    State(state): State<HttpState>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let receiver = state.live.subscribe();
    let stopping = state.stopping.clone();
    let events = stream::unfold(
        (receiver, stopping),
        |(mut receiver, mut stopping)| async move {
            let event = tokio::select! {
                _ = stopping.wait_for(|stop| *stop) => return None,
                received = receiver.recv() => match received {
                    Ok(event) => event,
                    // Fell behind: the client reloads what it shows.
                    Err(RecvError::Lagged(_)) => InboxEvent::Resync,
                    Err(RecvError::Closed) => return None,
                },
            };
            let data = serde_json::to_string(&event).unwrap_or_default();
            Some((Ok(Event::default().data(data)), (receiver, stopping)))
        },
    );
    Sse::new(events).keep_alive(KeepAlive::default())
}
