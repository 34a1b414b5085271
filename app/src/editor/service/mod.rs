//! What the editor's server functions and API do, after authorization:
//! input checks, then the queries in `db::issues`, `db::picks` and
//! `db::revisions`. Notes and presence have their own files.

mod notes;
mod presence;

pub use notes::{add_note, promote_note, MAX_NOTE_CHARS};
pub use presence::{heartbeat, leave, present};

use sqlx::{PgConnection, PgPool};

use crate::i18n::td_string;
use crate::lang;

use super::{picking, IssueView, LinkCheck, Placement, Revision, TextField};
use crate::{
    accounts::{Member, Role},
    db::{events, issue_view, issues, picks, revisions, triage},
    error::AppError,
    inbox::service::read_page,
    state::AppState,
};

/// Publishers may change a published issue (a correction, re-published
/// afterwards); editors only drafts.
pub fn may_correct(member: &Member) -> bool {
    member.role.includes(Role::Publisher)
}

/// The current draft, started when there is none.
pub async fn start_draft(pool: &PgPool) -> Result<IssueView, AppError> {
    let (_, number) = super::drafts::current_for_writing(pool).await?;
    issue(pool, number).await
}

/// An issue by number; `0` means the current draft.
pub async fn issue(pool: &PgPool, number: i32) -> Result<IssueView, AppError> {
    let number = if number == 0 {
        issues::current_draft(pool)
            .await?
            .ok_or(AppError::NotFound)?
            .1
    } else {
        number
    };
    let mut issue = issue_view::load(pool, number).await?;
    if issue.state == super::IssueState::Published {
        if let Some(Err(error)) = crate::publish::archive::published(pool, number)
            .await?
            .map(|p| p.doc)
        {
            issue.snapshot_problem = Some(lang::fill(
                td_string!(lang::current(), editor.snapshot_problem),
                &[("error", &error.to_string())],
            ));
        }
    }
    Ok(issue)
}

/// What a text field may hold: no control characters but line breaks and
/// tabs in Markdown, within its length, a title not empty.
pub fn clean_text(field: TextField, value: &str) -> Result<String, AppError> {
    let multiline = field.multiline();
    let value: String = if multiline {
        value.replace("\r\n", "\n")
    } else {
        value.trim().to_owned()
    };
    if value
        .chars()
        .any(|c| c.is_control() && !(multiline && (c == '\n' || c == '\t')))
    {
        return Err(AppError::invalid(
            field.as_str(),
            td_string!(lang::current(), editor.err_control_chars),
        ));
    }
    let max = field.max_chars();
    if value.chars().count() > max {
        return Err(AppError::invalid(
            field.as_str(),
            lang::fill(
                td_string!(lang::current(), editor.err_at_most_chars),
                &[("max", &max.to_string())],
            ),
        ));
    }
    if field == TextField::Title && value.is_empty() {
        return Err(AppError::invalid(
            "title",
            td_string!(lang::current(), editor.err_pick_needs_title),
        ));
    }
    if field == TextField::Url {
        link_key(&value)?;
    }
    Ok(value)
}

/// The key "covered in #N" compares for a link an editor typed: an
/// http(s) address with a host, or a message on the `url` field.
pub fn link_key(url: &str) -> Result<String, AppError> {
    crate::links::article_url_key(url)
        .ok_or_else(|| AppError::invalid("url", td_string!(lang::current(), editor.err_link_form)))
}

/// Saves the headline, intro or closing part of issue `number`, based on `version`.
pub async fn save_issue_text(
    pool: &PgPool,
    number: i32,
    field: TextField,
    value: &str,
    version: i32,
    member: &Member,
) -> Result<i32, AppError> {
    if field.of_pick() {
        return Err(AppError::BadRequest(format!(
            "an issue has no field {}",
            field.as_str()
        )));
    }
    let value = clean_text(field, value)?;
    let issue_id = issues::id_of(pool, number).await?;
    picking::ensure_editable(issues::state_of(pool, issue_id).await?, may_correct(member))?;
    let mut tx = pool.begin().await?;
    let Some(version) =
        issues::update_text(&mut tx, issue_id, (field, &value), version, member.id).await?
    else {
        let current = issues::current_text(&mut tx, issue_id)
            .await?
            .ok_or(AppError::NotFound)?;
        return Err(AppError::conflict(
            current.version,
            match field {
                TextField::Headline => current.headline,
                TextField::ClosingHeading => current.closing_heading,
                TextField::Closing => current.closing,
                _ => current.intro,
            },
            current.by,
        ));
    };
    record_revision(&mut tx, issue_id, None, field, &value, member.id).await?;
    events::issue_changed(&mut tx, issue_id).await?;
    tx.commit().await?;
    Ok(version)
}

/// Autosave saves every few seconds, so one member's saves of a field
/// within this many seconds make one revision in its history.
const REVISION_MERGE_SECONDS: f64 = 300.0;

/// Keeps a saved value in the field's history.
pub async fn record_revision(
    conn: &mut PgConnection,
    issue_id: i64,
    pick_id: Option<i64>,
    field: TextField,
    value: &str,
    member_id: i64,
) -> Result<(), AppError> {
    revisions::record(
        conn,
        issue_id,
        pick_id,
        (field, value),
        member_id,
        REVISION_MERGE_SECONDS,
    )
    .await
}

