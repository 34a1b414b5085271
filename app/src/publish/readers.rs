//! What readers fetch: the Atom and RSS feeds of published issues, a
//! member's private feed of the draft's picks, and an issue's Markdown.
//! The HTTP side (validators, 304s) is the server's.

use chrono::{DateTime, Utc};
use sqlx::PgPool;

use super::{
    archive::{base_url, export, newest, published},
    syndication::{self, Site},
};
use crate::{
    accounts::tokens,
    db::{issue_view, issues, publish, settings},
    error::AppError,
    state::WebSettings,
};

/// The two formats of the issues' feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedFormat {
    Atom,
    Rss,
}

/// A feed document and when what it holds last changed.
pub struct FeedDoc {
    pub body: String,
    pub modified: DateTime<Utc>,
}

/// The newest published issues as a feed; `host` is the request's, for
/// the links when no public URL is set.
pub async fn issues_feed(
    pool: &PgPool,
    web: &WebSettings,
    host: Option<&str>,
    format: FeedFormat,
) -> Result<FeedDoc, AppError> {
    let settings = settings::load(pool).await?;
    let issues = newest(pool, i64::from(settings.feed_size)).await?;
    let base_url = base_url(&settings, web, host);
    let site = Site {
        name: &settings.name,
        base_url: &base_url,
        language: &settings.language,
    };
    let body = match format {
        FeedFormat::Atom => syndication::atom(&site, &issues),
        FeedFormat::Rss => syndication::rss(&site, &issues),
    };
    Ok(FeedDoc {
        body,
        modified: syndication::last_updated(&issues),
    })
}

/// The current draft's picks as RSS for the member whose feed token this
/// is. A token that does not exist (any more) is simply not found.
pub async fn picks_feed(
    pool: &PgPool,
    web: &WebSettings,
    host: Option<&str>,
    token: &str,
) -> Result<FeedDoc, AppError> {
    if token.is_empty()
        || publish::feed_token_member(pool, &tokens::hash_token(token))
            .await?
            .is_none()
    {
        return Err(AppError::NotFound);
    }
    let settings = settings::load(pool).await?;
    // Reading makes no draft: no draft, no picks.
    let issue = match issues::current_draft(pool).await? {
        Some((_, number)) => Some(issue_view::load(pool, number).await?),
        None => None,
    };
    let base_url = base_url(&settings, web, host);
    let site = Site {
        name: &settings.name,
        base_url: &base_url,
        language: &settings.language,
    };
    let modified = issue
        .iter()
        .flat_map(|issue| issue.picks())
        .map(|pick| pick.updated_at)
        .max()
        .unwrap_or(DateTime::UNIX_EPOCH);
    Ok(FeedDoc {
        body: syndication::picks_rss(&site, issue.as_ref(), "/picks.xml"),
        modified,
    })
}

/// Issue `number`'s Markdown export. Published issues are public; drafts
/// and hidden issues only for members (others get "not found", as if they
/// did not exist).
pub async fn markdown_for(pool: &PgPool, number: i32, member: bool) -> Result<String, AppError> {
    let public = published(pool, number)
        .await?
        .is_some_and(|issue| !issue.hidden);
    if !public && !member {
        return Err(AppError::NotFound);
    }
    export(pool, number, None).await
}
