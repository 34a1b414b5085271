//! What every part of the editor shares (`EditorCtx`): the issue as last
//! loaded, who is here, the toast with its undo, and running a server
//! function with its error shown. Kept apart from the page, so the cards
//! and panels that use it do not depend on the page that contains them.

use leptos::prelude::*;

use super::presence::Presence;
use crate::{
    editor::{
        api::{load_issue, move_pick, restore_pick},
        IssueView,
    },
    error::AppError,
    i18n::td_string,
    lang,
    settings::Settings,
};

/// A message at the bottom of the editor, with an optional undo.
#[derive(Clone, Debug, PartialEq)]
pub struct Toast {
    pub message: String,
    /// The id `restore_pick` takes.
    pub undo: Option<i64>,
}

/// What every part of the editor shares.
#[derive(Clone, Copy)]
pub struct EditorCtx {
    pub number: i32,
    pub issue: RwSignal<IssueView>,
    pub settings: StoredValue<Settings>,
    pub me: StoredValue<String>,
    pub editable: bool,
    pub presence: Presence,
    pub toast: RwSignal<Option<Toast>>,
    pub error: RwSignal<Option<String>>,
    /// The pick being dragged.
    pub dragging: RwSignal<Option<i64>>,
    /// Focus this pick once the next reload is shown (keyboard moves).
    pub focus_after: StoredValue<Option<i64>>,
}

impl EditorCtx {
    pub fn reload(self) {
        leptos::task::spawn_local(async move {
            match load_issue(self.number).await {
                Ok(issue) => {
                    self.issue.set(issue);
                    if let Some(pick) = self.focus_after.get_value() {
                        self.focus_after.set_value(None);
                        focus_pick(pick);
                    }
                }
                Err(error) => self.error.set(Some(error.to_string())),
            }
        });
    }

    /// Runs a change; shows its error, reloads the issue either way.
    pub fn run<T: 'static>(
        self,
        change: impl std::future::Future<Output = Result<T, AppError>> + 'static,
        done: impl FnOnce(T) + 'static,
    ) {
        leptos::task::spawn_local(async move {
            match change.await {
                Ok(value) => {
                    self.error.set(None);
                    done(value);
                }
                Err(error) => self.error.set(Some(error.to_string())),
            }
            self.reload();
        });
    }

    pub fn move_pick(self, pick: i64, section: i64, index: i32) {
        self.focus_after.set_value(Some(pick));
        self.run(move_pick(pick, section, index), |_| ());
    }
}

#[cfg(feature = "hydrate")]
fn focus_pick(pick: i64) {
    request_animation_frame(move || {
        crate::layout::dom::focus_selector(&format!("[data-pick=\"{pick}\"]"));
    });
}

#[cfg(not(feature = "hydrate"))]
fn focus_pick(_: i64) {}

#[component]
pub fn ToastBar(ctx: EditorCtx) -> impl IntoView {
    move || {
        ctx.toast.get().map(|toast| {
            let undo = toast.undo.map(|removed| {
                view! {
                    <button type="button" class="secondary undo" on:click=move |_| {
                        ctx.toast.set(None);
                        ctx.run(restore_pick(removed), |_| ());
                    }>{tr!(editor.undo)}</button>
                }
            });
            view! {
                <div class="toast" role="status">
                    <span>{toast.message}</span>
                    {undo}
                    <button type="button" class="link-button" aria-label=td_string!(lang::current(), editor.dismiss)

                        on:click=move |_| ctx.toast.set(None)>"×"</button>
                </div>
            }
        })
    }
}
