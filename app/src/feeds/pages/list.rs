//! The Feeds page: summary and health of every feed, adding by feed or site
//! URL (choosing when a site has several feeds), the starter set, OPML.
//! Forms are `ActionForm`s: plain posts before hydration, fetches after.

use leptos::{either::Either, prelude::*};
use leptos_meta::Title;

use crate::feeds::{
    api::{load_feeds, AddFeed, AddStarterSet, RefreshAll, RefreshFeed},
    pages::parts::{milliseconds, StatusBadge},
    starter::STARTER_FEEDS,
};
use crate::layout::Erase;
use crate::page_data::{after_actions, page_data};
use crate::{
    feeds::model::{AddFeedOutcome, DiscoveredFeed, FeedHealth, FeedStatus, FeedsOverview},
    i18n::td_string,
    lang::{self, Locale},
    layout::parts::{field_error, general_error, Time},
};

/// "3 feeds", in the page's language.
fn feed_count(locale: Locale, count: usize) -> String {
    lang::counted(
        count,
        td_string!(locale, feeds.count_singular),
        td_string!(locale, feeds.count_plural),
    )
}

#[component]
pub fn FeedsPage() -> impl IntoView {
    let add = ServerAction::<AddFeed>::new();
    let starter = ServerAction::<AddStarterSet>::new();
    let refresh_all = ServerAction::<RefreshAll>::new();
    let refresh_one = ServerAction::<RefreshFeed>::new();
    let locale = lang::current();
    let overview = page_data(
        after_actions([
            add.version(),
            starter.version(),
            refresh_all.version(),
            refresh_one.version(),
        ]),
        |_| load_feeds(),
    );

    view! {
        <Title text=td_string!(locale, feeds.title) />
        <div class="page-head">
            <h1>{tr!(feeds.title)}</h1>
            <div class="page-actions">
                <ActionForm action=refresh_all>
                    <button type="submit" class="secondary" disabled=move || refresh_all.pending().get()>
                        {tr!(feeds.refresh_all)}
                    </button>
                </ActionForm>
                <a class="button secondary" href="/feeds.opml" download="newsdesk-feeds.opml">{tr!(feeds.export_opml)}</a>
                <a class="button secondary" href="/feeds/filters">{tr!(feeds.team_rules)}</a>
            </div>
        </div>
        <p class="lede">{tr!(feeds.lede)}</p>
        <p class="form-status" role="status">
            {move || refresh_all.value().get().and_then(Result::ok).map(|n| lang::counted(
                n,
                td_string!(locale, feeds.queued_singular),
                td_string!(locale, feeds.queued_plural),
            ))}
        </p>
        <AddFeedForm action=add />
        <ImportForm />
        <RefreshResult action=refresh_one />
        <Transition fallback=move || view! { <p class="muted">{tr!(feeds.loading)}</p> }>
            {move || Suspend::new(async move {
                match overview.await {
                    Ok(overview) if overview.feeds.is_empty() => {
                        Either::Left(Either::Left(view! { <StarterSet action=starter /> }))
                    }
                    Ok(overview) => Either::Left(Either::Right(view! {
                        <Summary overview=overview.clone() />
                        <FeedTable feeds=overview.feeds refresh=refresh_one />
                    })),
                    Err(error) => Either::Right(view! {
                        <p class="form-error" role="alert">{td_string!(locale, feeds.could_not_load)} {error.to_string()}</p>
                    }),
                }
            })}
        </Transition>
    }
}

