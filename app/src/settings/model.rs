//! The newsletter's settings and what they turn into: titles, intros,
//! closing parts and footers from templates, publication dates, the
//! export's front matter, and how its target renders Markdown.

use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::render::{FrontMatter, PickLayout, Rendering};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[derive(strum::EnumString, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(feature = "ssr", sqlx(type_name = "text", rename_all = "snake_case"))]
pub enum FrontMatterKind {
    #[default]
    None,
    /// No front matter, the title as a `#` heading.
    Heading,
    Yaml,
    Zenn,
}

words!(FrontMatterKind);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    pub name: String,
    /// With `{headline}`, `{name}`, `{number}`, `{date}`.
    pub title_template: String,
    /// With `{name}`, `{number}`, `{date}`.
    pub intro_template: String,
    /// The closing part's heading and text in new issues (`## あとがき`).
    #[serde(default)]
    pub closing_heading_template: String,
    #[serde(default)]
    pub closing_template: String,
    /// The standing sign-off after every issue's closing part.
    pub footer_template: String,
    /// The number the next draft gets when it is above the last issue's
    /// number + 1: a series that began elsewhere continues at #30.
    #[serde(default, with = "blank_is_none")]
    pub next_number: Option<i32>,
    /// `None`: a card for Zenn, a linked heading otherwise.
    #[serde(default, with = "blank_is_none")]
    pub pick_layout: Option<PickLayout>,
    /// `None`: kept for Zenn, joined otherwise.
    #[serde(default, with = "blank_is_none")]
    pub line_breaks: Option<bool>,
    /// ISO weekday of publication, 1 = Monday … 7 = Sunday.
    pub publish_weekday: u32,
    /// strftime-style, e.g. `%Y-%m-%d`.
    pub date_format: String,
    pub public_base_url: String,
    pub front_matter: FrontMatterKind,
    /// Extra YAML front matter, one `key: value` per line.
    pub yaml_fields: String,
    pub zenn_emoji: String,
    pub zenn_type: String,
    /// Comma-separated.
    pub zenn_topics: String,
    /// A form leaves out an unchecked box.
    #[serde(default)]
    pub zenn_published: bool,
    /// The Zenn Publication the team publishes through; empty for none.
    #[serde(default)]
    pub zenn_publication: String,
    /// `hh:mm`: `published_at` is the date at that time; empty
    /// leaves it out.
    #[serde(default)]
    pub zenn_publish_time: String,
    /// Issues in the public feeds, newest first.
    pub feed_size: i32,
    /// The language the newsletter is written in (a BCP 47 tag, `ja`): the
    /// archive's `<html lang>`, the feeds' `xml:lang` and `<language>`.
    /// Not the UI's language, which each member chooses.
    #[serde(default = "default_language")]
    pub language: String,
    pub version: i32,
}

fn default_language() -> String {
    "en".into()
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            name: "Weekly".into(),
            title_template: "{headline}: {name} ({date}号)".into(),
            intro_template: String::new(),
            closing_heading_template: String::new(),
            closing_template: String::new(),
            footer_template: String::new(),
            next_number: None,
            pick_layout: None,
            line_breaks: None,
            publish_weekday: 5,
            date_format: "%Y-%m-%d".into(),
            public_base_url: String::new(),
            front_matter: FrontMatterKind::None,
            yaml_fields: String::new(),
            zenn_emoji: "📰".into(),
            zenn_type: "tech".into(),
            zenn_topics: String::new(),
            zenn_published: true,
            zenn_publication: String::new(),
            zenn_publish_time: String::new(),
            feed_size: 20,
            language: default_language(),
            version: 1,
        }
    }
}

/// The weekday names in the UI's language, Monday first.
pub fn weekday_names() -> [&'static str; 7] {
    use crate::i18n::td_string;
    let locale = crate::lang::current();
    [
        td_string!(locale, admin.weekday_monday),
        td_string!(locale, admin.weekday_tuesday),
        td_string!(locale, admin.weekday_wednesday),
        td_string!(locale, admin.weekday_thursday),
        td_string!(locale, admin.weekday_friday),
        td_string!(locale, admin.weekday_saturday),
        td_string!(locale, admin.weekday_sunday),
    ]
}

impl Settings {
    /// `date` in the configured format; `None` when the format is invalid.
    pub fn try_format_date(format: &str, date: NaiveDate) -> Option<String> {
        use std::fmt::Write;
        let mut out = String::new();
        write!(out, "{}", date.format(format)).ok()?;
        Some(out)
    }

    pub fn format_date(&self, date: NaiveDate) -> String {
        Self::try_format_date(&self.date_format, date).unwrap_or_else(|| date.to_string())
    }

    /// A template with `{name}`, `{number}` and `{date}` filled in.
    pub fn fill(&self, template: &str, number: i32, date: NaiveDate) -> String {
        template
            .replace("{name}", &self.name)
            .replace("{number}", &number.to_string())
            .replace("{date}", &self.format_date(date))
    }

    /// The title. Without a headline, `{headline}` and the
    /// separator after it are left out ("Weekly (2026-11-27号)").
    pub fn title(&self, headline: &str, number: i32, date: NaiveDate) -> String {
        let headline = headline.trim();
        let template = if headline.is_empty() {
            match self.title_template.split_once("{headline}") {
                Some((before, after)) => {
                    let after = after.trim_start_matches([':', '：', '-', '–', '—', '|', ' ']);
                    match (before.trim_end(), after) {
                        ("", after) => after.to_owned(),
                        (before, "") => before.to_owned(),
                        (before, after) => format!("{before} {after}"),
                    }
                }
                None => self.title_template.clone(),
            }
        } else {
            self.title_template.replace("{headline}", headline)
        };
        self.fill(&template, number, date).trim().to_owned()
    }

