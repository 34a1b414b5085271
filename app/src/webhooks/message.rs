//! What a webhook post says: the event as JSON (what generic receivers
//! get, and what is stored with the post), and the one line of text a
//! Slack-compatible chat shows. The chat is where readers are, like the
//! published issue: its text is in the newsletter's language (Settings),
//! which the payload carries as `language`.

use chrono::NaiveDate;
use serde_json::{json, Value};

use super::WebhookEvent;
use crate::{
    editor::IssueView,
    i18n::td_string,
    lang::{self, counted, fill},
};

/// An issue an event is about.
pub struct IssueRef<'a> {
    pub newsletter: &'a str,
    /// The newsletter's language (a BCP 47 tag from Settings).
    pub language: &'a str,
    pub number: i32,
    pub title: &'a str,
    pub date: NaiveDate,
    /// Its public page, when the newsletter has a public base URL.
    pub url: Option<String>,
}

/// The event as the generic JSON body has it.
pub fn payload(event: WebhookEvent, issue: &IssueRef<'_>, by: &str, error: Option<&str>) -> Value {
    let name = match event {
        WebhookEvent::Published => "issue.published",
        WebhookEvent::Republished => "issue.republished",
        WebhookEvent::DeliveryFailed => "delivery.failed",
        WebhookEvent::DailySummary => "draft.summary",
    };
    let mut body = json!({
        "event": name,
        "newsletter": issue.newsletter,
        "language": issue.language,
        "issue": {
            "number": issue.number,
            "title": issue.title,
            "date": issue.date.to_string(),
            "url": issue.url,
        },
        "by": by,
        "at": chrono::Utc::now().to_rfc3339(),
    });
    if let Some(error) = error {
        body["error"] = json!(error);
    }
    body
}

/// The daily "picks so far" of draft `issue`: picks per section, and who
/// +1'd each (`plus_ones`: candidate id and member, in voting order).
pub fn summary(
    newsletter: &str,
    language: &str,
    issue: &IssueView,
    plus_ones: &[(i64, String)],
) -> Value {
    let sections: Vec<Value> = issue
        .sections
        .iter()
        .map(|section| {
            let picks: Vec<Value> = section
                .picks
                .iter()
                .map(|pick| {
                    let voters: Vec<&str> = plus_ones
                        .iter()
                        .filter(|(candidate, _)| Some(*candidate) == pick.candidate_id)
                        .map(|(_, name)| name.as_str())
                        .collect();
                    json!({ "title": pick.title, "url": pick.url, "plus_ones": voters })
                })
                .collect();
            json!({ "title": section.title, "count": picks.len(), "picks": picks })
        })
        .collect();
    json!({
        "event": "draft.summary",
        "newsletter": newsletter,
        "language": language,
        "issue": { "number": issue.number, "date": issue.date.to_string() },
        "picks": issue.picks().count(),
        "sections": sections,
        "at": chrono::Utc::now().to_rfc3339(),
    })
}

/// The body of a Slack-compatible post of `payload`.
pub fn slack_body(payload: &Value) -> Value {
    json!({ "text": slack_text(payload) })
}

/// One line of chat text; what the team wrote is escaped the way Slack
/// wants (`&`, `<`, `>`), so a title cannot mention everyone or forge a link.
pub fn slack_text(payload: &Value) -> String {
    let text = |value: &Value| escape(value.as_str().unwrap_or_default());
    let issue = &payload["issue"];
    let name = format!(
        "*{} #{}*",
        text(&payload["newsletter"]),
        issue["number"].as_i64().unwrap_or_default()
    );
    let title = match issue["url"].as_str() {
        Some(url) => format!("<{}|{}>", escape(url), text(&issue["title"])),
        None => text(&issue["title"]),
    };
    let by = text(&payload["by"]);
    // Payloads queued before they carried a language: English, as then.
    let locale = payload["language"]
        .as_str()
        .and_then(lang::from_tag)
        .unwrap_or_default();
    let said = |template: &str, error: &str| {
        fill(
            template,
            &[
                ("name", &name),
                ("by", &by),
                ("title", &title),
                ("error", error),
            ],
        )
    };
    match payload["event"].as_str() {
        Some("issue.published") => said(td_string!(locale, publish.chat_published), ""),
        Some("issue.republished") => said(td_string!(locale, publish.chat_republished), ""),
        Some("delivery.failed") => said(
            td_string!(locale, publish.chat_delivery_failed),
            &text(&payload["error"]),
        ),
        Some("draft.summary") => summary_text(&name, locale, payload),
        _ => format!("{name}: {title}"),
    }
}

