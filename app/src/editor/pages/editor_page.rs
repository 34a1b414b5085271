//! `/edit/{number}`: one issue in the editor. The issue lives in one signal
//! that is reloaded whenever anybody changes it (live events); picks are
//! keyed by id, so a pick being edited keeps its unsaved text while others
//! move around it.

use leptos::prelude::*;
use leptos_meta::Title;

use super::{
    context::{EditorCtx, ToastBar},
    dating::IssueDating,
    pick_card::PickCard,
    presence::{Presence, PresenceBar},
    publish_panel::PublishPanel,
    sections::{AddSection, SectionHeading},
    text_editor::{Stored, Target, TextEditor},
};
use crate::i18n::td_string;
use crate::lang;
use crate::layout::Erase;
use crate::page_data::page_data;
use crate::{
    accounts::{api::current_member, Role},
    delivery::{api::load_delivery, DeliveryView},
    editor::{
        api::{add_manual_pick, add_pick_link, load_issue, load_render_settings},
        IssueEvent, IssueState, IssueView, TextField,
    },
    error::AppError,
    layout::{parts::number_param, LiveEvents},
    pages::LoadError,
    settings::Settings,
};

#[component]
pub fn EditorPage() -> impl IntoView {
    // An unparsable number asks for issue -1, which does not exist: 404.
    let number = number_param::<i32>("number");
    let number = move || number().unwrap_or(-1);
    let data = page_data(number, |number| async move {
        let issue = load_issue(number).await?;
        let settings = load_render_settings().await?;
        let me = current_member().await?;
        // Members see how its delivery to git went; nothing else depends on it.
        let delivery = load_delivery(number).await.ok().flatten();
        Ok::<_, AppError>((issue, settings, me, delivery))
    });
    view! {
        <Suspense fallback=move || view! { <p class="muted">{tr!(editor.issue_loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((issue, settings, Some(me), delivery)) => {
                        // Published issues take corrections from publishers.
                        let editable = match issue.state {
                            IssueState::Draft => me.role.includes(Role::Editor),
                            IssueState::Published => me.role.includes(Role::Publisher),
                        };
                        view! { <Editor issue settings me=me.name role=me.role editable delivery /> }.erase()
                    }
                    Ok((_, _, None, _)) => view! { <LoadError error=AppError::Unauthenticated(td_string!(lang::current(), common.shared2_sign_in_first).into()) what=td_string!(lang::current(), editor.what_issue) /> }.erase(),
                    Err(error) => view! { <LoadError error what=td_string!(lang::current(), editor.what_issue) /> }.erase(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Editor(
    issue: IssueView,
    settings: Settings,
    me: String,
    role: Role,
    editable: bool,
    delivery: Option<DeliveryView>,
) -> impl IntoView {
    let number = issue.number;
    let ctx = EditorCtx {
        number,
        issue: RwSignal::new(issue),
        settings: StoredValue::new(settings),
        me: StoredValue::new(me),
        editable,
        presence: Presence::new(number),
        toast: RwSignal::new(None),
        error: RwSignal::new(None),
        dragging: RwSignal::new(None),
        focus_after: StoredValue::new(None),
    };
    ctx.presence.start();
    let on_event = move |data: String| match serde_json::from_str::<IssueEvent>(&data) {
        Ok(IssueEvent::Changed { .. }) => ctx.reload(),
        Ok(IssueEvent::Presence { .. }) => ctx.presence.refresh(),
        Ok(IssueEvent::Resync) => {
            ctx.reload();
            ctx.presence.refresh();
        }
        Err(_) => {}
    };
    let on_reconnect = move || {
        ctx.reload();
        ctx.presence.refresh();
    };
    let stored = move |field: TextField| {
        Signal::derive(move || {
            ctx.issue.with(|issue| Stored {
                value: match field {
                    TextField::Headline => issue.headline.clone(),
                    TextField::ClosingHeading => issue.closing_heading.clone(),
                    TextField::Closing => issue.closing.clone(),
                    _ => issue.intro.clone(),
                },
                version: issue.version,
            })
        })
    };
    let title = move || {
        ctx.issue.with(|issue| {
            ctx.settings
                .with_value(|s| s.title(&issue.headline, issue.number, issue.date))
        })
    };
    let page_title = format!("#{number}");
    view! {
        <Title text=page_title />
        <div class="editor" data-issue=number>
            <div class="page-head">
                <div>
                    <p class="muted">
                        {move || ctx.issue.with(|i| lang::fill(td_string!(lang::current(), editor.issue_meta), &[
                            ("number", &i.number.to_string()),
                            ("date", &i.date.to_string()),
                            ("state", match i.state {
                                IssueState::Draft => td_string!(lang::current(), editor.state_draft),
                                IssueState::Published => td_string!(lang::current(), editor.state_published),
                            }),
                        ]))}
                    </p>
                    <h1 class="issue-title">{title}</h1>
                </div>
                <div class="page-actions">
                    <PresenceBar presence=ctx.presence me=ctx.me />
                    <a class="button secondary" href=format!("/edit/{number}/preview")>{tr!(editor.preview)}</a>
                    <a class="button secondary" href=format!("/edit/{number}/meeting")>{tr!(editor.meeting_mode)}</a>
                    <LiveEvents path=format!("/api/v1/issues/{number}/events") on_event on_reconnect />
                </div>
            </div>
            <p class="form-error" role="alert">{move || ctx.error.get()}</p>
            <PublishPanel ctx role delivery />
            {(editable && ctx.issue.with_untracked(|i| i.state == IssueState::Draft))
                .then(|| view! { <IssueDating ctx /> })}
            <TextEditor target=Target::Issue(number) field=TextField::Headline issue_number=number
                stored=stored(TextField::Headline) label=td_string!(lang::current(), editor.label_headline).into() readonly=!editable />
            <TextEditor target=Target::Issue(number) field=TextField::Intro issue_number=number
                stored=stored(TextField::Intro) label=td_string!(lang::current(), editor.label_intro).into() readonly=!editable
                rendering=ctx.issue.with_untracked(|i| i.rendering) />
            {editable.then(|| view! { <AddLink ctx /> <AddManualPick ctx /> })}
            <Picks ctx />
            {editable.then(|| view! { <AddSection ctx /> })}
            <section class="closing-part" aria-label=td_string!(lang::current(), editor.closing_part)>
                <TextEditor target=Target::Issue(number) field=TextField::ClosingHeading issue_number=number
                    stored=stored(TextField::ClosingHeading) label=td_string!(lang::current(), editor.label_closing_heading).into() readonly=!editable />
                <TextEditor target=Target::Issue(number) field=TextField::Closing issue_number=number
                    stored=stored(TextField::Closing) label=td_string!(lang::current(), editor.label_closing).into() readonly=!editable
                    rendering=ctx.issue.with_untracked(|i| i.rendering) />
            </section>
            <ToastBar ctx />
        </div>
    }
}

/// A section heading or a pick, in the order the issue shows them.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Entry {
    Section { id: i64, title: String, empty: bool },
    Pick(i64),
}

#[component]
fn Picks(ctx: EditorCtx) -> impl IntoView {
    let entries = Memo::new(move |_| {
        ctx.issue.with(|issue| {
            let mut entries = Vec::new();
            for section in &issue.sections {
                entries.push(Entry::Section {
                    id: section.id,
                    title: section.title.clone(),
                    empty: section.picks.is_empty(),
                });
                entries.extend(section.picks.iter().map(|pick| Entry::Pick(pick.id)));
            }
            entries
        })
    });
    view! {
        <div class="picks">
            <For each=move || entries.get() key=|entry| entry.clone() let:entry>
                {match entry {
                    Entry::Section { id, title, empty } => view! {
                        <SectionHeading ctx id title empty />
                    }.erase(),
                    Entry::Pick(id) => view! { <PickCard ctx id /> }.erase(),
                }}
            </For>
        </div>
    }
}

#[component]
fn AddLink(ctx: EditorCtx) -> impl IntoView {
    let url = RwSignal::new(String::new());
    let section = RwSignal::new(
        ctx.issue
            .with_untracked(|issue| issue.sections.first().map(|s| s.id))
            .unwrap_or_default(),
    );
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        let link = url.get_untracked();
        let section = section.get_untracked();
        leptos::task::spawn_local(async move {
            match add_pick_link(ctx.number, section, link).await {
                Ok(_) => {
                    url.set(String::new());
                    error.set(None);
                    ctx.reload();
                }
                Err(problem) => error.set(Some(problem.to_string())),
            }
            busy.set(false);
        });
    };
    view! {
        <form class="add-pick inline-form" on:submit=submit>
            <label for="add-pick-url">{tr!(editor.add_link)}</label>
            <input id="add-pick-url" type="url" required placeholder="https://…"
                prop:value=move || url.get() on:input=move |ev| url.set(event_target_value(&ev))
                aria-describedby="add-pick-error" />
            <label for="add-pick-section" class="visually-hidden">{tr!(editor.section)}</label>
            <SectionSelect ctx id="add-pick-section" section />
            <button type="submit" disabled=move || busy.get()>
                {move || if busy.get() { td_string!(lang::current(), editor.reading_page) } else { td_string!(lang::current(), editor.add) }}
            </button>
            <p id="add-pick-error" class="field-error" aria-live="polite">{move || error.get()}</p>
        </form>
    }
}

/// A choice of the issue's sections, into `section`.
#[component]
fn SectionSelect(ctx: EditorCtx, id: &'static str, section: RwSignal<i64>) -> impl IntoView {
    view! {
        <select id=id on:change=move |ev| {
            if let Ok(id) = event_target_value(&ev).parse() { section.set(id) }
        }>
            {move || ctx.issue.with(|issue| issue.sections.iter().map(|s| {
                let id = s.id;
                view! { <option value=id selected=move || section.get() == id>{s.title.clone()}</option> }
            }).collect_view())}
        </select>
    }
}

/// Adds a pick as typed, without reading the page: a link that is down or
/// behind a login, or a topic without a link of its own whose links are
/// in its commentary.
#[component]
fn AddManualPick(ctx: EditorCtx) -> impl IntoView {
    let url = RwSignal::new(String::new());
    let title = RwSignal::new(String::new());
    let section = RwSignal::new(
        ctx.issue
            .with_untracked(|issue| issue.sections.first().map(|s| s.id))
            .unwrap_or_default(),
    );
    let error = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (link, name, section) = (
            url.get_untracked(),
            title.get_untracked(),
            section.get_untracked(),
        );
        leptos::task::spawn_local(async move {
            match add_manual_pick(ctx.number, section, link, name).await {
                Ok(_) => {
                    url.set(String::new());
                    title.set(String::new());
                    error.set(None);
                    ctx.reload();
                }
                Err(problem) => error.set(Some(problem.to_string())),
            }
        });
    };
    view! {
        <details class="add-manual-pick">
            <summary>{tr!(editor.manual_pick_summary)}</summary>
            <form class="inline-form" on:submit=submit>
                <div class="field">
                    <label for="manual-pick-title">{tr!(editor.title)}</label>
                    <input id="manual-pick-title" class="text-input" required maxlength="500"
                        prop:value=move || title.get() on:input=move |ev| title.set(event_target_value(&ev)) />
                </div>
                <div class="field">
                    <label for="manual-pick-url">{tr!(editor.manual_pick_link)}</label>
                    <input id="manual-pick-url" class="text-input" type="url" placeholder="https://…"
                        prop:value=move || url.get() on:input=move |ev| url.set(event_target_value(&ev))
                        aria-describedby="manual-pick-error" />
                </div>
                <div class="field">
                    <label for="manual-pick-section">{tr!(editor.section)}</label>
                    <SectionSelect ctx id="manual-pick-section" section />
                </div>
                <button type="submit" class="secondary">{tr!(editor.add_pick)}</button>

                <p id="manual-pick-error" class="field-error" aria-live="polite">{move || error.get()}</p>
            </form>
        </details>
    }
}
