//! Adding a link by hand: paste a URL, the server reads the page's title
//! and description (through the same guarded fetcher as feeds) and makes it
//! a candidate brought by you. The bookmarklet opens this page with the
//! current tab's URL and title filled in.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::{
    inbox::api::AddLink,
    layout::parts::{field_error, general_error},
};

#[component]
pub fn AddLinkPage() -> impl IntoView {
    let params = use_query_map();
    let url = params.read_untracked().get("url").unwrap_or_default();
    let title = params.read_untracked().get("title").unwrap_or_default();
    let action = ServerAction::<AddLink>::new();
    let result = action.value();
    let url_error = field_error(result, "url");
    let title_error = field_error(result, "title");
    let other_error = general_error(result, &["url", "title"]);
    let added = move || result.get().and_then(Result::ok);
    // The bookmarklet needs this site's absolute address, which only the
    // browser knows for sure (proxies); it is filled in after hydration.
    let bookmarklet = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        if let Ok(origin) = window().location().origin() {
            bookmarklet.set(Some(bookmarklet_code(&origin)));
        }
    });

    view! {
        <Title text="Add a link" />
        <p class="breadcrumb"><a href="/">"Inbox"</a> " ›"</p>
        <h1>"Add a link"</h1>
        <p class="lede">"Found something outside the feeds? Add it to the inbox for the team."</p>
        <section class="panel">
            <ActionForm action attr:class="stacked-form" attr:novalidate=true>
                <div class="field">
                    <label for="add-url">"Link"</label>
                    <input id="add-url" name="url" type="url" inputmode="url" value=url required
                        placeholder="https://example.com/an-article"
                        aria-describedby="add-url-error"
                        aria-invalid=move || url_error().is_some().to_string() />
                    <p id="add-url-error" class="field-error" aria-live="polite">{url_error}</p>
                </div>
                <div class="field">
                    <label for="add-title">"Title " <span class="muted">"(optional: read from the page)"</span></label>
                    <input id="add-title" name="title" value=title maxlength="300"
                        aria-describedby="add-title-error"
                        aria-invalid=move || title_error().is_some().to_string() />
                    <p id="add-title-error" class="field-error" aria-live="polite">{title_error}</p>
                </div>
                <p class="form-error" role="alert">{other_error}</p>
                <button type="submit" disabled=move || action.pending().get()>
                    {move || if action.pending().get() { "Reading the page…" } else { "Add to inbox" }}
                </button>
            </ActionForm>
            {move || added().map(|added| view! {
                <p class="form-status" role="status">
                    {if added.created { "Added “" } else { "Already in the inbox: “" }}
                    {added.item.title.clone()} "”. "
                    <a href="/">"Back to the inbox"</a>
                </p>
            })}
        </section>
        <section class="panel" aria-labelledby="bookmarklet-heading">
            <h2 id="bookmarklet-heading">"Bookmarklet"</h2>
            <p>
                "Drag this link to your bookmarks bar. On any page, click it to add that page here: "
                {move || bookmarklet.get().map(|code| view! {
                    <a class="bookmarklet" href=code>"+ newsdesk"</a>
                })}
            </p>
        </section>
    }
}

/// A `javascript:` bookmark that opens this page with the current tab's
/// URL and title.
pub fn bookmarklet_code(origin: &str) -> String {
    format!(
        "javascript:location.href='{origin}/add?url='+encodeURIComponent(location.href)\
         +'&title='+encodeURIComponent(document.title)"
    )
}
