//! The inbox list's controller: what the list holds and where the cursor
//! is, the selection, the pick form, loading more and live updates from
//! other members. Rows never move under the cursor: changed rows update
//! in place, arrivals wait behind an "N new — show" bar. The actions
//! (`actions.rs`) and the keyboard (`keys.rs`) are further `impl`s.

use std::collections::HashSet;

use leptos::prelude::*;

use crate::{
    error::AppError,
    inbox::{
        api::{inbox_items, load_inbox, mark_seen},
        CandidateState, InboxEvent, InboxItem, InboxQuery,
    },
    layout::dom::focus_element,
};

/// One step "u" can take back.
#[derive(Clone, Debug)]
pub(super) enum Undo {
    /// Candidates and the states they had before.
    States(Vec<(i64, CandidateState)>),
    /// A +1 (`true`) or its withdrawal on these candidates.
    Votes(Vec<i64>, bool),
}

/// The list's state, shared with its rows through the context.
#[derive(Clone, Copy)]
pub struct Triage {
    pub(super) items: RwSignal<Vec<InboxItem>>,
    pub(super) next: RwSignal<Option<String>>,
    pub(super) cursor: RwSignal<Option<usize>>,
    pub(super) selected: RwSignal<HashSet<i64>>,
    /// The last row toggled, for shift-click ranges.
    pub(super) anchor: RwSignal<Option<i64>>,
    pub(super) undo: RwSignal<Vec<Undo>>,
    pub(super) status: RwSignal<Option<String>>,
    pub(super) arrived: RwSignal<Vec<i64>>,
    pub(super) view: StoredValue<InboxQuery>,
    /// `/?<view>&` (or `/?`), the start of every row's "Pick…" link:
    /// built once, not per row.
    pub(super) pick_base: StoredValue<String>,
    pub(super) pick_open: RwSignal<Option<i64>>,
    /// A pick refused for a candidate: the message, and whether it asks
    /// for confirmation (already covered).
    pub(super) pick_refusal: RwSignal<Option<(i64, String, bool)>>,
    pub last_section: RwSignal<Option<i64>>,
    pub(super) help: RwSignal<bool>,
    /// The page's language, for the status line's messages (they are
    /// worded in tasks and event handlers, outside the reactive owner).
    pub(super) locale: crate::lang::Locale,
}

const LAST_SECTION_KEY: &str = "newsdesk.lastSection";

impl Triage {
    pub fn is_current(&self, id: i64) -> bool {
        self.cursor.get().and_then(|index| {
            self.items
                .with(|items| items.get(index).map(|item| item.id))
        }) == Some(id)
    }

    pub fn is_selected(&self, id: i64) -> bool {
        self.selected.with(|selected| selected.contains(&id))
    }

    pub fn pick_is_open(&self, id: i64) -> bool {
        self.pick_open.get() == Some(id)
    }

    pub fn pick_error(&self, id: i64) -> Option<String> {
        self.pick_refusal
            .get()
            .filter(|(refused, ..)| *refused == id)
            .map(|(_, message, _)| message)
    }

    pub fn pick_needs_confirm(&self, id: i64) -> bool {
        matches!(self.pick_refusal.get(), Some((refused, _, true)) if refused == id)
    }

    /// "Pick…" opens the row's pick form, or closes it again.
    pub fn toggle_pick(&self, id: i64) {
        let open = self.pick_open.get_untracked() == Some(id);
        self.pick_open.set((!open).then_some(id));
        if !open {
            focus_section_select(id);
        }
    }

    /// The link behind "Pick…": this view with the row's pick form open,
    /// for a browser without the wasm (yet).
    pub fn pick_href(&self, id: i64) -> String {
        self.pick_base
            .with_value(|base| format!("{base}pick={id}#c-{id}"))
    }

    /// The candidates an action applies to: the selection, else the
    /// current row.
    pub(super) fn targets(&self) -> Vec<i64> {
        let selected: Vec<i64> = self.selected.with(|s| {
            self.items.with(|items| {
                items
                    .iter()
                    .map(|i| i.id)
                    .filter(|id| s.contains(id))
                    .collect()
            })
        });
        if !selected.is_empty() {
            return selected;
        }
        self.current_item()
            .map(|item| vec![item.id])
            .unwrap_or_default()
    }

    pub(super) fn current_item(&self) -> Option<InboxItem> {
        let index = self.cursor.get_untracked()?;
        self.items.with_untracked(|items| items.get(index).cloned())
    }

    pub(super) fn report(&self, error: AppError) {
        self.status.set(Some(error.to_string()));
    }

    pub(super) fn say(&self, text: impl Into<String>) {
        self.status.set(Some(text.into()));
    }

    pub(super) fn update_items(&self, ids: &[i64], change: impl Fn(&mut InboxItem)) {
        self.items.update(|items| {
            for item in items.iter_mut().filter(|item| ids.contains(&item.id)) {
                change(item);
            }
        });
    }

