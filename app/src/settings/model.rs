//! The newsletter's settings and what they turn into: titles, intros and
//! footers from templates, publication dates, and the export's front matter.

use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::render::FrontMatter;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FrontMatterKind {
    #[default]
    None,
    Yaml,
    Zenn,
}

impl FrontMatterKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Yaml => "yaml",
            Self::Zenn => "zenn",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "none" => Some(Self::None),
            "yaml" => Some(Self::Yaml),
            "zenn" => Some(Self::Zenn),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    pub name: String,
    /// With `{headline}`, `{name}`, `{number}`, `{date}`.
    pub title_template: String,
    /// With `{name}`, `{number}`, `{date}`.
    pub intro_template: String,
    pub footer_template: String,
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
    /// Issues in the public feeds, newest first.
    pub feed_size: i32,
    pub version: i32,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            name: "Weekly".into(),
            title_template: "{headline}: {name} ({date}号)".into(),
            intro_template: String::new(),
            footer_template: String::new(),
            publish_weekday: 5,
            date_format: "%Y-%m-%d".into(),
            public_base_url: String::new(),
            front_matter: FrontMatterKind::None,
            yaml_fields: String::new(),
            zenn_emoji: "📰".into(),
            zenn_type: "tech".into(),
            zenn_topics: String::new(),
            zenn_published: true,
            feed_size: 20,
            version: 1,
        }
    }
}

pub const WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

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

    pub fn front_matter(&self) -> FrontMatter {
        match self.front_matter {
            FrontMatterKind::None => FrontMatter::None,
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
            },
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
            settings.front_matter(),
            FrontMatter::Yaml {
                extra: vec![
                    ("draft".into(), "false".into()),
                    ("author".into(), "Neco team".into())
                ]
            }
        );
    }
}
