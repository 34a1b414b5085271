//! Adding a link by hand: paste a URL, the server reads the page's title
//! and description (through the same guarded fetcher as feeds) and makes it
//! a candidate brought by you. The bookmarklet opens this page with the
//! current tab's URL and title filled in.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::layout::Erase;
use crate::{
    i18n::td_string,
    inbox::api::AddLink,
    lang,
    layout::{
        parts::{field_error, general_error},
        Field,
    },
};

#[component]
pub fn AddLinkPage() -> impl IntoView {
    let params = use_query_map();
    let url = params.read_untracked().get("url").unwrap_or_default();
    let title = params.read_untracked().get("title").unwrap_or_default();
    let locale = lang::current();
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
        <Title text=td_string!(locale, inbox.add_link) />
        <p class="breadcrumb"><a href="/">{tr!(inbox.title)}</a> " ›"</p>
        <h1>{tr!(inbox.add_link)}</h1>
        <p class="lede">{tr!(inbox.add_lede)}</p>
        <section class="panel">
            <ActionForm action attr:class="stacked-form" attr:novalidate=true>
                {view! {
                    <Field id="add-url" name="url" label=move || tr!(inbox.add_link_label) kind="url" value=url required=true
                        placeholder="https://example.com/an-article" error=Signal::derive(url_error) />
                    <Field id="add-title" name="title" value=title maxlength=300
                        label=move || view! { {tr!(inbox.add_title_label)} <span class="muted">{tr!(inbox.add_title_optional)}</span> }
                        error=Signal::derive(title_error) />
                    <p class="form-error" role="alert">{other_error}</p>
                    <button type="submit" disabled=move || action.pending().get()>
                        {move || if action.pending().get() { td_string!(locale, inbox.add_reading) } else { td_string!(locale, inbox.add_submit) }}
                    </button>
                }
                .sync_hydrated()}
            </ActionForm>
            {move || added().map(|added| view! {
                <p class="form-status" role="status">
                    {lang::fill(
                        if added.created { td_string!(locale, inbox.add_added) } else { td_string!(locale, inbox.add_already) },
                        &[("title", &added.item.title)],
                    )}
                    <a href="/">{tr!(inbox.back_to_inbox)}</a>
                </p>
            })}
        </section>
        <section class="panel" aria-labelledby="bookmarklet-heading">
            <h2 id="bookmarklet-heading">{tr!(inbox.bookmarklet)}</h2>
            <p>
                {tr!(inbox.bookmarklet_text)}
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
