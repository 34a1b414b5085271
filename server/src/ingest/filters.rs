//! Keep/block rules: regular expressions on an entry's title, URL, content,
//! author or categories, per feed or team-wide. A block rule that matches
//! drops the entry; when keep rules exist, only entries matching one of them
//! stay.

pub use newsdesk_app::feeds::model::RuleField as Field;
use newsdesk_app::feeds::{model::RuleAction, rules::compile_pattern};
use regex::Regex;
use sqlx::PgPool;

use super::normalise::Entry;

#[derive(Debug)]
pub struct Rule {
    pub keep: bool,
    pub field: Field,
    pub pattern: Regex,
}

#[derive(Debug, Default)]
pub struct Filter {
    rules: Vec<Rule>,
}

impl Filter {
    pub fn new(rules: Vec<Rule>) -> Self {
        Self { rules }
    }

    /// The feed's rules plus the team-wide ones. Rules whose pattern no
    /// longer compiles are skipped (and logged), never fatal to a refresh.
    pub async fn load(pool: &PgPool, feed_id: i64) -> Result<Self, sqlx::Error> {
        let rows = sqlx::query!(
            r#"SELECT action AS "action: RuleAction", field AS "field: Field", pattern
               FROM filter_rules
               WHERE feed_id = $1 OR feed_id IS NULL ORDER BY id"#,
            feed_id
        )
        .fetch_all(pool)
        .await?;
        let rules = rows
            .into_iter()
            .filter_map(|row| {
                match compile_pattern(&row.pattern) {
                    Ok(pattern) => Some(Rule {
                        keep: row.action == RuleAction::Keep,
                        field: row.field,
                        pattern,
                    }),
                    Err(error) => {
                        tracing::warn!(feed_id, pattern = row.pattern, %error, "skipping invalid filter rule");
                        None
                    }
                }
            })
            .collect();
        Ok(Self { rules })
    }

    pub fn allows(&self, entry: &Entry) -> bool {
        let matches = |rule: &Rule| match rule.field {
            Field::Title => rule.pattern.is_match(&entry.title),
            Field::Url => entry
                .url
                .as_deref()
                .is_some_and(|url| rule.pattern.is_match(url)),
            Field::Content => {
                rule.pattern.is_match(&entry.excerpt) || rule.pattern.is_match(&entry.summary_html)
            }
            Field::Author => entry
                .author
                .as_deref()
                .is_some_and(|a| rule.pattern.is_match(a)),
            Field::Category => entry.categories.iter().any(|c| rule.pattern.is_match(c)),
        };
        if self.rules.iter().any(|rule| !rule.keep && matches(rule)) {
            return false;
        }
        let mut keeps = self.rules.iter().filter(|rule| rule.keep).peekable();
        keeps.peek().is_none() || keeps.any(matches)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(title: &str, categories: &[&str]) -> Entry {
        Entry {
            key: title.into(),
            url: Some(format!("https://example.com/{title}")),
            url_key: None,
            title: title.into(),
            summary_html: String::new(),
            excerpt: String::new(),
            author: Some("Ada".into()),
            categories: categories.iter().map(|c| c.to_string()).collect(),
            published_at: chrono::Utc::now(),
            hash: String::new(),
        }
    }

    fn rule(keep: bool, field: Field, pattern: &str) -> Rule {
        Rule {
            keep,
            field,
            pattern: compile_pattern(pattern).unwrap(),
        }
    }

    #[test]
    fn no_rules_keep_everything() {
        assert!(Filter::default().allows(&entry("anything", &[])));
    }

    #[test]
    fn block_rules_drop_matches() {
        let filter = Filter::new(vec![rule(false, Field::Title, r"^\[sponsored\]")]);
        assert!(!filter.allows(&entry("[Sponsored] Buy now", &[])));
        assert!(filter.allows(&entry("Kubernetes 1.35", &[])));
    }

    #[test]
    fn keep_rules_keep_only_matches_and_block_wins() {
        let filter = Filter::new(vec![
            rule(true, Field::Category, "kubernetes|cncf"),
            rule(false, Field::Author, "^spam"),
        ]);
        assert!(filter.allows(&entry("a", &["Kubernetes"])));
        assert!(!filter.allows(&entry("b", &["cooking"])));
        let mut spam = entry("c", &["cncf"]);
        spam.author = Some("spammer".into());
        assert!(!filter.allows(&spam));
    }
}
