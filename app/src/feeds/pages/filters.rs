//! Team-wide filter rules, applied to every feed.

use leptos::{either::Either, prelude::*};
use leptos_meta::Title;

use crate::feeds::{
    api::{list_rules, AddRule, DeleteRule},
    pages::rules_editor::RulesEditor,
};
use crate::page_data::page_data;

#[component]
pub fn TeamFiltersPage() -> impl IntoView {
    let add = ServerAction::<AddRule>::new();
    let delete = ServerAction::<DeleteRule>::new();
    let rules = page_data(
        move || (add.version().get(), delete.version().get()),
        |_| list_rules(None),
    );
    view! {
        <Title text="Team filter rules" />
        <p class="breadcrumb"><a href="/feeds">"Feeds"</a> " ›"</p>
        <h1>"Team filter rules"</h1>
        <p class="lede">
            "These rules apply to every feed, next to each feed's own rules. A matching "
            <em>"block"</em> " rule drops an entry; when any " <em>"keep only"</em>
            " rule exists, entries must match one of them. Rules apply to entries fetched from now on."
        </p>
        <Transition fallback=|| view! { <p class="muted">"Loading rules…"</p> }>
            {move || Suspend::new(async move {
                match rules.await {
                    Ok(rules) => Either::Left(view! { <RulesEditor feed_id=None rules add delete /> }),
                    Err(error) => Either::Right(view! { <p class="form-error" role="alert">{error.to_string()}</p> }),
                }
            })}
        </Transition>
    }
}
