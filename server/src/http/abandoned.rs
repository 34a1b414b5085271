//! Pages whose client went away are still rendered to the end, then
//! thrown away.
//!
//! Dropping a Leptos page stream half-way drops its reactive owner tree
//! while resource tasks of the same page may still be running on another
//! worker. In reactive_graph 0.2 a task looking up a context at that moment
//! can end up dropping the tree's last reference itself, while it holds a
//! read lock the drop needs: that worker thread then waits forever (seen
//! under the inbox benchmark, whose load generator abandons the requests in
//! flight when it stops). Letting the stream finish first means the tree is
//! only dropped once its tasks are done. Event streams never finish, so
//! they are dropped as before.

use std::{
    pin::Pin,
    task::{Context, Poll},
    time::Duration,
};

use axum::{
    body::{Body, Bytes},
    extract::Request,
    middleware::Next,
    response::Response,
};
use futures_util::StreamExt as _;
use http_body::{Body as HttpBody, Frame, SizeHint};

/// Longest an abandoned page is rendered on.
const FINISH_WITHIN: Duration = Duration::from_secs(30);

pub async fn finish_abandoned(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    if super::is_event_stream(&response) {
        return response;
    }
    response.map(|body| {
        Body::new(FinishOnDrop {
            body: Some(body),
            ended: false,
        })
    })
}

struct FinishOnDrop {
    body: Option<Body>,
    ended: bool,
}

impl HttpBody for FinishOnDrop {
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
            self.ended = true;
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

impl Drop for FinishOnDrop {
    fn drop(&mut self) {
        let Some(body) = self.body.take().filter(|_| !self.ended) else {
            return;
        };
        // No runtime (the process is stopping): nothing is running either.
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn(async move {
                let mut rest = body.into_data_stream();
                let drain = async { while let Some(Ok(_)) = rest.next().await {} };
                let _ = tokio::time::timeout(FINISH_WITHIN, drain).await;
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use std::convert::Infallible;

    use axum::{http::Request, middleware, routing::get, Router};
    use futures_util::stream;
    use tokio::sync::oneshot;
    use tower::ServiceExt as _;

    use super::*;

    #[tokio::test]
    async fn a_page_dropped_half_way_is_still_rendered_to_the_end() {
        let (go_on, may_go_on) = oneshot::channel::<()>();
        let (finished, was_finished) = oneshot::channel::<()>();
        let parts = std::sync::Arc::new(std::sync::Mutex::new(Some((may_go_on, finished))));
        let app = Router::new()
            .route(
                "/page",
                get(move || {
                    let (may_go_on, finished) = parts.lock().unwrap().take().unwrap();
                    async move {
                        let first =
                            stream::once(async { Ok::<_, Infallible>(Bytes::from("head")) });
                        let rest = stream::once(async move {
                            let _ = may_go_on.await;
                            let _ = finished.send(());
                            Ok(Bytes::from("rows"))
                        });
                        Body::from_stream(first.chain(rest))
                    }
                }),
            )
            .layer(middleware::from_fn(finish_abandoned));

        let response = app
            .oneshot(Request::get("/page").body(Body::empty()).unwrap())
            .await
            .unwrap();
        let mut body = response.into_body().into_data_stream();
        assert_eq!(body.next().await.unwrap().unwrap(), "head");
        // The client goes away before the rest.
        drop(body);
        go_on.send(()).unwrap();
        assert!(
            was_finished.await.is_ok(),
            "the rest of the page was rendered, not dropped"
        );
    }
}
