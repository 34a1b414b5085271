//! The keyboard shortcut sheet, shown with `?`: a modal dialog that takes
//! the focus, keeps Tab inside, and gives the focus back when it closes.

use leptos::prelude::*;

use crate::layout::dom::{focused_id, keep_tab_inside, return_focus};

/// Where the keys work, and what each does there.
const SHORTCUTS: &[(&str, &[(&str, &str)])] = &[
    (
        "In the inbox list",
        &[
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
        ],
    ),
    (
        "In the search box, a field or the pick form",
        &[
            ("Enter", "search, or pick into the chosen section"),
            ("Esc", "leave the field, back to the list"),
        ],
    ),
    (
        "In the issue editor",
        &[
            ("Alt+↑ / Alt+↓", "move the focused pick up or down"),
            (
                "Alt+Shift+↑ / Alt+Shift+↓",
                "move the focused pick to the previous or next section",
            ),
            (
                "Ctrl+B / Ctrl+I / Ctrl+K",
                "bold, italic, link in commentary",
            ),
        ],
    ),
    ("In meeting mode", &[("← / →", "previous or next pick")]),
    (
        "Everywhere",
        &[
            ("Tab / Shift+Tab", "next or previous control"),
            ("Enter / Space", "press the focused button or link"),
        ],
    ),
];

#[component]
pub fn ShortcutSheet(open: RwSignal<bool>) -> impl IntoView {
    let sheet = NodeRef::<leptos::html::Div>::new();
    let close = NodeRef::<leptos::html::Button>::new();
    let opener = StoredValue::new(None);
    // The close button appears when the sheet opens: remember what had the
    // focus (the row the `?` was pressed on), then move the focus in.
    Effect::new(move |_| {
        if let Some(button) = close.get() {
            opener.set_value(focused_id());
            let _ = button.focus();
        }
    });
    Effect::new(move |was_open: Option<bool>| {
        let is_open = open.get();
        if was_open == Some(true) && !is_open {
            return_focus(opener.get_value());
        }
        is_open
    });
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        if let Some(sheet) = sheet.get_untracked() {
            keep_tab_inside(&sheet, &ev);
        }
    };
    view! {
        <Show when=move || open.get()>
            <div class="shortcut-sheet" role="dialog" aria-modal="true" aria-labelledby="shortcuts-heading"
                node_ref=sheet on:keydown=on_keydown>
                <h2 id="shortcuts-heading">"Keyboard shortcuts"</h2>
                {SHORTCUTS.iter().map(|(place, keys)| view! {
                    <h3>{*place}</h3>
                    <dl>
                        {keys.iter().map(|(keys, what)| view! {
                            <dt><kbd>{*keys}</kbd></dt>
                            <dd>{*what}</dd>
                        }).collect_view()}
                    </dl>
                }).collect_view()}
                <button type="button" class="secondary" node_ref=close on:click=move |_| open.set(false)>"Close"</button>
            </div>
        </Show>
    }
}
