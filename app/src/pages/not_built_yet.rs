//! Placeholder for screens that later work will build. It says so plainly
//! instead of showing made-up data.

use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn NotBuiltYet(page: &'static str, what: &'static str) -> impl IntoView {
    view! {
        <Title text=page />
        <section class="placeholder">
            <h1>{page}</h1>
            <p>
                "This page is not built yet. It will be the place for " {what}
                "."
            </p>
            <p>
                "For now, start by adding the sources you read on the "
                <a href="/feeds">"Feeds page"</a> "."
            </p>
        </section>
    }
}