    /// The first publication day on or after `from`.
    pub fn next_publication(&self, from: NaiveDate) -> NaiveDate {
        let target = self.publish_weekday.clamp(1, 7) as i64;
        let today = from.weekday().number_from_monday() as i64;
        from + Duration::days((7 + target - today) % 7)
    }

    /// How the export's target renders Markdown.
    pub fn rendering(&self) -> Rendering {
        let zenn = self.front_matter == FrontMatterKind::Zenn;
        Rendering {
            line_breaks: self.line_breaks.unwrap_or(zenn),
            link_cards: zenn,
        }
    }

    /// The layout of picks that do not choose their own.
    pub fn pick_layout(&self) -> PickLayout {
        self.pick_layout
            .unwrap_or(if self.front_matter == FrontMatterKind::Zenn {
                PickLayout::HeadingCard
            } else {
                PickLayout::LinkedHeading
            })
    }

    /// The front matter of the issue dated `date`.
    pub fn front_matter(&self, date: NaiveDate) -> FrontMatter {
        match self.front_matter {
            FrontMatterKind::None => FrontMatter::None,
            FrontMatterKind::Heading => FrontMatter::Heading,
            FrontMatterKind::Yaml => FrontMatter::Yaml {
                extra: self
                    .yaml_fields
                    .lines()
                    .filter_map(|line| line.split_once(':'))
                    .map(|(key, value)| (key.trim().to_owned(), value.trim().to_owned()))
                    .filter(|(key, _)| !key.is_empty())
                    .collect(),
            },
            FrontMatterKind::Zenn => FrontMatter::Zenn {
                emoji: self.zenn_emoji.clone(),
                kind: self.zenn_type.clone(),
                topics: self
                    .zenn_topics
                    .split(',')
                    .map(str::trim)
                    .filter(|topic| !topic.is_empty())
                    .map(str::to_owned)
                    .collect(),
                published: self.zenn_published,
                published_at: (!self.zenn_publish_time.is_empty())
                    .then(|| format!("{date} {}", self.zenn_publish_time)),
                publication_name: self.zenn_publication.clone(),
            },
        }
    }
}

/// Optional settings as forms send them: a blank field is `None`.
mod blank_is_none {
    use std::{fmt::Display, str::FromStr};

    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<T: Serialize, S: Serializer>(
        value: &Option<T>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        value.serialize(serializer)
    }

    /// Takes the value itself (JSON) or its text (forms).
    pub fn deserialize<'de, T, D>(deserializer: D) -> Result<Option<T>, D::Error>
    where
        T: Deserialize<'de> + FromStr,
        T::Err: Display,
        D: Deserializer<'de>,
    {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Either<T> {
            Value(T),
            Text(String),
        }
        match Option::<Either<T>>::deserialize(deserializer)? {
            None => Ok(None),
            Some(Either::Value(value)) => Ok(Some(value)),
            Some(Either::Text(text)) if text.trim().is_empty() => Ok(None),
            Some(Either::Text(text)) => text
                .trim()
                .parse()
                .map(Some)
                .map_err(serde::de::Error::custom),
        }
    }
}

/// A section as the settings page edits it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SectionSetting {
    pub id: i64,
    pub title: String,
    /// Picks in all issues; a section with picks is archived, not deleted.
    pub picks: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date() -> NaiveDate {
        NaiveDate::from_ymd_opt(2023, 4, 28).unwrap()
    }

    #[test]
    fn titles_fill_the_template() {
        let settings = Settings {
            name: "Neco Weekly".into(),
            ..Settings::default()
        };
        assert_eq!(
            settings.title("Gateway API GA", 30, date()),
            "Gateway API GA: Neco Weekly (2023-04-28号)"
        );
        assert_eq!(
            settings.title("  ", 30, date()),
            "Neco Weekly (2023-04-28号)"
        );
        let numbered = Settings {
            title_template: "#{number} {headline} - {name} {date}".into(),
            date_format: "%Y/%m/%d".into(),
            ..settings
        };
        assert_eq!(numbered.title("", 30, date()), "#30 Neco Weekly 2023/04/28");
    }

    #[test]
    fn invalid_date_formats_are_detected() {
        assert_eq!(
            Settings::try_format_date("%Y-%m-%d", date()).as_deref(),
            Some("2023-04-28")
        );
        assert!(Settings::try_format_date("%Q", date()).is_none());
    }

    #[test]
    fn publication_day_is_the_next_chosen_weekday() {
        let settings = Settings::default(); // Friday
        assert_eq!(settings.next_publication(date()), date()); // a Friday
        let monday = Settings {
            publish_weekday: 1,
            ..Settings::default()
        };
        assert_eq!(
            monday.next_publication(date()),
            NaiveDate::from_ymd_opt(2023, 5, 1).unwrap()
        );
    }

    #[test]
    fn front_matter_reads_the_fields() {
        let settings = Settings {
            front_matter: FrontMatterKind::Yaml,
            yaml_fields: "draft: false\n\nauthor: Neco team\nnot a field".into(),
            ..Settings::default()
        };
        assert_eq!(
            settings.front_matter(date()),
            FrontMatter::Yaml {
                extra: vec![
                    ("draft".into(), "false".into()),
                    ("author".into(), "Neco team".into())
                ]
            }
        );
    }
}
