//! The sender of webhook posts: claims due posts from the database (like
//! the poller claims feeds), POSTs each through the SSRF guard the feeds
//! use (private, loopback and link-local addresses refused unless
//! allowed; no redirects followed), signs generic JSON with HMAC-SHA256,
//! and records the answer. A network error, a 5xx, 408 or 429 is tried
//! again with backoff; another refusal, or a blocked address, is final.

use std::{sync::Arc, time::Duration};

use hmac::{Hmac, Mac};
use newsdesk_app::{
    db::{self, webhooks::ClaimedPost},
    lang::{
        model::{Stored, StoredText},
        Locale,
    },
    webhooks::{message, service},
};
use sha2::Sha256;
use sqlx::PgPool;
use tokio::sync::watch;

use crate::ingest::{
    fetch::FetchSettings,
    guard::{AddressPolicy, AllowList, Blocked},
};

/// How long a claim lasts: far more than a post may take.
const LEASE: Duration = Duration::from_secs(5 * 60);
/// The longest a post may take.
const POST_TIMEOUT: Duration = Duration::from_secs(20);
/// How often the server looks for due posts.
const LOOK_EVERY: Duration = Duration::from_secs(3);
/// The header that carries the signature of JSON posts.
pub const SIGNATURE_HEADER: &str = "x-newsdesk-signature";

/// Posts webhooks through the SSRF guard.
#[derive(Clone)]
pub struct WebhookSender {
    client: reqwest::Client,
    policy: Arc<AddressPolicy>,
}

impl WebhookSender {
    /// `allow`: the private hosts feeds may be fetched from may also be
    /// told (`--allow-private-hosts`).
    pub fn new(allow: AllowList) -> Self {
        let policy = Arc::new(AddressPolicy::new(allow));
        let client = reqwest::Client::builder()
            .user_agent(FetchSettings::default().user_agent)
            .connect_timeout(Duration::from_secs(10))
            .timeout(POST_TIMEOUT)
            .redirect(reqwest::redirect::Policy::none())
            .dns_resolver(policy.resolver())
            .no_proxy()
            .build()
            .expect("the HTTP client configuration is valid");
        Self { client, policy }
    }
}

/// Sends what is due now, one post at a time, until nothing is; returns
/// how many posts were tried. Tests call this to drive the sender.
pub async fn run_due_once(pool: &PgPool, sender: &WebhookSender) -> Result<usize, sqlx::Error> {
    let worker = format!("{}-{:08x}", std::process::id(), rand::random::<u32>());
    let mut tried = 0;
    while let Some(post) = db::webhooks::claim_due(pool, &worker, LEASE).await? {
        tried += 1;
        let outcome = send(sender, &post).await;
        let retry_in = match outcome.retry {
            true => service::retry_after(post.attempts),
            false => None,
        };
        if let Some(error) = &outcome.error {
            tracing::warn!(post = post.id, event = %post.event, status = outcome.status,
                %error, will_retry = retry_in.is_some(), "webhook post failed");
        }
        // English words beside the message, for psql and older rows.
        let words = outcome.error.as_ref().map(|error| error.words(Locale::en));
        db::webhooks::record(
            pool,
            &post,
            &worker,
            outcome.status,
            words.as_deref().zip(outcome.error.as_ref()),
            retry_in,
        )
        .await?;
    }
    Ok(tried)
}

/// Sends due posts now and every few seconds until `stop`.
pub async fn run(pool: PgPool, sender: WebhookSender, mut stop: watch::Receiver<bool>) {
    while !*stop.borrow() {
        if let Err(error) = service::queue_daily_summary(&pool).await {
            tracing::warn!(%error, "cannot queue the daily summary now; trying again shortly");
        }
        if let Err(error) = run_due_once(&pool, &sender).await {
            tracing::warn!(%error, "cannot send webhook posts now; trying again shortly");
        }
        tokio::select! {
            _ = stop.changed() => {}
            _ = tokio::time::sleep(LOOK_EVERY) => {}
        }
    }
}

struct Outcome {
    status: Option<i32>,
    /// Why it failed, as a message the Webhooks page words for its
    /// reader; `None` when sent.
    error: Option<Stored>,
    retry: bool,
}

impl Outcome {
    fn failed(status: Option<i32>, error: Stored, retry: bool) -> Self {
        Self {
            status,
            error: Some(error),
            retry,
        }
    }
}

/// The HMAC-SHA256 of `body` with `secret`, as the signature header has it.
pub fn signature(secret: &str, body: &[u8]) -> String {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes keys of any length");
    mac.update(body);
    let digest = mac.finalize().into_bytes();
    let hex: String = digest.iter().map(|byte| format!("{byte:02x}")).collect();
    format!("sha256={hex}")
}

async fn send(sender: &WebhookSender, post: &ClaimedPost) -> Outcome {
    let url = match url::Url::parse(&post.url) {
        Ok(url) if matches!(url.scheme(), "http" | "https") => url,
        _ => return Outcome::failed(None, Stored::new(StoredText::WebhookNotHttp, &[]), false),
    };
    if let Err(blocked) = sender.policy.check_url(&url) {
        return Outcome::failed(None, refused(&blocked), false);
    }
    let (body, signed) = match post.kind.as_str() {
        "slack" => (message::slack_body(&post.payload), false),
        _ => (post.payload.clone(), true),
    };
    let body = serde_json::to_vec(&body).unwrap_or_default();
    let mut request = sender
        .client
        .post(url)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .header("x-newsdesk-event", post.event.as_str())
        .header("x-newsdesk-delivery", post.id.to_string());
    if signed {
        request = request.header(SIGNATURE_HEADER, signature(&post.secret, &body));
    }
    match request.body(body).send().await {
        Ok(response) => {
            let status = response.status();
            let code = Some(i32::from(status.as_u16()));
            if status.is_success() {
                Outcome {
                    status: code,
                    error: None,
                    retry: false,
                }
            } else {
                let retry = status.is_server_error() || matches!(status.as_u16(), 408 | 429);
                Outcome::failed(
                    code,
                    Stored::new(
                        StoredText::WebhookAnswered,
                        &[("status", &status.to_string())],
                    ),
                    retry,
                )
            }
        }
        Err(error) => {
            // A host name that resolves only to forbidden addresses.
            if let Some(blocked) = blocked_in(&error) {
                return Outcome::failed(None, refused(blocked), false);
            }
            let why = if error.is_timeout() {
                StoredText::WebhookTimedOut
            } else if error.is_connect() {
                StoredText::WebhookUnreachable
            } else {
                StoredText::WebhookNotSent
            };
            Outcome::failed(None, Stored::new(why, &[]), true)
        }
    }
}

fn refused(blocked: &Blocked) -> Stored {
    blocked.stored(
        StoredText::WebhookRefused,
        StoredText::WebhookRefusedResolved,
    )
}

fn blocked_in(error: &reqwest::Error) -> Option<&Blocked> {
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        if let Some(blocked) = cause.downcast_ref::<Blocked>() {
            return Some(blocked);
        }
        source = cause.source();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_are_hmac_sha256_in_hex() {
        // RFC 4231, test case 2.
        assert_eq!(
            signature("Jefe", b"what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }
}
