//! One pick in the editor: its title and commentary (autosaved, versioned),
//! link, warnings, who edits it now, notes, and the ways to move it: drag
//! and drop, buttons, and Alt+↑/↓ (Alt+Shift+↑/↓ changes section) while
//! the pick has focus.

use leptos::prelude::*;

use super::{
    context::{EditorCtx, Toast},
    presence::Avatar,
    text_editor::{Stored, Target, TextEditor},
};
use crate::layout::Erase;
use crate::{
    editor::{
        api::{
            add_note, check_link, move_pick_to_next, promote_note, remove_pick, set_pick_layout,
        },
        LinkCheck, PickView, TextField,
    },
    i18n::td_string,
    lang,
    layout::parts::Time,
    render::PickLayout,
};

#[component]
pub fn PickCard(ctx: EditorCtx, id: i64) -> impl IntoView {
    let pick = Memo::new(move |_| ctx.issue.with(|issue| issue.pick(id).cloned()));
    // Where the pick is: (section index, section id, index in section, picks in section).
    let place = Memo::new(move |_| {
        ctx.issue.with(|issue| {
            issue.sections.iter().enumerate().find_map(|(s, section)| {
                section
                    .picks
                    .iter()
                    .position(|p| p.id == id)
                    .map(|i| (s, section.id, i as i32, section.picks.len() as i32))
            })
        })
    });
    let stored = move |field: TextField| {
        Signal::derive(move || {
            pick.with(|pick| {
                pick.as_ref()
                    .map(|p| Stored {
                        value: match field {
                            TextField::Title => p.title.clone(),
                            TextField::Url => p.url.clone(),
                            _ => p.commentary.clone(),
                        },
                        version: p.version,
                    })
                    .unwrap_or_default()
            })
        })
    };
    let step = move |down: bool| {
        if let Some((_, section, index, count)) = place.get_untracked() {
            let target = if down { index + 1 } else { index - 1 };
            if (0..count).contains(&target) {
                ctx.move_pick(id, section, target);
            }
        }
    };
    let change_section = move |down: bool| {
        let Some((s, _, _, _)) = place.get_untracked() else {
            return;
        };
        let sections: Vec<i64> = ctx
            .issue
            .with_untracked(|i| i.sections.iter().map(|s| s.id).collect());
        let target = if down { s + 1 } else { s.wrapping_sub(1) };
        if let Some(section) = sections.get(target) {
            ctx.move_pick(id, *section, if down { 0 } else { i32::MAX });
        }
    };
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        if !ctx.editable || !ev.alt_key() {
            return;
        }
        // Only when the pick itself has focus, not a field inside it.
        if ev.target() != ev.current_target() {
            return;
        }
        let down = match ev.key().as_str() {
            "ArrowUp" => false,
            "ArrowDown" => true,
            _ => return,
        };
        ev.prevent_default();
        if ev.shift_key() {
            change_section(down);
        } else {
            step(down);
        }
    };
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        let Some(dragged) = ctx.dragging.get_untracked() else {
            return;
        };
        ctx.dragging.set(None);
        if dragged == id {
            return;
        }
        if let Some((_, section, index, _)) = place.get_untracked() {
            ctx.move_pick(dragged, section, index);
        }
    };
    let focus = Callback::new(move |on: bool| {
        ctx.presence.editing.set(if on { Some(id) } else { None });
    });
    let editors = move || ctx.me.with_value(|me| ctx.presence.editing_pick(id, me));
    let title_label = move || {
        place
            .get_untracked()
            .map(|(_, _, index, _)| {
                lang::fill(
                    td_string!(lang::current(), editor.pick_title_label),
                    &[("n", &(index + 1).to_string())],
                )
            })
            .unwrap_or_default()
    };
    view! {
        <article class="pick-card" data-pick=id tabindex="0"
            aria-label=move || pick.with(|p| p.as_ref().map(|p| p.title.clone()).unwrap_or_default())
            aria-keyshortcuts="Alt+ArrowUp Alt+ArrowDown Alt+Shift+ArrowUp Alt+Shift+ArrowDown"
            class:dragging=move || ctx.dragging.get() == Some(id)
            on:keydown=on_key
            on:dragover=move |ev| ev.prevent_default()
            on:drop=on_drop>
            <div class="pick-head">
                {ctx.editable.then(|| view! {
                    <span class="drag-handle" draggable="true" title=td_string!(lang::current(), editor.drag_to_move) aria-hidden="true"
                        on:dragstart=move |ev: leptos::ev::DragEvent| {
                            if let Some(data) = ev.data_transfer() {
                                let _ = data.set_data("text/plain", &id.to_string());
                            }
                            ctx.dragging.set(Some(id));
                        }
                        on:dragend=move |_| ctx.dragging.set(None)>"⠿"</span>
                })}
                <div class="pick-editors" aria-live="polite">
                    {move || editors().into_iter().map(|name| view! { <Avatar name editing=true /> }).collect_view()}
                </div>
                {move || pick.get().map(|p| view! {
                    {if p.url.trim().is_empty() {
                        view! { <span class="pick-url muted">{tr!(editor.pick_no_link)}</span> }.erase()
                    } else {
                        view! { <a class="pick-url" href=p.url.clone() target="_blank" rel="noopener noreferrer">{p.url.clone()}</a> }.erase()
                    }}
                    <span class="muted">{p.brought_by.map(|by| lang::fill(td_string!(lang::current(), editor.brought_by), &[("name", &by)]))}</span>
                })}
            </div>
            <TextEditor target=Target::Pick(id) field=TextField::Title issue_number=ctx.number
                stored=stored(TextField::Title) label=title_label() readonly=!ctx.editable on_focus=focus />
            <Warnings ctx id pick />
            {ctx.editable.then(|| view! {
                <details class="pick-link-layout">
                    <summary>{tr!(editor.link_and_layout)}</summary>
                    <TextEditor target=Target::Pick(id) field=TextField::Url issue_number=ctx.number
                        stored=stored(TextField::Url) label=td_string!(lang::current(), editor.link).into() on_focus=focus />
                    <LayoutChoice ctx id pick />
                </details>
            })}
            <TextEditor target=Target::Pick(id) field=TextField::Commentary issue_number=ctx.number
                rendering=ctx.issue.with_untracked(|i| i.rendering)
                stored=stored(TextField::Commentary) label=td_string!(lang::current(), editor.label_commentary).into() readonly=!ctx.editable on_focus=focus />
            {ctx.editable.then(|| view! { <Controls ctx id place step /> })}
            <Notes ctx id pick />
        </article>
    }
    .erase()
}

