//! The inbox list and everything that happens in it: the keyboard, bulk
//! selection, actions with undo, "load more", the pick form, and live
//! updates from other members. Rows never move under the cursor: changed
//! rows update in place, arrivals wait behind an "N new — show" bar.

use std::collections::HashSet;

use leptos::{ev::SubmitEvent, prelude::*};
use leptos_router::hooks::use_query_map;

use super::{row::Row, shortcuts::ShortcutSheet};
use crate::{
    error::AppError,
    inbox::{
        api::{dismiss_older, inbox_items, load_inbox, mark_seen, pick, set_state, vote},
        CandidateState, DraftInfo, InboxEvent, InboxItem, InboxPage, InboxQuery, PickInfo,
    },
    layout::LiveEvents,
};

/// One step "u" can take back.
#[derive(Clone, Debug)]
enum Undo {
    /// Candidates and the states they had before.
    States(Vec<(i64, CandidateState)>),
    /// A +1 (`true`) or its withdrawal on these candidates.
    Votes(Vec<i64>, bool),
}

/// The list's state, shared with its rows through the context.
#[derive(Clone, Copy)]
pub struct Triage {
    items: RwSignal<Vec<InboxItem>>,
    next: RwSignal<Option<String>>,
    cursor: RwSignal<Option<usize>>,
    selected: RwSignal<HashSet<i64>>,
    /// The last row toggled, for shift-click ranges.
    anchor: RwSignal<Option<i64>>,
    undo: RwSignal<Vec<Undo>>,
    status: RwSignal<Option<String>>,
    arrived: RwSignal<Vec<i64>>,
    view: StoredValue<InboxQuery>,
    /// `/?<view>&` (or `/?`), the start of every row's "Pick…" link:
    /// built once, not per row.
    pick_base: StoredValue<String>,
    pick_open: RwSignal<Option<i64>>,
    /// A pick refused for a candidate: the message, and whether it asks
    /// for confirmation (already covered).
    pick_refusal: RwSignal<Option<(i64, String, bool)>>,
    pub last_section: RwSignal<Option<i64>>,
    help: RwSignal<bool>,
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
    fn targets(&self) -> Vec<i64> {
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

    fn current_item(&self) -> Option<InboxItem> {
        let index = self.cursor.get_untracked()?;
        self.items.with_untracked(|items| items.get(index).cloned())
    }

    fn report(&self, error: AppError) {
        self.status.set(Some(error.to_string()));
    }

    fn say(&self, text: impl Into<String>) {
        self.status.set(Some(text.into()));
    }

    fn update_items(&self, ids: &[i64], change: impl Fn(&mut InboxItem)) {
        self.items.update(|items| {
            for item in items.iter_mut().filter(|item| ids.contains(&item.id)) {
                change(item);
            }
        });
    }

    /// Replaces rows with their current server state (after live changes).
    fn refresh_rows(&self, ids: Vec<i64>) {
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

    pub fn set_state(&self, ids: Vec<i64>, state: CandidateState) {
        if ids.is_empty() {
            return;
        }
        let this = *self;
        this.update_items(&ids, |item| {
            if item.picked.is_none() {
                item.state = state;
            }
        });
        leptos::task::spawn_local(async move {
            match set_state(ids.clone(), state.as_str().to_owned()).await {
                Ok(previous) if !previous.is_empty() => {
                    let count = previous.len();
                    this.undo.update(|undo| undo.push(Undo::States(previous)));
                    this.say(format!(
                        "{} {}. Press u to undo.",
                        plural(count),
                        state.as_str()
                    ));
                }
                Ok(_) => {}
                Err(error) => {
                    this.refresh_rows(ids);
                    this.report(error);
                }
            }
        });
    }

    pub fn vote(&self, ids: Vec<i64>, on: bool) {
        if ids.is_empty() {
            return;
        }
        let this = *self;
        this.update_items(&ids, |item| item.voted_by_me = on);
        leptos::task::spawn_local(async move {
            match vote(ids.clone(), on).await {
                Ok(changed) => {
                    if !changed.is_empty() {
                        this.undo
                            .update(|undo| undo.push(Undo::Votes(changed.clone(), on)));
                    }
                    this.refresh_rows(ids);
                }
                Err(error) => {
                    this.refresh_rows(ids);
                    this.report(error);
                }
            }
        });
    }

    fn undo_last(&self) {
        let Some(step) = self.undo.try_update(|undo| undo.pop()).flatten() else {
            self.say("Nothing to undo.");
            return;
        };
        let this = *self;
        leptos::task::spawn_local(async move {
            let result = match step {
                Undo::States(previous) => {
                    let mut result = Ok(());
                    for state in [
                        CandidateState::New,
                        CandidateState::Seen,
                        CandidateState::Dismissed,
                    ] {
                        let ids: Vec<i64> = previous
                            .iter()
                            .filter(|(_, was)| *was == state)
                            .map(|(id, _)| *id)
                            .collect();
                        if ids.is_empty() {
                            continue;
                        }
                        this.update_items(&ids, |item| item.state = state);
                        if let Err(error) = set_state(ids, state.as_str().to_owned()).await {
                            result = Err(error);
                        }
                    }
                    result
                }
                Undo::Votes(ids, on) => {
                    this.update_items(&ids, |item| item.voted_by_me = !on);
                    let result = vote(ids.clone(), !on).await.map(|_| ());
                    this.refresh_rows(ids);
                    result
                }
            };
            match result {
                Ok(()) => this.say("Undone."),
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

    fn open_current(&self) {
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

    pub fn pick_from_form(&self, id: i64, ev: &SubmitEvent) {
        let Some(form) = ev.target() else { return };
        let section = form_value(&form, "section_id").and_then(|v| v.parse::<i64>().ok());
        let confirm = self.pick_needs_confirm(id);
        if let Some(section) = section {
            self.pick(id, section, confirm);
        }
    }

    pub fn pick_from_select(&self, id: i64, ev: &leptos::ev::KeyboardEvent) {
        use leptos::wasm_bindgen::JsCast;
        let section = ev
            .target()
            .and_then(|target| target.dyn_into::<leptos::web_sys::HtmlSelectElement>().ok())
            .and_then(|select| select.value().parse::<i64>().ok());
        if let Some(section) = section {
            self.pick(id, section, self.pick_needs_confirm(id));
        }
    }

    fn pick(&self, id: i64, section_id: i64, confirm: bool) {
        let this = *self;
        this.last_section.set(Some(section_id));
        remember_section(section_id);
        leptos::task::spawn_local(async move {
            match pick(id, section_id, confirm.then(|| "1".to_owned())).await {
                Ok(issue_number) => {
                    this.pick_refusal.set(None);
                    this.pick_open.set(None);
                    this.update_items(&[id], |item| {
                        item.state = CandidateState::Picked;
                        item.picked = Some(PickInfo {
                            issue_number,
                            section: String::new(),
                            by: None,
                        });
                    });
                    this.say(format!("Picked into #{issue_number}."));
                    this.refresh_rows(vec![id]);
                }
                Err(AppError::Invalid { field, message }) => {
                    this.pick_refusal
                        .set(Some((id, message, field == "covered")));
                }
                Err(error) => this.report(error),
            }
        });
    }

    fn dismiss_older_than_current(&self) {
        let Some(item) = self.current_item() else {
            return;
        };
        let this = *self;
        let view = self.view.get_value().to_query_string();
        leptos::task::spawn_local(async move {
            match dismiss_older(view, item.id).await {
                Ok(previous) => {
                    let ids: Vec<i64> = previous.iter().map(|(id, _)| *id).collect();
                    this.update_items(&ids, |item| item.state = CandidateState::Dismissed);
                    let count = previous.len();
                    if count > 0 {
                        this.undo.update(|undo| undo.push(Undo::States(previous)));
                    }
                    this.say(format!("{} dismissed. Press u to undo.", plural(count)));
                }
                Err(error) => this.report(error),
            }
        });
    }

    fn move_cursor(&self, by: isize) {
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
    fn load_more(&self) {
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
    fn show_arrivals(&self) {
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

    fn on_key(&self, ev: &leptos::ev::KeyboardEvent) {
        if ev.ctrl_key() || ev.meta_key() || ev.alt_key() || typing_in_a_field(ev) {
            if ev.key() == "Escape" {
                // Leave the field, back to the list.
                self.pick_open.set(None);
                self.help.set(false);
                match self.current_item() {
                    Some(item) => focus_row(item.id),
                    None => blur_active_element(),
                }
            }
            return;
        }
        let handled = match ev.key().as_str() {
            "j" | "ArrowDown" => {
                self.move_cursor(1);
                true
            }
            "k" | "ArrowUp" => {
                self.move_cursor(-1);
                true
            }
            "o" | "Enter" => {
                self.open_current();
                true
            }
            "p" => {
                if let Some(item) = self.current_item() {
                    self.pick_open.set(Some(item.id));
                    focus_section_select(item.id);
                }
                true
            }
            "d" => {
                self.set_state(self.targets(), CandidateState::Dismissed);
                self.selected.set(HashSet::new());
                true
            }
            "D" => {
                self.dismiss_older_than_current();
                true
            }
            "u" => {
                self.undo_last();
                true
            }
            "+" => {
                let targets = self.targets();
                let on = !self.items.with_untracked(|items| {
                    items
                        .iter()
                        .filter(|item| targets.contains(&item.id))
                        .all(|item| item.voted_by_me)
                });
                self.vote(targets, on);
                true
            }
            "x" => {
                if let Some(item) = self.current_item() {
                    self.toggle_select(item.id, ev.shift_key());
                }
                true
            }
            "/" => {
                focus_element("inbox-search");
                true
            }
            "?" => {
                self.help.update(|help| *help = !*help);
                true
            }
            "Escape" => {
                self.pick_open.set(None);
                self.help.set(false);
                self.selected.set(HashSet::new());
                true
            }
            _ => false,
        };
        if handled {
            ev.prevent_default();
        }
    }
}

#[component]
pub fn InboxList(page: InboxPage, view: InboxQuery, draft: DraftInfo) -> impl IntoView {
    // `?pick=ID`: the row whose pick form is open (the "Pick…" link).
    let requested_pick = use_query_map()
        .with_untracked(|params| params.get("pick").and_then(|id| id.parse::<i64>().ok()));
    let triage = Triage {
        items: RwSignal::new(page.items),
        next: RwSignal::new(page.next),
        cursor: RwSignal::new(None),
        selected: RwSignal::new(HashSet::new()),
        anchor: RwSignal::new(None),
        undo: RwSignal::new(Vec::new()),
        status: RwSignal::new(None),
        arrived: RwSignal::new(Vec::new()),
        view: StoredValue::new(view.clone()),
        pick_base: StoredValue::new(match view.to_query_string() {
            query if query.is_empty() => "/?".to_owned(),
            query => format!("/?{query}&"),
        }),
        pick_open: RwSignal::new(requested_pick),
        pick_refusal: RwSignal::new(None),
        last_section: RwSignal::new(draft.sections.first().map(|section| section.id)),
        help: RwSignal::new(false),
    };
    provide_context(triage);
    // Browser-only state is read after hydration, so the server's HTML and
    // the first client render agree.
    Effect::new(move |_| {
        if let Some(section) = remembered_section() {
            triage.last_section.set(Some(section));
        }
    });
    let keys = window_event_listener(leptos::ev::keydown, move |ev| triage.on_key(&ev));
    on_cleanup(move || keys.remove());

    // Shared by every row; only the row being picked reads it.
    let sections: std::sync::Arc<[_]> = draft.sections.clone().into();
    let more_href = move || {
        triage.next.get().map(|after| {
            let next = InboxQuery {
                after: Some(after),
                ..view.clone()
            };
            format!("/?{}", next.to_query_string())
        })
    };
    let selected_count = move || triage.selected.with(HashSet::len);
    let arrived = move || triage.arrived.with(Vec::len);

    view! {
        <LiveEvents path="/api/v1/inbox/events".to_owned() on_event=move |data: String| {
            if let Ok(event) = serde_json::from_str::<InboxEvent>(&data) { triage.on_event(event) }
        } on_reconnect=move || triage.resync() />
        <p class="draft-hint">
            "Picks go into the draft #" {draft.issue_number} " (" {draft.issue_date.to_string()} ")."
        </p>
        <Show when=move || { arrived() > 0 }>
            <div class="arrivals" role="status">
                <button type="button" class="secondary" on:click=move |_| triage.show_arrivals()>
                    {move || format!("{} new — show", arrived())}
                </button>
            </div>
        </Show>
        <Show when=move || { selected_count() > 0 }>
            <div class="bulk-bar" role="toolbar" aria-label="Selected candidates">
                <span>{move || format!("{} selected", selected_count())}</span>
                <button type="button" class="secondary" on:click=move |_| {
                    triage.set_state(triage.targets(), CandidateState::Dismissed);
                    triage.selected.set(HashSet::new());
                }>"Dismiss selected"</button>
                <button type="button" class="secondary" on:click=move |_| triage.vote(triage.targets(), true)>"+1 selected"</button>
                <button type="button" class="secondary" on:click=move |_| triage.selected.set(HashSet::new())>"Clear selection"</button>
            </div>
        </Show>
        <p class="form-status" role="status" aria-live="polite">{move || triage.status.get()}</p>
        <Show
            when=move || triage.items.with(|items| !items.is_empty())
            fallback=|| view! { <p class="muted empty">"Nothing here. New articles appear as feeds are polled."</p> }
        >
            <div class="candidates" role="list">
                <For
                    each=move || triage.items.get()
                    key=row_key
                    children={
                        let sections = sections.clone();
                        move |item| view! { <div role="listitem"><Row item sections=sections.clone() /></div> }
                    }
                />
            </div>
        </Show>
        {move || more_href().map(|href| view! {
            <p class="load-more">
                <a class="button secondary" href=href on:click=move |ev| {
                    ev.prevent_default();
                    triage.load_more();
                }>"Load more"</a>
            </p>
        })}
        <p class="dismiss-older">
            <button type="button" class="link-button" on:click=move |_| triage.dismiss_older_than_current()
                disabled=move || triage.cursor.get().is_none()>
                "Dismiss everything older than the current article"
            </button>
        </p>
        <ShortcutSheet open=triage.help />
    }
}

/// A row is keyed by everything it shows, so any change another member
/// (or a feed) makes to it (title, excerpt, sources, "covered in",
/// near-duplicates, +1s, state, the section it was picked into) renders
/// that row again, and only that row.
fn row_key(item: &InboxItem) -> InboxItem {
    item.clone()
}

fn plural(count: usize) -> String {
    if count == 1 {
        "1 candidate".to_owned()
    } else {
        format!("{count} candidates")
    }
}

fn typing_in_a_field(ev: &leptos::ev::KeyboardEvent) -> bool {
    use leptos::wasm_bindgen::JsCast;
    ev.target()
        .and_then(|target| target.dyn_into::<leptos::web_sys::Element>().ok())
        .is_some_and(|element| {
            matches!(element.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
                || element.has_attribute("contenteditable")
        })
}

fn focus_element(id: &str) {
    use leptos::wasm_bindgen::JsCast;
    if let Some(element) = document()
        .get_element_by_id(id)
        .and_then(|element| element.dyn_into::<leptos::web_sys::HtmlElement>().ok())
    {
        let _ = element.focus();
    }
}

fn blur_active_element() {
    use leptos::wasm_bindgen::JsCast;
    if let Some(element) = document()
        .active_element()
        .and_then(|element| element.dyn_into::<leptos::web_sys::HtmlElement>().ok())
    {
        let _ = element.blur();
    }
}

fn focus_row(id: i64) {
    focus_element(&format!("c-{id}"));
}

fn focus_section_select(id: i64) {
    // The <details> opens on the next render; focus after it.
    request_animation_frame(move || focus_element(&format!("section-{id}")));
}

fn form_value(form: &leptos::web_sys::EventTarget, name: &str) -> Option<String> {
    use leptos::wasm_bindgen::JsCast;
    let form = form.dyn_ref::<leptos::web_sys::Element>()?;
    let field = form.query_selector(&format!("[name={name}]")).ok()??;
    if let Some(select) = field.dyn_ref::<leptos::web_sys::HtmlSelectElement>() {
        return Some(select.value());
    }
    field
        .dyn_ref::<leptos::web_sys::HtmlInputElement>()
        .map(|input| input.value())
}

fn remembered_section() -> Option<i64> {
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

fn remember_section(section: i64) {
    if let Ok(Some(storage)) = window().local_storage() {
        let _ = storage.set_item(LAST_SECTION_KEY, &section.to_string());
    }
}
