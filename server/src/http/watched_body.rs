//! A response body that passes its frames through unchanged and tells its
//! owner when it was dropped before its end: the admission queue gives the
//! request's place back then, and an abandoned page is rendered on.

use std::{
    pin::Pin,
    task::{Context, Poll},
};

use axum::body::{Body, Bytes};
use http_body::{Body as HttpBody, Frame, SizeHint};

/// `unfinished` runs with the rest of the body when the body is dropped
/// before it ended; once it has ended, `unfinished` is dropped unrun (so
/// whatever it holds, such as a channel's sender, goes at the end).
pub(super) struct WatchedBody<F: FnOnce(Body) + Unpin> {
    body: Option<Body>,
    unfinished: Option<F>,
}

impl<F: FnOnce(Body) + Unpin> WatchedBody<F> {
    pub(super) fn new(body: Body, unfinished: F) -> Self {
        Self {
            body: Some(body),
            unfinished: Some(unfinished),
        }
    }
}

impl<F: FnOnce(Body) + Unpin> HttpBody for WatchedBody<F> {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Self::Data>, Self::Error>>> {
        let Some(body) = self.body.as_mut() else {
            return Poll::Ready(None);
        };
        let frame = Pin::new(body).poll_frame(cx);
        if let Poll::Ready(None) = frame {
            self.unfinished = None;
        }
        frame
    }

    fn is_end_stream(&self) -> bool {
        self.body.as_ref().is_none_or(HttpBody::is_end_stream)
    }

    fn size_hint(&self) -> SizeHint {
        self.body
            .as_ref()
            .map_or_else(|| SizeHint::with_exact(0), HttpBody::size_hint)
    }
}

impl<F: FnOnce(Body) + Unpin> Drop for WatchedBody<F> {
    fn drop(&mut self) {
        if let (Some(unfinished), Some(body)) = (self.unfinished.take(), self.body.take()) {
            unfinished(body);
        }
    }
}
