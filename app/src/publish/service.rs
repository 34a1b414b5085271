//! Publishing after authorization: the checks, the one transaction that
//! freezes an issue and opens the next draft, corrections, hiding, and
//! reading published issues for the archive and the export.

use pulldown_cmark::{Event, Parser};
use sqlx::PgPool;

use super::{
    snapshot::{self, Published, SnapshotError},
    ArchiveEntry, IssueArticle, PublishCheck,
};
use crate::{
    accounts::Member,
    db::{deliveries, issues, publish, settings},
    editor::{document, drafts, IssueView},
    error::AppError,
    render::{
        issue_html, markdown_to_public_html, render_body, render_issue, section_anchor, IssueDoc,
    },
    settings::{FrontMatterKind, Settings},
    state::WebSettings,
    webhooks::{self, message::IssueRef, WebhookEvent},
};

/// How many pick titles the archive list shows per issue.
const HEADLINES: usize = 3;

/// What must be fixed, and what deserves a second look, before publishing.
pub fn check_issue(issue: &IssueView) -> PublishCheck {
    let mut check = PublishCheck::default();
    if issue.picks().next().is_none() {
        check.errors.push("The issue has no picks yet.".into());
    }
    for pick in issue.picks() {
        let name = if pick.title.trim().is_empty() {
            pick.url.clone()
        } else {
            format!("“{}”", pick.title.trim())
        };
        if pick.title.trim().is_empty() {
            check
                .errors
                .push(format!("A pick ({}) has no title.", pick.url));
        }
        if pick.url.trim().is_empty() {
            // A topic whose links are in its commentary.
            if !has_web_link(&pick.commentary) {
                check.errors.push(format!(
                    "{name} has no link: give it one, or put at least one link in its commentary."
                ));
            }
        } else if !is_web_link(&pick.url) {
            check
                .errors
                .push(format!("{name} needs an http(s) link, not {:?}.", pick.url));
        }
        if pick.commentary.trim().is_empty() {
            check.warnings.push(format!("{name} has no commentary."));
        }
        if let Some(covered) = &pick.covered {
            check.warnings.push(format!(
                "{name} was already covered in #{} ({}).",
                covered.issue_number, covered.issue_date
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
    Ok(check_issue(&issues::load(pool, number).await?))
}

/// Refuses what the checks found: errors always, warnings unless accepted.
fn enforce(check: &PublishCheck, accept_warnings: bool) -> Result<(), AppError> {
    if !check.errors.is_empty() {
        return Err(AppError::invalid("publish", check.errors.join(" ")));
    }
    if !check.warnings.is_empty() && !accept_warnings {
        return Err(AppError::invalid(
            "warnings",
            format!("Please confirm: {}", check.warnings.join(" ")),
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
    let (issue_id, state) = publish::lock(&mut tx, number).await?;
    if state != "draft" {
        return Err(AppError::invalid(
            "issue",
            format!("Issue #{number} is already published."),
        ));
    }
    if let Some(first) = publish::current_draft_number(&mut tx).await? {
        if first != number {
            return Err(AppError::invalid(
                "issue",
                format!("Publish #{first} first: it comes before this issue."),
            ));
        }
    }
    let frozen = Frozen::checked(&mut tx, number, accept_warnings).await?;
    publish::freeze(
        &mut tx,
        issue_id,
        (&frozen.snapshot, snapshot::FORMAT),
        &frozen.html,
        member.id,
    )
    .await?;
    // Writing goes on in the next issue.
    if !publish::has_later_draft(&mut tx, number).await? {
        drafts::create_after_last(&mut tx).await?;
    }
    frozen
        .send_out(&mut tx, issue_id, WebhookEvent::Published, member)
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
    let (issue_id, state) = publish::lock(&mut tx, number).await?;
    if state != "published" {
        return Err(AppError::invalid(
            "issue",
            format!("Issue #{number} is not published yet."),
        ));
    }
    let frozen = Frozen::checked(&mut tx, number, accept_warnings).await?;
    publish::revise(
        &mut tx,
        issue_id,
        (&frozen.snapshot, snapshot::FORMAT),
        &frozen.html,
        member.id,
    )
    .await?;
    frozen
        .send_out(&mut tx, issue_id, WebhookEvent::Republished, member)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// An issue checked and frozen for (re-)publishing, in the publishing
/// transaction.
struct Frozen {
    issue: IssueView,
    settings: Settings,
    doc: IssueDoc,
    html: String,
    /// `doc` as stored.
    snapshot: serde_json::Value,
}

impl Frozen {
    /// Issue `number` as it is now, if its checks pass (warnings only when
    /// accepted).
    async fn checked(
        tx: &mut sqlx::PgConnection,
        number: i32,
        accept_warnings: bool,
    ) -> Result<Self, AppError> {
        let issue = issues::load_with(&mut *tx, number).await?;
        enforce(&check_issue(&issue), accept_warnings)?;
        let settings = settings::load(&mut *tx).await?;
        let (doc, html) = snapshot(&issue, &settings);
        let snapshot = snapshot::encode(&doc)?;
        Ok(Self {
            issue,
            settings,
            doc,
            html,
            snapshot,
        })
    }

    /// Queues the delivery to the blog's repository and the chat's message,
    /// with the publish, so they are never lost; they are done later.
    async fn send_out(
        &self,
        tx: &mut sqlx::PgConnection,
        issue_id: i64,
        event: WebhookEvent,
        member: &Member,
    ) -> Result<(), AppError> {
        let kind = match event {
            WebhookEvent::Republished => "republish",
            _ => "publish",
        };
        deliveries::enqueue(&mut *tx, issue_id, kind, member.id).await?;
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
        number: issue.number,
        title: &doc.title,
        date: issue.date,
        url: (!base.is_empty()).then(|| format!("{base}/issues/{}", issue.number)),
    };
    webhooks::service::queue(conn, event, &about, &member.name, None).await
}

/// The public URL of the site (no trailing slash): the newsletter's public
/// base URL, else the server's `--public-url`, else the request's host.
pub fn base_url(settings: &Settings, web: &WebSettings, host: Option<&str>) -> String {
    if settings.public_base_url.is_empty() {
        web.origin(host)
    } else {
        settings.public_base_url.trim_end_matches('/').to_owned()
    }
}

/// Issue `number` as Markdown: a published issue as frozen, a draft as it
/// is now. `front_matter` overrides the configured target.
pub async fn export(
    pool: &PgPool,
    number: i32,
    front_matter: Option<FrontMatterKind>,
) -> Result<String, AppError> {
    let mut settings = settings::load(pool).await?;
    let frozen = published(pool, number).await?;
    let mut doc = match frozen {
        // Never the live rows: they may hold corrections not yet published.
        Some(published) => published.doc.map_err(|error| {
            log_unreadable(number, &error);
            AppError::invalid(
                "issue",
                format!(
                    "Issue #{number} cannot be exported: {error}. Re-publish it to store it again."
                ),
            )
        })?,
        None => {
            let issue = issues::load(pool, number).await?;
            document(&issue, &settings)
        }
    };
    if let Some(kind) = front_matter {
        settings.front_matter = kind;
        doc.front_matter = settings.front_matter(doc.date.unwrap_or_default());
    }
    Ok(render_issue(&doc))
}

/// The body of published issue `issue` as it leaves the site (its page and
/// the feeds), with relative links resolved against `page_url`. From the
/// snapshot; when that cannot be read, the HTML stored with it.
pub fn public_html(issue: &Published, page_url: &str) -> String {
    match &issue.doc {
        Ok(doc) => markdown_to_public_html(&render_body(doc), page_url, doc.rendering),
        Err(error) => {
            log_unreadable(issue.number, error);
            issue.html.clone()
        }
    }
}

fn log_unreadable(number: i32, error: &SnapshotError) {
    tracing::error!(issue = number, %error, "published issue's snapshot cannot be read");
}

/// Plain text of Markdown, for descriptions.
fn plain_text(markdown: &str, max_chars: usize) -> String {
    let mut text = String::new();
    for event in Parser::new(markdown) {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak | Event::End(_) => text.push(' '),
            _ => {}
        }
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    words.join(" ").chars().take(max_chars).collect()
}

/// Issue `number` as published (hidden ones too; callers decide).
pub async fn published(pool: &PgPool, number: i32) -> Result<Option<Published>, AppError> {
    Ok(publish::get(pool, number)
        .await?
        .and_then(Published::from_row))
}

/// The newest visible published issues.
pub async fn newest(pool: &PgPool, limit: i64) -> Result<Vec<Published>, AppError> {
    Ok(publish::newest(pool, limit)
        .await?
        .into_iter()
        .filter_map(Published::from_row)
        .collect())
}

/// The public archive: visible published issues, newest first.
pub async fn archive(pool: &PgPool) -> Result<Vec<ArchiveEntry>, AppError> {
    let issues = newest(pool, i64::from(i32::MAX)).await?;
    Ok(issues
        .into_iter()
        .map(|issue| ArchiveEntry {
            number: issue.number,
            date: issue.date,
            headlines: issue
                .doc
                .iter()
                .flat_map(|doc| &doc.sections)
                .flat_map(|s| s.picks.iter().map(|p| p.title.clone()))
                .take(HEADLINES)
                .collect(),
            title: issue.title(),
            published_at: issue.published_at,
            revised_at: issue.revised_at,
        })
        .collect())
}

/// A visible published issue as its public page shows it.
pub async fn article(
    pool: &PgPool,
    number: i32,
    web: &WebSettings,
    host: Option<&str>,
) -> Result<IssueArticle, AppError> {
    let issue = published(pool, number)
        .await?
        .filter(|issue| !issue.hidden)
        .ok_or(AppError::NotFound)?;
    let settings = settings::load(pool).await?;
    let base_url = base_url(&settings, web, host);
    let (previous, next) = publish::neighbours(pool, number).await?;
    let url = format!("{base_url}/issues/{number}");
    let html = public_html(&issue, &url);
    let (title, problem) = (issue.title(), issue.doc.as_ref().err());
    let problem = problem.map(|error| {
        format!("Issue #{number} is shown as it was stored when published: {error}. Re-publish it to store it again.")
    });
    let doc = issue.doc.unwrap_or_default();
    let mut summary = plain_text(&doc.intro, 200);
    if summary.is_empty() {
        let titles: Vec<String> = doc
            .sections
            .iter()
            .flat_map(|s| s.picks.iter().map(|p| p.title.clone()))
            .collect();
        summary = titles.join(" · ").chars().take(200).collect();
    }
    Ok(IssueArticle {
        number,
        date: issue.date,
        sections: doc
            .sections
            .iter()
            .filter(|s| !s.picks.is_empty())
            .map(|s| (s.title.clone(), section_anchor(&s.title)))
            .collect(),
        title,
        html,
        problem,
        summary,
        published_at: issue.published_at,
        revised_at: issue.revised_at,
        url,
        base_url,
        newsletter: settings.name,
        previous,
        next,
        delivery: None,
    })
}

/// Hides a published issue from the archive and the feeds, or shows it again.
pub async fn set_hidden(pool: &PgPool, number: i32, hidden: bool) -> Result<(), AppError> {
    publish::set_hidden(pool, number, hidden).await
}

/// A new private URL of the draft's picks as RSS for `member`; the
/// previous one stops working. Only its hash is kept, so it is shown once.
pub async fn new_picks_feed(
    pool: &PgPool,
    web: &WebSettings,
    host: Option<&str>,
    member: &Member,
) -> Result<String, AppError> {
    let secret = crate::accounts::tokens::new_secret("ndf_");
    publish::set_feed_token(pool, member.id, &secret.hash).await?;
    let settings = settings::load(pool).await?;
    let base = base_url(&settings, web, host);
    Ok(format!("{base}/picks.xml?token={}", secret.token))
}
