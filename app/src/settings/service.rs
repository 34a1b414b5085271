//! Checks of the settings before they are saved.

use sqlx::PgPool;

use super::{FrontMatterKind, Settings};
use crate::{accounts::Member, db::settings, error::AppError};

const TEMPLATE_MAX: usize = 20_000;

/// Saves `settings` (based on `settings.version`) once every field is
/// valid; returns the new version.
pub async fn save(pool: &PgPool, settings: Settings, member: &Member) -> Result<i32, AppError> {
    let settings = check(settings)?;
    settings::save(pool, &settings, member.id).await
}

pub fn check(mut s: Settings) -> Result<Settings, AppError> {
    s.name = s.name.trim().to_owned();
    if s.name.is_empty() || s.name.chars().count() > 100 {
        return Err(AppError::invalid(
            "name",
            "Give the newsletter a name (at most 100 characters).",
        ));
    }
    s.title_template = s.title_template.trim().to_owned();
    if s.title_template.is_empty() || s.title_template.chars().count() > 300 {
        return Err(AppError::invalid(
            "title_template",
            "The title template needs 1 to 300 characters.",
        ));
    }
    for (field, value) in [
        ("intro_template", &mut s.intro_template),
        ("footer_template", &mut s.footer_template),
        ("yaml_fields", &mut s.yaml_fields),
    ] {
        *value = value.replace("\r\n", "\n");
        if value.chars().count() > TEMPLATE_MAX {
            return Err(AppError::invalid(
                field,
                format!("At most {TEMPLATE_MAX} characters."),
            ));
        }
    }
    let texts = [
        ("name", &s.name),
        ("title_template", &s.title_template),
        ("intro_template", &s.intro_template),
        ("footer_template", &s.footer_template),
        ("yaml_fields", &s.yaml_fields),
        ("zenn_emoji", &s.zenn_emoji),
        ("zenn_topics", &s.zenn_topics),
        ("date_format", &s.date_format),
        ("public_base_url", &s.public_base_url),
    ];
    for (field, value) in texts {
        if value
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t')
        {
            return Err(AppError::invalid(
                field,
                "Control characters cannot be saved.",
            ));
        }
    }
    if !(1..=7).contains(&s.publish_weekday) {
        return Err(AppError::invalid("publish_weekday", "Choose a weekday."));
    }
    s.date_format = s.date_format.trim().to_owned();
    let probe = chrono::NaiveDate::from_ymd_opt(2023, 4, 28).expect("valid date");
    if s.date_format.is_empty()
        || s.date_format.len() > 50
        || Settings::try_format_date(&s.date_format, probe).is_none()
    {
        return Err(AppError::invalid(
            "date_format",
            "Use a strftime format such as %Y-%m-%d (at most 50 characters).",
        ));
    }
    s.public_base_url = s.public_base_url.trim().trim_end_matches('/').to_owned();
    if !s.public_base_url.is_empty() {
        let valid = url::Url::parse(&s.public_base_url)
            .ok()
            .filter(|url| matches!(url.scheme(), "http" | "https") && url.host().is_some());
        if valid.is_none() || s.public_base_url.len() > 300 {
            return Err(AppError::invalid(
                "public_base_url",
                "Use an absolute http(s) URL, such as https://news.example.com.",
            ));
        }
    }
    if s.front_matter == FrontMatterKind::Yaml {
        for line in s.yaml_fields.lines().filter(|line| !line.trim().is_empty()) {
            let key = line
                .split_once(':')
                .map(|(key, _)| key.trim())
                .unwrap_or("");
            let valid_key = !key.is_empty()
                && key
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
            if !valid_key {
                return Err(AppError::invalid(
                    "yaml_fields",
                    format!("Write each field as key: value (letters, digits, _ and - in keys): {line:?}"),
                ));
            }
        }
    }
    s.zenn_emoji = s.zenn_emoji.trim().to_owned();
    if s.zenn_emoji.chars().count() > 20 {
        return Err(AppError::invalid("zenn_emoji", "One emoji, please."));
    }
    if !matches!(s.zenn_type.as_str(), "tech" | "idea") {
        return Err(AppError::invalid("zenn_type", "Choose tech or idea."));
    }
    if !(1..=100).contains(&s.feed_size) {
        return Err(AppError::invalid("feed_size", "Between 1 and 100 issues."));
    }
    if s.zenn_topics.chars().count() > 500 {
        return Err(AppError::invalid("zenn_topics", "At most 500 characters."));
    }
    Ok(s)
}

/// A section title: 1 to 100 characters, no control characters.
pub fn section_title(title: &str) -> Result<String, AppError> {
    let title = title.trim();
    if title.is_empty() || title.chars().count() > 100 || title.chars().any(char::is_control) {
        return Err(AppError::invalid(
            "title",
            "A section title has 1 to 100 characters.",
        ));
    }
    Ok(title.to_owned())
}
