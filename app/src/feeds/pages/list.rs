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
use crate::page_data::page_data;
use crate::{
    feeds::model::{AddFeedOutcome, DiscoveredFeed, FeedHealth, FeedStatus, FeedsOverview},
    layout::parts::{field_error, general_error, plural, Time},
};

#[component]
pub fn FeedsPage() -> impl IntoView {
    let add = ServerAction::<AddFeed>::new();
    let starter = ServerAction::<AddStarterSet>::new();
    let refresh_all = ServerAction::<RefreshAll>::new();
    let refresh_one = ServerAction::<RefreshFeed>::new();
    let overview = page_data(
        move || {
            (
                add.version().get(),
                starter.version().get(),
                refresh_all.version().get(),
                refresh_one.version().get(),
            )
        },
        |_| load_feeds(),
    );

    view! {
        <Title text="Feeds" />
        <div class="page-head">
            <h1>"Feeds"</h1>
            <div class="page-actions">
                <ActionForm action=refresh_all>
                    <button type="submit" class="secondary" disabled=move || refresh_all.pending().get()>
                        "Refresh all"
                    </button>
                </ActionForm>
                <a class="button secondary" href="/feeds.opml" download="newsdesk-feeds.opml">"Export OPML"</a>
                <a class="button secondary" href="/feeds/filters">"Team filter rules"</a>
            </div>
        </div>
        <p class="lede">"The sources newsdesk polls for candidate articles."</p>
        <p class="form-status" role="status">
            {move || refresh_all.value().get().and_then(Result::ok).map(|n| format!("{} queued for checking.", plural(n as i64, "feed", "feeds")))}
        </p>
        <AddFeedForm action=add />
        <ImportForm />
        <RefreshResult action=refresh_one />
        <Transition fallback=|| view! { <p class="muted">"Loading feeds…"</p> }>
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
                        <p class="form-error" role="alert">"Could not load the feeds. " {error.to_string()}</p>
                    }),
                }
            })}
        </Transition>
    }
}

#[component]
fn AddFeedForm(action: ServerAction<AddFeed>) -> impl IntoView {
    let form = NodeRef::<leptos::html::Form>::new();
    let result = action.value();
    let url_error = field_error(result, "url");
    let title_error = field_error(result, "title");
    let other_error = general_error(result, &["url", "title"]);
    let added = move || match result.get() {
        Some(Ok(AddFeedOutcome::Added(feed))) => Some(format!("Added “{}”.", feed.display_name())),
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
            <h2 id="add-feed-heading">"Add a feed"</h2>
            <ActionForm action node_ref=form attr:class="add-feed" attr:novalidate=true>
                <div class="field">
                    <label for="feed-url">"Feed or site URL"</label>
                    <input
                        id="feed-url"
                        name="url"
                        type="url"
                        inputmode="url"
                        autocomplete="off"
                        placeholder="https://kubernetes.io/ or https://github.com/cilium/cilium"
                        aria-describedby="feed-url-error feed-url-hint"
                        aria-invalid=move || url_error().is_some().to_string()
                    />
                    <p id="feed-url-hint" class="hint">
                        "A feed URL, a site URL (its feed is found for you) or a GitHub repository (its releases)."
                    </p>
                    <p id="feed-url-error" class="field-error" aria-live="polite">{url_error}</p>
                </div>
                <div class="field">
                    <label for="feed-title">"Title " <span class="muted">"(optional)"</span></label>
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
                    <button type="submit" disabled=move || action.pending().get()>"Add feed"</button>
                    <label class="check">
                        <input type="checkbox" name="exact" value="true" />
                        " Add without checking"
                    </label>
                    <p class="form-status" role="status">{added}</p>
                    <p class="form-error" role="alert">{other_error}</p>
                </div>
            </ActionForm>
            {move || choices().map(|found| view! { <FeedChoices found action /> })}
        </section>
    }
}

