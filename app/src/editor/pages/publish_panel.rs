//! Publishing from the editor (publishers): the checks with their errors
//! and warnings, then publish; for a published issue, re-publish a
//! correction, and (admins) unpublish or show it again.

use leptos::prelude::*;

use super::context::EditorCtx;
use crate::{
    accounts::Role,
    delivery::{pages::DeliveryStatus, DeliveryView},
    editor::IssueState,
    layout::parts::Time,
    publish::{
        api::{check_publish, publish_issue, republish_issue, set_issue_hidden},
        PublishCheck,
    },
};

#[component]
pub fn PublishPanel(ctx: EditorCtx, role: Role, delivery: Option<DeliveryView>) -> impl IntoView {
    let check = RwSignal::new(None::<PublishCheck>);
    let accept = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let done = RwSignal::new(None::<String>);
    let state = move || ctx.issue.with(|issue| issue.state);
    let publisher = role.includes(Role::Publisher);
    let admin = role.includes(Role::Admin);
    let review = move |_| {
        done.set(None);
        accept.set(false);
        leptos::task::spawn_local(async move {
            match check_publish(ctx.number).await {
                Ok(result) => check.set(Some(result)),
                Err(error) => ctx.error.set(Some(error.to_string())),
            }
        });
    };
    let confirm = move |_| {
        busy.set(true);
        let accepted = accept.get_untracked();
        let republishing = state() == IssueState::Published;
        leptos::task::spawn_local(async move {
            let result = if republishing {
                republish_issue(ctx.number, accepted)
                    .await
                    .map(|()| "The correction is published.".to_owned())
            } else {
                publish_issue(ctx.number, accepted)
                    .await
                    .map(|next| format!("Published. The next draft is #{next}."))
            };
            busy.set(false);
            match result {
                Ok(message) => {
                    check.set(None);
                    done.set(Some(message));
                    ctx.error.set(None);
                }
                Err(error) => ctx.error.set(Some(error.to_string())),
            }
            ctx.reload();
        });
    };
    let hide = move |hidden: bool| {
        ctx.run(set_issue_hidden(ctx.number, hidden), |_| ());
    };
    view! {
        <section class="publish-panel" aria-label="Publishing">
            {move || ctx.issue.with(|issue| match issue.state {
                IssueState::Published => view! {
                    <p class="published-note">
                        "Published " <Time at=issue.published_at />
                        {issue.revised_at.map(|at| view! { " · updated " <Time at=Some(at) /> })}
                        {issue.hidden.then_some(" · hidden from the archive and the feeds")}
                        " · " <a href=format!("/issues/{}", issue.number)>"Public page"</a>
                    </p>
                    {issue.snapshot_problem.clone().map(|problem| view! {
                        <p class="form-error snapshot-problem" role="alert">{problem}</p>
                    })}
                }.into_any(),
                IssueState::Draft => ().into_any(),
            })}
            {publisher.then(|| view! {
                <button type="button" class="publish-review" on:click=review>
                    {move || if state() == IssueState::Published { "Re-publish correction…" } else { "Publish…" }}
                </button>
            })}
            {move || (admin && state() == IssueState::Published).then(|| {
                let hidden = ctx.issue.with(|i| i.hidden);
                view! {
                    <button type="button" class="secondary unpublish" on:click=move |_| hide(!hidden)>
                        {if hidden { "Show again" } else { "Unpublish" }}
                    </button>
                }
            })}
            <p class="form-ok" role="status">{move || done.get()}</p>
            // Publishing (again) queues a delivery: load it once that happened.
            <DeliveryStatus number=ctx.number initial=delivery
                changed=Signal::derive(move || ctx.issue.with(|issue| {
                    issue.revised_at.or(issue.published_at).map_or(0, |at| at.timestamp_millis() as u64)
                })) />
            {move || check.get().map(|result| {
                let blocked = !result.errors.is_empty();
                let warned = !result.warnings.is_empty();
                view! {
                    <div class="publish-check" role="region" aria-label="Before publishing">
                        {blocked.then(|| view! {
                            <p><strong>"Fix these first:"</strong></p>
                            <ul class="publish-errors">
                                {result.errors.iter().map(|e| view! { <li>{e.clone()}</li> }).collect_view()}
                            </ul>
                        })}
                        {warned.then(|| view! {
                            <p><strong>"Please check:"</strong></p>
                            <ul class="publish-warnings">
                                {result.warnings.iter().map(|w| view! { <li>{w.clone()}</li> }).collect_view()}
                            </ul>
                            <label>
                                <input type="checkbox" class="accept-warnings" prop:checked=move || accept.get()
                                    on:change=move |ev| accept.set(event_target_checked(&ev)) />
                                " Publish anyway"
                            </label>
                        })}
                        {(!blocked && !warned).then(|| view! { <p>"All checks passed."</p> })}
                        <button type="button" class="publish-confirm"
                            disabled=move || blocked || busy.get() || (warned && !accept.get())
                            on:click=confirm>
                            {move || if state() == IssueState::Published { "Re-publish now" } else { "Publish now" }}
                        </button>
                        <button type="button" class="secondary" on:click=move |_| check.set(None)>"Cancel"</button>
                    </div>
                }
            })}
        </section>
    }
}
