//! The editor's rules for an issue's structure, after authorization: its
//! own sections (added, renamed, ordered, removed for this issue only), its
//! number and date, a pick's layout, and picks added by hand without
//! fetching anything (a link and a title, or a topic without a link).

use sqlx::{PgConnection, PgPool};

use crate::i18n::td_string;
use crate::lang;

use super::{
    picking,
    service::{clean_text, link_key, may_correct},
    SavedSection, TextField,
};
use crate::{
    accounts::Member,
    db::{events, issue_sections, issues, picks, settings, triage},
    error::AppError,
    render::PickLayout,
    settings::{sections, service::section_title},
};

/// Locks issue `number` for a change of its structure and returns its id.
async fn lock(conn: &mut PgConnection, number: i32, member: &Member) -> Result<i64, AppError> {
    let issue_id = issues::id_of_in(conn, number).await?;
    picking::lock_issue(conn, issue_id, may_correct(member)).await?;
    Ok(issue_id)
}

/// The saved sections an editor can add to an issue.
pub async fn saved_sections(pool: &PgPool) -> Result<Vec<SavedSection>, AppError> {
    issue_sections::saved(&mut *pool.acquire().await?).await
}

/// Adds a section to issue `number` only: a saved one (`saved`, titled
/// `title` in this issue when given) or a new one titled `title`.
/// Returns the section's id.
pub async fn add_section(
    pool: &PgPool,
    number: i32,
    saved: Option<i64>,
    title: &str,
    member: &Member,
) -> Result<i64, AppError> {
    let mut tx = pool.begin().await?;
    let issue_id = lock(&mut tx, number, member).await?;
    let typed = title.trim();
    let (section_id, title) = match saved {
        Some(id) => {
            let saved_title = issue_sections::saved_title(&mut tx, id)
                .await?
                .ok_or_else(|| {
                    AppError::invalid(
                        "section",
                        td_string!(lang::current(), editor.err_choose_saved_section),
                    )
                })?;
            let title = if typed.is_empty() {
                saved_title
            } else {
                section_title(typed)?
            };
            (id, title)
        }
        None => {
            let title = section_title(typed)?;
            let id = match issue_sections::saved_titled(&mut tx, &title).await? {
                Some(id) => id,
                None => issue_sections::save_extra(&mut tx, &title).await?,
            };
            (id, title)
        }
    };
    if !issue_sections::append(&mut tx, issue_id, section_id, &title).await? {
        return Err(AppError::invalid(
            "section",
            td_string!(lang::current(), editor.err_section_exists),
        ));
    }
    crate::db::events::issue_changed(&mut tx, issue_id).await?;
    tx.commit().await?;
    Ok(section_id)
}

/// Renames a section in issue `number` only.
pub async fn rename_section(
    pool: &PgPool,
    number: i32,
    section_id: i64,
    title: &str,
    member: &Member,
) -> Result<(), AppError> {
    let title = section_title(title)?;
    let mut tx = pool.begin().await?;
    let issue_id = lock(&mut tx, number, member).await?;
    if !issue_sections::rename(&mut tx, issue_id, section_id, &title).await? {
        return Err(AppError::NotFound);
    }
    crate::db::events::issue_changed(&mut tx, issue_id).await?;
    // Inbox rows name the section their pick is in.
    let picked = issue_sections::candidates_in(&mut tx, issue_id, section_id).await?;
    events::candidates_changed(&mut tx, picked).await?;
    tx.commit().await?;
    Ok(())
}

/// Puts the sections of issue `number` in the order of `ids`, which must
/// be exactly its sections.
pub async fn order_sections(
    pool: &PgPool,
    number: i32,
    ids: &[i64],
    member: &Member,
) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    let issue_id = lock(&mut tx, number, member).await?;
    sections::exactly_these(issue_sections::ids(&mut tx, issue_id).await?, ids)?;
    issue_sections::order(&mut tx, issue_id, ids).await?;
    crate::db::events::issue_changed(&mut tx, issue_id).await?;
    tx.commit().await?;
    Ok(())
}

/// Takes an empty section out of issue `number`; its picks must be moved
/// or removed first, and one section must stay.
pub async fn remove_section(
    pool: &PgPool,
    number: i32,
    section_id: i64,
    member: &Member,
) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    let issue_id = lock(&mut tx, number, member).await?;
    let sections = issue_sections::ids(&mut tx, issue_id).await?;
    if !sections.contains(&section_id) {
        return Err(AppError::NotFound);
    }
    let picks_in = issue_sections::picks_in(&mut tx, issue_id, section_id).await?;
    if picks_in > 0 {
        return Err(AppError::invalid(
            "section",
            lang::fill(
                td_string!(lang::current(), editor.err_section_has_picks),
                &[("count", &picks_in.to_string())],
            ),
        ));
    }
    if sections.len() == 1 {
        return Err(AppError::invalid(
            "section",
            td_string!(lang::current(), editor.err_one_section),
        ));
    }
    issue_sections::remove(&mut tx, issue_id, section_id).await?;
    crate::db::events::issue_changed(&mut tx, issue_id).await?;
    tx.commit().await?;
    Ok(())
}

