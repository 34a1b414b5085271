//! One versioned text field (headline, intro, pick title, commentary) with
//! autosave: a save goes out a moment after typing stops, one at a time,
//! based on the version the text was loaded at. A save based on an old
//! version comes back 409: when the other change did not touch this field
//! the save is simply repeated on the new version; otherwise the merge
//! dialog shows theirs and yours side by side. Multi-line fields get
//! Markdown shortcuts (Ctrl/Cmd+B, I, K; pasting a URL makes a link), a
//! live preview from the export's renderer, and their history.
//!
//! One component, though long: autosave, conflicts, shortcuts, preview and
//! history all act on the same field state (its signals and version).

use std::time::Duration;

use leptos::prelude::*;

use crate::layout::Erase;
use crate::{
    editor::{
        api::{load_revisions, save_issue_text, save_pick_text},
        TextField,
    },
    error::AppError,
    i18n::td_string,
    lang,
    layout::{
        dom::{focused_id, return_focus},
        parts::Time,
        server_text,
    },
    render::{markdown_to_html, Rendering},
};

const AUTOSAVE_AFTER: Duration = Duration::from_millis(700);

/// What a field belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Issue(i32),
    Pick(i64),
}

/// A field as the server last had it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Stored {
    pub value: String,
    pub version: i32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Status {
    Idle,
    Saving,
    Saved,
    Failed(String),
    Conflict {
        theirs: String,
        version: i32,
        by: String,
    },
}

#[derive(Clone, Copy)]
struct Field {
    target: Target,
    field: TextField,
    text: RwSignal<String>,
    base: StoredValue<Stored>,
    status: RwSignal<Status>,
    saving: StoredValue<bool>,
    /// Bumped by each edit; a scheduled autosave runs only if it is still
    /// the latest edit.
    edits: StoredValue<u64>,
}

impl Field {
    fn dirty(&self) -> bool {
        self.text
            .with_untracked(|text| *text != self.base.with_value(|b| b.value.clone()))
    }

    fn edited(&self, value: String) {
        self.text.set(value);
        if matches!(self.status.get_untracked(), Status::Conflict { .. }) {
            return;
        }
        self.edits.update_value(|n| *n += 1);
        let edit = self.edits.get_value();
        let this = *self;
        set_timeout(
            move || {
                if this.edits.get_value() == edit {
                    this.save();
                }
            },
            AUTOSAVE_AFTER,
        );
    }

    /// Sends the text if it differs from what it is based on; one save at
    /// a time (the one in flight sends again when it is done).
    fn save(&self) {
        if self.saving.get_value()
            || !self.dirty()
            || matches!(self.status.get_untracked(), Status::Conflict { .. })
        {
            return;
        }
        self.saving.set_value(true);
        self.status.set(Status::Saving);
        let this = *self;
        let value = self.text.get_untracked();
        let version = self.base.with_value(|b| b.version);
        leptos::task::spawn_local(async move {
            let result = match this.target {
                Target::Issue(number) => {
                    save_issue_text(number, this.field, value.clone(), version).await
                }
                Target::Pick(id) => save_pick_text(id, this.field, value.clone(), version).await,
            };
            this.saving.set_value(false);
            match result {
                Ok(version) => {
                    this.base.set_value(Stored { value, version });
                    this.status.set(Status::Saved);
                    this.save();
                }
                Err(AppError::Conflict {
                    version,
                    value: theirs,
                    changed_by,
                }) => {
                    if this.base.with_value(|b| b.value == theirs) {
                        // Another field of the row changed: same text, newer version.
                        this.base.update_value(|b| b.version = version);
                        this.save();
                    } else {
                        this.status.set(Status::Conflict {
                            theirs,
                            version,
                            by: changed_by,
                        });
                    }
                }
                Err(error) => this.status.set(Status::Failed(error.to_string())),
            }
        });
    }