#[component]
fn AddFeedForm(action: ServerAction<AddFeed>) -> impl IntoView {
    let locale = lang::current();
    let form = NodeRef::<leptos::html::Form>::new();
    let result = action.value();
    let url_error = field_error(result, "url");
    let title_error = field_error(result, "title");
    let other_error = general_error(result, &["url", "title"]);
    let added = move || match result.get() {
        Some(Ok(AddFeedOutcome::Added(feed))) => Some(lang::fill(
            td_string!(locale, feeds.added),
            &[("name", feed.display_name())],
        )),
        _ => None,
    };
    let choices = move || match result.get() {
        Some(Ok(AddFeedOutcome::Choose(found))) => Some(found),
        _ => None,
    };
    // Clear the inputs after a successful add, keep them after an error.
    Effect::new(move |_| {
        if let (Some(Ok(AddFeedOutcome::Added(_))), Some(form)) = (result.get(), form.get()) {
            form.reset();
        }
    });

    view! {
        <section class="panel" aria-labelledby="add-feed-heading">
            <h2 id="add-feed-heading">{tr!(feeds.add_heading)}</h2>
            <ActionForm action node_ref=form attr:class="add-feed" attr:novalidate=true>
                {view! {
                    <div class="field">
                        <label for="feed-url">{tr!(feeds.url_label)}</label>
                        <input
                            id="feed-url"
                            name="url"
                            type="url"
                            inputmode="url"
                            autocomplete="off"
                            placeholder=td_string!(locale, feeds.url_placeholder)
                            aria-describedby="feed-url-error feed-url-hint"
                            aria-invalid=move || url_error().is_some().to_string()
                        />
                        <p id="feed-url-hint" class="hint">
                            {tr!(feeds.url_hint)}
                        </p>
                        <p id="feed-url-error" class="field-error" aria-live="polite">{url_error}</p>
                    </div>
                    <div class="field">
                        <label for="feed-title">{tr!(feeds.title_label)} <span class="muted">{tr!(feeds.optional)}</span></label>
                        <input
                            id="feed-title"
                            name="title"
                            type="text"
                            autocomplete="off"
                            placeholder="Kubernetes Blog"
                            aria-describedby="feed-title-error"
                            aria-invalid=move || title_error().is_some().to_string()
                        />
                        <p id="feed-title-error" class="field-error" aria-live="polite">{title_error}</p>
                    </div>
                    <div class="actions">
                        <button type="submit" disabled=move || action.pending().get()>{tr!(feeds.add_submit)}</button>
                        <label class="check">
                            <input type="checkbox" name="exact" value="true" />
                            {tr!(feeds.add_exact)}
                        </label>
                        <p class="form-status" role="status">{added}</p>
                        <p class="form-error" role="alert">{other_error}</p>
                    </div>
                }
                .sync_hydrated()}
            </ActionForm>
            {move || choices().map(|found| view! { <FeedChoices found action /> })}
        </section>
    }
}

