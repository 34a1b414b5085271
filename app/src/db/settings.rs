//! The newsletter settings row and the sections.

use sqlx::{PgExecutor, PgPool};

use crate::{
    error::AppError,
    render::model::PickLayout,
    settings::model::{FrontMatterKind, SectionSetting, Settings},
};

pub async fn load(db: impl PgExecutor<'_>) -> Result<Settings, AppError> {
    let row = sqlx::query!("SELECT * FROM newsletter")
        .fetch_one(db)
        .await?;
    Ok(Settings {
        name: row.name,
        title_template: row.title_template,
        intro_template: row.intro_template,
        closing_heading_template: row.closing_heading_template,
        closing_template: row.closing_template,
        footer_template: row.footer_template,
        next_number: row.next_number,
        pick_layout: row.pick_layout.as_deref().and_then(PickLayout::parse),
        line_breaks: row.line_breaks,
        publish_weekday: row.publish_weekday as u32,
        date_format: row.date_format,
        public_base_url: row.public_base_url,
        front_matter: FrontMatterKind::parse(&row.front_matter).unwrap_or_default(),
        yaml_fields: row.yaml_fields,
        zenn_emoji: row.zenn_emoji,
        zenn_type: row.zenn_type,
        zenn_topics: row.zenn_topics,
        zenn_published: row.zenn_published,
        zenn_publication: row.zenn_publication,
        zenn_publish_time: row.zenn_publish_time,
        feed_size: row.feed_size,
        version: row.version,
    })
}

/// Saves settings already validated, if `settings.version` is still the
/// stored one; returns the new version.
pub async fn save(pool: &PgPool, settings: &Settings, member_id: i64) -> Result<i32, AppError> {
    let saved = sqlx::query_scalar!(
        r#"UPDATE newsletter SET name = $1, title_template = $2, intro_template = $3,
               footer_template = $4, publish_weekday = $5, date_format = $6,
               public_base_url = $7, front_matter = $8, yaml_fields = $9, zenn_emoji = $10,
               zenn_type = $11, zenn_topics = $12, zenn_published = $13, feed_size = $16,
               closing_heading_template = $17, closing_template = $18, next_number = $19,
               pick_layout = $20, line_breaks = $21, zenn_publication = $22,
               zenn_publish_time = $23,
               version = version + 1, updated_at = now(), updated_by = $14
           WHERE version = $15 RETURNING version"#,
        settings.name,
        settings.title_template,
        settings.intro_template,
        settings.footer_template,
        settings.publish_weekday as i16,
        settings.date_format,
        settings.public_base_url,
        settings.front_matter.as_str(),
        settings.yaml_fields,
        settings.zenn_emoji,
        settings.zenn_type,
        settings.zenn_topics,
        settings.zenn_published,
        member_id,
        settings.version,
        settings.feed_size,
        settings.closing_heading_template,
        settings.closing_template,
        settings.next_number,
        settings.pick_layout.map(PickLayout::as_str),
        settings.line_breaks,
        settings.zenn_publication,
        settings.zenn_publish_time
    )
    .fetch_optional(pool)
    .await?;
    match saved {
        Some(version) => Ok(version),
        None => {
            let current = sqlx::query!(
                r#"SELECT n.version AS "version!", m.name AS "by?" FROM newsletter n
                   LEFT JOIN members m ON m.id = n.updated_by"#
            )
            .fetch_one(pool)
            .await?;
            Err(AppError::Conflict {
                version: current.version,
                value: String::new(),
                changed_by: current.by.unwrap_or_else(|| "someone".into()),
            })
        }
    }
}

/// Sections in use, in order, with how many picks each has.
pub async fn sections(pool: &PgPool) -> Result<Vec<SectionSetting>, AppError> {
    Ok(sqlx::query_as!(
        SectionSetting,
        r#"SELECT s.id, s.title,
                  (SELECT count(*) FROM picks p WHERE p.section_id = s.id) AS "picks!"
           FROM sections s WHERE s.archived_at IS NULL ORDER BY s.position, s.id"#
    )
    .fetch_all(pool)
    .await?)
}

