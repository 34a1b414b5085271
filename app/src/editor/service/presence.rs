//! Who has an issue open, and meeting mode's presenter.

use sqlx::PgPool;

use crate::{
    accounts::Member,
    db::{issues, picks, presence},
    editor::Present,
    error::AppError,
};

/// A browser tab's heartbeat on issue `number`.
pub async fn heartbeat(
    pool: &PgPool,
    number: i32,
    client_id: &str,
    editing: Option<i64>,
    member: &Member,
) -> Result<Vec<Present>, AppError> {
    if !(8..=64).contains(&client_id.len())
        || !client_id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        return Err(AppError::BadRequest("invalid client id".into()));
    }
    let issue_id = issues::id_of(pool, number).await?;
    presence::heartbeat(pool, client_id, issue_id, member.id, editing).await?;
    presence::list(pool, issue_id).await
}

/// The member's editor tab `client` closed.
pub async fn leave(pool: &PgPool, client: &str, member: &Member) -> Result<(), AppError> {
    presence::leave(pool, client, member.id).await
}

/// Meeting mode: the presenter shows `pick` (a pick of issue `number`) now;
/// `None` ends the meeting.
pub async fn present(
    pool: &PgPool,
    number: i32,
    pick: Option<i64>,
    member: &Member,
) -> Result<(), AppError> {
    let issue_id = issues::id_of(pool, number).await?;
    if let Some(pick) = pick {
        if picks::issue_of(pool, pick).await? != issue_id {
            return Err(AppError::NotFound);
        }
    }
    presence::present(pool, issue_id, pick, member.id).await
}
