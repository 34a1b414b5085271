//! `/settings/webhooks` (admins): the team chat's webhooks, what each is
//! told, and the log of its last posts.

use leptos::prelude::*;
use leptos_meta::Title;

use super::{
    api::{load_summary_time, load_webhooks, AddWebhook, RemoveWebhook, SaveSummaryTime},
    WebhookEvent, WebhookView,
};
use crate::layout::Erase;
use crate::{
    i18n::td_string,
    lang,
    layout::{
        parts::{field_error, general_error, Time},
        Field,
    },
    page_data::{after_actions, page_data},
    pages::LoadError,
};

const FIELDS: &[&str] = &["url", "kind", "events"];

#[component]
pub fn WebhooksPage() -> impl IntoView {
    let add = ServerAction::<AddWebhook>::new();
    let remove = ServerAction::<RemoveWebhook>::new();
    let loaded = page_data(after_actions([add.version(), remove.version()]), |_| {
        load_webhooks()
    });
    view! {
        <Title text=td_string!(lang::current(), admin.webhooks_title) />
        <h1>{tr!(admin.webhooks_title)}</h1>
        <p><a href="/settings">{tr!(admin.delivery_back_to_settings)}</a></p>
        <p class="hint">
            {tr!(admin.webhooks_intro)}
        </p>
        <SummaryTime />
        <AddForm add />
        <Transition fallback=move || view! { <p class="muted">{tr!(common.shared2_loading)}</p> }>
            {move || Suspend::new(async move {
                match loaded.await {
                    Ok(hooks) if hooks.is_empty() => view! { <p class="muted">{tr!(admin.webhooks_none)}</p> }.erase(),
                    Ok(hooks) => view! {
                        <ul class="webhooks">
                            {hooks.into_iter().map(|hook| view! { <Hook hook remove /> }).collect_view()}
                        </ul>
                    }.erase(),
                    Err(error) => view! { <LoadError error what=td_string!(lang::current(), admin.what_webhooks) /> }.erase(),
                }
            })}
        </Transition>
    }
}

/// When the daily "picks so far" summary goes out.
#[component]
fn SummaryTime() -> impl IntoView {
    let save = ServerAction::<SaveSummaryTime>::new();
    let loaded = page_data(move || save.version().get(), |_| load_summary_time());
    let value = save.value();
    let error = Signal::derive(field_error(value, "summary_time"));
    let saved = move || {
        matches!(value.get(), Some(Ok(_))).then(|| td_string!(lang::current(), admin.saved))
    };
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                loaded.await.ok().map(|time| view! {
                    <ActionForm action=save attr:class="settings-form summary-form">
                        <Field id="summary_time" name="summary_time" label=move || tr!(admin.webhooks_summary_time)
                            error value=time placeholder="17:00"
                            hint=td_string!(lang::current(), admin.webhooks_summary_hint) />
                        <p class="form-ok" role="status">{saved}</p>
                        <button type="submit">{tr!(admin.webhooks_save_time)}</button>
                    </ActionForm>
                })
            })}
        </Transition>
    }
}

#[component]
fn AddForm(add: ServerAction<AddWebhook>) -> impl IntoView {
    let value = add.value();
    let error = move |field: &'static str| Signal::derive(field_error(value, field));
    let secret = move || value.get().and_then(Result::ok).map(|made| made.secret);
    view! {
        <ActionForm action=add attr:class="settings-form webhook-form">
            {view! {
                <Field id="webhook-url" name="url" label=|| "URL" error=error("url") required=true
                    placeholder="https://hooks.slack.com/services/…" />
                <div class="field">
                    <label for="webhook-kind">{tr!(admin.webhooks_kind)}</label>
                    <select id="webhook-kind" name="kind">
                        <option value="slack">{tr!(admin.webhooks_kind_slack)}</option>
                        <option value="json">{tr!(admin.webhooks_kind_json)}</option>
                    </select>
                </div>
                <fieldset>
                    <legend>{tr!(admin.webhooks_events)}</legend>
                    {WebhookEvent::ALL.into_iter().map(|event| view! {
                        <div class="field checkbox">
                            <label>
                                <input type="checkbox" name=event.as_str() value="true" checked=true />
                                " " {event.label()}
                            </label>
                        </div>
                    }).collect_view()}
                    <p class="field-error" aria-live="polite">{move || error("events").get()}</p>
                </fieldset>
                <p class="form-error" role="alert">{general_error(value, FIELDS)}</p>
                {move || secret().map(|secret| view! {
                    <p class="form-ok" role="status">
                        {tr!(admin.webhooks_added_secret)}
                        <code class="webhook-secret">{secret}</code>
                    </p>
                })}
                <button type="submit">{tr!(admin.webhooks_add)}</button>
            }
            .sync_hydrated()}
        </ActionForm>
    }
}

#[component]
fn Hook(hook: WebhookView, remove: ServerAction<RemoveWebhook>) -> impl IntoView {
    let events: Vec<&str> = hook.events.iter().map(|event| event.label()).collect();
    let kind = match hook.kind {
        super::WebhookKind::Slack => td_string!(lang::current(), admin.webhooks_kind_slack_short),
        super::WebhookKind::Json => td_string!(lang::current(), admin.webhooks_kind_json_short),
    };
    view! {
        <li class="webhook">
            <p>
                <strong><code>{hook.shown_url.clone()}</code></strong>
                {format!(" · {kind} · {}", events.join(", "))}
            </p>
            <ActionForm action=remove attr:class="inline-form">
                <input type="hidden" name="id" value=hook.id />
                <button type="submit" class="danger">{tr!(admin.webhooks_remove)}</button>
            </ActionForm>
            {if hook.log.is_empty() {
                view! { <p class="muted">{tr!(admin.webhooks_nothing_sent)}</p> }.erase()
            } else {
                view! {
                    <table class="webhook-log">
                        <caption class="visually-hidden">{tr!(admin.webhooks_last_posts)}</caption>
                        <thead><tr>
                            <th>{tr!(admin.webhooks_col_event)}</th>
                            <th>{tr!(admin.webhooks_col_when)}</th>
                            <th>{tr!(admin.webhooks_col_status)}</th>
                            <th>{tr!(admin.webhooks_col_response)}</th>
                            <th>{tr!(admin.webhooks_col_attempts)}</th>
                        </tr></thead>

                        <tbody>
                            {hook.log.into_iter().map(|post| view! {
                                <tr class=format!("webhook-post {}", post.state)>
                                    <td>{post.event.clone()}</td>
                                    <td><Time at=Some(post.created_at) /></td>
                                    <td>
                                        {post.state.clone()}
                                        {post.error.clone().map(|error| view! { <br /><span class="delivery-error">{error}</span> })}
                                    </td>
                                    <td>{post.response_status.map(|status| status.to_string()).unwrap_or_else(|| "—".into())}</td>
                                    <td>{post.attempts}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.erase()
            }}
        </li>
    }
}