/// Several feeds at one site: one button each, adding exactly that URL.
#[component]
fn FeedChoices(found: Vec<DiscoveredFeed>, action: ServerAction<AddFeed>) -> impl IntoView {
    let locale = lang::current();
    view! {
        <div class="choices" role="group" aria-labelledby="choices-heading">
            <p id="choices-heading">{tr!(feeds.choices_heading)}</p>
            <ul>
                {found
                    .into_iter()
                    .map(|feed| {
                        let label = feed.title.clone().unwrap_or_else(|| feed.url.clone());
                        view! {
                            <li>
                                <ActionForm action>
                                    {view! {
                                        <input type="hidden" name="url" value=feed.url.clone() />
                                        <input type="hidden" name="title" value=feed.title.clone().unwrap_or_default() />
                                        <input type="hidden" name="exact" value="true" />
                                        <button type="submit" class="secondary">{lang::fill(td_string!(locale, feeds.choice_add), &[("name", &label)])}</button>
                                        " "
                                        <span class="muted">{feed.format.to_uppercase()} " · " {feed.url}</span>
                                    }
                                    .sync_hydrated()}
                                </ActionForm>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </div>
    }
}

/// OPML upload: a plain multipart form the server handles, with or without
/// JavaScript.
#[component]
fn ImportForm() -> impl IntoView {
    view! {
        <details class="panel">
            <summary>{tr!(feeds.import_summary)}</summary>
            <form action="/feeds/import" method="post" enctype="multipart/form-data" class="import-form">
                <label for="opml-file">{tr!(feeds.import_file_label)}</label>
                <input id="opml-file" type="file" name="file" accept=".opml,.xml,text/x-opml,text/xml,application/xml" required />
                <button type="submit">{tr!(feeds.import_submit)}</button>
            </form>
        </details>
    }
}

#[component]
fn RefreshResult(action: ServerAction<RefreshFeed>) -> impl IntoView {
    let locale = lang::current();
    move || {
        action.value().get().map(|result| match result {
            Ok(outcome) => match outcome.error {
                Some(error) => view! { <p class="form-error" role="alert">{lang::fill(td_string!(locale, feeds.refresh_failed), &[("error", &error)])}</p> }.erase(),
                None if outcome.not_modified => {
                    view! { <p class="form-status" role="status">{td_string!(locale, feeds.refreshed_unchanged_since)}</p> }.erase()
                }
                None => view! {
                    <p class="form-status" role="status">
                        {lang::fill(
                            td_string!(locale, feeds.refreshed),
                            &[("new", &outcome.new.to_string()), ("updated", &outcome.updated.to_string())],
                        )}
                    </p>
                }
                .erase(),
            },
            Err(error) => view! { <p class="form-error" role="alert">{error.to_string()}</p> }.erase(),
        })
    }
}

#[component]
fn StarterSet(action: ServerAction<AddStarterSet>) -> impl IntoView {
    let locale = lang::current();
    view! {
        <section class="empty" id="feeds-empty">
            <p>{tr!(feeds.starter_text)}</p>
            <ul class="starter">
                {STARTER_FEEDS
                    .iter()
                    .map(|(title, url, _)| view! { <li>{*title} " " <span class="muted">{*url}</span></li> })
                    .collect_view()}
            </ul>
            <ActionForm action>
                <button type="submit" disabled=move || action.pending().get()>
                    {lang::fill(td_string!(locale, feeds.starter_add), &[("count", &STARTER_FEEDS.len().to_string())])}
                </button>
            </ActionForm>
        </section>
    }
}

#[component]
fn Summary(overview: FeedsOverview) -> impl IntoView {
    let locale = lang::current();
    view! {
        <p class="summary" id="feeds-summary">
            <strong>{feed_count(locale, overview.feeds.len())}</strong>
            " · "
            <span class={if overview.failing > 0 { "bad" } else { "" }}>{lang::fill(td_string!(locale, feeds.failing_count), &[("count", &overview.failing.to_string())])}</span>
            " · "
            <span class={if overview.slow > 0 { "warn" } else { "" }}>{lang::fill(td_string!(locale, feeds.slow_count), &[("count", &overview.slow.to_string())])}</span>
        </p>
    }
}

#[component]
fn FeedTable(feeds: Vec<FeedHealth>, refresh: ServerAction<RefreshFeed>) -> impl IntoView {
    let locale = lang::current();
    view! {
        <div class="table-wrap">
            <table class="feeds" id="feeds">
                <thead>
                    <tr>
                        <th scope="col">{tr!(feeds.col_feed)}</th>
                        <th scope="col">{tr!(feeds.col_status)}</th>
                        <th scope="col">{tr!(feeds.col_last_check)}</th>
                        <th scope="col">{tr!(feeds.col_next_check)}</th>
                        <th scope="col" class="num">{tr!(feeds.col_30_days)}</th>
                        <th scope="col" class="num" title=td_string!(locale, feeds.col_latency_title)>{tr!(feeds.col_latency)}</th>
                        <th scope="col"><span class="visually-hidden">{tr!(feeds.col_actions)}</span></th>
                    </tr>
                </thead>
                <tbody>
                    {feeds.into_iter().map(|feed| view! { <FeedRow feed refresh /> }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn FeedRow(feed: FeedHealth, refresh: ServerAction<RefreshFeed>) -> impl IntoView {
    let locale = lang::current();
    let name = feed.display_name().to_owned();
    let last_check = match (feed.last_attempt_at, feed.last_http_status) {
        (Some(at), Some(status)) => {
            view! { <Time at=Some(at) /> <span class="muted">{format!(" · HTTP {status}")}</span> }
                .erase()
        }
        (at, _) => view! { <Time at /> }.erase(),
    };
    let next_check = if feed.enabled {
        view! { <Time at=Some(feed.next_check_at) /> }.erase()
    } else {
        view! { <span class="muted">"—"</span> }.erase()
    };
    let failing = feed.status == FeedStatus::Failing;
    view! {
        <tr class=format!("status-{}", feed.status.label())>
            <td class="feed-cell">
                <a href=format!("/feeds/{}", feed.id) class="feed-name">{name.clone()}</a>
                <div class="url muted">{feed.url.clone()}</div>
                <div class="chips">
                    {feed.category.clone().map(|c| view! { <span class="chip category">{c}</span> })}
                    {feed.tags.iter().map(|tag| view! { <span class="chip">{tag.clone()}</span> }).collect_view()}
                </div>
            </td>
            <td class="status-cell">
                <StatusBadge status=feed.status />
                {failing.then(|| view! {
                    <div class="feed-error">
                        {feed.last_error.clone().unwrap_or_default()}
                        <span class="muted">{lang::fill(td_string!(locale, feeds.in_a_row), &[("count", &feed.consecutive_failures.to_string())])}</span>
                    </div>
                })}
                // Read, but with errors ("read with errors: …"): said, not alarmed.
                {(!failing).then(|| feed.last_error.clone()).flatten().map(|note| view! {
                    <div class="feed-note muted">{note}</div>
                })}
            </td>
            <td>{last_check}</td>
            <td>{next_check}</td>
            <td class="num">{feed.entries_30d}</td>
            <td class="num">
                {milliseconds(feed.latency.median_ms)} " / " {milliseconds(feed.latency.p95_ms)}
            </td>
            <td>
                <ActionForm action=refresh>
                    <input type="hidden" name="id" value=feed.id />
                    <button type="submit" class="secondary small" aria-label=lang::fill(td_string!(locale, feeds.refresh_name), &[("name", &name)])>
                        {tr!(feeds.refresh)}
                    </button>
                </ActionForm>
            </td>
        </tr>
    }
}
