//! Live events as server-sent events: `/api/v1/inbox/events` for open
//! inboxes and `/api/v1/issues/{number}/events` for viewers of an issue.
//! Each event is JSON. A stream ends when the server shuts down, so a
//! graceful shutdown does not wait for open pages.

use std::convert::Infallible;

use axum::{
    extract::{Path, State},
    response::sse::{Event, KeepAlive, Sse},
};
use futures_util::{stream, Stream};
use newsdesk_app::{
    editor::{self, IssueEvent},
    inbox::InboxEvent,
};
use serde::Serialize;
use tokio::sync::broadcast::error::RecvError;

use super::{
    api::{error::ApiError, Id},
    guard::Viewer,
    HttpState,
};
use crate::live::Live;

pub async fn inbox(
    _: Viewer,
    State(state): State<HttpState>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    stream_of(
        &state,
        |live| match live {
            Live::Inbox(event) => Some(event),
            Live::Issue(_) => None,
        },
        InboxEvent::Resync,
    )
}

pub async fn issue(
    _: Viewer,
    State(state): State<HttpState>,
    number: Id<i32>,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiError> {
    let Path(number) = number?;
    let issue_id = editor::service::issue_id(&state.app.pool, number).await?;
    Ok(stream_of(
        &state,
        move |live| match live {
            Live::Issue(event) if event.concerns(issue_id) => Some(event),
            _ => None,
        },
        IssueEvent::Resync,
    ))
}

/// The hub's events that `select` keeps, as SSE; `resync` is sent when
/// this subscriber fell behind and lost events.
fn stream_of<E: Serialize + Clone + Send + 'static>(
    state: &HttpState,
    select: impl Fn(Live) -> Option<E> + Send + 'static,
    resync: E,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let receiver = state.live.subscribe();
    let stopping = state.stopping.clone();
    let events = stream::unfold(
        (receiver, stopping, select),
        move |(mut receiver, mut stopping, select)| {
            let resync = resync.clone();
            async move {
                let event = loop {
                    tokio::select! {
                        _ = stopping.wait_for(|stop| *stop) => return None,
                        received = receiver.recv() => match received {
                            Ok(live) => if let Some(event) = select(live) { break event },
                            // Fell behind: the client reloads what it shows.
                            Err(RecvError::Lagged(_)) => break resync,
                            Err(RecvError::Closed) => return None,
                        },
                    }
                };
                let data = serde_json::to_string(&event).unwrap_or_default();
                Some((
                    Ok(Event::default().data(data)),
                    (receiver, stopping, select),
                ))
            }
        },
    );
    Sse::new(events).keep_alive(KeepAlive::default())
}
