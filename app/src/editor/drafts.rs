//! Which issue is being written: the current draft (the lowest-numbered
//! one), and the issue after the last one, with its number, date and the
//! texts its templates fill. Reading never creates a draft; only writes
//! (picking, moving a pick on, publishing, starting newsdesk) do, so a feed
//! reader polling `/picks.xml` or a `GET` makes no issue.

use chrono::NaiveDate;
use sqlx::{PgConnection, PgPool};

use crate::{
    db::{
        issue_sections,
        issues::{self, NewDraft},
        settings,
    },
    error::AppError,
};

/// The number and date the issue after the last one gets: the next number,
/// dated the next publication day after today and after the last issue.
pub async fn next_after_last(conn: &mut PgConnection) -> Result<(i32, NaiveDate), AppError> {
    let settings = settings::load(&mut *conn).await?;
    let today = chrono::Utc::now().date_naive();
    let (number, date) = match issues::last(&mut *conn).await? {
        Some((number, date)) => (
            number + 1,
            settings.next_publication(today.max(date + chrono::Duration::days(1))),
        ),
        None => (1, settings.next_publication(today)),
    };
    // A series that began elsewhere continues at its own number.
    Ok((number.max(settings.next_number.unwrap_or(1)), date))
}

/// Creates the issue after the last one (a draft) with the default
/// sections; call it in a transaction, so the two go together.
pub async fn create_after_last(conn: &mut PgConnection) -> Result<(), AppError> {
    let (number, date) = next_after_last(&mut *conn).await?;
    let settings = settings::load(&mut *conn).await?;
    let draft = NewDraft {
        number,
        date,
        intro: settings.fill(&settings.intro_template, number, date),
        closing_heading: settings.fill(&settings.closing_heading_template, number, date),
        closing: settings.fill(&settings.closing_template, number, date),
    };
    if let Some(issue_id) = issues::insert_draft(&mut *conn, &draft).await? {
        issue_sections::copy_defaults(conn, issue_id).await?;
    }
    Ok(())
}

/// The current draft as `(id, number)`, created when there is none.
pub async fn current_for_writing(pool: &PgPool) -> Result<(i64, i32), AppError> {
    if let Some(draft) = issues::current_draft(pool).await? {
        return Ok(draft);
    }
    let mut tx = pool.begin().await?;
    create_after_last(&mut tx).await?;
    tx.commit().await?;
    issues::current_draft(pool)
        .await?
        .ok_or_else(|| AppError::internal("current draft", "no draft after creating one"))
}
