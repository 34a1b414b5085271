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

use std::time::Duration;

use axum::{body::Body, extract::Request, middleware::Next, response::Response};
use futures_util::StreamExt as _;

use super::watched_body::WatchedBody;

/// Longest an abandoned page is rendered on.
const FINISH_WITHIN: Duration = Duration::from_secs(30);

pub async fn finish_abandoned(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    if super::is_event_stream(&response) {
        return response;
    }
    response.map(|body| Body::new(WatchedBody::new(body, finish_in_background)))
}

/// Renders the rest of a page whose client went away, for at most
/// `FINISH_WITHIN`.
fn finish_in_background(body: Body) {
    // No runtime (the process is stopping): nothing is running either.
    if let Ok(runtime) = tokio::runtime::Handle::try_current() {
        runtime.spawn(async move {
            let mut rest = body.into_data_stream();
            let drain = async { while let Some(Ok(_)) = rest.next().await {} };
            let _ = tokio::time::timeout(FINISH_WITHIN, drain).await;
        });
    }
}

#[cfg(test)]
mod tests {
    use std::convert::Infallible;

    use axum::{body::Bytes, http::Request, middleware, routing::get, Router};
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
