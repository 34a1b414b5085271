//! The newsletter's settings: loading them, checking them before they are
//! saved.

use sqlx::PgPool;

use super::{FrontMatterKind, SectionSetting, Settings};
use crate::{
    accounts::Member,
    db::{self, settings},
    error::AppError,
    i18n::td_string,
    lang,
};

const TEMPLATE_MAX: usize = 20_000;

/// The language the newsletter is written in, for the public pages.
pub async fn newsletter_language(pool: &PgPool) -> Result<String, AppError> {
    settings::language(pool).await
}

/// The settings and the sections in use, as the Settings page and the API
/// show them.
pub async fn load(pool: &PgPool) -> Result<(Settings, Vec<SectionSetting>), AppError> {
    Ok((
        db::settings::load(pool).await?,
        db::sections::in_use(pool).await?,
    ))
}

/// Saves `settings` (based on `settings.version`) once every field is
/// valid; returns the new version.
pub async fn save(pool: &PgPool, settings: Settings, member: &Member) -> Result<i32, AppError> {
    let settings = check(settings)?;
    if let Some(next) = settings.next_number {
        let last = crate::db::issues::last_number(pool).await?;
        if let Some(last) = last.filter(|&last| last >= next) {
            return Err(AppError::invalid(
                "next_number",
                lang::fill(
                    td_string!(lang::current(), admin.settings_next_number_taken),
                    &[("last", &last.to_string())],
                ),
            ));
        }
    }
    settings::save(pool, &settings, member.id).await
}

/// Applies a partial change from the API (`{"version": 4, "name": "…"}`):
/// the given fields over the stored settings, checked and saved like the
/// whole form. Returns the new version.
pub async fn patch(
    pool: &PgPool,
    changes: serde_json::Map<String, serde_json::Value>,
    member: &Member,
) -> Result<i32, AppError> {
    if !changes.contains_key("version") {
        return Err(AppError::BadRequest(
            "give the \"version\" the change is based on".into(),
        ));
    }
    let current = settings::load(pool).await?;
    let mut merged = serde_json::to_value(&current)
        .map_err(|error| AppError::internal("settings as JSON", error))?;
    let fields = merged
        .as_object_mut()
        .ok_or_else(|| AppError::internal("settings as JSON", "not an object"))?;
    for (key, value) in changes {
        if !fields.contains_key(&key) {
            return Err(AppError::BadRequest(format!(
                "there is no setting \"{key}\""
            )));
        }
        fields.insert(key, value);
    }
    let settings: Settings = serde_json::from_value(merged)
        .map_err(|error| AppError::BadRequest(format!("settings: {error}")))?;
    save(pool, settings, member).await
}

pub fn check(mut s: Settings) -> Result<Settings, AppError> {
    s.name = s.name.trim().to_owned();
    if s.name.is_empty() || s.name.chars().count() > 100 {
        return Err(AppError::invalid(
            "name",
            td_string!(lang::current(), admin.settings_name_invalid),
        ));
    }
    s.title_template = s.title_template.trim().to_owned();
    if s.title_template.is_empty() || s.title_template.chars().count() > 300 {
        return Err(AppError::invalid(
            "title_template",
            td_string!(lang::current(), admin.settings_title_template_invalid),
        ));
    }
    for (field, value) in [
        ("intro_template", &mut s.intro_template),
        ("footer_template", &mut s.footer_template),
        ("closing_template", &mut s.closing_template),
        ("yaml_fields", &mut s.yaml_fields),
    ] {
        *value = value.replace("\r\n", "\n");
        if value.chars().count() > TEMPLATE_MAX {
            return Err(AppError::invalid(
                field,
                lang::fill(
                    td_string!(lang::current(), admin.settings_at_most_chars),
                    &[("max", &TEMPLATE_MAX.to_string())],
                ),
            ));
        }
    }
    let texts = [
        ("name", &s.name),
        ("title_template", &s.title_template),
        ("intro_template", &s.intro_template),
        ("footer_template", &s.footer_template),
        ("closing_heading_template", &s.closing_heading_template),
        ("closing_template", &s.closing_template),
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
                td_string!(lang::current(), admin.settings_control_chars),
            ));
        }
    }
    if !(1..=7).contains(&s.publish_weekday) {
        return Err(AppError::invalid(
            "publish_weekday",
            td_string!(lang::current(), admin.settings_choose_weekday),
        ));
    }
    s.date_format = s.date_format.trim().to_owned();
    let probe = chrono::NaiveDate::from_ymd_opt(2023, 4, 28).expect("valid date");
    if s.date_format.is_empty()
        || s.date_format.len() > 50
        || Settings::try_format_date(&s.date_format, probe).is_none()
    {
        return Err(AppError::invalid(
            "date_format",
            td_string!(lang::current(), admin.settings_date_format_invalid),
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
                td_string!(lang::current(), admin.settings_base_url_invalid),
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
                    lang::fill(
                        td_string!(lang::current(), admin.settings_yaml_field_invalid),
                        &[("line", &format!("{line:?}"))],
                    ),
                ));
            }
        }
    }
    s.zenn_emoji = s.zenn_emoji.trim().to_owned();
    if s.zenn_emoji.chars().count() > 20 {
        return Err(AppError::invalid(
            "zenn_emoji",
            td_string!(lang::current(), admin.settings_one_emoji),
        ));
    }
    if !matches!(s.zenn_type.as_str(), "tech" | "idea") {
        return Err(AppError::invalid(
            "zenn_type",
            td_string!(lang::current(), admin.settings_zenn_type_invalid),
        ));
    }
    if !(1..=100).contains(&s.feed_size) {
        return Err(AppError::invalid(
            "feed_size",
            td_string!(lang::current(), admin.settings_feed_size_invalid),
        ));
    }
    if s.zenn_topics.chars().count() > 500 {
        return Err(AppError::invalid(
            "zenn_topics",
            lang::fill(
                td_string!(lang::current(), admin.settings_at_most_chars),
                &[("max", "500")],
            ),
        ));
    }
    s.closing_heading_template = s.closing_heading_template.trim().to_owned();
    if s.closing_heading_template.chars().count() > 100 {
        return Err(AppError::invalid(
            "closing_heading_template",
            lang::fill(
                td_string!(lang::current(), admin.settings_at_most_chars),
                &[("max", "100")],
            ),
        ));
    }
    if s.next_number.is_some_and(|n| n < 1) {
        return Err(AppError::invalid(
            "next_number",
            td_string!(lang::current(), admin.settings_next_number_positive),
        ));
    }
    check_zenn(&mut s)?;
    check_language(&mut s)?;
    Ok(s)
}