    /// Replaces rows with their current server state (after live changes).
    pub(super) fn refresh_rows(&self, ids: Vec<i64>) {
        let visible: Vec<i64> = self.items.with_untracked(|items| {
            items
                .iter()
                .map(|item| item.id)
                .filter(|id| ids.contains(id))
                .collect()
        });
        if visible.is_empty() {
            return;
        }
        let this = *self;
        leptos::task::spawn_local(async move {
            match inbox_items(visible).await {
                Ok(fresh) => this.items.update(|items| {
                    for item in items.iter_mut() {
                        if let Some(new) = fresh.iter().find(|f| f.id == item.id) {
                            *item = new.clone();
                        }
                    }
                }),
                Err(error) => this.report(error),
            }
        });
    }

    /// Opening a candidate marks it seen.
    pub fn opened(&self, id: i64) {
        let was_new = self.items.with_untracked(|items| {
            items
                .iter()
                .any(|item| item.id == id && item.state == CandidateState::New)
        });
        if !was_new {
            return;
        }
        self.update_items(&[id], |item| item.state = CandidateState::Seen);
        let this = *self;
        leptos::task::spawn_local(async move {
            if let Err(error) = mark_seen(id).await {
                this.report(error);
            }
        });
    }

    pub(super) fn open_current(&self) {
        let Some(item) = self.current_item() else {
            return;
        };
        if let Some(url) = &item.url {
            let _ = window().open_with_url_and_target(url, "_blank");
            self.opened(item.id);
        }
    }

    pub fn toggle_select(&self, id: i64, extend: bool) {
        let anchor = self.anchor.get_untracked();
        let range: Vec<i64> = match (extend, anchor) {
            (true, Some(anchor)) => self.items.with_untracked(|items| {
                let position = |wanted| items.iter().position(|item| item.id == wanted);
                match (position(anchor), position(id)) {
                    (Some(a), Some(b)) => items[a.min(b)..=a.max(b)].iter().map(|i| i.id).collect(),
                    _ => vec![id],
                }
            }),
            _ => vec![id],
        };
        self.selected.update(|selected| {
            let select = extend || !selected.contains(&id);
            for id in range {
                if select {
                    selected.insert(id);
                } else {
                    selected.remove(&id);
                }
            }
        });
        self.anchor.set(Some(id));
    }

    pub(super) fn move_cursor(&self, by: isize) {
        let len = self.items.with_untracked(Vec::len);
        if len == 0 {
            return;
        }
        let next = match self.cursor.get_untracked() {
            None => 0,
            Some(index) => (index as isize + by).clamp(0, len as isize - 1) as usize,
        };
        self.cursor.set(Some(next));
        if let Some(id) = self
            .items
            .with_untracked(|items| items.get(next).map(|i| i.id))
        {
            focus_row(id);
        }
    }

    /// Appends the next page.
    pub(super) fn load_more(&self) {
        let Some(after) = self.next.get_untracked() else {
            return;
        };
        let this = *self;
        let view = InboxQuery {
            after: Some(after),
            ..self.view.get_value()
        };
        leptos::task::spawn_local(async move {
            match load_inbox(view.to_query_string()).await {
                Ok(page) => {
                    this.items.update(|items| {
                        let known: HashSet<i64> = items.iter().map(|i| i.id).collect();
                        items.extend(page.items.into_iter().filter(|i| !known.contains(&i.id)));
                    });
                    this.next.set(page.next);
                }
                Err(error) => this.report(error),
            }
        });
    }

    /// Shows what arrived: the view's first page afresh.
    pub(super) fn show_arrivals(&self) {
        let this = *self;
        let view = self.view.get_value().first_page();
        leptos::task::spawn_local(async move {
            match load_inbox(view.to_query_string()).await {
                Ok(page) => {
                    this.items.set(page.items);
                    this.next.set(page.next);
                    this.arrived.set(Vec::new());
                    this.cursor.set(None);
                }
                Err(error) => this.report(error),
            }
        });
    }

    /// What another member (or the poller) did, pushed by the server.
    pub fn on_event(&self, event: InboxEvent) {
        match event {
            InboxEvent::Arrived { ids } => self.arrived.update(|arrived| {
                for id in ids {
                    if !arrived.contains(&id) {
                        arrived.push(id);
                    }
                }
            }),
            InboxEvent::Changed { ids } => self.refresh_rows(ids),
            InboxEvent::Resync => self.resync(),
        }
    }

    /// After a reconnect, events may have been missed: reload the rows shown.
    pub fn resync(&self) {
        let ids = self
            .items
            .with_untracked(|items| items.iter().map(|i| i.id).collect());
        self.refresh_rows(ids);
    }
}

pub(super) fn focus_row(id: i64) {
    focus_element(&format!("c-{id}"));
}

pub(super) fn focus_section_select(id: i64) {
    // The <details> opens on the next render; focus after it.
    request_animation_frame(move || focus_element(&format!("section-{id}")));
}

pub(super) fn remembered_section() -> Option<i64> {
    window()
        .local_storage()
        .ok()
        .flatten()?
        .get_item(LAST_SECTION_KEY)
        .ok()
        .flatten()?
        .parse()
        .ok()
}

pub(super) fn remember_section(section: i64) {
    if let Ok(Some(storage)) = window().local_storage() {
        let _ = storage.set_item(LAST_SECTION_KEY, &section.to_string());
    }
}
