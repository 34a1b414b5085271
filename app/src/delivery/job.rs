//! Deliveries as durable jobs. Publishing queues one in its own
//! transaction; workers claim due deliveries like the poller claims feeds
//! (`FOR UPDATE SKIP LOCKED` with a lease), write the issue's export from
//! its frozen snapshot, commit and push, and record the commit or the
//! error. A failure is tried again with backoff; one that keeps failing
//! waits for "Retry". A worker that dies mid-delivery leaves a claim that
//! runs out, and the next attempt finds the file already pushed (no new
//! commit) or pushes it then.

use std::time::Duration;

use sqlx::PgPool;
use tokio::sync::watch;

use super::{
    git::{self, Credential, FileCommit},
    service, CredentialKind, DeliveryTarget,
};
use crate::{
    db::{self, deliveries::ClaimedDelivery},
    error::AppError,
    lang::model::{Stored, StoredText},
    publish,
    webhooks::{self, message::IssueRef, WebhookEvent},
};

/// How long a claim lasts: more than an attempt may take.
const LEASE: Duration = Duration::from_secs(15 * 60);
/// The longest one attempt may take, all git commands together.
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(10 * 60);
/// The wait after the first failure; it doubles each time, up to [`MAX_BACKOFF`].
const FIRST_BACKOFF: Duration = Duration::from_secs(30);
const MAX_BACKOFF: Duration = Duration::from_secs(60 * 60);
/// Attempts before a delivery waits for someone to press "Retry".
pub const MAX_ATTEMPTS: i32 = 8;
/// How often the server looks for due deliveries.
const LOOK_EVERY: Duration = Duration::from_secs(3);

/// The wait before the attempt after `attempts` failed ones, or `None`
/// when it is for a person to retry.
pub fn backoff(attempts: i32) -> Option<Duration> {
    if attempts >= MAX_ATTEMPTS {
        return None;
    }
    let doublings = attempts.clamp(1, 16) as u32 - 1;
    Some(
        FIRST_BACKOFF
            .saturating_mul(1 << doublings)
            .min(MAX_BACKOFF),
    )
}

/// Delivers what is due now, one at a time, until nothing is; returns how
/// many attempts were made. Tests call this to drive deliveries.
pub async fn run_due_once(pool: &PgPool) -> Result<usize, AppError> {
    let worker = format!("{}-{:08x}", std::process::id(), rand::random::<u32>());
    let mut attempts = 0;
    while let Some(claim) = db::deliveries::claim_due(pool, &worker, LEASE).await? {
        attempts += 1;
        deliver(pool, &worker, &claim).await?;
    }
    Ok(attempts)
}

/// Delivers due deliveries now and every few seconds until `stop`.
pub async fn run_deliveries(pool: PgPool, mut stop: watch::Receiver<bool>) {
    let swept = tokio::task::spawn_blocking(super::workdir::sweep_abandoned)
        .await
        .unwrap_or(0);
    if swept > 0 {
        tracing::info!(swept, "removed the work directories of killed deliveries");
    }
    while !*stop.borrow() {
        if let Err(error) = run_due_once(&pool).await {
            tracing::warn!(%error, "cannot work on git deliveries now; trying again shortly");
        }
        tokio::select! {
            _ = stop.changed() => {}
            _ = tokio::time::sleep(LOOK_EVERY) => {}
        }
    }
}

async fn deliver(pool: &PgPool, worker: &str, claim: &ClaimedDelivery) -> Result<(), AppError> {
    let outcome = tokio::time::timeout(ATTEMPT_TIMEOUT, attempt(pool, claim))
        .await
        .unwrap_or_else(|_| {
            Err(Stored::new(
                StoredText::JobTimeout,
                &[("minutes", &(ATTEMPT_TIMEOUT.as_secs() / 60).to_string())],
            ))
        });
    match outcome {
        Ok((committed, path)) => {
            if db::deliveries::record_delivered(pool, claim, worker, &committed.commit_id, &path)
                .await?
            {
                tracing::info!(issue = claim.number, commit = %committed.commit_id,
                    changed = committed.changed, %path, "issue delivered to git");
            }
        }
        Err(error) => {
            let retry_in = backoff(claim.attempts);
            tracing::warn!(issue = claim.number, attempts = claim.attempts, %error,
                retry_in_seconds = retry_in.map(|d| d.as_secs()), "git delivery failed");
            // English beside the stored message, for psql and the log;
            // pages word the stored message in their reader's language.
            let text = error.to_string();
            let recorded =
                db::deliveries::record_failure(pool, claim, worker, &text, &error, retry_in)
                    .await?;
            // The chat hears of the first failure, not of every retry.
            if recorded && claim.attempts == 1 {
                tell_chat(pool, claim, &error).await?;
            }
        }
    }
    Ok(())
}