fn summary_text(name: &str, locale: lang::Locale, payload: &Value) -> String {
    let text = |value: &Value| escape(value.as_str().unwrap_or_default());
    let total = payload["picks"].as_u64().unwrap_or_default();
    let picks = counted(
        total,
        td_string!(locale, publish.chat_picks_single),
        td_string!(locale, publish.chat_picks_many),
    );
    let mut lines = vec![fill(
        td_string!(locale, publish.chat_summary),
        &[("name", name), ("picks", &picks)],
    )];
    for section in payload["sections"].as_array().into_iter().flatten() {
        lines.push(format!(
            "• {}: {}",
            text(&section["title"]),
            section["count"].as_u64().unwrap_or_default()
        ));
        for pick in section["picks"].as_array().into_iter().flatten() {
            let voters: Vec<String> = pick["plus_ones"]
                .as_array()
                .into_iter()
                .flatten()
                .map(text)
                .collect();
            let votes = if voters.is_empty() {
                String::new()
            } else {
                format!(" (+1 {})", voters.join(", "))
            };
            lines.push(format!("    – {}{votes}", text(&pick["title"])));
        }
    }
    lines.join("\n")
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slack_text_names_the_issue_and_escapes_what_the_team_wrote() {
        let issue = IssueRef {
            newsletter: "Cloud Notes",
            language: "en",
            number: 30,
            title: "<!channel> K8s & more",
            date: NaiveDate::from_ymd_opt(2026, 12, 4).unwrap(),
            url: Some("https://news.example.com/issues/30".into()),
        };
        let body = payload(WebhookEvent::Published, &issue, "alice", None);
        assert_eq!(
            slack_text(&body),
            "📰 *Cloud Notes #30* was published by alice: \
             <https://news.example.com/issues/30|&lt;!channel&gt; K8s &amp; more>"
        );
        let failed = payload(
            WebhookEvent::DeliveryFailed,
            &issue,
            "alice",
            Some("no <route>"),
        );
        assert!(slack_text(&failed).ends_with("to git failed: no &lt;route&gt;"));
        // What the team wrote is never read as a placeholder.
        let braces = IssueRef {
            title: "{by} {error}",
            ..issue
        };
        let body = payload(WebhookEvent::Published, &braces, "alice", None);
        assert!(
            slack_text(&body).ends_with("|{by} {error}>"),
            "{}",
            slack_text(&body)
        );
    }

    #[test]
    fn the_chat_speaks_the_newsletters_language() {
        let issue = IssueRef {
            newsletter: "Neco Weekly",
            language: "ja",
            number: 12,
            title: "2023-04-28号",
            date: NaiveDate::from_ymd_opt(2023, 4, 28).unwrap(),
            url: None,
        };
        let body = payload(WebhookEvent::Published, &issue, "Hana", None);
        assert_eq!(body["language"], "ja");
        assert_eq!(
            slack_text(&body),
            "📰 *Neco Weekly #12* を Hana さんが公開しました: 2023-04-28号"
        );
        // Queued before payloads carried a language: English.
        let mut old = body.clone();
        old.as_object_mut().unwrap().remove("language");
        assert_eq!(
            slack_text(&old),
            "📰 *Neco Weekly #12* was published by Hana: 2023-04-28号"
        );
    }
}