/// Several feeds at one site: one button each, adding exactly that URL.
#[component]
fn FeedChoices(found: Vec<DiscoveredFeed>, action: ServerAction<AddFeed>) -> impl IntoView {
    view! {
        <div class="choices" role="group" aria-labelledby="choices-heading">
            <p id="choices-heading">"This site has several feeds. Which one?"</p>
            <ul>
                {found
                    .into_iter()
                    .map(|feed| {
                        let label = feed.title.clone().unwrap_or_else(|| feed.url.clone());
                        view! {
                            <li>
                                <ActionForm action>
                                    <input type="hidden" name="url" value=feed.url.clone() />
                                    <input type="hidden" name="title" value=feed.title.clone().unwrap_or_default() />
                                    <input type="hidden" name="exact" value="true" />
                                    <button type="submit" class="secondary">"Add " {label}</button>
                                    " "
                                    <span class="muted">{feed.format.to_uppercase()} " · " {feed.url}</span>
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
            <summary>"Import feeds from OPML"</summary>
            <form action="/feeds/import" method="post" enctype="multipart/form-data" class="import-form">
                <label for="opml-file">"OPML file exported by Miniflux, FreshRSS, Feedly or newsdesk"</label>
                <input id="opml-file" type="file" name="file" accept=".opml,.xml,text/x-opml,text/xml,application/xml" required />
                <button type="submit">"Import"</button>
            </form>
        </details>
    }
}

#[component]
fn RefreshResult(action: ServerAction<RefreshFeed>) -> impl IntoView {
    move || {
        action.value().get().map(|result| match result {
            Ok(outcome) => match outcome.error {
                Some(error) => view! { <p class="form-error" role="alert">"Refresh failed: " {error}</p> }.into_any(),
                None if outcome.not_modified => {
                    view! { <p class="form-status" role="status">"Refreshed: nothing changed since the last check."</p> }.into_any()
                }
                None => view! {
                    <p class="form-status" role="status">
                        {format!("Refreshed: {} new, {} updated.", outcome.new, outcome.updated)}
                    </p>
                }
                .into_any(),
            },
            Err(error) => view! { <p class="form-error" role="alert">{error.to_string()}</p> }.into_any(),
        })
    }
}

#[component]
fn StarterSet(action: ServerAction<AddStarterSet>) -> impl IntoView {
    view! {
        <section class="empty" id="feeds-empty">
            <p>"No feeds yet. Add one above, import an OPML file, or start with these cloud-native sources:"</p>
            <ul class="starter">
                {STARTER_FEEDS
                    .iter()
                    .map(|(title, url, _)| view! { <li>{*title} " " <span class="muted">{*url}</span></li> })
                    .collect_view()}
            </ul>
            <ActionForm action>
                <button type="submit" disabled=move || action.pending().get()>
                    {format!("Add these {} feeds", STARTER_FEEDS.len())}
                </button>
            </ActionForm>
        </section>
    }
}

#[component]
fn Summary(overview: FeedsOverview) -> impl IntoView {
    view! {
        <p class="summary" id="feeds-summary">
            <strong>{plural(overview.feeds.len() as i64, "feed", "feeds")}</strong>
            " · "
            <span class={if overview.failing > 0 { "bad" } else { "" }}>{format!("{} failing", overview.failing)}</span>
            " · "
            <span class={if overview.slow > 0 { "warn" } else { "" }}>{format!("{} slow", overview.slow)}</span>
        </p>
    }
}

#[component]
fn FeedTable(feeds: Vec<FeedHealth>, refresh: ServerAction<RefreshFeed>) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table class="feeds" id="feeds">
                <thead>
                    <tr>
                        <th scope="col">"Feed"</th>
                        <th scope="col">"Status"</th>
                        <th scope="col">"Last check"</th>
                        <th scope="col">"Next check"</th>
                        <th scope="col" class="num">"30 days"</th>
                        <th scope="col" class="num" title="Fetch time: median / 95th percentile">"Latency"</th>
                        <th scope="col"><span class="visually-hidden">"Actions"</span></th>
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
    let name = feed.display_name().to_owned();
    let last_check = match (feed.last_attempt_at, feed.last_http_status) {
        (Some(at), Some(status)) => {
            view! { <Time at=Some(at) /> <span class="muted">{format!(" · HTTP {status}")}</span> }
                .into_any()
        }
        (at, _) => view! { <Time at /> }.into_any(),
    };
    let next_check = if feed.enabled {
        view! { <Time at=Some(feed.next_check_at) /> }.into_any()
    } else {
        view! { <span class="muted">"—"</span> }.into_any()
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
                        <span class="muted">{format!(" ({} in a row)", feed.consecutive_failures)}</span>
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
                    <button type="submit" class="secondary small" aria-label=format!("Refresh {name} now")>
                        "Refresh"
                    </button>
                </ActionForm>
            </td>
        </tr>
    }
}