/// Saves the title or commentary of a pick, based on `version`.
pub async fn save_pick_text(
    pool: &PgPool,
    pick_id: i64,
    field: TextField,
    value: &str,
    version: i32,
    member: &Member,
) -> Result<i32, AppError> {
    if !field.of_pick() {
        return Err(AppError::BadRequest(format!(
            "a pick has no field {}",
            field.as_str()
        )));
    }
    let value = clean_text(field, value)?;
    let url_key = if field == TextField::Url {
        Some(link_key(&value)?)
    } else {
        None
    };
    let edit = picks::PickEdit {
        pick_id,
        field,
        value: &value,
        url_key: url_key.as_deref(),
        version,
    };
    picking::save_text(pool, &edit, member.id, may_correct(member)).await
}

/// Reads the page at `url` (SSRF-guarded), keeps it as a candidate
/// brought by `member` (or finds the one with that link) and adds it to a
/// section of issue `number`. Returns the new pick's id.
pub async fn add_link(
    state: &AppState,
    number: i32,
    section_id: i64,
    url: &str,
    member: &Member,
) -> Result<i64, AppError> {
    let issue_id = issues::id_of(&state.pool, number).await?;
    let page = read_page(state, url).await?;
    let title = if page.title.trim().is_empty() {
        page.url.clone()
    } else {
        page.title.clone()
    };
    let link = triage::ManualLink {
        url: &page.url,
        url_key: &page.url_key,
        title: &title,
        excerpt: &page.description,
    };
    let (candidate_id, _) = crate::inbox::service::store_link(&state.pool, &link, member).await?;
    let placed = picking::Placed {
        issue_id,
        section_id,
        member_id: member.id,
        corrections: may_correct(member),
    };
    picking::add_candidate(&state.pool, placed, candidate_id, None)
        .await?
        .ok_or_else(|| {
            AppError::invalid("url", td_string!(lang::current(), editor.err_link_in_issue))
        })
}

pub async fn move_pick(
    pool: &PgPool,
    pick_id: i64,
    placement: Placement,
    member: &Member,
) -> Result<(), AppError> {
    picking::move_to(pool, pick_id, placement, may_correct(member)).await
}

pub async fn remove_pick(pool: &PgPool, pick_id: i64, member: &Member) -> Result<i64, AppError> {
    picking::remove(pool, pick_id, member.id, may_correct(member)).await
}

pub async fn restore_pick(pool: &PgPool, removed: i64, member: &Member) -> Result<i64, AppError> {
    picking::restore(pool, removed, may_correct(member)).await
}

pub async fn move_to_next_issue(
    pool: &PgPool,
    pick_id: i64,
    member: &Member,
) -> Result<i32, AppError> {
    picking::move_to_next_issue(pool, pick_id, may_correct(member)).await
}

/// The history of a field of issue `number` (or of one of its picks).
pub async fn revisions(
    pool: &PgPool,
    number: i32,
    pick_id: Option<i64>,
    field: TextField,
) -> Result<Vec<Revision>, AppError> {
    let issue_id = issues::id_of(pool, number).await?;
    if let Some(pick_id) = pick_id {
        if picks::issue_of(pool, pick_id).await? != issue_id {
            return Err(AppError::NotFound);
        }
    }
    revisions::of_field(pool, issue_id, pick_id, field).await
}

/// Checks that a pick's link answers, through the SSRF-guarded fetcher.
pub async fn check_link(state: &AppState, pick_id: i64) -> Result<LinkCheck, AppError> {
    let url = picks::url_of(&state.pool, pick_id).await?;
    Ok(match state.ingestion.read_page(url).await {
        Ok(page) => LinkCheck {
            ok: true,
            message: lang::fill(
                td_string!(lang::current(), editor.link_answers),
                &[("url", page.url.as_str())],
            ),
        },
        Err(AppError::Invalid { message, .. }) => LinkCheck {
            ok: false,
            message: lang::fill(
                td_string!(lang::current(), editor.link_broken),
                &[("message", &message)],
            ),
        },
        Err(other) => return Err(other),
    })
}

/// Every issue, newest first.
pub async fn list(pool: &PgPool) -> Result<Vec<super::IssueSummary>, AppError> {
    issues::list(pool).await
}

/// The settings the preview renders with.
pub async fn render_settings(pool: &PgPool) -> Result<crate::settings::Settings, AppError> {
    crate::db::settings::load(pool).await
}

/// The history of a field of a pick.
pub async fn pick_revisions(
    pool: &PgPool,
    pick_id: i64,
    field: TextField,
) -> Result<Vec<Revision>, AppError> {
    let issue_id = picks::issue_of(pool, pick_id).await?;
    revisions::of_field(pool, issue_id, Some(pick_id), field).await
}

/// The id of issue `number` (live updates are announced by id).
pub async fn issue_id(pool: &PgPool, number: i32) -> Result<i64, AppError> {
    issues::id_of(pool, number).await
}
