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
//! A request keeps its place while its body is sent, because a page's
//! rendering and compression happen while the body streams; but for at
//! most `HOLD_AT_MOST` in all, so that handlers waiting on remote sites and
//! clients reading slowly (or not at all) cannot keep everyone else
//! waiting. Event streams stay open for as long as a tab is: they give
//! their place back as soon as they start.

use std::{sync::Arc, time::Duration};

use axum::{
    body::Body,
    extract::{Request, State},
    middleware::Next,
    response::Response,
};
use tokio::sync::{oneshot, Semaphore};

use super::watched_body::WatchedBody;

/// Longest a request keeps its place, from admission to its body's end.
const HOLD_AT_MOST: Duration = Duration::from_secs(1);

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
    // tokio's semaphore is fair: places are handed out in the order asked.
    let Ok(place) = admission.places.clone().acquire_owned().await else {
        // Only a closed semaphore fails, and it is never closed.
        return next.run(request).await;
    };
    // The place goes back when the body has been sent, when the request or
    // its body is dropped, or at `HOLD_AT_MOST` from now, whichever comes
    // first: a handler waiting on a slow remote site (a link added by hand,
    // a feed refreshed now) then stops holding up everyone else, and so
    // does a client reading slowly.
    let deadline = tokio::time::Instant::now() + HOLD_AT_MOST;
    let run = next.run(request);
    tokio::pin!(run);
    let (response, place) = match tokio::time::timeout_at(deadline, &mut run).await {
        Ok(response) => (response, place),
        Err(_) => {
            drop(place);
            return run.await;
        }
    };
    if super::is_event_stream(&response) {
        return response;
    }
    let (done, finished) = oneshot::channel::<()>();
    tokio::spawn(async move {
        // Resolves when the body ends or is dropped (the sender goes).
        let _ = tokio::time::timeout_at(deadline, finished).await;
        drop(place);
    });
    // Dropping `done` (at the body's end, or with the body) says so.
    response.map(|body| Body::new(WatchedBody::new(body, move |_| drop(done))))
}

#[cfg(test)]
mod tests {
    use std::{
        convert::Infallible,
        future::Future,
        sync::Mutex,
        task::{Context, Waker},
    };

    use axum::{
        body::{to_bytes, Bytes},
        http::{header, Request},
        middleware,
        routing::get,
        Router,
    };
    use futures_util::{stream, FutureExt as _};
    use tokio::sync::oneshot;
    use tower::ServiceExt as _;

    use super::*;

    /// One place; `/slow` answers at once but its body ends only when the
    /// returned sender fires (or is dropped); `/stuck` never answers;
    /// `/events` is an event stream.
    fn app() -> (Router, oneshot::Sender<()>) {
        let (finish, finished) = oneshot::channel::<()>();
        let finished = Arc::new(Mutex::new(Some(finished)));
        let router = Router::new()
            .route(
                "/slow",
                get(move || {
                    let finished = finished.lock().unwrap().take();
                    async move {
                        Body::from_stream(stream::once(async move {
                            if let Some(finished) = finished {
                                let _ = finished.await;
                            }
                            Ok::<_, Infallible>(Bytes::from_static(b"slow"))
                        }))
                    }
                }),
            )
            .route("/fast", get(|| async { "fast" }))
            // Waits for a remote site that never answers.
            .route("/stuck", get(std::future::pending::<&'static str>))
            // Streams until the test ends.
            .route(
                "/events",
                get(|| async {
                    (
                        [(header::CONTENT_TYPE, "text/event-stream")],
                        Body::from_stream(stream::pending::<Result<Bytes, Infallible>>()),
                    )
                }),
            )
            .layer(middleware::from_fn_with_state(Admission::new(1), admit));
        (router, finish)
    }

    fn get_request(path: &str) -> Request<Body> {
        Request::get(path).body(Body::empty()).unwrap()
    }

    async fn text(response: Response) -> String {
        let bytes = to_bytes(response.into_body(), usize::MAX).await.unwrap();
        String::from_utf8(bytes.to_vec()).unwrap()
    }

    fn is_pending<F: Future>(future: std::pin::Pin<&mut F>) -> bool {
        future
            .poll(&mut Context::from_waker(Waker::noop()))
            .is_pending()
    }

    #[tokio::test]
    async fn a_request_waits_until_the_body_before_it_is_sent() {
        let (app, finish) = app();
        let slow = app.clone().oneshot(get_request("/slow")).await.unwrap();

        let mut fast = Box::pin(app.clone().oneshot(get_request("/fast")));
        assert!(
            is_pending(fast.as_mut()),
            "the only place is held by the unfinished body"
        );
        finish.send(()).unwrap();
        assert_eq!(text(slow).await, "slow");
        assert_eq!(text(fast.await.unwrap()).await, "fast");
    }

    #[tokio::test]
    async fn a_body_dropped_unsent_gives_its_place_back() {
        let (app, _finish) = app();
        let slow = app.clone().oneshot(get_request("/slow")).await.unwrap();
        let mut fast = Box::pin(app.clone().oneshot(get_request("/fast")));
        assert!(is_pending(fast.as_mut()));
        // The client went away.
        drop(slow);
        assert_eq!(text(fast.await.unwrap()).await, "fast");
    }

    #[tokio::test]
    async fn an_event_stream_gives_its_place_back_when_it_starts() {
        let (app, _finish) = app();
        let _events = app.clone().oneshot(get_request("/events")).await.unwrap();
        let fast = app
            .oneshot(get_request("/fast"))
            .now_or_never()
            .expect("not queued behind the stream")
            .unwrap();
        assert_eq!(text(fast).await, "fast");
    }

    #[tokio::test(start_paused = true)]
    async fn a_body_read_too_slowly_keeps_its_place_for_a_second_at_most() {
        let (app, _finish) = app();
        let _slow = app.clone().oneshot(get_request("/slow")).await.unwrap();
        let mut fast = Box::pin(app.clone().oneshot(get_request("/fast")));
        tokio::time::advance(HOLD_AT_MOST / 2).await;
        assert!(is_pending(fast.as_mut()), "still within the limit");
        tokio::time::advance(HOLD_AT_MOST).await;
        assert_eq!(text(fast.await.unwrap()).await, "fast");
    }

    #[tokio::test(start_paused = true)]
    async fn a_handler_that_never_answers_keeps_its_place_for_a_second_at_most() {
        let (app, _finish) = app();
        let mut stuck = Box::pin(app.clone().oneshot(get_request("/stuck")));
        assert!(is_pending(stuck.as_mut()));
        let mut fast = Box::pin(app.clone().oneshot(get_request("/fast")));
        tokio::time::advance(HOLD_AT_MOST / 2).await;
        assert!(is_pending(fast.as_mut()), "still within the limit");
        tokio::time::advance(HOLD_AT_MOST).await;
        assert!(is_pending(stuck.as_mut()), "the stuck request goes on");
        assert_eq!(text(fast.await.unwrap()).await, "fast");
    }
}
