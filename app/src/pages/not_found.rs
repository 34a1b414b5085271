//! The 404 page, rendered for any path no route matches.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::i18n::{td, td_string};
use crate::lang;

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text=td_string!(lang::current(), common.not_found_title) />
        <section class="placeholder">
            <h1>{tr!(common.not_found_title)}</h1>
            <p>{tr!(common.not_found_text)}</p>
            <p>
                {td!(
                    lang::current(), common.not_found_links,
                    <inbox> = |children: ChildrenFn| view! { <a href="/">{children()}</a> },
                    <feeds> = |children: ChildrenFn| view! { <a href="/feeds">{children()}</a> }
                )}
            </p>
        </section>
    }
}
