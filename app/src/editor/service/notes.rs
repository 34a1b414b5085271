//! Notes on a pick: written by any member beside the commentary, and
//! promoted into it by one click.

use sqlx::PgPool;

use super::{clean_text, may_correct};
use crate::{
    accounts::Member,
    db::{notes, picks},
    editor::{picking, TextField},
    error::AppError,
    i18n::td_string,
    lang,
};

pub const MAX_NOTE_CHARS: usize = 10_000;

pub async fn add_note(
    pool: &PgPool,
    pick_id: i64,
    body: &str,
    member: &Member,
) -> Result<i64, AppError> {
    let body = body.replace("\r\n", "\n");
    let body = body.trim();
    if body.is_empty() {
        return Err(AppError::invalid(
            "note",
            td_string!(lang::current(), editor.err_write_something),
        ));
    }
    if body.chars().count() > MAX_NOTE_CHARS {
        return Err(AppError::invalid(
            "note",
            lang::fill(
                td_string!(lang::current(), editor.err_at_most_chars),
                &[("max", &MAX_NOTE_CHARS.to_string())],
            ),
        ));
    }
    if body
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return Err(AppError::invalid(
            "note",
            td_string!(lang::current(), editor.err_control_chars),
        ));
    }
    picking::add_note(pool, pick_id, body, member.id).await
}

/// Appends a note to its pick's commentary (a save based on `version`, so
/// a concurrent edit is not overwritten) and marks the note promoted, in
/// one transaction: a failure leaves both as they were, so a retry appends
/// the note once. A note already promoted is not appended again.
pub async fn promote_note(
    pool: &PgPool,
    note_id: i64,
    version: i32,
    member: &Member,
) -> Result<i32, AppError> {
    let mut tx = pool.begin().await?;
    let note = notes::lock_note(&mut tx, note_id).await?;
    if note.promoted {
        // An earlier attempt got through (its answer may have been lost).
        return Ok(note.pick_version);
    }
    let commentary = if note.commentary.trim().is_empty() {
        note.body
    } else {
        format!("{}\n\n{}", note.commentary.trim_end(), note.body)
    };
    let commentary = clean_text(TextField::Commentary, &commentary)?;
    let edit = picks::PickEdit {
        pick_id: note.pick_id,
        field: TextField::Commentary,
        value: &commentary,
        url_key: None,
        version,
    };
    let version = picking::save_text_in(&mut tx, &edit, member.id, may_correct(member)).await?;
    notes::mark_promoted(&mut tx, note_id).await?;
    tx.commit().await?;
    Ok(version)
}
