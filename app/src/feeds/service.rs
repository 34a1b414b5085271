//! What the Feeds screen does on the server: adding (with discovery),
//! editing, deleting and refreshing feeds, the starter set, filter rules.
//! Server functions and the JSON API both call these.

use sqlx::PgPool;

use super::{
    rules::validate_rule,
    starter::STARTER_FEEDS,
    validate::{check_settings, clean_settings, normalise_feed_url, validate_new_feed},
};
use crate::{
    accounts::actor::Actor,
    db::{self, feeds::Inserted},
    error::AppError,
    feeds::model::{
        AddFeedOutcome, Feed, FeedChanges, FeedFetch, FeedHealth, FeedsOverview, FilterRule,
        RefreshOutcome,
    },
    i18n::td_string,
    lang::{self, model::Stored},
    state::{reword_refusal, AppState},
};

/// Adds a feed. Unless `exact`, the URL is first looked at: a site URL or
/// GitHub repository leads to its feed; several feeds → the user chooses.
pub async fn add_feed(
    state: &AppState,
    url: &str,
    title: &str,
    exact: bool,
) -> Result<AddFeedOutcome, AppError> {
    let new_feed = validate_new_feed(url, title)?;
    if exact {
        return insert(&state.pool, &new_feed.url, new_feed.title.as_deref())
            .await
            .map(AddFeedOutcome::Added);
    }
    let locale = lang::current();
    let mut found = state
        .ingestion
        .discover(new_feed.url.clone())
        .await
        .map_err(|error| {
            reword_refusal(error, |reason| {
                lang::fill(
                    td_string!(locale, feeds.error_discover),
                    &[("reason", reason)],
                )
            })
        })?;
    if found.len() > 1 {
        return Ok(AddFeedOutcome::Choose(found));
    }
    let Some(feed) = found.pop() else {
        return Err(AppError::invalid(
            "url",
            td_string!(locale, feeds.error_not_found),
        ));
    };
    let url = normalise_feed_url(&feed.url)?;
    let title = new_feed.title.or(feed.title);
    insert(&state.pool, &url, title.as_deref())
        .await
        .map(AddFeedOutcome::Added)
}

async fn insert(pool: &PgPool, url: &str, title: Option<&str>) -> Result<Feed, AppError> {
    match db::feeds::insert(pool, url, title).await? {
        Inserted::New(feed) => {
            tracing::info!(feed_id = feed.id, url = %feed.url, "feed added");
            Ok(feed)
        }
        Inserted::Exists(existing) => Err(AppError::invalid(
            "url",
            lang::fill(
                td_string!(lang::current(), feeds.error_exists),
                &[("name", existing.display_name())],
            ),
        )),
    }
}

pub async fn overview(pool: &PgPool) -> Result<FeedsOverview, AppError> {
    let feeds = db::feeds::list_health(pool).await?;
    Ok(FeedsOverview::new(feeds.into_iter().map(worded).collect()))
}

/// The feed with its last failure in the reader's language, when it was
/// stored as a message (the poller writes English words beside it).
fn worded((feed, stored): db::feeds::HealthRow) -> FeedHealth {
    FeedHealth {
        last_error: lang::shown(stored, feed.last_error),
        ..feed
    }
}

/// One fetch's error, likewise.
fn worded_fetch((fetch, stored): (FeedFetch, Option<Stored>)) -> FeedFetch {
    FeedFetch {
        error: lang::shown(stored, fetch.error),
        ..fetch
    }
}

/// The feed as the reader sees it.
async fn health(pool: &PgPool, feed_id: i64) -> Result<FeedHealth, AppError> {
    db::feeds::get_health(pool, feed_id)
        .await?
        .map(worded)
        .ok_or(AppError::NotFound)
}

pub async fn feed_details(
    pool: &PgPool,
    feed_id: i64,
) -> Result<(FeedHealth, Vec<FeedFetch>, Vec<FilterRule>), AppError> {
    let feed = health(pool, feed_id).await?;
    let fetches = db::feeds::recent_fetches(pool, feed_id, 20).await?;
    let rules = db::filter_rules::list(pool, Some(feed_id)).await?;
    Ok((feed, fetches.into_iter().map(worded_fetch).collect(), rules))
}

