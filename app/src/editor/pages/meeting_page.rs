//! `/edit/{number}/meeting`: the weekly sharing session. One pick at a
//! time, large; ←/→ step through. Whoever presses "Present" leads: the
//! pick they show is stored with the issue and everybody following along
//! jumps to it. Anyone can add a note live.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::i18n::td_string;
use crate::lang;
use crate::layout::Erase;
use crate::page_data::page_data;
use crate::{
    editor::{
        api::{add_note, load_issue, present_pick},
        IssueEvent, IssueView, PickView,
    },
    layout::{
        parts::{number_param, Time},
        LiveEvents,
    },
    pages::LoadError,
    render::{markdown_to_html, Rendering},
};

#[component]
pub fn MeetingPage() -> impl IntoView {
    // An unparsable number asks for issue -1, which does not exist: 404.
    let number = number_param::<i32>("number");
    let number = move || number().unwrap_or(-1);
    let data = page_data(number, load_issue);
    view! {
        <Suspense fallback=move || view! { <p class="muted">{tr!(common.shared2_loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(issue) => view! { <Meeting issue /> }.erase(),
                    Err(error) => view! { <LoadError error what=td_string!(lang::current(), editor.what_issue) /> }.erase(),
                }
            })}
        </Suspense>
    }
}

fn picks_of(issue: &IssueView) -> Vec<(String, PickView)> {
    issue
        .sections
        .iter()
        .flat_map(|s| s.picks.iter().map(move |p| (s.title.clone(), p.clone())))
        .collect()
}

#[component]
fn Meeting(issue: IssueView) -> impl IntoView {
    let rendering = issue.rendering;
    let number = issue.number;
    let issue = RwSignal::new(issue);
    let picks = Memo::new(move |_| issue.with(picks_of));
    let current =
        RwSignal::new(issue.with_untracked(|i| i.meeting.as_ref().map(|(pick, _)| *pick)));
    let presenting = RwSignal::new(false);
    let follow = RwSignal::new(true);
    let error = RwSignal::new(None::<String>);
    let reload = move || {
        leptos::task::spawn_local(async move {
            match load_issue(number).await {
                Ok(loaded) => issue.set(loaded),
                Err(problem) => error.set(Some(problem.to_string())),
            }
        });
    };
    // Follow the presenter unless presenting oneself.
    Effect::new(move |_| {
        let meeting = issue.with(|i| i.meeting.clone());
        if follow.get() && !presenting.get() {
            if let Some((pick, _)) = meeting {
                current.set(Some(pick));
            }
        }
    });
    let index = move || {
        let list = picks.get();
        current
            .get()
            .and_then(|id| list.iter().position(|(_, p)| p.id == id))
            .unwrap_or(0)
    };
    let go = move |delta: i32| {
        let list = picks.get_untracked();
        if list.is_empty() {
            return;
        }
        let at = index() as i32 + delta;
        let at = at.clamp(0, list.len() as i32 - 1) as usize;
        let id = list[at].1.id;
        current.set(Some(id));
        if presenting.get_untracked() {
            leptos::task::spawn_local(async move {
                if let Err(problem) = present_pick(number, Some(id)).await {
                    error.set(Some(problem.to_string()));
                }
            });
        }
    };
    let keys = window_event_listener(leptos::ev::keydown, move |ev| {
        if crate::layout::dom::typing_in_a_field(&ev) {
            return;
        }
        match ev.key().as_str() {
            "ArrowRight" => go(1),
            "ArrowLeft" => go(-1),
            _ => {}
        }
    });
    on_cleanup(move || keys.remove());
    let toggle_present = move |_| {
        let on = !presenting.get_untracked();
        presenting.set(on);
        let pick = if on {
            picks.get_untracked().get(index()).map(|(_, p)| p.id)
        } else {
            None
        };
        leptos::task::spawn_local(async move {
            if let Err(problem) = present_pick(number, pick).await {
                error.set(Some(problem.to_string()));
            }
        });
    };
    let on_event = move |data: String| {
        if matches!(
            serde_json::from_str::<IssueEvent>(&data),
            Ok(IssueEvent::Changed { .. } | IssueEvent::Resync)
        ) {
            reload();
        }
    };
    let num = number.to_string();
    view! {
        <Title text=lang::fill(td_string!(lang::current(), editor.meeting_title), &[("number", &num)]) />
        <div class="meeting" data-issue=number>
            <div class="page-head">
                <p>
                    <a href=format!("/edit/{number}")>{lang::fill(td_string!(lang::current(), editor.issue_number), &[("number", &num)])}</a>
                    " · "
                    {move || {
                        let list = picks.get();
                        if list.is_empty() {
                            td_string!(lang::current(), editor.meeting_no_picks).to_owned()
                        } else {
                            lang::fill(td_string!(lang::current(), editor.meeting_position), &[
                                ("current", &(index() + 1).to_string()),
                                ("total", &list.len().to_string()),
                            ])
                        }
                    }}
                </p>
                <div class="page-actions">
                    <span class="muted presenter">
                        {move || issue.with(|i| i.meeting.as_ref().map(|(_, by)| lang::fill(td_string!(lang::current(), editor.meeting_presenting), &[("name", by)])))}
                    </span>
                    <label><input type="checkbox" prop:checked=move || follow.get()
                        on:change=move |ev| follow.set(event_target_checked(&ev)) />{tr!(editor.meeting_follow)}</label>
                    <button type="button" class="secondary" on:click=toggle_present>
                        {move || if presenting.get() { td_string!(lang::current(), editor.meeting_stop_presenting) } else { td_string!(lang::current(), editor.meeting_present) }}
                    </button>
                    <button type="button" class="secondary" aria-label=td_string!(lang::current(), editor.meeting_previous) on:click=move |_| go(-1)>"←"</button>
                    <button type="button" class="secondary" aria-label=td_string!(lang::current(), editor.meeting_next) on:click=move |_| go(1)>"→"</button>
                    <LiveEvents path=format!("/api/v1/issues/{number}/events") on_event on_reconnect=reload />
                </div>
            </div>
            <p class="form-error" role="alert">{move || error.get()}</p>
            {move || {
                let list = picks.get();
                list.get(index()).cloned().map(|(section, pick)| view! { <Slide section pick rendering error /> })
            }}
        </div>
    }
}

