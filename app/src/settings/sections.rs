//! The saved sections a new draft starts with: adding, renaming, ordering
//! and removing them. Open drafts follow: they are this week's issue,
//! which starts from the defaults too.

use sqlx::PgPool;

use crate::i18n::td_string;
use crate::lang;

use super::SectionSetting;
use crate::{
    db::{issue_sections, sections},
    error::AppError,
};

/// The sections in use, in order, with how many picks each has.
pub async fn in_use(pool: &PgPool) -> Result<Vec<SectionSetting>, AppError> {
    sections::in_use(pool).await
}

/// Refuses an order `ids` that is not of exactly the sections there are
/// now (`current`): someone added or removed one since the page was shown.
pub(crate) fn exactly_these(mut current: Vec<i64>, ids: &[i64]) -> Result<(), AppError> {
    let mut wanted = ids.to_vec();
    current.sort_unstable();
    wanted.sort_unstable();
    if current != wanted {
        return Err(AppError::invalid(
            "sections",
            td_string!(lang::current(), admin.sections_changed),
        ));
    }
    Ok(())
}

/// Adds a default section (open drafts get it too, at the end).
pub async fn add(pool: &PgPool, title: &str) -> Result<i64, AppError> {
    let mut tx = pool.begin().await?;
    let id = sections::add(&mut tx, title).await?;
    tx.commit().await?;
    Ok(id)
}

/// Renames a default section, and the section in drafts that have not
/// renamed it for themselves.
pub async fn rename(pool: &PgPool, id: i64, title: &str) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    if !sections::rename(&mut tx, id, title).await? {
        return Err(AppError::NotFound);
    }
    tx.commit().await?;
    Ok(())
}

/// Puts the sections in the order of `ids`, which must be exactly the
/// sections in use.
pub async fn order(pool: &PgPool, ids: &[i64]) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    exactly_these(sections::lock_in_use(&mut tx).await?, ids)?;
    sections::set_order(&mut tx, ids).await?;
    tx.commit().await?;
    Ok(())
}

/// Removes a section: deleted when no issue ever used it, else archived
/// (past issues keep it). Drafts' picks in it must be moved first.
pub async fn remove(pool: &PgPool, id: i64) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    let in_drafts = sections::picks_in_drafts(&mut tx, id).await?;
    if in_drafts > 0 {
        return Err(AppError::invalid(
            "sections",
            lang::fill(
                td_string!(lang::current(), admin.sections_has_picks_in_draft),
                &[("count", &in_drafts.to_string())],
            ),
        ));
    }
    if sections::others_in_use(&mut tx, id).await? == 0 {
        return Err(AppError::invalid(
            "sections",
            td_string!(lang::current(), admin.sections_one_section),
        ));
    }
    // Drafts have no picks in it (checked above): it leaves them too.
    for draft in sections::drafts_with(&mut tx, id).await? {
        issue_sections::remove(&mut tx, draft, id).await?;
    }
    sections::delete_or_archive(&mut tx, id).await?;
    tx.commit().await?;
    Ok(())
}