    /// The server's value changed (a reload): show it unless the member
    /// has unsaved text here, which a save will reconcile.
    fn reloaded(&self, stored: Stored) {
        if self.saving.get_value() || matches!(self.status.get_untracked(), Status::Conflict { .. })
        {
            return;
        }
        if !self.dirty() {
            self.text.set(stored.value.clone());
            self.base.set_value(stored);
        } else if self.base.with_value(|b| b.value == stored.value) {
            self.base.update_value(|b| b.version = stored.version);
        }
    }

    fn resolve(&self, text: String, theirs: String, version: i32) {
        self.base.set_value(Stored {
            value: theirs,
            version,
        });
        self.text.set(text);
        self.status.set(Status::Idle);
        self.save();
    }
}

#[component]
pub fn TextEditor(
    target: Target,
    field: TextField,
    issue_number: i32,
    /// The field as last loaded.
    stored: Signal<Stored>,
    /// The visible label.
    label: String,
    /// Read-only (a published issue, or a viewer).
    #[prop(optional)]
    readonly: bool,
    /// How the export's target renders Markdown: the preview follows it.
    #[prop(optional)]
    rendering: Rendering,
    /// Called with `true` on focus and `false` on blur (presence).
    #[prop(optional, into)]
    on_focus: Option<Callback<bool>>,
) -> impl IntoView {
    let initial = stored.get_untracked();
    let state = Field {
        target,
        field,
        text: RwSignal::new(initial.value.clone()),
        base: StoredValue::new(initial),
        status: RwSignal::new(Status::Idle),
        saving: StoredValue::new(false),
        edits: StoredValue::new(0),
    };
    Effect::new(move |_| state.reloaded(stored.get()));
    let multiline = field.multiline();
    let id = match target {
        Target::Issue(number) => format!("issue-{number}-{}", field.as_str()),
        Target::Pick(pick) => format!("pick-{pick}-{}", field.as_str()),
    };
    let focus = move |on: bool| {
        if let Some(callback) = on_focus {
            callback.run(on);
        }
    };
    let input = if multiline {
        let area = NodeRef::<leptos::html::Textarea>::new();
        view! {
            <textarea
                id=id.clone()
                node_ref=area
                class="markdown-input"
                rows="6"
                readonly=readonly
                prop:value=move || state.text.get()
                on:input=move |ev| state.edited(event_target_value(&ev))
                on:keydown=move |ev| shortcuts::on_key(&ev, area, state)
                on:paste=move |ev| shortcuts::on_paste(&ev, area, state)
                on:focus=move |_| focus(true)
                on:blur=move |_| {
                    focus(false);
                    state.save();
                }
            >
                {server_text(state.text.get_untracked())}
            </textarea>
        }
        .erase()
    } else {
        view! {
            <input
                id=id.clone()
                class="text-input"
                readonly=readonly
                maxlength=field.max_chars()
                prop:value=move || state.text.get()
                value=state.text.get_untracked()
                on:input=move |ev| state.edited(event_target_value(&ev))
                on:focus=move |_| focus(true)
                on:blur=move |_| {
                    focus(false);
                    state.save();
                }
            />
        }
        .erase()
    };
    let pick = match target {
        Target::Pick(id) => Some(id),
        Target::Issue(_) => None,
    };
    view! {
        <div class="text-editor" class:multiline=multiline data-field=field.as_str()>
            <div class="text-editor-head">
                <label for=id>{label}</label>
                <SaveStatus status=state.status />
                {(!readonly).then(|| view! { <History issue_number pick field state /> })}
            </div>
            {if multiline {
                view! {
                    <div class="editor-split">
                        {input}
                        <div class="preview markdown" role="group" aria-label=td_string!(lang::current(), editor.preview) inner_html=move || {
                            markdown_to_html(&state.text.get(), rendering)
                        }></div>
                    </div>
                }
                .erase()
            } else {
                input
            }}
            <MergeDialog state />
        </div>
    }
    .erase()
}