#[component]
fn Slide(
    section: String,
    pick: PickView,
    rendering: Rendering,
    error: RwSignal<Option<String>>,
) -> impl IntoView {
    let note = RwSignal::new(String::new());
    let id = pick.id;
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = note.get_untracked();
        leptos::task::spawn_local(async move {
            match add_note(id, body).await {
                Ok(_) => note.set(String::new()),
                Err(problem) => error.set(Some(problem.to_string())),
            }
        });
    };
    view! {
        <article class="slide" data-pick=pick.id>
            <p class="muted">{section}</p>
            <h1 class="slide-title"><a href=pick.url.clone() target="_blank" rel="noopener noreferrer">{pick.title.clone()}</a></h1>
            <p class="muted">{pick.url.clone()}</p>
            <div class="markdown slide-commentary" inner_html=markdown_to_html(&pick.commentary, rendering)></div>
            <section class="notes" aria-label=td_string!(lang::current(), editor.notes)>
                <h2>{tr!(editor.notes)}</h2>
                <ol class="note-list">
                    {pick.notes.into_iter().map(|n| view! {
                        <li class="note"><p class="note-meta"><strong>{n.author}</strong> " · " <Time at=Some(n.created_at) /></p>
                            <p class="note-body">{n.body}</p></li>
                    }).collect_view()}
                </ol>
                <form class="note-form" on:submit=submit>
                    <label for="meeting-note">{tr!(editor.add_a_note)}</label>
                    <textarea id="meeting-note" rows="2" prop:value=move || note.get()
                        on:input=move |ev| note.set(event_target_value(&ev))></textarea>
                    <button type="submit">{tr!(editor.add_note)}</button>

                </form>
            </section>
        </article>
    }
}
