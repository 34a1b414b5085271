//! Reading published issues, always from their snapshots: the public
//! archive and an issue's page, the Markdown export, hiding one, the base
//! URL links are made with, and a member's private picks feed.

use pulldown_cmark::{Event, Parser};
use sqlx::PgPool;

use super::{
    snapshot::{Published, SnapshotError},
    ArchiveEntry, IssueArticle,
};
use crate::{
    accounts::Member,
    db::{issue_view, publish, settings},
    editor::document,
    error::AppError,
    render::{markdown_to_public_html, render_body, render_issue, section_anchor},
    settings::{FrontMatterKind, Settings},
    state::WebSettings,
};

/// How many pick titles the archive list shows per issue.
const HEADLINES: usize = 3;

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
                crate::lang::fill(
                    crate::i18n::td_string!(crate::lang::current(), editor.err_cannot_export),
                    &[
                        ("number", &number.to_string()),
                        ("error", &error.to_string()),
                    ],
                ),
            )
        })?,
        None => {
            let issue = issue_view::load(pool, number).await?;
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
        crate::lang::fill(
            crate::i18n::td_string!(crate::lang::current(), editor.snapshot_shown_as_stored),
            &[
                ("number", &number.to_string()),
                ("error", &error.to_string()),
            ],
        )
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
