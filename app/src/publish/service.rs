//! Publishing after authorization: the checks, the one transaction that
//! freezes an issue and opens the next draft, and corrections. Reading
//! published issues (archive, export, hiding) is `archive.rs`.

use pulldown_cmark::{Event, Parser};
use sqlx::PgPool;

use crate::i18n::td_string;
use crate::lang;

use super::{
    snapshot::{self},
    PublishCheck,
};
use crate::{
    accounts::Member,
    db::{deliveries, issue_view, publish, settings},
    editor::{document, drafts, IssueView},
    error::AppError,
    render::{issue_html, IssueDoc},
    settings::Settings,
    webhooks::{self, message::IssueRef, WebhookEvent},
};

/// What must be fixed, and what deserves a second look, before publishing.
pub fn check_issue(issue: &IssueView) -> PublishCheck {
    let mut check = PublishCheck::default();
    if issue.picks().next().is_none() {
        check
            .errors
            .push(td_string!(lang::current(), editor.check_no_picks).into());
    }
    for pick in issue.picks() {
        let name = if pick.title.trim().is_empty() {
            pick.url.clone()
        } else {
            lang::fill(
                td_string!(lang::current(), editor.check_pick_name),
                &[("title", pick.title.trim())],
            )
        };
        if pick.title.trim().is_empty() {
            check.errors.push(lang::fill(
                td_string!(lang::current(), editor.check_no_title),
                &[("url", &pick.url)],
            ));
        }
        if pick.url.trim().is_empty() {
            // A topic whose links are in its commentary.
            if !has_web_link(&pick.commentary) {
                check.errors.push(lang::fill(
                    td_string!(lang::current(), editor.check_no_link),
                    &[("name", &name)],
                ));
            }
        } else if !is_web_link(&pick.url) {
            check.errors.push(lang::fill(
                td_string!(lang::current(), editor.check_needs_http),
                &[("name", &name), ("url", &format!("{:?}", pick.url))],
            ));
        }
        if pick.commentary.trim().is_empty() {
            check.warnings.push(lang::fill(
                td_string!(lang::current(), editor.check_no_commentary),
                &[("name", &name)],
            ));
        }
        if let Some(covered) = &pick.covered {
            check.warnings.push(lang::fill(
                td_string!(lang::current(), editor.check_covered),
                &[
                    ("name", &name),
                    ("number", &covered.issue_number.to_string()),
                    ("date", &covered.issue_date.to_string()),
                ],
            ));
        }
    }
    check
}

fn is_web_link(url: &str) -> bool {
    url::Url::parse(url.trim())
        .ok()
        .is_some_and(|url| matches!(url.scheme(), "http" | "https") && url.host().is_some())
}

/// Whether Markdown links somewhere on the web: a link, or a bare URL the
/// export's target links by itself.
fn has_web_link(markdown: &str) -> bool {
    use pulldown_cmark::Tag;
    Parser::new(markdown).any(|event| match event {
        Event::Start(Tag::Link { dest_url, .. }) => is_web_link(&dest_url),
        Event::Text(text) => text.split_whitespace().any(|word| {
            (word.starts_with("https://") || word.starts_with("http://")) && is_web_link(word)
        }),
        _ => false,
    })
}

pub async fn check(pool: &PgPool, number: i32) -> Result<PublishCheck, AppError> {
    Ok(check_issue(&issue_view::load(pool, number).await?))
}

/// Refuses what the checks found: errors always, warnings unless accepted.
fn enforce(check: &PublishCheck, accept_warnings: bool) -> Result<(), AppError> {
    if !check.errors.is_empty() {
        return Err(AppError::invalid("publish", check.errors.join(" ")));
    }
    if !check.warnings.is_empty() && !accept_warnings {
        return Err(AppError::invalid(
            "warnings",
            lang::fill(
                td_string!(lang::current(), editor.check_please_confirm),
                &[("warnings", &check.warnings.join(" "))],
            ),
        ));
    }
    Ok(())
}

fn snapshot(issue: &IssueView, settings: &Settings) -> (IssueDoc, String) {
    let doc = document(issue, settings);
    let html = issue_html(&doc);
    (doc, html)
}

/// Publishes the current draft `number` in one transaction: the checks,
/// the frozen snapshot, the published time and the next draft. Two
/// publishes at once, or a crash, leave it published once or not at all.
/// Returns the number of the next draft.
pub async fn publish(
    pool: &PgPool,
    number: i32,
    accept_warnings: bool,
    member: &Member,
) -> Result<i32, AppError> {
    let mut tx = pool.begin().await?;
    let issue_id = lock_in_state(
        &mut tx,
        number,
        "draft",
        lang::fill(
            td_string!(lang::current(), editor.err_issue_already_published),
            &[("number", &number.to_string())],
        ),
    )
    .await?;
    if let Some(first) = publish::current_draft_number(&mut tx).await? {
        if first != number {
            return Err(AppError::invalid(
                "issue",
                lang::fill(
                    td_string!(lang::current(), editor.err_publish_first),
                    &[("first", &first.to_string())],
                ),
            ));
        }
    }
    let frozen = Frozen::checked(&mut tx, issue_id, number, accept_warnings).await?;
    frozen
        .store(&mut tx, WebhookEvent::Published, member)
        .await?;
    // Writing goes on in the next issue.
    if !publish::has_later_draft(&mut tx, number).await? {
        drafts::create_after_last(&mut tx).await?;
    }
    frozen
        .send_out(&mut tx, WebhookEvent::Published, member)
        .await?;
    tx.commit().await?;
    Ok(publish::current_draft_number(&mut *pool.acquire().await?)
        .await?
        .unwrap_or(number + 1))
}

