//! The site header: product name and the main navigation.

use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn Header() -> impl IntoView {
    // `A` marks the link of the current page with aria-current="page",
    // which the stylesheet uses to highlight it.
    view! {
        <header class="site-header">
            <a class="brand" href="/">
                "newsdesk"
            </a>
            <nav aria-label="Main">
                <ul>
                    <li>
                        <A href="/" exact=true>"Inbox"</A>
                    </li>
                    <li>
                        <A href="/edit">"Issues"</A>
                    </li>
                    <li>
                        <A href="/feeds">"Feeds"</A>
                    </li>
                    <li>
                        <A href="/issues">"Archive"</A>
                    </li>
                </ul>
            </nav>
        </header>
    }
}