/// What Zenn itself refuses in front matter (the rules of its `zenn-model`
/// validator), checked only when the export is for Zenn.
/// The newsletter's language: a BCP 47 tag such as `ja` or `en-GB`, as
/// `<html lang>`, `xml:lang` and RSS `<language>` expect it.
fn check_language(s: &mut Settings) -> Result<(), AppError> {
    let tag = s.language.trim();
    let mut subtags = tag.split('-');
    let primary_ok = subtags
        .next()
        .is_some_and(|p| (2..=3).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphabetic()));
    let rest_ok =
        subtags.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()));
    if !primary_ok || !rest_ok {
        return Err(AppError::invalid(
            "language",
            td_string!(lang::current(), admin.newsletter_language_invalid),
        ));
    }
    let (primary, rest) = tag.split_once('-').unwrap_or((tag, ""));
    s.language = if rest.is_empty() {
        primary.to_ascii_lowercase()
    } else {
        format!("{}-{rest}", primary.to_ascii_lowercase())
    };
    Ok(())
}

fn check_zenn(s: &mut Settings) -> Result<(), AppError> {
    s.zenn_publication = s.zenn_publication.trim().to_owned();
    s.zenn_publish_time = s.zenn_publish_time.trim().to_owned();
    let valid_time = s.zenn_publish_time.is_empty()
        || chrono::NaiveTime::parse_from_str(&s.zenn_publish_time, "%H:%M").is_ok()
            && s.zenn_publish_time.len() == 5;
    if !valid_time {
        return Err(AppError::invalid(
            "zenn_publish_time",
            td_string!(lang::current(), admin.settings_zenn_time_invalid),
        ));
    }
    if s.front_matter != FrontMatterKind::Zenn {
        return Ok(());
    }
    let valid_publication = s.zenn_publication.is_empty()
        || (2..=15).contains(&s.zenn_publication.len())
            && s.zenn_publication
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !valid_publication {
        return Err(AppError::invalid(
            "zenn_publication",
            td_string!(lang::current(), admin.settings_zenn_publication_invalid),
        ));
    }
    if !s.zenn_publish_time.is_empty() && !s.zenn_published {
        return Err(AppError::invalid(
            "zenn_publish_time",
            td_string!(lang::current(), admin.settings_zenn_time_unpublished),
        ));
    }
    if s.zenn_emoji.is_empty() {
        return Err(AppError::invalid(
            "zenn_emoji",
            td_string!(lang::current(), admin.settings_zenn_needs_emoji),
        ));
    }
    let topics: Vec<&str> = s
        .zenn_topics
        .split(',')
        .map(str::trim)
        .filter(|topic| !topic.is_empty())
        .collect();
    if topics.len() > 5 {
        return Err(AppError::invalid(
            "zenn_topics",
            td_string!(lang::current(), admin.settings_zenn_max_topics),
        ));
    }
    for topic in topics {
        // Zenn counts UTF-16 units (JavaScript's length).
        if topic.encode_utf16().count() > 18 {
            return Err(AppError::invalid(
                "zenn_topics",
                lang::fill(
                    td_string!(lang::current(), admin.settings_zenn_topic_too_long),
                    &[("topic", &format!("{topic:?}"))],
                ),
            ));
        }
        if topic.chars().any(|c| c.is_ascii_punctuation() || c == ' ') {
            return Err(AppError::invalid(
                "zenn_topics",
                lang::fill(
                    td_string!(lang::current(), admin.settings_zenn_topic_symbols),
                    &[("topic", &format!("{topic:?}"))],
                ),
            ));
        }
    }
    Ok(())
}

/// A section title: 1 to 100 characters, no control characters.
pub fn section_title(title: &str) -> Result<String, AppError> {
    let title = title.trim();
    if title.is_empty() || title.chars().count() > 100 || title.chars().any(char::is_control) {
        return Err(AppError::invalid(
            "title",
            td_string!(lang::current(), admin.settings_section_title_invalid),
        ));
    }
    Ok(title.to_owned())
}

#[cfg(test)]
#[path = "service_tests.rs"]
mod tests;