/// Gives draft `number` another number and publication date, based on
/// the issue's `version`. The intro and closing part follow the new
/// values while they are still what their templates made of the old ones;
/// text edited by hand is kept. `None` keeps a value as it is. Returns
/// the new version.
pub async fn redate(
    pool: &PgPool,
    number: i32,
    new_number: Option<i32>,
    new_date: Option<chrono::NaiveDate>,
    version: i32,
    member: &Member,
) -> Result<i32, AppError> {
    if new_number.is_some_and(|number| number <= 0) {
        return Err(AppError::invalid(
            "number",
            td_string!(lang::current(), editor.err_number_positive),
        ));
    }
    let mut tx = pool.begin().await?;
    let issue_id = issues::id_of_in(&mut tx, number).await?;
    let mut dated = issues::lock_dated(&mut tx, issue_id).await?;
    let new_number = new_number.unwrap_or(dated.number);
    let new_date = new_date.unwrap_or(dated.date);
    if dated.state != "draft" {
        return Err(AppError::invalid(
            "number",
            td_string!(lang::current(), editor.err_published_dating),
        ));
    }
    if dated.version != version {
        return Err(AppError::conflict(
            dated.version,
            format!("#{} {}", dated.number, dated.date),
            dated.updated_by,
        ));
    }
    if issues::number_taken(&mut tx, issue_id, new_number).await? {
        return Err(AppError::invalid(
            "number",
            lang::fill(
                td_string!(lang::current(), editor.err_number_taken),
                &[("number", &new_number.to_string())],
            ),
        ));
    }
    let settings = settings::load(&mut *tx).await?;
    let refill = |text: &mut String, template: &str| {
        if *text == settings.fill(template, dated.number, dated.date) {
            *text = settings.fill(template, new_number, new_date);
        }
    };
    refill(&mut dated.intro, &settings.intro_template);
    refill(
        &mut dated.closing_heading,
        &settings.closing_heading_template,
    );
    refill(&mut dated.closing, &settings.closing_template);
    dated.number = new_number;
    dated.date = new_date;
    let version = issues::redate(&mut tx, issue_id, &dated, member.id).await?;
    // Inbox rows say which issue their pick is in.
    let picked = issues::picked_candidates(&mut tx, issue_id).await?;
    events::candidates_changed(&mut tx, picked).await?;
    tx.commit().await?;
    Ok(version)
}

/// Sets a pick's layout; `None` follows the newsletter's.
pub async fn set_pick_layout(
    pool: &PgPool,
    pick_id: i64,
    layout: Option<PickLayout>,
    member: &Member,
) -> Result<(), AppError> {
    picking::set_layout(
        pool,
        pick_id,
        layout.map(PickLayout::as_str),
        member.id,
        may_correct(member),
    )
    .await
}

/// Adds a pick by hand without fetching anything, so a page that is down
/// or behind a login can be picked ("Check the link" is separate): a link
/// and a title, or only a title for a topic whose links are in its
/// commentary. The link becomes a candidate like any other, so "covered in
/// #N" knows it. Returns the new pick's id.
pub async fn add_manual_pick(
    pool: &PgPool,
    number: i32,
    section_id: i64,
    url: &str,
    title: &str,
    member: &Member,
) -> Result<i64, AppError> {
    let issue_id = issues::id_of(pool, number).await?;
    let title = clean_text(TextField::Title, title)?;
    let url = url.trim();
    if url.is_empty() {
        let new = picks::NewPick {
            issue_id,
            section_id,
            candidate_id: None,
            url: "",
            url_key: None,
            title: &title,
            member_id: member.id,
        };
        return picking::add_without_candidate(pool, &new, may_correct(member)).await;
    }
    let url = clean_text(TextField::Url, url)?;
    let url_key = link_key(&url)?;
    let link = triage::ManualLink {
        url: &url,
        url_key: &url_key,
        title: &title,
        excerpt: "",
    };
    let (candidate_id, _) = crate::inbox::service::store_link(pool, &link, member).await?;
    let placed = picking::Placed {
        issue_id,
        section_id,
        member_id: member.id,
        corrections: may_correct(member),
    };
    picking::add_candidate(pool, placed, candidate_id, Some(&title))
        .await?
        .ok_or_else(|| {
            AppError::invalid("url", td_string!(lang::current(), editor.err_link_in_issue))
        })
}
