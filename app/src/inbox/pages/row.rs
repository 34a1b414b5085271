//! One candidate in the inbox: title (opens in a new tab), sources, time,
//! excerpt, categories and tags, the team's signals, and its actions.
//! +1 and Dismiss are one small form posting to the server functions, so
//! they work before (and without) the wasm; "Pick…" is a link that opens
//! the row's pick form (`?pick=ID`), which the page renders only for that
//! row. Once hydrated, `Triage` handles all of them in place. A page shows
//! fifty rows, so each row is kept lean: buttons take their accessible
//! names from their own text and the title (`aria-labelledby`) instead of
//! repeating the title in every label. Its views keep their types (no
//! `into_any`): erasing a view's type copies each of its attributes into
//! an allocation, which showed in the inbox's profile.

use std::sync::Arc;

use leptos::{either::Either, ev::SubmitEvent, prelude::*};

use super::triage::Triage;
use crate::{
    i18n::td_string,
    inbox::{CandidateState, InboxItem, SectionChoice},
    lang::{self, Locale},
    layout::parts::Time,
};

#[component]
pub fn Row(item: InboxItem, sections: Arc<[SectionChoice]>) -> impl IntoView {
    let triage = expect_context::<Triage>();
    let locale = triage.locale;
    let id = item.id;
    let current = move || triage.is_current(id);
    let selected = move || triage.is_selected(id);
    let title_id = format!("t-{id}");
    // "<own id> t-<id>": the control's text, then the title.
    let named = |prefix: &str| (format!("{prefix}{id}"), format!("{prefix}{id} t-{id}"));
    let sources = item
        .sources
        .iter()
        .map(|source| source.feed_title.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let state = item.state;
    let voted = item.voted_by_me;
    let dismissed = state == CandidateState::Dismissed;
    let on_open = move |_| triage.opened(id);
    let on_vote = move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        triage.vote(vec![id], !voted);
    };
    let on_state = move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        let next = if dismissed {
            CandidateState::Seen
        } else {
            CandidateState::Dismissed
        };
        triage.set_state(vec![id], next);
    };
    let on_pick_link = move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        triage.toggle_pick(id);
    };
    let on_select = move |ev: leptos::ev::MouseEvent| triage.toggle_select(id, ev.shift_key());
    let signals = signals(&item, locale);
    let tags: Vec<String> = item
        .categories
        .iter()
        .chain(item.tags.iter())
        .cloned()
        .collect();
    let can_pick = item.url.is_some() && item.pickable_again();
    let (select_id, select_names) = named("s");
    let (vote_id, vote_names) = named("v");
    let (state_id, state_names) = named("d");
    let (pick_id, pick_names) = named("p");
    let title = match item.url {
        Some(link) => Either::Left(view! {
            <a id=title_id href=link target="_blank" rel="noopener noreferrer" on:click=on_open>{item.title}</a>
        }),
        None => Either::Right(view! { <span id=title_id>{item.title}</span> }),
    };

    view! {
        <article
            id=format!("c-{id}")
            class="candidate"
            class:current=current
            class:selected=selected
            class:dismissed=dismissed
            class:picked=item.picked.is_some()
            tabindex="-1"
            aria-labelledby=format!("t-{id}")
            aria-current=move || current().then_some("true")
            data-id=id
        >
            <input type="checkbox" class="select" id=select_id aria-label=td_string!(locale, inbox.select)
                aria-labelledby=select_names prop:checked=selected on:click=on_select />
            <div class="body">
                <h2 class="candidate-title">{title}</h2>
                <p class="meta">
                    <span class="sources">{sources}</span>
                    {item.added_by.map(|name| view! { <span>{lang::fill(td_string!(locale, inbox.added_by), &[("name", &name)])}</span> })}
                    " · " <Time at=Some(item.published_at) />
                    " · " <span class=format!("state state-{}", state.as_str())>{state_label(state, locale)}</span>
                </p>
                {(!item.excerpt.is_empty()).then(|| view! { <p class="excerpt">{item.excerpt}</p> })}
                {(!tags.is_empty()).then(|| view! {
                    <ul class="chips" aria-label=td_string!(locale, inbox.tags_label)>
                        {tags.into_iter().map(|tag| view! { <li>{tag}</li> }).collect_view()}
                    </ul>
                })}
                {(!signals.is_empty()).then(|| view! {
                    <ul class="signals">
                        {signals.into_iter().map(|(class, text)| view! { <li class=class>{text}</li> }).collect_view()}
                    </ul>
                })}
            </div>
            // One form, two actions: the button pressed says where it goes.
            <form class="actions" method="post" action="/api/set_state">
                <input type="hidden" name="ids[0]" value=id />
                <button type="submit" formaction="/api/vote" name="on" value=(!voted).to_string()
                    class="secondary" id=vote_id aria-labelledby=vote_names
                    aria-pressed=voted.to_string() on:click=on_vote>
                    {if voted { "+1 ✓" } else { "+1" }}
                </button>
                <button type="submit" name="state" value=if dismissed { "seen" } else { "dismissed" }
                    class="secondary" id=state_id aria-labelledby=state_names
                    disabled=item.picked.is_some() on:click=on_state>
                    {if dismissed { td_string!(locale, inbox.restore) } else { td_string!(locale, inbox.dismiss) }}
                </button>
                {can_pick.then(|| view! {
                    <a class="button secondary" href=triage.pick_href(id) id=pick_id aria-labelledby=pick_names
                        aria-expanded=move || triage.pick_is_open(id).to_string() on:click=on_pick_link>
                        {tr!(inbox.pick_link)}
                    </a>
                })}
            </form>
            {can_pick.then_some(move || {
                triage.pick_is_open(id).then(|| view! { <PickForm id sections=sections.clone() /> })
            })}
        </article>
    }
}

