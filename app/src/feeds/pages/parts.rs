//! Small pieces the Feeds screens share: status badges, durations.

use leptos::prelude::*;

use crate::feeds::model::FeedStatus;

#[component]
pub fn StatusBadge(status: FeedStatus) -> impl IntoView {
    let label = status.label();
    view! { <span class=format!("badge badge-{label}")>{label}</span> }
}

pub fn milliseconds(value: Option<f64>) -> String {
    match value {
        Some(ms) if ms >= 1000.0 => format!("{:.1} s", ms / 1000.0),
        Some(ms) => format!("{} ms", ms.round() as i64),
        None => "–".into(),
    }
}
