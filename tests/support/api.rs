//! Calling newsdesk over HTTP in tests: the JSON API and server functions,
//! each answer as its status and JSON body (`null` when it has none).

use reqwest::{Client, Method, Response};
use serde_json::Value;

use super::TestApp;

/// An answer's status and JSON body.
pub async fn json_of(response: Response) -> (u16, Value) {
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// A request to the JSON API as `client`, with an optional JSON body.
pub async fn send(
    app: &TestApp,
    client: &Client,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let mut request = client.request(method, app.url(path));
    if let Some(body) = body {
        request = request.json(&body);
    }
    json_of(request.send().await.expect("request reaches the server")).await
}

/// `GET path` as the app's API client, whatever it answers.
pub async fn get_answer(app: &TestApp, path: &str) -> (u16, Value) {
    send(app, &app.api, Method::GET, path, None).await
}

/// `POST path` as the app's API client, with an optional JSON body.
pub async fn post(app: &TestApp, path: &str, body: impl Into<Option<Value>>) -> (u16, Value) {
    send(app, &app.api, Method::POST, path, body.into()).await
}

/// `PATCH path` as the app's API client, with an optional JSON body.
pub async fn patch(app: &TestApp, path: &str, body: impl Into<Option<Value>>) -> (u16, Value) {
    send(app, &app.api, Method::PATCH, path, body.into()).await
}

/// `PUT path` as the app's API client, with an optional JSON body.
pub async fn put(app: &TestApp, path: &str, body: impl Into<Option<Value>>) -> (u16, Value) {
    send(app, &app.api, Method::PUT, path, body.into()).await
}

/// [`post`], which must answer 200; the answer's body.
pub async fn post_ok(app: &TestApp, path: &str, body: impl Into<Option<Value>>) -> Value {
    let (status, body) = post(app, path, body).await;
    assert_eq!(status, 200, "{body}");
    body
}

/// [`patch`], which must answer 200; the answer's body.
pub async fn patch_ok(app: &TestApp, path: &str, body: impl Into<Option<Value>>) -> Value {
    let (status, body) = patch(app, path, body).await;
    assert_eq!(status, 200, "{body}");
    body
}

/// `DELETE path` as the app's API client.
pub async fn delete(app: &TestApp, path: &str) -> (u16, Value) {
    send(app, &app.api, Method::DELETE, path, None).await
}

/// `GET path` as the app's API client, which must answer 200.
pub async fn get(app: &TestApp, path: &str) -> Value {
    let (status, body) = send(app, &app.api, Method::GET, path, None).await;
    assert_eq!(status, 200, "GET {path}: {body}");
    body
}

/// Calls a server function as `client`, the way the hydrated app does (a
/// form body from our own origin).
pub async fn post_server_fn(
    app: &TestApp,
    client: &Client,
    function: &str,
    form: &[(&str, &str)],
) -> Response {
    client
        .post(app.url(&format!("/api/{function}")))
        .header("origin", app.origin())
        .form(form)
        .send()
        .await
        .expect("request reaches the server")
}

/// [`post_server_fn`], answered as status and JSON.
pub async fn server_fn_json(
    app: &TestApp,
    client: &Client,
    function: &str,
    form: &[(&str, &str)],
) -> (u16, Value) {
    json_of(post_server_fn(app, client, function, form).await).await
}

/// A server function called as the app's signed-in admin, answered as
/// status and JSON.
pub async fn call_json(app: &TestApp, function: &str, form: &[(&str, &str)]) -> (u16, Value) {
    json_of(app.call(function, form).await).await
}

/// The message of an error answer's JSON body.
pub fn error_message(body: &Value) -> &str {
    body["error"]["message"]
        .as_str()
        .unwrap_or_else(|| panic!("no error message in {body}"))
}
