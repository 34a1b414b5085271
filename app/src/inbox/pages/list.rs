//! The inbox list: the bars above it (arrivals, bulk actions, status), its
//! rows, "load more" and the shortcut sheet. Its state and behaviour are
//! `Triage` (`triage.rs`).

use std::collections::HashSet;

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::{
    row::Row,
    shortcuts::ShortcutSheet,
    triage::{remembered_section, Triage},
};
use crate::{
    i18n::td_string,
    inbox::{CandidateState, DraftInfo, InboxEvent, InboxItem, InboxPage, InboxQuery},
    lang,
    layout::LiveEvents,
};

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
        locale: lang::current(),
    };
    let locale = triage.locale;
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
            {lang::fill(
                td_string!(locale, inbox.draft_hint),
                &[("number", &draft.issue_number.to_string()), ("date", &draft.issue_date.to_string())],
            )}
        </p>
        <Show when=move || { arrived() > 0 }>
            <div class="arrivals" role="status">
                <button type="button" class="secondary" on:click=move |_| triage.show_arrivals()>
                    {move || lang::fill(td_string!(locale, inbox.arrivals), &[("count", &arrived().to_string())])}
                </button>
            </div>
        </Show>
        <Show when=move || { selected_count() > 0 }>
            <div class="bulk-bar" role="toolbar" aria-label=td_string!(locale, inbox.bulk_label)>
                <span>{move || lang::fill(td_string!(locale, inbox.selected_count), &[("count", &selected_count().to_string())])}</span>
                <button type="button" class="secondary" on:click=move |_| {
                    triage.set_state(triage.targets(), CandidateState::Dismissed);
                    triage.selected.set(HashSet::new());
                }>{tr!(inbox.dismiss_selected)}</button>
                <button type="button" class="secondary" on:click=move |_| triage.vote(triage.targets(), true)>{tr!(inbox.vote_selected)}</button>
                <button type="button" class="secondary" on:click=move |_| triage.selected.set(HashSet::new())>{tr!(inbox.clear_selection)}</button>
            </div>
        </Show>
        <p class="form-status" role="status" aria-live="polite">{move || triage.status.get()}</p>
        <Show
            when=move || triage.items.with(|items| !items.is_empty())
            fallback=move || view! { <p class="muted empty">{tr!(inbox.empty)}</p> }
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
                }>{tr!(inbox.load_more)}</a>
            </p>
        })}
        <p class="dismiss-older">
            <button type="button" class="link-button" on:click=move |_| triage.dismiss_older_than_current()
                disabled=move || triage.cursor.get().is_none()>
                {tr!(inbox.dismiss_older)}
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