/// Which section of the draft a candidate goes into; rendered only for
/// the row being picked.
#[component]
fn PickForm(id: i64, sections: Arc<[SectionChoice]>) -> impl IntoView {
    let triage = expect_context::<Triage>();
    let locale = triage.locale;
    let on_pick = move |ev: SubmitEvent| {
        ev.prevent_default();
        triage.pick_from_form(id, &ev);
    };
    let needs_confirm = move || triage.pick_needs_confirm(id);
    let last_section = triage.last_section;
    view! {
        <form class="pick-form" method="post" action="/api/pick" on:submit=on_pick>
            <input type="hidden" name="candidate_id" value=id />
            <label for=format!("section-{id}")>{tr!(inbox.section)}</label>
            // Enter in a select does not submit its form by itself.
            <select id=format!("section-{id}") name="section_id" on:keydown=move |ev| {
                if ev.key() == "Enter" {
                    ev.prevent_default();
                    triage.pick_from_select(id, &ev);
                }
            }>
                {sections.iter().cloned().map(|section| {
                    let section_id = section.id;
                    view! {
                        <option value=section_id selected=move || last_section.get() == Some(section_id)>
                            {section.title}
                        </option>
                    }
                }).collect_view()}
            </select>
            <Show when=needs_confirm>
                <input type="hidden" name="confirm" value="1" />
            </Show>
            <button type="submit">{move || if needs_confirm() { td_string!(locale, inbox.pick_anyway) } else { td_string!(locale, inbox.pick) }}</button>
            <p class="field-error" role="alert">{move || triage.pick_error(id)}</p>
        </form>
    }
}

/// A candidate's state, as the row shows it.
fn state_label(state: CandidateState, locale: Locale) -> &'static str {
    match state {
        CandidateState::New => td_string!(locale, inbox.state_new),
        CandidateState::Seen => td_string!(locale, inbox.state_seen),
        CandidateState::Dismissed => td_string!(locale, inbox.state_dismissed),
        CandidateState::Picked => td_string!(locale, inbox.state_picked),
    }
}

/// The team's signals of a candidate, as `(css class, text)`.
fn signals(item: &InboxItem, locale: Locale) -> Vec<(&'static str, String)> {
    let mut signals = Vec::new();
    if !item.voters.is_empty() {
        signals.push((
            "votes",
            lang::fill(
                td_string!(locale, inbox.signal_votes),
                &[
                    ("count", &item.voters.len().to_string()),
                    ("names", &item.voters.join(", ")),
                ],
            ),
        ));
    }
    if let Some(picked) = &item.picked {
        let number = picked.issue_number.to_string();
        let text = match &picked.by {
            Some(by) => lang::fill(
                td_string!(locale, inbox.signal_picked_by),
                &[
                    ("number", &number),
                    ("section", &picked.section),
                    ("by", by),
                ],
            ),
            None => lang::fill(
                td_string!(locale, inbox.signal_picked),
                &[("number", &number), ("section", &picked.section)],
            ),
        };
        signals.push(("picked", text));
    }
    if let Some(covered) = &item.covered {
        signals.push((
            "covered",
            lang::fill(
                td_string!(locale, inbox.signal_covered),
                &[
                    ("number", &covered.issue_number.to_string()),
                    ("date", &covered.issue_date.to_string()),
                ],
            ),
        ));
    }
    if let Some(similar) = &item.similar {
        signals.push((
            "similar",
            lang::fill(
                td_string!(locale, inbox.signal_similar),
                &[("title", &similar.title)],
            ),
        ));
    }
    signals
}