/// Re-publishes a corrected issue: a new snapshot and an "updated" time;
/// its number, date, published time and feed ids stay.
pub async fn republish(
    pool: &PgPool,
    number: i32,
    accept_warnings: bool,
    member: &Member,
) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    let issue_id = lock_in_state(
        &mut tx,
        number,
        "published",
        lang::fill(
            td_string!(lang::current(), editor.err_not_published_yet),
            &[("number", &number.to_string())],
        ),
    )
    .await?;
    let frozen = Frozen::checked(&mut tx, issue_id, number, accept_warnings).await?;
    frozen
        .store(&mut tx, WebhookEvent::Republished, member)
        .await?;
    frozen
        .send_out(&mut tx, WebhookEvent::Republished, member)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Locks issue `number` for the rest of the publishing transaction; its id,
/// or `refusal` when it is not in `state`.
async fn lock_in_state(
    tx: &mut sqlx::PgConnection,
    number: i32,
    state: &str,
    refusal: String,
) -> Result<i64, AppError> {
    let (issue_id, current) = publish::lock(tx, number).await?;
    if current != state {
        return Err(AppError::invalid("issue", refusal));
    }
    Ok(issue_id)
}

/// An issue checked and frozen for (re-)publishing, in the publishing
/// transaction.
struct Frozen {
    /// The issue's row, locked.
    issue_id: i64,
    issue: IssueView,
    settings: Settings,
    doc: IssueDoc,
    html: String,
    /// `doc` as stored.
    snapshot: serde_json::Value,
}

impl Frozen {
    /// Issue `number` (locked row `issue_id`) as it is now, if its checks
    /// pass (warnings only when accepted).
    async fn checked(
        tx: &mut sqlx::PgConnection,
        issue_id: i64,
        number: i32,
        accept_warnings: bool,
    ) -> Result<Self, AppError> {
        let issue = issue_view::load_with(&mut *tx, number).await?;
        enforce(&check_issue(&issue), accept_warnings)?;
        let settings = settings::load(&mut *tx).await?;
        let (doc, html) = snapshot(&issue, &settings);
        let snapshot = snapshot::encode(&doc)?;
        Ok(Self {
            issue_id,
            issue,
            settings,
            doc,
            html,
            snapshot,
        })
    }

    /// Stores the snapshot on the locked issue: publishing it, or, for a
    /// re-publish, as its correction.
    async fn store(
        &self,
        tx: &mut sqlx::PgConnection,
        event: WebhookEvent,
        member: &Member,
    ) -> Result<(), AppError> {
        let (id, snapshot) = (self.issue_id, (&self.snapshot, snapshot::FORMAT));
        match event {
            WebhookEvent::Republished => {
                publish::revise(tx, id, snapshot, &self.html, member.id).await
            }
            _ => publish::freeze(tx, id, snapshot, &self.html, member.id)
                .await
                .map(|_| ()),
        }
    }

    /// Queues the delivery to the blog's repository and the chat's message,
    /// with the publish, so they are never lost; they are done later.
    async fn send_out(
        &self,
        tx: &mut sqlx::PgConnection,
        event: WebhookEvent,
        member: &Member,
    ) -> Result<(), AppError> {
        let kind = match event {
            WebhookEvent::Republished => "republish",
            _ => "publish",
        };
        deliveries::enqueue(&mut *tx, self.issue_id, kind, member.id).await?;
        tell_chat(tx, event, &self.issue, &self.doc, &self.settings, member).await
    }
}

/// Queues the chat's message about a (re-)published issue.
async fn tell_chat(
    conn: &mut sqlx::PgConnection,
    event: WebhookEvent,
    issue: &IssueView,
    doc: &IssueDoc,
    settings: &Settings,
    member: &Member,
) -> Result<(), AppError> {
    let base = settings.public_base_url.trim_end_matches('/');
    let about = IssueRef {
        newsletter: &settings.name,
        language: &settings.language,
        number: issue.number,
        title: &doc.title,
        date: issue.date,
        url: (!base.is_empty()).then(|| format!("{base}/issues/{}", issue.number)),
    };
    webhooks::service::queue(conn, event, &about, &member.name, None).await
}