#[component]
fn Controls(
    ctx: EditorCtx,
    id: i64,
    place: Memo<Option<(usize, i64, i32, i32)>>,
    step: impl Fn(bool) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let first = move || place.get().is_none_or(|(_, _, index, _)| index == 0);
    let last = move || {
        place
            .get()
            .is_none_or(|(_, _, index, count)| index + 1 >= count)
    };
    let remove = move |_| {
        ctx.run(remove_pick(id), move |removed| {
            ctx.toast.set(Some(Toast {
                message: td_string!(lang::current(), editor.pick_removed).into(),
                undo: Some(removed),
            }));
        });
    };
    let next = move |_| {
        ctx.run(move_pick_to_next(id), move |number| {
            ctx.toast.set(Some(Toast {
                message: lang::fill(
                    td_string!(lang::current(), editor.pick_moved_to_issue),
                    &[("number", &number.to_string())],
                ),
                undo: None,
            }));
        });
    };
    view! {
        <div class="pick-controls">
            <button type="button" class="secondary move-up" disabled=first on:click=move |_| step(false)>{tr!(editor.move_up)}</button>
            <button type="button" class="secondary move-down" disabled=last on:click=move |_| step(true)>{tr!(editor.move_down)}</button>
            <label class="visually-hidden" for=format!("pick-{id}-section")>{tr!(editor.move_to_section)}</label>
            <select id=format!("pick-{id}-section") class="move-section" on:change=move |ev| {
                if let Ok(section) = event_target_value(&ev).parse::<i64>() {
                    ctx.move_pick(id, section, i32::MAX);
                }
            }>
                {move || {
                    let current = place.get().map(|(_, section, _, _)| section);
                    ctx.issue.with(|issue| issue.sections.iter().map(|s| {
                        let selected = current == Some(s.id);
                        view! { <option value=s.id selected=selected>{s.title.clone()}</option> }
                    }).collect_view())
                }}
            </select>
            <button type="button" class="secondary" on:click=next>{tr!(editor.move_to_next_issue)}</button>
            <button type="button" class="danger" on:click=remove>{tr!(editor.remove)}</button>
        </div>
    }
}