#[component]
fn SaveStatus(status: RwSignal<Status>) -> impl IntoView {
    let text = move || match status.get() {
        Status::Idle | Status::Conflict { .. } => String::new(),
        Status::Saving => td_string!(lang::current(), editor.saving).into(),
        Status::Saved => td_string!(lang::current(), editor.saved_status).into(),
        Status::Failed(message) => lang::fill(
            td_string!(lang::current(), editor.not_saved),
            &[("message", &message)],
        ),
    };
    let failed = move || matches!(status.get(), Status::Failed(_));
    view! { <span class="save-status" class:failed=failed role="status">{text}</span> }
}

#[component]
fn MergeDialog(state: Field) -> impl IntoView {
    let merged = RwSignal::new(String::new());
    let conflict = Memo::new(move |_| match state.status.get() {
        Status::Conflict {
            theirs,
            version,
            by,
        } => Some((theirs, version, by)),
        _ => None,
    });
    Effect::new(move |_| {
        if conflict.get().is_some() {
            merged.set(state.text.get_untracked());
        }
    });
    // An alert dialog takes the focus when it appears (from the field being
    // typed in) and gives it back to that field once resolved.
    let merged_area = NodeRef::<leptos::html::Textarea>::new();
    let opener = StoredValue::new(None);
    Effect::new(move |_| {
        if let Some(area) = merged_area.get() {
            opener.set_value(focused_id());
            let _ = area.focus();
        }
    });
    move || {
        conflict.get().map(|(theirs, version, by)| {
            let keep = theirs.clone();
            let base = theirs.clone();
            view! {
                <div class="merge-dialog" role="alertdialog" aria-label=td_string!(lang::current(), editor.merge_resolve)>
                    <p class="merge-title"><strong>{lang::fill(td_string!(lang::current(), editor.merge_changed_by), &[("name", &by)])}</strong></p>
                    <div class="merge-columns">
                        <div>
                            <h4>{tr!(editor.merge_theirs)}</h4>
                            <pre class="merge-theirs">{theirs.clone()}</pre>
                        </div>
                        <div>
                            <h4>{tr!(editor.merge_yours)}</h4>
                            <pre class="merge-yours">{state.text.get_untracked()}</pre>
                        </div>
                    </div>
                    <label class="merge-label">
                        {tr!(editor.merge_text)}
                        <textarea class="merge-result" rows="5" node_ref=merged_area prop:value=move || merged.get()
                            on:input=move |ev| merged.set(event_target_value(&ev))>{server_text(merged.get_untracked())}</textarea>
                    </label>
                    <div class="merge-actions">
                        <button type="button" class="merge-save"
                            on:click=move |_| {
                                state.resolve(merged.get_untracked(), base.clone(), version);
                                return_focus(opener.get_value());
                            }>
                            {tr!(editor.merge_save)}
                        </button>
                        <button type="button" class="secondary merge-theirs-button"
                            on:click=move |_| {
                                state.resolve(keep.clone(), keep.clone(), version);
                                return_focus(opener.get_value());
                            }>
                            {tr!(editor.merge_use_theirs)}
                        </button>
                    </div>
                </div>
            }
        })
    }
}

#[component]
fn History(issue_number: i32, pick: Option<i64>, field: TextField, state: Field) -> impl IntoView {
    let open = RwSignal::new(false);
    let revisions = LocalResource::new(move || {
        let open = open.get();
        async move {
            if open {
                Some(load_revisions(issue_number, pick, field).await)
            } else {
                None
            }
        }
    });
    view! {
        <button type="button" class="link-button history-toggle" aria-expanded=move || open.get().to_string()
            on:click=move |_| open.update(|open| *open = !*open)>
            {tr!(editor.history)}
        </button>
        <Show when=move || open.get()>
            <div class="history" role="region" aria-label=td_string!(lang::current(), editor.history)>
                <Suspense fallback=move || view! { <p class="muted">{tr!(common.shared2_loading)}</p> }>
                    {move || Suspend::new(async move {
                        match revisions.await {
                            Some(Ok(list)) if list.is_empty() => view! { <p class="muted">{tr!(editor.no_versions)}</p> }.erase(),
                            Some(Ok(list)) => view! {
                                <ol class="revisions">
                                    {list.into_iter().map(|revision| {
                                        let value = revision.value.clone();
                                        view! {
                                            <li>
                                                <span class="muted">{revision.author.unwrap_or_default()} " · " <Time at=Some(revision.created_at) /></span>
                                                <pre>{revision.value.clone()}</pre>
                                                <button type="button" class="secondary restore"
                                                    on:click=move |_| {
                                                        open.set(false);
                                                        state.text.set(value.clone());
                                                        state.save();
                                                    }>{tr!(editor.restore)}</button>

                                            </li>
                                        }
                                    }).collect_view()}
                                </ol>
                            }.erase(),
                            Some(Err(error)) => view! { <p class="form-error">{error.to_string()}</p> }.erase(),
                            None => ().erase(),
                        }
                    })}
                </Suspense>
            </div>
        </Show>
    }
}

