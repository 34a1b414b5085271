//! A draft's number and publication date, set by an editor until it is
//! published (a series taken over from elsewhere continues at its own
//! number). The intro and closing part follow while they are still what
//! their templates made.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use super::context::EditorCtx;
use crate::editor::api::redate_issue;
use crate::i18n::td_string;
use crate::lang;

#[component]
pub fn IssueDating(ctx: EditorCtx) -> impl IntoView {
    let (number, date) = ctx.issue.with_untracked(|i| (i.number, i.date));
    let new_number = RwSignal::new(number.to_string());
    let new_date = RwSignal::new(date.to_string());
    let error = RwSignal::new(None::<String>);
    let saved = RwSignal::new(false);
    // Follow changes made by others while the form is untouched.
    Effect::new(move |_| {
        let (number, date) = ctx.issue.with(|i| (i.number, i.date));
        new_number.set(number.to_string());
        new_date.set(date.to_string());
    });
    let navigate = use_navigate();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Ok(wanted) = new_number.get_untracked().trim().parse::<i32>() else {
            error.set(Some(
                td_string!(lang::current(), editor.dating_number_invalid).into(),
            ));
            return;
        };
        let Ok(day) =
            chrono::NaiveDate::parse_from_str(new_date.get_untracked().trim(), "%Y-%m-%d")
        else {
            error.set(Some(
                td_string!(lang::current(), editor.dating_choose_date).into(),
            ));
            return;
        };
        let version = ctx.issue.with_untracked(|i| i.version);
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            match redate_issue(ctx.number, wanted, day, version).await {
                Ok(_) if wanted != ctx.number => {
                    navigate(&format!("/edit/{wanted}"), Default::default())
                }
                Ok(_) => {
                    error.set(None);
                    saved.set(true);
                    ctx.reload();
                }
                Err(problem) => {
                    error.set(Some(problem.to_string()));
                    ctx.reload();
                }
            }
        });
    };
    view! {
        <form class="issue-dating inline-form" on:submit=submit>
            <div class="field">
                <label for="issue-number">{tr!(editor.dating_number)}</label>
                <input id="issue-number" class="text-input number-input" type="number" min="1" required
                    prop:value=move || new_number.get()
                    on:input=move |ev| { saved.set(false); new_number.set(event_target_value(&ev)) } />
            </div>
            <div class="field">
                <label for="issue-date">{tr!(editor.dating_date)}</label>
                <input id="issue-date" class="text-input" type="date" required
                    prop:value=move || new_date.get()
                    on:input=move |ev| { saved.set(false); new_date.set(event_target_value(&ev)) } />
            </div>
            <button type="submit" class="secondary">{tr!(editor.dating_submit)}</button>
            <p class="field-error" aria-live="polite">{move || error.get()}</p>
            <p class="muted" aria-live="polite">{move || saved.get().then(|| td_string!(lang::current(), editor.saved))}</p>

        </form>
    }
}
