//! Imported back issues: published issues written straight from a file
//! (snapshot, sections, picks and their candidates), and the batches an
//! upload makes with a report per file.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{PgConnection, PgPool};

use crate::error::AppError;

/// A published issue as an import writes it.
pub struct NewPublished<'a> {
    pub number: i32,
    pub date: NaiveDate,
    pub headline: &'a str,
    pub intro: &'a str,
    pub closing_heading: &'a str,
    pub closing: &'a str,
    pub snapshot: serde_json::Value,
    pub snapshot_format: i16,
    pub html: &'a str,
    pub published_at: DateTime<Utc>,
    pub member_id: Option<i64>,
}

/// The issue with this number, as `(state, snapshot format, snapshot)`.
pub async fn existing(
    conn: &mut PgConnection,
    number: i32,
) -> Result<Option<(String, Option<i16>, Option<serde_json::Value>)>, AppError> {
    Ok(sqlx::query!(
        "SELECT state, snapshot_format, snapshot FROM issues WHERE number = $1 FOR UPDATE",
        number
    )
    .fetch_optional(&mut *conn)
    .await?
    .map(|row| (row.state, row.snapshot_format, row.snapshot)))
}

/// The published issue of this date whose snapshot has this title.
pub async fn published_like(
    conn: &mut PgConnection,
    date: NaiveDate,
    title: &str,
) -> Result<Option<i32>, AppError> {
    Ok(sqlx::query_scalar!(
        r#"SELECT number FROM issues
           WHERE state = 'published' AND issue_date = $1 AND snapshot->>'title' = $2
           ORDER BY number LIMIT 1"#,
        date,
        title
    )
    .fetch_optional(&mut *conn)
    .await?)
}

pub async fn insert_published(
    conn: &mut PgConnection,
    issue: &NewPublished<'_>,
) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar!(
        r#"INSERT INTO issues (number, issue_date, state, headline, intro, closing_heading,
                              closing, published_at, published_by, snapshot, snapshot_html,
                              snapshot_format, updated_by)
           VALUES ($1, $2, 'published', $3, $4, $5, $6, $7, $8, $9, $10, $11, $8)
           RETURNING id"#,
        issue.number,
        issue.date,
        issue.headline,
        issue.intro,
        issue.closing_heading,
        issue.closing,
        issue.published_at,
        issue.member_id,
        issue.snapshot,
        issue.html,
        issue.snapshot_format
    )
    .fetch_one(&mut *conn)
    .await?)
}

/// A link from a back issue as a candidate (the one with that key when
/// there is one already), dated when the issue was published.
pub async fn candidate_for_link(
    conn: &mut PgConnection,
    url: &str,
    url_key: &str,
    title: &str,
    excerpt: &str,
    published_at: DateTime<Utc>,
) -> Result<i64, AppError> {
    let inserted = sqlx::query_scalar!(
        r#"INSERT INTO candidates (url, url_key, title, excerpt, published_at)
           VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (url_key) DO NOTHING RETURNING id"#,
        url,
        url_key,
        title,
        excerpt,
        published_at
    )
    .fetch_optional(&mut *conn)
    .await?;
    match inserted {
        Some(id) => Ok(id),
        None => Ok(
            sqlx::query_scalar!("SELECT id FROM candidates WHERE url_key = $1", url_key)
                .fetch_one(&mut *conn)
                .await?,
        ),
    }
}

/// A pick of an imported issue.
pub struct NewImportedPick<'a> {
    pub issue_id: i64,
    pub section_id: i64,
    pub position: i32,
    pub candidate_id: Option<i64>,
    pub url: &'a str,
    pub url_key: Option<&'a str>,
    pub title: &'a str,
    pub commentary: &'a str,
    pub layout: &'a str,
    pub link_title: &'a str,
    pub excerpt: &'a str,
}

pub async fn insert_pick(
    conn: &mut PgConnection,
    pick: &NewImportedPick<'_>,
) -> Result<(), AppError> {
    sqlx::query!(
        r#"INSERT INTO picks (issue_id, section_id, position, candidate_id, url, url_key, title,
                              commentary, layout, link_title, excerpt)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"#,
        pick.issue_id,
        pick.section_id,
        pick.position,
        pick.candidate_id,
        pick.url,
        pick.url_key,
        pick.title,
        pick.commentary,
        pick.layout,
        pick.link_title,
        pick.excerpt
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Starts a batch of `total` files; returns its id.
pub async fn create_batch(
    pool: &PgPool,
    member_id: Option<i64>,
    total: i32,
) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar!(
        "INSERT INTO issue_imports (member_id, total) VALUES ($1, $2) RETURNING id",
        member_id,
        total
    )
    .fetch_one(pool)
    .await?)
}

/// Adds one file's report to a batch.
pub async fn add_report(
    pool: &PgPool,
    batch_id: i64,
    report: serde_json::Value,
) -> Result<(), AppError> {
    sqlx::query!(
        "UPDATE issue_imports SET reports = reports || jsonb_build_array($2::jsonb) WHERE id = $1",
        batch_id,
        report
    )
    .execute(pool)
    .await?;
    Ok(())
}

pub async fn finish_batch(
    pool: &PgPool,
    batch_id: i64,
    error: Option<&str>,
) -> Result<(), AppError> {
    sqlx::query!(
        "UPDATE issue_imports SET finished_at = now(), error = $2 WHERE id = $1",
        batch_id,
        error
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// Batches that were running when newsdesk stopped, marked as stopped with
/// `error`.
pub async fn stop_unfinished(pool: &PgPool, error: &str) -> Result<u64, AppError> {
    Ok(sqlx::query!(
        "UPDATE issue_imports SET finished_at = now(), error = $1 WHERE finished_at IS NULL",
        error
    )
    .execute(pool)
    .await?
    .rows_affected())
}

/// A batch: `(total, reports, finished, error)`.
pub async fn batch(
    pool: &PgPool,
    batch_id: i64,
) -> Result<(i32, serde_json::Value, bool, Option<String>), AppError> {
    let row = sqlx::query!(
        r#"SELECT total, reports, finished_at IS NOT NULL AS "finished!", error
           FROM issue_imports WHERE id = $1"#,
        batch_id
    )
    .fetch_optional(pool)
    .await?
    .ok_or(AppError::NotFound)?;
    Ok((row.total, row.reports, row.finished, row.error))
}
