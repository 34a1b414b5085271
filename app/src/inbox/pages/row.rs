//! One candidate in the inbox: title (opens in a new tab), sources, time,
//! excerpt, categories and tags, the team's signals, and its actions. The
//! action buttons are forms posting to the server functions, so they work
//! before hydration; once hydrated, `Triage` handles them in place.

use leptos::{ev::SubmitEvent, prelude::*};

use super::list::Triage;
use crate::{
    inbox::{CandidateState, InboxItem, SectionChoice},
    layout::parts::Time,
};

#[component]
pub fn Row(item: InboxItem, sections: Vec<SectionChoice>) -> impl IntoView {
    let triage = expect_context::<Triage>();
    let id = item.id;
    let current = move || triage.is_current(id);
    let selected = move || triage.is_selected(id);
    let title = item.title.clone();
    let sources = item
        .sources
        .iter()
        .map(|source| source.feed_title.clone())
        .collect::<Vec<_>>()
        .join(", ");
    let state = item.state;
    let voted = item.voted_by_me;
    let dismissed = state == CandidateState::Dismissed;
    let link = item.url.clone().unwrap_or_default();
    let on_open = move |_| triage.opened(id);
    let vote_label = if voted { "Take back +1" } else { "+1" };
    let on_vote = move |ev: SubmitEvent| {
        ev.prevent_default();
        triage.vote(vec![id], !voted);
    };
    let on_state = move |ev: SubmitEvent| {
        ev.prevent_default();
        let next = if dismissed {
            CandidateState::Seen
        } else {
            CandidateState::Dismissed
        };
        triage.set_state(vec![id], next);
    };
    let on_pick = move |ev: SubmitEvent| {
        ev.prevent_default();
        triage.pick_from_form(id, &ev);
    };
    let on_select = move |ev: leptos::ev::MouseEvent| triage.toggle_select(id, ev.shift_key());
    let signals = signals(&item);
    let tags: Vec<String> = item
        .categories
        .iter()
        .chain(item.tags.iter())
        .cloned()
        .collect();
    let pick_error = move || triage.pick_error(id);
    let needs_confirm = move || triage.pick_needs_confirm(id);
    let pick_open = move || triage.pick_is_open(id);
    let last_section = triage.last_section;
    let can_pick = item.picked.is_none() && item.url.is_some();

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
            data-id=id.to_string()
        >
            <div class="select">
                <input
                    type="checkbox"
                    aria-label=format!("Select “{title}”")
                    prop:checked=selected
                    on:click=on_select
                />
            </div>
            {view! {
            <div class="body">
                <h2 class="candidate-title">
                    {if link.is_empty() {
                        view! { <span id=format!("t-{id}")>{item.title.clone()}</span> }.into_any()
                    } else {
                        view! {
                            <a id=format!("t-{id}") href=link.clone() target="_blank" rel="noopener noreferrer" on:click=on_open>
                                {item.title.clone()}
                            </a>
                        }
                        .into_any()
                    }}
                </h2>
                <p class="meta">
                    <span class="sources">{sources}</span>
                    {item.added_by.clone().map(|name| view! { <span>" · added by " {name}</span> })}
                    " · " <Time at=Some(item.published_at) />
                    " · " <span class=format!("state state-{}", state.as_str())>{state.as_str()}</span>
                </p>
                {(!item.excerpt.is_empty()).then(|| view! { <p class="excerpt">{item.excerpt.clone()}</p> })}
                {(!tags.is_empty()).then(|| view! {
                    <ul class="chips" aria-label="Categories and tags">
                        {tags.into_iter().map(|tag| view! { <li>{tag}</li> }).collect_view()}
                    </ul>
                })}
                {(!signals.is_empty()).then(|| view! {
                    <ul class="signals">
                        {signals.into_iter().map(|(class, text)| view! { <li class=class>{text}</li> }).collect_view()}
                    </ul>
                })}
            </div>
            }.into_any()}
            {view! {
            <div class="actions">
                <form method="post" action="/api/vote" on:submit=on_vote>
                    <input type="hidden" name="ids[0]" value=id.to_string() />
                    <input type="hidden" name="on" value=(!voted).to_string() />
                    <button type="submit" class="secondary" aria-pressed=voted.to_string()
                        aria-label=format!("{vote_label}: {title}")>
                        {if voted { "+1 ✓" } else { "+1" }}
                    </button>
                </form>
                <form method="post" action="/api/set_state" on:submit=on_state>
                    <input type="hidden" name="ids[0]" value=id.to_string() />
                    <input type="hidden" name="state" value=if dismissed { "seen" } else { "dismissed" } />
                    <button type="submit" class="secondary" disabled=item.picked.is_some()
                        aria-label=format!("{}: {title}", if dismissed { "Restore" } else { "Dismiss" })>
                        {if dismissed { "Restore" } else { "Dismiss" }}
                    </button>
                </form>
                {can_pick.then(|| view! {
                    <details class="pick" prop:open=pick_open on:toggle=move |_| triage.pick_toggled(id)>
                        <summary aria-label=format!("Pick: {title}")>"Pick…"</summary>
                        <form method="post" action="/api/pick" on:submit=on_pick>
                            <input type="hidden" name="candidate_id" value=id.to_string() />
                            <label for=format!("section-{id}")>"Section"</label>
                            // Enter in a select does not submit its form by itself.
                            <select id=format!("section-{id}") name="section_id" on:keydown=move |ev| {
                                if ev.key() == "Enter" {
                                    ev.prevent_default();
                                    triage.pick_from_select(id, &ev);
                                }
                            }>
                                {sections.iter().map(|section| {
                                    let section_id = section.id;
                                    view! {
                                        <option value=section_id.to_string()
                                            selected=move || last_section.get() == Some(section_id)>
                                            {section.title.clone()}
                                        </option>
                                    }
                                }).collect_view()}
                            </select>
                            <Show when=needs_confirm>
                                <input type="hidden" name="confirm" value="1" />
                            </Show>
                            <button type="submit">{move || if needs_confirm() { "Pick anyway" } else { "Pick" }}</button>
                            <p class="field-error" role="alert">{pick_error}</p>
                        </form>
                    </details>
                })}
            </div>
            }.into_any()}
        </article>
    }
    .into_any()
}

/// The team's signals of a candidate, as `(css class, text)`.
fn signals(item: &InboxItem) -> Vec<(&'static str, String)> {
    let mut signals = Vec::new();
    if !item.voters.is_empty() {
        signals.push((
            "votes",
            format!("+{} by {}", item.voters.len(), item.voters.join(", ")),
        ));
    }
    if let Some(picked) = &item.picked {
        signals.push((
            "picked",
            format!(
                "Picked into #{} ({}){}",
                picked.issue_number,
                picked.section,
                picked
                    .by
                    .as_ref()
                    .map(|by| format!(" by {by}"))
                    .unwrap_or_default()
            ),
        ));
    }
    if let Some(covered) = &item.covered {
        signals.push((
            "covered",
            format!(
                "Covered in #{} ({})",
                covered.issue_number, covered.issue_date
            ),
        ));
    }
    if let Some(similar) = &item.similar {
        signals.push(("similar", format!("Similar to “{}”", similar.title)));
    }
    signals
}
