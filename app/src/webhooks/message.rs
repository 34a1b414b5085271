//! What a webhook post says: the event as JSON (what generic receivers
//! get, and what is stored with the post), and the one line of text a
//! Slack-compatible chat shows.

use chrono::NaiveDate;
use serde_json::{json, Value};

use super::WebhookEvent;
use crate::editor::IssueView;

/// An issue an event is about.
pub struct IssueRef<'a> {
    pub newsletter: &'a str,
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
pub fn summary(newsletter: &str, issue: &IssueView, plus_ones: &[(i64, String)]) -> Value {
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
    match payload["event"].as_str() {
        Some("issue.published") => format!("📰 {name} was published by {by}: {title}"),
        Some("issue.republished") => {
            format!("✏️ {name} was re-published with corrections by {by}: {title}")
        }
        Some("delivery.failed") => format!(
            "⚠️ Delivering {name} to git failed: {}",
            text(&payload["error"])
        ),
        Some("draft.summary") => summary_text(&name, payload),
        _ => format!("{name}: {title}"),
    }
}

fn summary_text(name: &str, payload: &Value) -> String {
    let text = |value: &Value| escape(value.as_str().unwrap_or_default());
    let total = payload["picks"].as_u64().unwrap_or_default();
    let mut lines = vec![format!(
        "🗓️ {name} so far: {total} pick{}",
        if total == 1 { "" } else { "s" }
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
    }
}