/// The chat hears of the failure in the newsletter's language, like the
/// rest of what it is told.
async fn tell_chat(pool: &PgPool, claim: &ClaimedDelivery, error: &Stored) -> Result<(), AppError> {
    let settings = db::settings::load(pool).await?;
    let locale = crate::lang::from_tag(&settings.language).unwrap_or_default();
    let error = error.words(locale);
    let title = crate::publish::archive::published(pool, claim.number)
        .await?
        .map(|issue| issue.title())
        .unwrap_or_else(|| format!("#{}", claim.number));
    let base = settings.public_base_url.trim_end_matches('/');
    let about = IssueRef {
        newsletter: &settings.name,
        language: &settings.language,
        number: claim.number,
        title: &title,
        date: claim.date,
        url: (!base.is_empty()).then(|| format!("{base}/issues/{}", claim.number)),
    };
    let by = claim
        .publisher
        .as_deref()
        .unwrap_or(crate::i18n::td_string!(locale, publish.chat_former_member));
    let mut conn = pool.acquire().await?;
    webhooks::service::queue(
        &mut conn,
        WebhookEvent::DeliveryFailed,
        &about,
        by,
        Some(&error),
    )
    .await
}

/// One attempt: the export of the frozen issue written, committed and
/// pushed. The error is for people to read, later, in their language.
async fn attempt(
    pool: &PgPool,
    claim: &ClaimedDelivery,
) -> Result<(git::Committed, String), Stored> {
    let database = || Stored::new(StoredText::JobDatabase, &[]);
    let target = db::deliveries::load_target(pool)
        .await
        .map_err(|_| database())?;
    if !target.enabled || target.remote.is_empty() {
        return Err(Stored::new(StoredText::JobSwitchedOff, &[]));
    }
    let settings = db::settings::load(pool).await.map_err(|_| database())?;
    let markdown = publish::archive::export(pool, claim.number, None)
        .await
        .map_err(|error| match error {
            AppError::Invalid { message, .. } => Stored::quoted(message),
            _ => database(),
        })?;
    let credential = read_credential(&target)?;
    let path = service::path(&target, claim.number, claim.date);
    let message = service::commit_message(
        &settings.name,
        claim.number,
        &claim.reason,
        claim.publisher.as_deref(),
    );
    let file = FileCommit {
        remote: &target.remote,
        branch: &target.branch,
        path: &path,
        content: &markdown,
        message: &message,
        author_name: &target.author_name,
        author_email: &target.author_email,
        credential: &credential,
    };
    let committed = git::commit_file(&file)
        .await
        .map_err(|error| describe(&error))?;
    Ok((committed, path))
}

/// Why git failed, as the delivery's error shows it.
fn describe(error: &git::GitError) -> Stored {
    use git::GitError;
    match error {
        GitError::Credentials(detail) => {
            Stored::new(StoredText::GitCredentials, &[("detail", detail)])
        }
        GitError::Unreachable(detail) => {
            Stored::new(StoredText::GitUnreachable, &[("detail", detail)])
        }
        GitError::KeptMoving => Stored::new(
            StoredText::GitKeptMoving,
            &[("rounds", &git::PUSH_ROUNDS.to_string())],
        ),
        GitError::Failed(detail) => Stored::new(StoredText::GitFailed, &[("detail", detail)]),
        GitError::NotRunnable(detail) => {
            Stored::new(StoredText::GitNotRunnable, &[("detail", detail)])
        }
    }
}

/// Reads the secret the target refers to. The error names the reference
/// (a path or a variable), never the secret.
fn read_credential(target: &DeliveryTarget) -> Result<Credential, Stored> {
    let reference = target.credential_ref.as_str();
    let named = |text| Stored::new(text, &[("reference", reference)]);
    let failed = |text, error: std::io::Error| {
        Stored::new(
            text,
            &[("reference", reference), ("error", &error.to_string())],
        )
    };
    match target.credential_kind {
        CredentialKind::None => Ok(Credential::None),
        CredentialKind::SshKeyFile => match std::fs::metadata(reference) {
            Ok(meta) if meta.is_file() => Ok(Credential::SshKey(reference.into())),
            Ok(_) => Err(named(StoredText::JobSshKeyNotFile)),
            Err(error) => Err(failed(StoredText::JobSshKeyUnreadable, error)),
        },
        CredentialKind::TokenFile => match std::fs::read_to_string(reference) {
            Ok(token) if !token.trim().is_empty() => Ok(Credential::Token(token.trim().to_owned())),
            Ok(_) => Err(named(StoredText::JobTokenFileEmpty)),
            Err(error) => Err(failed(StoredText::JobTokenFileUnreadable, error)),
        },
        CredentialKind::TokenEnv => match std::env::var(reference) {
            Ok(token) if !token.trim().is_empty() => Ok(Credential::Token(token.trim().to_owned())),
            _ => Err(named(StoredText::JobEnvNotSet)),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_then_stops() {
        assert_eq!(backoff(1), Some(Duration::from_secs(30)));
        assert_eq!(backoff(2), Some(Duration::from_secs(60)));
        assert_eq!(backoff(6), Some(Duration::from_secs(960)));
        assert_eq!(backoff(7), Some(Duration::from_secs(1920)));
        assert_eq!(backoff(MAX_ATTEMPTS), None);
    }
}
