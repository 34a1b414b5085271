//! An issue's own sections in the editor: each heading with its controls
//! (rename for this issue, move up or down, remove when empty), and the
//! form that adds a saved or new section to this issue only.

use leptos::prelude::*;

use super::context::EditorCtx;
use crate::editor::api::{
    add_issue_section, order_issue_sections, remove_issue_section, rename_issue_section,
    saved_sections,
};
use crate::i18n::td_string;
use crate::lang;

#[component]
pub fn SectionHeading(ctx: EditorCtx, id: i64, title: String, empty: bool) -> impl IntoView {
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        if let Some(pick) = ctx.dragging.get_untracked() {
            ctx.dragging.set(None);
            ctx.move_pick(pick, id, 0);
        }
    };
    let renaming = RwSignal::new(false);
    let new_title = RwSignal::new(title.clone());
    let order = move || {
        ctx.issue
            .with_untracked(|issue| issue.sections.iter().map(|s| s.id).collect::<Vec<_>>())
    };
    let position = move || {
        ctx.issue.with(|issue| {
            let index = issue.sections.iter().position(|s| s.id == id);
            (index, issue.sections.len())
        })
    };
    let shift = move |down: bool| {
        let mut ids = order();
        let Some(index) = ids.iter().position(|&s| s == id) else {
            return;
        };
        let target = if down {
            index + 1
        } else {
            index.wrapping_sub(1)
        };
        if target < ids.len() {
            ids.swap(index, target);
            ctx.run(order_issue_sections(ctx.number, ids), |_| ());
        }
    };
    let rename = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let title = new_title.get_untracked();
        ctx.run(rename_issue_section(ctx.number, id, title), move |_| {
            renaming.set(false)
        });
    };
    let remove = move |_| ctx.run(remove_issue_section(ctx.number, id), |_| ());
    let input_id = format!("section-{id}-title");
    let controls = ctx.editable.then(|| {
        view! {
            <div class="section-controls">
                <button type="button" class="link-button section-up" aria-label=lang::fill(td_string!(lang::current(), editor.section_move_up), &[("title", &title)])
                    disabled=move || position().0.is_none_or(|i| i == 0)
                    on:click=move |_| shift(false)>"↑"</button>
                <button type="button" class="link-button section-down" aria-label=lang::fill(td_string!(lang::current(), editor.section_move_down), &[("title", &title)])
                    disabled=move || { let (i, n) = position(); i.is_none_or(|i| i + 1 >= n) }
                    on:click=move |_| shift(true)>"↓"</button>
                <button type="button" class="link-button section-rename"
                    on:click=move |_| renaming.update(|on| *on = !*on)>{tr!(editor.rename)}</button>
                {empty.then(|| view! {
                    <button type="button" class="link-button danger section-remove" on:click=remove>{tr!(editor.remove_section)}</button>
                })}
            </div>
        }
    });
    view! {
        <div class="section-head">
            <h2 class="section-title" data-section=id
                on:dragover=move |ev| ev.prevent_default()
                on:drop=on_drop>
                {title.clone()}
            </h2>
            {controls}
        </div>
        {move || renaming.get().then(|| view! {
            <form class="inline-form section-rename-form" on:submit=rename>
                <label for=input_id.clone()>{tr!(editor.title_in_issue)}</label>
                <input id=input_id.clone() class="text-input" maxlength="100" required
                    prop:value=move || new_title.get() on:input=move |ev| new_title.set(event_target_value(&ev)) />
                <button type="submit">{tr!(editor.save)}</button>
                <button type="button" class="secondary" on:click=move |_| renaming.set(false)>{tr!(editor.cancel)}</button>
            </form>
        })}
        {empty.then(|| view! { <p class="muted empty-section">{tr!(editor.section_empty)}</p> })}
    }
}

/// Adds a section to this issue only: one of the saved sections, or a new
/// title such as `📘 Books`. The defaults in Settings stay as they are.
#[component]
pub fn AddSection(ctx: EditorCtx) -> impl IntoView {
    let saved = LocalResource::new(saved_sections);
    // "" = a new section with the typed title.
    let choice = RwSignal::new(String::new());
    let title = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let saved_id = choice.get_untracked().parse::<i64>().ok();
        let typed = title.get_untracked();
        leptos::task::spawn_local(async move {
            match add_issue_section(ctx.number, saved_id, typed).await {
                Ok(_) => {
                    title.set(String::new());
                    choice.set(String::new());
                    error.set(None);
                    saved.refetch();
                    ctx.reload();
                }
                Err(problem) => error.set(Some(problem.to_string())),
            }
        });
    };
    let options = move || {
        let in_issue: Vec<i64> = ctx
            .issue
            .with(|issue| issue.sections.iter().map(|s| s.id).collect());
        saved
            .get()
            .and_then(Result::ok)
            .unwrap_or_default()
            .into_iter()
            .filter(|section| !in_issue.contains(&section.id))
            .map(|section| view! { <option value=section.id>{section.title}</option> })
            .collect_view()
    };
    view! {
        <form class="add-section inline-form" on:submit=submit>
            <div class="field">
                <label for="add-section-saved">{tr!(editor.add_section_label)}</label>
                <select id="add-section-saved" prop:value=move || choice.get()
                    on:change=move |ev| choice.set(event_target_value(&ev))>
                    <option value="">{tr!(editor.new_section)}</option>
                    {options}
                </select>
            </div>
            <div class="field">
                <label for="add-section-title">{tr!(editor.title)}</label>
                <input id="add-section-title" class="text-input" maxlength="100"
                    placeholder=move || if choice.get().is_empty() { td_string!(lang::current(), editor.section_placeholder) } else { td_string!(lang::current(), editor.as_saved) }
                    prop:value=move || title.get() on:input=move |ev| title.set(event_target_value(&ev))
                    aria-describedby="add-section-error" />
            </div>
            <button type="submit" class="secondary">{tr!(editor.add_section)}</button>

            <p id="add-section-error" class="field-error" aria-live="polite">{move || error.get()}</p>
        </form>
    }
}