/// Adds a default section; open drafts get it too, at the end (the
/// defaults are what a week's issue starts from, and this week's is one).
pub async fn add_section(pool: &PgPool, title: &str) -> Result<i64, AppError> {
    let mut tx = pool.begin().await?;
    let id = sqlx::query_scalar!(
        r#"INSERT INTO sections (title, position)
           SELECT $1, coalesce(max(position), 0) + 1 FROM sections RETURNING id"#,
        title
    )
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query!(
        r#"INSERT INTO issue_sections (issue_id, section_id, position, title)
           SELECT i.id, $1, (SELECT coalesce(max(position), 0) + 1 FROM issue_sections
                             WHERE issue_id = i.id), $2
           FROM issues i WHERE i.state = 'draft'"#,
        id,
        title
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Renames a default section, and the section in drafts that have not
/// renamed it for themselves.
pub async fn rename_section(pool: &PgPool, id: i64, title: &str) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    let old = sqlx::query_scalar!(
        "SELECT title FROM sections WHERE id = $1 AND archived_at IS NULL FOR UPDATE",
        id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    sqlx::query!("UPDATE sections SET title = $2 WHERE id = $1", id, title)
        .execute(&mut *tx)
        .await?;
    sqlx::query!(
        r#"UPDATE issue_sections s SET title = $3 FROM issues i
           WHERE i.id = s.issue_id AND i.state = 'draft' AND s.section_id = $1 AND s.title = $2"#,
        id,
        old,
        title
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Puts the sections in the order of `ids`, which must be exactly the
/// sections in use.
pub async fn order_sections(pool: &PgPool, ids: &[i64]) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    let mut current: Vec<i64> = sqlx::query_scalar!(
        "SELECT id FROM sections WHERE archived_at IS NULL ORDER BY id FOR UPDATE"
    )
    .fetch_all(&mut *tx)
    .await?;
    let mut wanted = ids.to_vec();
    wanted.sort_unstable();
    current.sort_unstable();
    if wanted != current {
        return Err(AppError::invalid(
            "sections",
            "The sections changed meanwhile; reload the page and try again.",
        ));
    }
    sqlx::query!(
        r#"UPDATE sections s SET position = o.ordinality
           FROM unnest($1::bigint[]) WITH ORDINALITY AS o(id, ordinality) WHERE s.id = o.id"#,
        ids
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Removes a section: deleted when no issue ever used it, else archived
/// (past issues keep it). Drafts' picks in it must be moved first.
pub async fn remove_section(pool: &PgPool, id: i64) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    let in_drafts = sqlx::query_scalar!(
        r#"SELECT count(*) AS "n!" FROM picks p JOIN issues i ON i.id = p.issue_id
           WHERE p.section_id = $1 AND i.state = 'draft'"#,
        id
    )
    .fetch_one(&mut *tx)
    .await?;
    if in_drafts > 0 {
        return Err(AppError::invalid(
            "sections",
            format!("This section has {in_drafts} pick(s) in a draft; move them to another section first."),
        ));
    }
    let remaining = sqlx::query_scalar!(
        r#"SELECT count(*) AS "n!" FROM sections WHERE archived_at IS NULL AND id <> $1"#,
        id
    )
    .fetch_one(&mut *tx)
    .await?;
    if remaining == 0 {
        return Err(AppError::invalid(
            "sections",
            "An issue needs at least one section.",
        ));
    }
    // Drafts have no picks in it (checked above): it leaves them too.
    let drafts: Vec<i64> = sqlx::query_scalar!(
        r#"SELECT s.issue_id FROM issue_sections s JOIN issues i ON i.id = s.issue_id
           WHERE s.section_id = $1 AND i.state = 'draft'"#,
        id
    )
    .fetch_all(&mut *tx)
    .await?;
    for draft in drafts {
        super::issue_sections::remove(&mut tx, draft, id).await?;
    }
    let deleted = sqlx::query!(
        r#"DELETE FROM sections s WHERE id = $1
             AND NOT EXISTS (SELECT 1 FROM picks p WHERE p.section_id = s.id)
             AND NOT EXISTS (SELECT 1 FROM issue_sections i WHERE i.section_id = s.id)"#,
        id
    )
    .execute(&mut *tx)
    .await?;
    if deleted.rows_affected() == 0 {
        sqlx::query!(
            "UPDATE sections SET archived_at = now() WHERE id = $1 AND archived_at IS NULL",
            id
        )
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}
