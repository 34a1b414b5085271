//! The keyboard shortcut sheet, shown with `?`.

use leptos::prelude::*;

use crate::i18n::{t, td_string, use_i18n};
use crate::lang::{self, Locale};

/// The keys and what they do, in the page's language.
fn shortcuts(locale: Locale) -> [(&'static str, &'static str); 12] {
    [
        ("j / ↓", td_string!(locale, inbox.shortcut_next)),
        ("k / ↑", td_string!(locale, inbox.shortcut_previous)),
        ("o / Enter", td_string!(locale, inbox.shortcut_open)),
        ("p", td_string!(locale, inbox.shortcut_pick)),
        ("d", td_string!(locale, inbox.shortcut_dismiss)),
        ("D", td_string!(locale, inbox.shortcut_dismiss_older)),
        ("u", td_string!(locale, inbox.shortcut_undo)),
        ("+", td_string!(locale, inbox.shortcut_vote)),
        ("x", td_string!(locale, inbox.shortcut_select)),
        ("/", td_string!(locale, inbox.shortcut_search)),
        ("?", td_string!(locale, inbox.shortcut_help)),
        ("Esc", td_string!(locale, inbox.shortcut_escape)),
    ]
}

#[component]
pub fn ShortcutSheet(open: RwSignal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let locale = lang::current();
    view! {
        <Show when=move || open.get()>
            <div class="shortcut-sheet" role="dialog" aria-modal="false" aria-labelledby="shortcuts-heading">
                <h2 id="shortcuts-heading">{t!(i18n, inbox.shortcuts_title)}</h2>
                <dl>
                    {shortcuts(locale).into_iter().map(|(keys, what)| view! {
                        <dt><kbd>{keys}</kbd></dt>
                        <dd>{what}</dd>
                    }).collect_view()}
                </dl>
                <button type="button" class="secondary" on:click=move |_| open.set(false)>{t!(i18n, inbox.close)}</button>
            </div>
        </Show>
    }
}
