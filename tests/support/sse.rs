//! Reading a server-sent event stream in tests.

use std::time::Duration;

use reqwest::Client;
use serde_json::{json, Value};

use super::TestApp;

/// A server-sent event stream read as it arrives.
pub struct Events {
    response: reqwest::Response,
    buffer: String,
}

impl Events {
    pub async fn open(app: &TestApp, client: &Client, path: &str) -> Self {
        let response = client
            .get(app.url(path))
            .send()
            .await
            .expect("request reaches the server");
        Self::reading(response)
    }

    /// Reads `response`, which must be an event stream.
    pub fn reading(response: reqwest::Response) -> Self {
        assert_eq!(response.status(), 200);
        let kind = response.headers()["content-type"].to_str().unwrap();
        assert!(kind.starts_with("text/event-stream"), "{kind}");
        Self {
            response,
            buffer: String::new(),
        }
    }

    /// The next event's data as JSON.
    pub async fn next(&mut self) -> Value {
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                let data: Vec<&str> = block
                    .lines()
                    .filter_map(|line| line.strip_prefix("data:"))
                    .map(str::trim_start)
                    .collect();
                if data.is_empty() {
                    continue; // a keep-alive comment
                }
                return serde_json::from_str(&data.join("\n")).expect("event data is JSON");
            }
            let chunk = self
                .response
                .chunk()
                .await
                .expect("the stream stays readable")
                .expect("the stream stays open");
            self.buffer.push_str(&String::from_utf8_lossy(&chunk));
        }
    }

    /// Skips events until one of `kind` that names `id` (in `ids`, or as
    /// `issue_id`); fails after 10 s.
    pub async fn expect(&mut self, kind: &str, id: i64) -> Value {
        let wanted = async {
            loop {
                let event = self.next().await;
                let names_it = event["ids"]
                    .as_array()
                    .is_some_and(|ids| ids.contains(&json!(id)))
                    || event["issue_id"] == json!(id);
                if event["kind"] == kind && names_it {
                    return event;
                }
            }
        };
        tokio::time::timeout(Duration::from_secs(10), wanted)
            .await
            .unwrap_or_else(|_| panic!("no {kind} event for {id} within 10 s"))
    }

    /// Skips events until one of `kind`; fails after `within`.
    pub async fn expect_kind(&mut self, kind: &str, within: Duration) -> Value {
        let wanted = async {
            loop {
                let event = self.next().await;
                if event["kind"] == kind {
                    return event;
                }
            }
        };
        tokio::time::timeout(within, wanted)
            .await
            .unwrap_or_else(|_| panic!("no {kind} event within {within:?}"))
    }
}
