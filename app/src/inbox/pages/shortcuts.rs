//! The keyboard shortcut sheet, shown with `?`: a modal dialog that takes
//! the focus, keeps Tab inside, and gives the focus back when it closes.

use leptos::prelude::*;

use crate::layout::dom::{focused_id, keep_tab_inside, return_focus};

/// Where the keys work, and what each does there, in the page's language.
fn shortcuts() -> [(&'static str, Vec<(&'static str, &'static str)>); 5] {
    [
        (
            tr!(inbox.keys_place_list),
            vec![
                ("j / ↓", tr!(inbox.shortcut_next)),
                ("k / ↑", tr!(inbox.shortcut_previous)),
                ("o / Enter", tr!(inbox.shortcut_open)),
                ("p", tr!(inbox.shortcut_pick)),
                ("d", tr!(inbox.shortcut_dismiss)),
                ("D", tr!(inbox.shortcut_dismiss_older)),
                ("u", tr!(inbox.shortcut_undo)),
                ("+", tr!(inbox.shortcut_vote)),
                ("x", tr!(inbox.shortcut_select)),
                ("/", tr!(inbox.shortcut_search)),
                ("?", tr!(inbox.shortcut_help)),
                ("Esc", tr!(inbox.shortcut_escape)),
            ],
        ),
        (
            tr!(inbox.keys_place_fields),
            vec![
                ("Enter", tr!(inbox.keys_field_enter)),
                ("Esc", tr!(inbox.keys_field_escape)),
            ],
        ),
        (
            tr!(inbox.keys_place_editor),
            vec![
                ("Alt+↑ / Alt+↓", tr!(inbox.keys_editor_move)),
                (
                    "Alt+Shift+↑ / Alt+Shift+↓",
                    tr!(inbox.keys_editor_move_section),
                ),
                ("Ctrl+B / Ctrl+I / Ctrl+K", tr!(inbox.keys_editor_format)),
            ],
        ),
        (
            tr!(inbox.keys_place_meeting),
            vec![("← / →", tr!(inbox.keys_meeting_move))],
        ),
        (
            tr!(inbox.keys_place_everywhere),
            vec![
                ("Tab / Shift+Tab", tr!(inbox.keys_everywhere_tab)),
                ("Enter / Space", tr!(inbox.keys_everywhere_press)),
            ],
        ),
    ]
}

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
                <h2 id="shortcuts-heading">{tr!(inbox.shortcuts_title)}</h2>
                {shortcuts().into_iter().map(|(place, keys)| view! {
                    <h3>{place}</h3>
                    <dl>
                        {keys.into_iter().map(|(keys, what)| view! {
                            <dt><kbd>{keys}</kbd></dt>
                            <dd>{what}</dd>
                        }).collect_view()}
                    </dl>
                }).collect_view()}
                <button type="button" class="secondary" node_ref=close on:click=move |_| open.set(false)>{tr!(inbox.close)}</button>
            </div>
        </Show>
    }
}
