//! Publishing from the editor (publishers): the checks with their errors
//! and warnings, then publish; for a published issue, re-publish a
//! correction, and (admins) unpublish or show it again.

use leptos::prelude::*;

use super::context::EditorCtx;
use crate::layout::Erase;
use crate::{
    accounts::Role,
    delivery::{pages::DeliveryStatus, DeliveryView},
    editor::IssueState,
    i18n::td_string,
    lang,
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
                republish_issue(ctx.number, accepted).await.map(|()| {
                    td_string!(lang::current(), editor.publish_correction_done).to_owned()
                })
            } else {
                publish_issue(ctx.number, accepted).await.map(|next| {
                    lang::fill(
                        td_string!(lang::current(), editor.publish_done),
                        &[("next", &next.to_string())],
                    )
                })
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
        <section class="publish-panel" aria-label=td_string!(lang::current(), editor.publishing)>
            {move || ctx.issue.with(|issue| match issue.state {
                IssueState::Published => view! {
                    <p class="published-note">
                        {tr!(editor.published_prefix)} <Time at=issue.published_at />
                        {issue.revised_at.map(|at| view! { {tr!(editor.updated_prefix)} <Time at=Some(at) /> })}
                        {issue.hidden.then(|| td_string!(lang::current(), editor.hidden_note))}
                        " · " <a href=format!("/issues/{}", issue.number)>{tr!(editor.public_page)}</a>
                    </p>
                    {issue.snapshot_problem.clone().map(|problem| view! {
                        <p class="form-error snapshot-problem" role="alert">{problem}</p>
                    })}
                }.erase(),
                IssueState::Draft => ().erase(),
            })}
            {publisher.then(|| view! {
                <button type="button" class="publish-review" on:click=review>
                    {move || if state() == IssueState::Published { td_string!(lang::current(), editor.republish_review) } else { td_string!(lang::current(), editor.publish_review) }}
                </button>
            })}
            {move || (admin && state() == IssueState::Published).then(|| {
                let hidden = ctx.issue.with(|i| i.hidden);
                view! {
                    <button type="button" class="secondary unpublish" on:click=move |_| hide(!hidden)>
                        {if hidden { td_string!(lang::current(), editor.show_again) } else { td_string!(lang::current(), editor.unpublish) }}
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
                    <div class="publish-check" role="region" aria-label=td_string!(lang::current(), editor.before_publishing)>
                        {blocked.then(|| view! {
                            <p><strong>{tr!(editor.fix_first)}</strong></p>
                            <ul class="publish-errors">
                                {result.errors.iter().map(|e| view! { <li>{e.clone()}</li> }).collect_view()}
                            </ul>
                        })}
                        {warned.then(|| view! {
                            <p><strong>{tr!(editor.please_check)}</strong></p>
                            <ul class="publish-warnings">
                                {result.warnings.iter().map(|w| view! { <li>{w.clone()}</li> }).collect_view()}
                            </ul>
                            <label>
                                <input type="checkbox" class="accept-warnings" prop:checked=move || accept.get()
                                    on:change=move |ev| accept.set(event_target_checked(&ev)) />
                                {tr!(editor.publish_anyway)}
                            </label>
                        })}
                        {(!blocked && !warned).then(|| view! { <p>{tr!(editor.checks_passed)}</p> })}
                        <button type="button" class="publish-confirm"
                            disabled=move || blocked || busy.get() || (warned && !accept.get())
                            on:click=confirm>
                            {move || if state() == IssueState::Published { td_string!(lang::current(), editor.republish_now) } else { td_string!(lang::current(), editor.publish_now) }}
                        </button>
                        <button type="button" class="secondary" on:click=move |_| check.set(None)>{tr!(editor.cancel)}</button>

                    </div>
                }
            })}
        </section>
    }
}
