//! Small pieces the Feeds screens share: status badges, durations.

use leptos::prelude::*;

use crate::feeds::model::FeedStatus;
use crate::i18n::td_string;
use crate::lang::{self, Locale};

/// A feed's status as the badge says it.
fn status_text(status: FeedStatus, locale: Locale) -> &'static str {
    match status {
        FeedStatus::New => td_string!(locale, feeds.status_new),
        FeedStatus::Ok => td_string!(locale, feeds.status_ok),
        FeedStatus::Slow => td_string!(locale, feeds.status_slow),
        FeedStatus::Failing => td_string!(locale, feeds.status_failing),
        FeedStatus::Disabled => td_string!(locale, feeds.status_disabled),
    }
}

#[component]
pub fn StatusBadge(status: FeedStatus) -> impl IntoView {
    let label = status.label();
    view! { <span class=format!("badge badge-{label}")>{status_text(status, lang::current())}</span> }
}

pub fn milliseconds(value: Option<f64>) -> String {
    match value {
        Some(ms) if ms >= 1000.0 => format!("{:.1} s", ms / 1000.0),
        Some(ms) => format!("{} ms", ms.round() as i64),
        None => "–".into(),
    }
}