/// The pick's layout: the newsletter's, or one of its own.
#[component]
fn LayoutChoice(ctx: EditorCtx, id: i64, pick: Memo<Option<PickView>>) -> impl IntoView {
    let select_id = format!("pick-{id}-layout");
    let current = move || {
        pick.with(|p| {
            p.as_ref()
                .and_then(|p| p.layout)
                .map(|layout| layout.as_str().to_owned())
                .unwrap_or_default()
        })
    };
    view! {
        <div class="field pick-layout">
            <label for=select_id.clone()>{tr!(editor.layout)}</label>
            <select id=select_id class="layout-select" prop:value=current on:change=move |ev| {
                ctx.run(set_pick_layout(id, event_target_value(&ev)), |_| ());
            }>
                <option value="" selected=move || current().is_empty()>{tr!(editor.layout_as_in_settings)}</option>
                {PickLayout::ALL.into_iter().map(|layout| view! {
                    <option value=layout.as_str() selected=move || current() == layout.as_str()>{layout.label()}</option>
                }).collect_view()}
            </select>
        </div>
    }
}

#[component]
fn Warnings(ctx: EditorCtx, id: i64, pick: Memo<Option<PickView>>) -> impl IntoView {
    let link = RwSignal::new(None::<LinkCheck>);
    let checking = RwSignal::new(false);
    let check = move |_| {
        checking.set(true);
        leptos::task::spawn_local(async move {
            link.set(Some(check_link(id).await.unwrap_or_else(|error| {
                LinkCheck {
                    ok: false,
                    message: error.to_string(),
                }
            })));
            checking.set(false);
        });
    };
    view! {
        <ul class="pick-warnings">
            {move || pick.get().and_then(|p| p.covered).map(|covered| view! {
                <li class="warning covered">{lang::fill(td_string!(lang::current(), editor.already_covered), &[
                    ("number", &covered.issue_number.to_string()),
                    ("date", &covered.issue_date.to_string()),
                ])}</li>
            })}
            {move || pick.get().filter(|p| p.commentary.trim().is_empty()).map(|_| view! {
                <li class="warning empty-commentary">{tr!(editor.no_commentary_yet)}</li>
            })}
            {move || link.get().map(|result| view! {
                <li class=if result.ok { "ok link-check" } else { "warning link-check" }>{result.message}</li>
            })}
            // A topic has no link of its own to check.
            {move || (ctx.editable && pick.with(|p| p.as_ref().is_some_and(|p| !p.url.trim().is_empty()))).then(|| view! {
                <li>
                    <button type="button" class="link-button check-link" disabled=move || checking.get() on:click=check>
                        {move || if checking.get() { td_string!(lang::current(), editor.checking_link) } else { td_string!(lang::current(), editor.check_link) }}
                    </button>
                </li>
            })}
        </ul>
    }
}

#[component]
fn Notes(ctx: EditorCtx, id: i64, pick: Memo<Option<PickView>>) -> impl IntoView {
    let body = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = body.get_untracked();
        leptos::task::spawn_local(async move {
            match add_note(id, text).await {
                Ok(_) => {
                    body.set(String::new());
                    error.set(None);
                    ctx.reload();
                }
                Err(problem) => error.set(Some(problem.to_string())),
            }
        });
    };
    let input_id = format!("pick-{id}-note");
    view! {
        <section class="notes" aria-label=td_string!(lang::current(), editor.notes)>
            <h3>{move || lang::fill(td_string!(lang::current(), editor.notes_count), &[("count", &pick.with(|p| p.as_ref().map_or(0, |p| p.notes.len())).to_string())])}</h3>
            <ol class="note-list">
                {move || pick.get().map(|p| p.notes.into_iter().map(|note| {
                    let note_id = note.id;
                    let promote = move |_| {
                        let version = pick.with_untracked(|p| p.as_ref().map_or(0, |p| p.version));
                        ctx.run(promote_note(note_id, version), |_| ());
                    };
                    view! {
                        <li class="note" data-note=note_id>
                            <p class="note-meta"><strong>{note.author}</strong> " · " <Time at=Some(note.created_at) />
                                {note.promoted.then(|| view! { <span class="badge">{tr!(editor.in_commentary)}</span> })}</p>
                            <p class="note-body">{note.body}</p>
                            {(ctx.editable && !note.promoted).then(|| view! {
                                <button type="button" class="link-button promote" on:click=promote>{tr!(editor.use_in_commentary)}</button>
                            })}
                        </li>
                    }
                }).collect_view())}
            </ol>
            {ctx.editable.then(|| view! {
                <form class="note-form" on:submit=submit>
                    <label for=input_id.clone() class="visually-hidden">{tr!(editor.add_a_note)}</label>
                    <textarea id=input_id rows="2" placeholder=td_string!(lang::current(), editor.note_placeholder)
                        prop:value=move || body.get() on:input=move |ev| body.set(event_target_value(&ev))></textarea>
                    <button type="submit" class="secondary">{tr!(editor.add_note)}</button>

                    <p class="field-error" aria-live="polite">{move || error.get()}</p>
                </form>
            })}
        </section>
    }
}