pub async fn update_feed(
    pool: &PgPool,
    feed_id: i64,
    title: &str,
    category: &str,
    tags: &str,
    interval_minutes: &str,
    enabled: bool,
) -> Result<(), AppError> {
    let settings = clean_settings(title, category, tags, interval_minutes, enabled)?;
    if db::feeds::update_settings(pool, feed_id, &settings).await? {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

/// Changes the fields of a feed's settings that `changes` names, checked
/// like the feed's page; returns the feed as it is then.
pub async fn patch_feed(
    pool: &PgPool,
    feed_id: i64,
    changes: FeedChanges,
) -> Result<FeedHealth, AppError> {
    let current = health(pool, feed_id).await?;
    let title = changes.title.or(current.title).unwrap_or_default();
    let category = changes.category.or(current.category).unwrap_or_default();
    let tags = changes.tags.unwrap_or(current.tags);
    let tags: Vec<&str> = tags.iter().map(String::as_str).collect();
    let interval = changes
        .poll_interval_minutes
        .unwrap_or(current.poll_interval_minutes);
    let enabled = changes.enabled.unwrap_or(current.enabled);
    let settings = check_settings(&title, &category, &tags, interval, enabled)?;
    if !db::feeds::update_settings(pool, feed_id, &settings).await? {
        return Err(AppError::NotFound);
    }
    health(pool, feed_id).await
}

pub async fn delete_feed(pool: &PgPool, actor: &Actor, feed_id: i64) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    let Some(name) = db::feeds::delete(&mut tx, feed_id).await? else {
        return Err(AppError::NotFound);
    };
    let detail = serde_json::json!({ "feed_id": feed_id });
    actor
        .commit_audited(tx, "feed.delete", &name, detail)
        .await?;
    tracing::info!(feed_id, "feed deleted");
    Ok(())
}

/// Refreshes one feed right away, at most once a minute per feed.
pub async fn refresh_feed(state: &AppState, feed_id: i64) -> Result<RefreshOutcome, AppError> {
    let wait = db::feeds::refresh_wait_seconds(&state.pool, feed_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let locale = lang::current();
    if wait > 0.0 {
        return Err(AppError::invalid(
            "refresh",
            lang::fill(
                td_string!(locale, feeds.error_refresh_wait),
                &[("seconds", &(wait.ceil() as i64).to_string())],
            ),
        ));
    }
    state
        .ingestion
        .refresh_now(feed_id)
        .await?
        .ok_or_else(|| AppError::invalid("refresh", td_string!(locale, feeds.error_refreshing)))
}

/// Queues every feed for the pollers; returns how many were queued.
pub async fn refresh_all(pool: &PgPool) -> Result<u64, AppError> {
    db::feeds::request_refresh_all(pool).await
}

/// Adds the starter feeds that are not there yet; returns how many.
pub async fn add_starter_set(pool: &PgPool) -> Result<usize, AppError> {
    let mut added = 0;
    for (title, url, category) in STARTER_FEEDS {
        match db::feeds::insert(pool, url, Some(title)).await? {
            Inserted::New(feed) => {
                let settings = clean_settings(title, category, "", "60", true)?;
                db::feeds::update_settings(pool, feed.id, &settings).await?;
                added += 1;
            }
            Inserted::Exists(_) => {}
        }
    }
    Ok(added)
}

pub async fn rules(pool: &PgPool, feed_id: Option<i64>) -> Result<Vec<FilterRule>, AppError> {
    db::filter_rules::list(pool, feed_id).await
}

pub async fn add_rule(
    pool: &PgPool,
    feed_id: Option<i64>,
    action: &str,
    field: &str,
    pattern: &str,
) -> Result<FilterRule, AppError> {
    let kind = validate_rule(action, field, pattern)?;
    db::filter_rules::insert(pool, feed_id, kind, pattern.trim())
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn delete_rule(pool: &PgPool, rule_id: i64) -> Result<(), AppError> {
    if db::filter_rules::delete(pool, rule_id).await? {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}