/// Markdown shortcuts of multi-line fields.
mod shortcuts {
    use leptos::prelude::*;

    use super::Field;

    #[cfg(feature = "hydrate")]
    pub fn on_key(
        ev: &leptos::ev::KeyboardEvent,
        area: NodeRef<leptos::html::Textarea>,
        state: Field,
    ) {
        if !(ev.ctrl_key() || ev.meta_key()) || ev.alt_key() {
            return;
        }
        let Some(area) = area.get_untracked() else {
            return;
        };
        let (before, after) = match ev.key().to_lowercase().as_str() {
            "b" => ("**", "**"),
            "i" => ("_", "_"),
            "k" => ("[", "](https://)"),
            _ => return,
        };
        ev.prevent_default();
        let selected = selection(&area);
        replace_selection(&area, &format!("{before}{selected}{after}"), state);
    }

    #[cfg(feature = "hydrate")]
    pub fn on_paste(
        ev: &leptos::ev::ClipboardEvent,
        area: NodeRef<leptos::html::Textarea>,
        state: Field,
    ) {
        let Some(text) = ev
            .clipboard_data()
            .and_then(|data| data.get_data("text/plain").ok())
        else {
            return;
        };
        let text = text.trim().to_owned();
        let is_url = (text.starts_with("https://") || text.starts_with("http://"))
            && !text.chars().any(char::is_whitespace);
        let Some(area) = area.get_untracked() else {
            return;
        };
        if !is_url {
            return;
        }
        ev.prevent_default();
        let selected = selection(&area);
        let link = if selected.is_empty() {
            format!("<{text}>")
        } else {
            format!("[{selected}]({text})")
        };
        replace_selection(&area, &link, state);
    }

    /// The selected text. Selection offsets count UTF-16 units.
    #[cfg(feature = "hydrate")]
    fn selection(area: &leptos::web_sys::HtmlTextAreaElement) -> String {
        let units: Vec<u16> = area.value().encode_utf16().collect();
        let start = area.selection_start().ok().flatten().unwrap_or(0) as usize;
        let end = area.selection_end().ok().flatten().unwrap_or(0) as usize;
        String::from_utf16_lossy(
            &units[start.min(units.len())..end.min(units.len()).max(start.min(units.len()))],
        )
    }

    #[cfg(feature = "hydrate")]
    fn replace_selection(area: &leptos::web_sys::HtmlTextAreaElement, with: &str, state: Field) {
        let start = area.selection_start().ok().flatten().unwrap_or(0);
        let end = area.selection_end().ok().flatten().unwrap_or(0);
        let _ = area.set_range_text_with_start_and_end_and_mode(with, start, end, "end");
        state.edited(area.value());
    }

    #[cfg(not(feature = "hydrate"))]
    pub fn on_key(_: &leptos::ev::KeyboardEvent, _: NodeRef<leptos::html::Textarea>, _: Field) {}

    #[cfg(not(feature = "hydrate"))]
    pub fn on_paste(_: &leptos::ev::ClipboardEvent, _: NodeRef<leptos::html::Textarea>, _: Field) {}
}
