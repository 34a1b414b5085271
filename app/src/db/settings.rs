//! The newsletter settings row and the sections.

use sqlx::{PgExecutor, PgPool};

use crate::{
    error::AppError,
    render::model::PickLayout,
    settings::model::{FrontMatterKind, Settings},
};

pub async fn load(db: impl PgExecutor<'_>) -> Result<Settings, AppError> {
    let row = sqlx::query!(
        r#"SELECT name, title_template, intro_template, closing_heading_template,
                  closing_template, footer_template, next_number,
                  pick_layout AS "pick_layout: PickLayout", line_breaks, publish_weekday,
                  date_format, public_base_url, front_matter AS "front_matter: FrontMatterKind",
                  yaml_fields, zenn_emoji, zenn_type, zenn_topics, zenn_published,
                  zenn_publication, zenn_publish_time, feed_size, language, version
           FROM newsletter"#
    )
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
        pick_layout: row.pick_layout,
        line_breaks: row.line_breaks,
        publish_weekday: row.publish_weekday as u32,
        date_format: row.date_format,
        public_base_url: row.public_base_url,
        front_matter: row.front_matter,
        yaml_fields: row.yaml_fields,
        zenn_emoji: row.zenn_emoji,
        zenn_type: row.zenn_type,
        zenn_topics: row.zenn_topics,
        zenn_published: row.zenn_published,
        zenn_publication: row.zenn_publication,
        zenn_publish_time: row.zenn_publish_time,
        feed_size: row.feed_size,
        language: row.language,
        version: row.version,
    })
}

/// The newsletter's language tag alone (the archive pages' `<html lang>`).
pub async fn language(db: impl PgExecutor<'_>) -> Result<String, AppError> {
    Ok(sqlx::query_scalar!("SELECT language FROM newsletter")
        .fetch_one(db)
        .await?)
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
               zenn_publish_time = $23, language = $24,
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
        settings.zenn_publish_time,
        settings.language
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
            Err(AppError::conflict(
                current.version,
                String::new(),
                current.by,
            ))
        }
    }
}
