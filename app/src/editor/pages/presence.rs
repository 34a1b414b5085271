//! Presence: this tab tells the server every few seconds that it views the
//! issue and which pick it edits (a soft lease that lapses when the
//! heartbeats stop); everybody's presence is shown as initials.

use leptos::prelude::*;

#[cfg(feature = "hydrate")]
use crate::editor::api::leave_issue;
use crate::editor::{api::heartbeat, Present};
use crate::i18n::td_string;
use crate::lang;

#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
const HEARTBEAT: std::time::Duration = std::time::Duration::from_secs(10);

#[derive(Clone, Copy)]
pub struct Presence {
    number: i32,
    client: StoredValue<String>,
    /// The pick this tab edits.
    pub editing: RwSignal<Option<i64>>,
    pub present: RwSignal<Vec<Present>>,
}

impl Presence {
    pub fn new(number: i32) -> Self {
        Self {
            number,
            client: StoredValue::new(String::new()),
            editing: RwSignal::new(None),
            present: RwSignal::new(Vec::new()),
        }
    }

    /// Starts the heartbeats (in the browser only); they stop, and the tab
    /// leaves, when the editor is unmounted.
    pub fn start(self) {
        #[cfg(feature = "hydrate")]
        {
            let client = leptos::web_sys::window()
                .and_then(|window| window.crypto().ok())
                .map(|crypto| crypto.random_uuid())
                .unwrap_or_else(|| format!("tab-{}", js_now()));
            self.client.set_value(client);
            self.refresh();
            let interval = set_interval_with_handle(move || self.refresh(), HEARTBEAT).ok();
            // Editing another pick is announced at once, not at the next beat.
            Effect::new(move |previous: Option<Option<i64>>| {
                let editing = self.editing.get();
                if previous.is_some_and(|previous| previous != editing) {
                    self.refresh();
                }
                editing
            });
            // Closing the tab or leaving the site: tell the server with a
            // beacon, which outlives the page.
            let hide = window_event_listener(leptos::ev::pagehide, move |_| {
                let params = leptos::web_sys::UrlSearchParams::new().ok();
                if let Some(params) = params {
                    params.append("client", &self.client.get_value());
                    let _ = leptos::web_sys::window().map(|window| {
                        window.navigator().send_beacon_with_opt_url_search_params(
                            "/api/leave_issue",
                            Some(&params),
                        )
                    });
                }
            });
            on_cleanup(move || {
                hide.remove();
                if let Some(interval) = interval {
                    interval.clear();
                }
                let client = self.client.get_value();
                leptos::task::spawn_local(async move {
                    let _ = leave_issue(client).await;
                });
            });
        }
    }

    /// Sends a heartbeat now and shows who is there.
    pub fn refresh(self) {
        let client = self.client.get_value();
        if client.is_empty() {
            return;
        }
        let editing = self.editing.get_untracked();
        leptos::task::spawn_local(async move {
            if let Ok(present) = heartbeat(self.number, client, editing).await {
                self.present.set(present);
            }
        });
    }

    /// Members other than `me` editing `pick`.
    pub fn editing_pick(self, pick: i64, me: &str) -> Vec<String> {
        self.present.with(|present| {
            present
                .iter()
                .filter(|p| p.editing == Some(pick) && p.member != me)
                .map(|p| p.member.clone())
                .collect()
        })
    }
}

#[cfg(feature = "hydrate")]
fn js_now() -> u64 {
    (leptos::web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .unwrap_or_default()
        * 1000.0) as u64
}

/// "AB" for "Alice Brown", "al" → "AL".
pub fn initials(name: &str) -> String {
    let words: Vec<&str> = name.split_whitespace().collect();
    let letters: String = if words.len() >= 2 {
        words
            .iter()
            .take(2)
            .filter_map(|w| w.chars().next())
            .collect()
    } else {
        name.chars().take(2).collect()
    };
    letters.to_uppercase()
}

#[component]
pub fn Avatar(name: String, #[prop(optional)] editing: bool) -> impl IntoView {
    let text = if editing {
        td_string!(lang::current(), editor.avatar_editing)
    } else {
        td_string!(lang::current(), editor.avatar_here)
    };
    let label = lang::fill(text, &[("name", &name)]);
    view! {
        <span class="avatar" role="img" class:editing=editing title=label.clone() aria-label=label data-member=name.clone()>
            {initials(&name)}
        </span>
    }
}

#[component]
pub fn PresenceBar(presence: Presence, me: StoredValue<String>) -> impl IntoView {
    view! {
        <div class="presence" role="group" aria-label=td_string!(lang::current(), editor.who_is_here)>
            {move || {
                let me = me.get_value();
                presence
                    .present
                    .get()
                    .into_iter()
                    .filter(|p| p.member != me)
                    .map(|p| view! { <Avatar name=p.member editing=p.editing.is_some() /> })
                    .collect_view()
            }}
        </div>
    }
}
