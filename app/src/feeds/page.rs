//! The Feeds page. The add form is an `ActionForm`: a plain form post before
//! hydration (the server redirects back, with any error in the query), a
//! fetch without reload after it.

use leptos::{either::Either, prelude::*};
use leptos_meta::Title;

use super::api::{list_feeds, AddFeed};
use crate::{error::AppError, model::Feed};

#[component]
pub fn FeedsPage() -> impl IntoView {
    let add = ServerAction::<AddFeed>::new();
    // Refetch the list whenever an add completes.
    let feeds = Resource::new(move || add.version().get(), |_| list_feeds());

    view! {
        <Title text="Feeds" />
        <h1>"Feeds"</h1>
        <p class="lede">"The sources newsdesk polls for candidate articles."</p>
        <AddFeedForm action=add />
        <Transition fallback=|| view! { <p class="muted">"Loading feeds…"</p> }>
            {move || Suspend::new(async move {
                match feeds.await {
                    Ok(list) => Either::Left(view! { <FeedTable feeds=list /> }),
                    Err(error) => Either::Right(view! {
                        <p class="form-error" role="alert">
                            "Could not load the feeds. " {error.to_string()}
                        </p>
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
    let error = move || result.get().and_then(Result::err);
    let field_error =
        move |field: &'static str| move || error().and_then(|e| e.field_message(field));
    let other_error = move || {
        error()
            .filter(|e| !matches!(e, AppError::Invalid { .. }))
            .map(|e| e.to_string())
    };
    let added = move || {
        result
            .get()
            .and_then(Result::ok)
            .map(|feed| format!("Added “{}”.", feed.display_name()))
    };
    // Clear the inputs after a successful add, keep them after an error.
    Effect::new(move |_| {
        if let (Some(Ok(_)), Some(form)) = (result.get(), form.get()) {
            form.reset();
        }
    });

    view! {
        <ActionForm action node_ref=form attr:class="add-feed" attr:novalidate=true>
            <div class="field">
                <label for="feed-url">"Feed URL"</label>
                <input
                    id="feed-url"
                    name="url"
                    type="url"
                    inputmode="url"
                    autocomplete="off"
                    placeholder="https://kubernetes.io/feed.xml"
                    aria-describedby="feed-url-error"
                    aria-invalid=move || field_error("url")().is_some().to_string()
                />
                <p id="feed-url-error" class="field-error" aria-live="polite">
                    {field_error("url")}
                </p>
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
                    aria-invalid=move || field_error("title")().is_some().to_string()
                />
                <p id="feed-title-error" class="field-error" aria-live="polite">
                    {field_error("title")}
                </p>
            </div>
            <div class="actions">
                <button type="submit" disabled=move || action.pending().get()>
                    "Add feed"
                </button>
                <p class="form-status" role="status">{added}</p>
                <p class="form-error" role="alert">{other_error}</p>
            </div>
        </ActionForm>
    }
}

#[component]
fn FeedTable(feeds: Vec<Feed>) -> impl IntoView {
    if feeds.is_empty() {
        return Either::Left(view! {
            <p class="empty" id="feeds-empty">"No feeds yet. Add the first one with the form above."</p>
        });
    }
    let count = feeds.len();
    Either::Right(view! {
        <table class="feeds" id="feeds">
            <caption>{format!("{count} feed{}", if count == 1 { "" } else { "s" })}</caption>
            <thead>
                <tr>
                    <th scope="col">"Title"</th>
                    <th scope="col">"URL"</th>
                    <th scope="col">"Added"</th>
                </tr>
            </thead>
            <tbody>
                {feeds
                    .into_iter()
                    .map(|feed| {
                        let added = feed.created_at.format("%Y-%m-%d %H:%M UTC").to_string();
                        let iso = feed.created_at.to_rfc3339();
                        view! {
                            <tr>
                                <td>{feed.title.clone().unwrap_or_else(|| "(untitled)".into())}</td>
                                <td class="url">
                                    <a href=feed.url.clone() rel="noopener noreferrer" target="_blank">
                                        {feed.url.clone()}
                                    </a>
                                </td>
                                <td>
                                    <time datetime=iso>{added}</time>
                                </td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    })
}
