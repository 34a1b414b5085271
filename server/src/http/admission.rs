//! Admission: at most a fixed number of requests are worked on at once; the
//! others wait in one first-come, first-served queue.
//!
//! Without it, every request that arrives starts at once and they all share
//! the cores; under load each one then takes as long as the slowest mix of
//! scheduling luck, database-connection waits and compression, so the
//! slowest answers are far slower than the typical one. With a bounded
//! number in flight, served in arrival order, a request's time is its queue
//! position times the work ahead of it: even under load, the slowest answer
//! is close to the typical one, and memory for half-rendered pages stays
//! bounded.
//!
//! A request holds its place until its body is fully sent, because a page's
//! rendering and compression happen while the body streams. Event streams
//! (`Accept: text/event-stream`) stay open for as long as a tab is, so they
//! bypass the queue.

use std::{
    pin::Pin,
    sync::Arc,
    task::{Context, Poll},
};

use axum::{
    body::{Body, Bytes},
    extract::{Request, State},
    http::header,
    middleware::Next,
    response::Response,
};
use http_body::{Body as HttpBody, Frame, SizeHint};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// The queue's places; cheap to clone.
#[derive(Clone)]
pub struct Admission {
    places: Arc<Semaphore>,
}

impl Admission {
    pub fn new(in_flight: usize) -> Self {
        Self {
            places: Arc::new(Semaphore::new(in_flight.max(1))),
        }
    }
}

pub async fn admit(State(admission): State<Admission>, request: Request, next: Next) -> Response {
    if is_event_stream(&request) {
        return next.run(request).await;
    }
    // tokio's semaphore is fair: places are handed out in the order asked.
    let Ok(place) = admission.places.clone().acquire_owned().await else {
        // Only a closed semaphore fails, and it is never closed.
        return next.run(request).await;
    };
    let response = next.run(request).await;
    response.map(|body| {
        Body::new(HeldBody {
            body,
            place: Some(place),
        })
    })
}

fn is_event_stream(request: &Request) -> bool {
    request
        .headers()
        .get_all(header::ACCEPT)
        .iter()
        .any(|value| value.as_bytes().starts_with(b"text/event-stream"))
}

/// A response body that gives its place back when it ends (or is dropped,
/// when the client goes away).
struct HeldBody {
    body: Body,
    place: Option<OwnedSemaphorePermit>,
}

impl HttpBody for HeldBody {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Self::Data>, Self::Error>>> {
        let frame = Pin::new(&mut self.body).poll_frame(cx);
        if let Poll::Ready(None) = frame {
            self.place = None;
        }
        frame
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.body.size_hint()
    }
}
