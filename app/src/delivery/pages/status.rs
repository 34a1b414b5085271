//! An issue's delivery to git as members see it, in the editor and on the
//! issue's page: queued, delivered (with the commit), or failed with the
//! reason and "Retry" (publishers).

use leptos::prelude::*;

use crate::layout::Erase;
use crate::{
    delivery::{
        api::{load_delivery, RetryDelivery},
        DeliveryState, DeliveryView,
    },
    i18n::td_string,
    lang,
    layout::parts::Time,
};

/// Shows nothing for an issue without a delivery. The page loads
/// `initial` with its own data; a change of `changed` (publishing again),
/// "Retry" and "Check again" load it anew.
#[component]
pub fn DeliveryStatus(
    number: i32,
    initial: Option<DeliveryView>,
    #[prop(into)] changed: Signal<u64>,
) -> impl IntoView {
    let current = RwSignal::new(initial);
    let retry = ServerAction::<RetryDelivery>::new();
    let again = RwSignal::new(0u32);
    let error = RwSignal::new(None::<String>);
    let reload = move || {
        leptos::task::spawn_local(async move {
            match load_delivery(number).await {
                Ok(view) => {
                    current.set(view);
                    error.set(None);
                }
                Err(problem) => error.set(Some(problem.to_string())),
            }
        });
    };
    // Only in the browser: the server renders `initial`.
    Effect::watch(
        move || (changed.get(), again.get()),
        move |_, _, _| reload(),
        false,
    );
    Effect::watch(
        move || retry.value().get(),
        move |result, _, _| match result {
            Some(Ok(view)) => {
                current.set(Some(view.clone()));
                error.set(None);
            }
            Some(Err(problem)) => error.set(Some(problem.to_string())),
            None => {}
        },
        false,
    );
    view! {
        {move || current.get().map(|view| view! { <Delivery view retry again /> })}
        {move || error.get().map(|error| view! { <p class="form-error" role="alert">{error}</p> })}
    }
}

#[component]
fn Delivery(
    view: DeliveryView,
    retry: ServerAction<RetryDelivery>,
    again: RwSignal<u32>,
) -> impl IntoView {
    let (class, label) = match view.state {
        DeliveryState::Queued => (
            "delivery queued",
            td_string!(lang::current(), admin.delivery_state_queued),
        ),
        DeliveryState::Delivered => (
            "delivery delivered",
            td_string!(lang::current(), admin.delivery_state_delivered),
        ),
        DeliveryState::Failed => (
            "delivery failed",
            td_string!(lang::current(), admin.delivery_state_failed),
        ),
    };
    let commit = view
        .commit_id
        .clone()
        .map(|id| id.chars().take(12).collect::<String>());
    let path = view.path.clone();
    let number = view.number;
    view! {
        <div class=class role="status" aria-label=td_string!(lang::current(), admin.delivery_heading)>
            <p>
                <strong>{label}</strong>
                {(view.state == DeliveryState::Delivered).then(|| view! {
                    " · " <Time at=view.delivered_at />
                    {commit.map(|commit| view! { {tr!(admin.delivery_commit_prefix)} <code class="delivery-commit">{commit}</code> })}
                    {path.map(|path| view! { " · " <code>{path}</code> })}
                })}
            </p>
            {view.error.clone().filter(|_| view.state == DeliveryState::Failed).map(|error| view! {
                <p class="delivery-error">{error}</p>
            })}
            {(view.state == DeliveryState::Failed).then(|| match view.next_attempt_at {
                Some(at) => view! {
                    <p class="muted">
                        {lang::fill(td_string!(lang::current(), admin.delivery_attempt_failed), &[("attempts", &view.attempts.to_string())])}
                        <Time at=Some(at) />
                        {tr!(admin.delivery_attempt_failed_end)}
                    </p>
                }.erase(),
                None => view! {
                    <p class="muted">{tr!(admin.delivery_stopped_trying)}</p>
                }.erase(),
            })}
            {view.can_retry.then(|| view! {
                <ActionForm action=retry attr:class="inline-form">
                    <input type="hidden" name="number" value=number />
                    <button type="submit" class="secondary delivery-retry">{tr!(admin.delivery_retry)}</button>
                </ActionForm>
            })}
            {(view.state == DeliveryState::Queued).then(|| view! {
                <button type="button" class="secondary" on:click=move |_| again.update(|n| *n += 1)>
                    {tr!(admin.delivery_check_again)}

                </button>
            })}
        </div>
    }
}
