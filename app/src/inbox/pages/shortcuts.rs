//! The keyboard shortcut sheet, shown with `?`.

use leptos::prelude::*;

const SHORTCUTS: &[(&str, &str)] = &[
    ("j / ↓", "next article"),
    ("k / ↑", "previous article"),
    ("o / Enter", "open the article in a new tab (marks it seen)"),
    (
        "p",
        "pick into the current draft (choose the section, Enter)",
    ),
    ("d", "dismiss (the selection, or the current article)"),
    ("D", "dismiss everything older than the current article"),
    ("u", "undo the last dismiss or +1"),
    ("+", "+1: “I want to talk about this”"),
    ("x", "select or unselect (shift-click selects a range)"),
    ("/", "search"),
    ("?", "show or hide this sheet"),
    ("Esc", "close, clear the selection"),
];

#[component]
pub fn ShortcutSheet(open: RwSignal<bool>) -> impl IntoView {
    view! {
        <Show when=move || open.get()>
            <div class="shortcut-sheet" role="dialog" aria-modal="false" aria-labelledby="shortcuts-heading">
                <h2 id="shortcuts-heading">"Keyboard shortcuts"</h2>
                <dl>
                    {SHORTCUTS.iter().map(|(keys, what)| view! {
                        <dt><kbd>{*keys}</kbd></dt>
                        <dd>{*what}</dd>
                    }).collect_view()}
                </dl>
                <button type="button" class="secondary" on:click=move |_| open.set(false)>"Close"</button>
            </div>
        </Show>
    }
}
