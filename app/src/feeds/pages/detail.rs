//! One feed: its settings, health, filter rules and recent fetches; refresh
//! now; delete.

use leptos::{either::Either, prelude::*};
use leptos_meta::Title;

use crate::feeds::{
    api::{feed_details, AddRule, DeleteFeed, DeleteRule, RefreshFeed, UpdateFeed},
    pages::parts::{milliseconds, StatusBadge},
    pages::rules_editor::RulesEditor,
};
use crate::layout::Erase;
use crate::page_data::{after_actions, page_data};
use crate::{
    error::AppError,
    feeds::model::{FeedFetch, FeedHealth},
    i18n::{td, td_string},
    lang,
    layout::parts::{field_error, general_error, number_param, Time},
    pages::NotFound,
};

#[component]
pub fn FeedPage() -> impl IntoView {
    let id = number_param::<i64>("id");
    let update = ServerAction::<UpdateFeed>::new();
    let refresh = ServerAction::<RefreshFeed>::new();
    let add_rule = ServerAction::<AddRule>::new();
    let delete_rule = ServerAction::<DeleteRule>::new();
    let delete = ServerAction::<DeleteFeed>::new();
    let changed = after_actions([
        update.version(),
        refresh.version(),
        add_rule.version(),
        delete_rule.version(),
    ]);
    let details = page_data(
        move || (id(), changed()),
        |(id, ..)| async move {
            match id {
                Some(id) => feed_details(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );

    view! {
        <Transition fallback=move || view! { <p class="muted">{tr!(feeds.loading_feed)}</p> }>
            {move || Suspend::new(async move {
                match details.await {
                    Ok((feed, fetches, rules)) => Either::Left(view! {
                        <Title text=feed.display_name().to_owned() />
                        <p class="breadcrumb"><a href="/feeds">{tr!(feeds.title)}</a> " ›"</p>
                        <div class="page-head">
                            <h1>{feed.display_name().to_owned()}</h1>
                            <StatusBadge status=feed.status />
                            <div class="page-actions">
                                <a class="button secondary" href=format!("/?feed={}&state=all", feed.id)>{tr!(feeds.in_inbox)}</a>
                            </div>
                        </div>
                        <Health feed=feed.clone() refresh />
                        <SettingsForm feed=feed.clone() action=update />
                        <section class="panel">
                            <h2>{tr!(feeds.feed_rules)}</h2>
                            <p class="muted">
                                {td!(
                                    lang::current(), feeds.team_rules_too,
                                    <link> = |children: ChildrenFn| view! { <a href="/feeds/filters">{children()}</a> }
                                )}
                            </p>
                            <RulesEditor feed_id=Some(feed.id) rules add=add_rule delete=delete_rule />
                        </section>
                        <Fetches fetches />
                        <DeleteFeedForm id=feed.id action=delete />
                    }),
                    Err(AppError::NotFound) => Either::Right(Either::Left(view! { <NotFound /> })),
                    Err(error) => Either::Right(Either::Right(view! {
                        <p class="form-error" role="alert">{error.to_string()}</p>
                    })),
                }
            })}
        </Transition>
    }
}

#[component]
fn Health(feed: FeedHealth, refresh: ServerAction<RefreshFeed>) -> impl IntoView {
    let locale = lang::current();
    let refreshed = move || {
        refresh.value().get().map(|result| match result {
            Ok(outcome) => match outcome.error {
                Some(error) => lang::fill(
                    td_string!(locale, feeds.refresh_failed),
                    &[("error", &error)],
                ),
                None if outcome.not_modified => {
                    td_string!(locale, feeds.refreshed_unchanged).to_owned()
                }
                None => lang::fill(
                    td_string!(locale, feeds.refreshed),
                    &[
                        ("new", &outcome.new.to_string()),
                        ("updated", &outcome.updated.to_string()),
                    ],
                ),
            },
            Err(error) => error.to_string(),
        })
    };
    view! {
        <section class="panel">
            <dl class="facts">
                <dt>{tr!(feeds.fact_url)}</dt>
                <dd class="url"><a href=feed.url.clone() rel="noopener noreferrer" target="_blank">{feed.url.clone()}</a></dd>
                <dt>{tr!(feeds.fact_site)}</dt>
                <dd>
                    {match feed.site_url.clone() {
                        Some(url) => {
                            let href = url.clone();
                            view! { <a href=href rel="noopener noreferrer" target="_blank">{url}</a> }.erase()
                        }
                        None => view! { <span class="muted">{tr!(feeds.unknown)}</span> }.erase(),
                    }}
                </dd>
                <dt>{tr!(feeds.fact_last_attempt)}</dt>
                <dd>
                    <Time at=feed.last_attempt_at />
                    {feed.last_http_status.map(|status| format!(" · HTTP {status}"))}
                </dd>
                <dt>{tr!(feeds.fact_last_success)}</dt>
                <dd><Time at=feed.last_success_at /></dd>
                <dt>{tr!(feeds.fact_last_error)}</dt>
                {match feed.last_error.clone() {
                    // No failure since the last success: the feed was read,
                    // with errors ("read with errors: …"): said, not alarmed.
                    Some(note) if feed.consecutive_failures == 0 => {
                        view! { <dd class="feed-note muted">{note}</dd> }.erase()
                    }
                    Some(error) => view! { <dd class="feed-error">{error}</dd> }.erase(),
                    None => view! { <dd class="muted">{tr!(feeds.none)}</dd> }.erase(),
                }}
                <dt>{tr!(feeds.fact_failures)}</dt>
                <dd>{feed.consecutive_failures}</dd>
                <dt>{tr!(feeds.fact_next_check)}</dt>
                <dd>
                    {if feed.enabled {
                        view! { <Time at=Some(feed.next_check_at) /> }.erase()
                    } else {
                        view! { <span>{tr!(feeds.never_disabled)}</span> }.erase()
                    }}
                </dd>
                <dt>{tr!(feeds.fact_entries)}</dt>
                <dd>{feed.entries_30d}</dd>
                <dt>{tr!(feeds.fact_latency)}</dt>
                <dd>
                    {lang::fill(
                        td_string!(locale, feeds.latency_text),
                        &[
                            ("median", &milliseconds(feed.latency.median_ms)),
                            ("p95", &milliseconds(feed.latency.p95_ms)),
                            ("recent", &milliseconds(feed.latency.recent_median_ms)),
                            ("fleet", &milliseconds(feed.latency.fleet_median_ms)),
                        ],
                    )}
                </dd>
            </dl>
            <ActionForm action=refresh>
                <input type="hidden" name="id" value=feed.id />
                <button type="submit" disabled=move || refresh.pending().get()>{tr!(feeds.refresh_now)}</button>
            </ActionForm>
            <p class="form-status" role="status">{refreshed}</p>
        </section>
    }
}

#[component]
fn SettingsForm(feed: FeedHealth, action: ServerAction<UpdateFeed>) -> impl IntoView {
    let locale = lang::current();
    let result = action.value();
    let errors = |field| field_error(result, field);
    let (title_error, category_error, tags_error, interval_error) = (
        errors("title"),
        errors("category"),
        errors("tags"),
        errors("interval"),
    );
    let other_error = general_error(result, &["title", "category", "tags", "interval"]);
    let saved =
        move || matches!(result.get(), Some(Ok(()))).then_some(td_string!(locale, feeds.saved));
    view! {
        <section class="panel">
            <h2>{tr!(feeds.settings)}</h2>
            <ActionForm action attr:class="settings-form" attr:novalidate=true>
                {view! {
                    <input type="hidden" name="id" value=feed.id />
                    <div class="field">
                        <label for="feed-title">{tr!(feeds.label_title)}</label>
                        <input id="feed-title" name="title" type="text" value=feed.title.clone().unwrap_or_default()
                            aria-invalid=move || title_error().is_some().to_string() />
                        <p class="field-error" aria-live="polite">{title_error}</p>
                    </div>
                    <div class="field">
                        <label for="feed-category">{tr!(feeds.label_category)}</label>
                        <input id="feed-category" name="category" type="text" value=feed.category.clone().unwrap_or_default()
                            aria-invalid=move || category_error().is_some().to_string() />
                        <p class="field-error" aria-live="polite">{category_error}</p>
                    </div>
                    <div class="field">
                        <label for="feed-tags">{tr!(feeds.label_tags)} <span class="muted">{tr!(feeds.comma_separated)}</span></label>
                        <input id="feed-tags" name="tags" type="text" value=feed.tags.join(", ")
                            aria-invalid=move || tags_error().is_some().to_string() />
                        <p class="field-error" aria-live="polite">{tags_error}</p>
                    </div>
                    <div class="field">
                        <label for="feed-interval">{tr!(feeds.label_interval)}</label>
                        <input id="feed-interval" name="interval" type="number" min="5" step="1"
                            value=feed.poll_interval_minutes.to_string()
                            aria-invalid=move || interval_error().is_some().to_string() />
                        <p class="field-error" aria-live="polite">{interval_error}</p>
                    </div>
                    <div class="field">
                        <label class="check">
                            <input type="checkbox" name="enabled" value="true" checked=feed.enabled />
                            {tr!(feeds.label_enabled)}
                        </label>
                    </div>
                    <div class="actions">
                        <button type="submit" disabled=move || action.pending().get()>{tr!(feeds.save_settings)}</button>
                        <p class="form-status" role="status">{saved}</p>
                        <p class="form-error" role="alert">{other_error}</p>
                    </div>
                }
                .sync_hydrated()}
            </ActionForm>
        </section>
    }
}

#[component]
fn Fetches(fetches: Vec<FeedFetch>) -> impl IntoView {
    let locale = lang::current();
    view! {
        <section class="panel">
            <h2>{tr!(feeds.recent_fetches)}</h2>
            {if fetches.is_empty() {
                view! { <p class="muted">{tr!(feeds.not_fetched)}</p> }.erase()
            } else {
                view! {
                    <div class="table-wrap">
                        <table>
                            <thead>
                                <tr>
                                    <th scope="col">{tr!(feeds.col_when)}</th>
                                    <th scope="col">{tr!(feeds.col_outcome)}</th>
                                    <th scope="col" class="num">"HTTP"</th>
                                    <th scope="col" class="num">{tr!(feeds.col_time)}</th>
                                    <th scope="col" class="num">{tr!(feeds.col_bytes)}</th>
                                    <th scope="col" class="num">{tr!(feeds.col_new_updated)}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {fetches
                                    .into_iter()
                                    .map(|fetch| view! {
                                        <tr>
                                            <td><Time at=Some(fetch.started_at) /></td>
                                            <td>
                                                {outcome_text(&fetch.outcome, locale)}
                                                {fetch.error.map(|e| view! { <div class="feed-error">{e}</div> })}
                                            </td>
                                            <td class="num">{fetch.http_status.map(|s| s.to_string()).unwrap_or_default()}</td>
                                            <td class="num">{milliseconds(Some(f64::from(fetch.duration_ms)))}</td>
                                            <td class="num">{fetch.bytes}</td>
                                            <td class="num">{format!("{} / {}", fetch.entries_new, fetch.entries_updated)}</td>
                                        </tr>
                                    })
                                    .collect_view()}
                            </tbody>
                        </table>
                    </div>
                }
                .erase()
            }}
        </section>
    }
}

#[component]
fn DeleteFeedForm(id: i64, action: ServerAction<DeleteFeed>) -> impl IntoView {
    let error = move || {
        action
            .value()
            .get()
            .and_then(Result::err)
            .map(|e| e.to_string())
    };
    view! {
        <details class="panel danger">
            <summary>{tr!(feeds.delete_summary)}</summary>
            <p>
                {tr!(feeds.delete_text)}
            </p>
            <ActionForm action>
                <input type="hidden" name="id" value=id />
                <button type="submit" class="danger">{tr!(feeds.delete_submit)}</button>
            </ActionForm>
            <p class="form-error" role="alert">{error}</p>
        </details>
    }
}

/// How a fetch ended (`fetched`, `not_modified`, `failed`), in words.
fn outcome_text(outcome: &str, locale: lang::Locale) -> String {
    match outcome {
        "fetched" => td_string!(locale, feeds.outcome_fetched).to_owned(),
        "not_modified" => td_string!(locale, feeds.outcome_not_modified).to_owned(),
        "failed" => td_string!(locale, feeds.outcome_failed).to_owned(),
        other => other.replace('_', " "),
    }
}
