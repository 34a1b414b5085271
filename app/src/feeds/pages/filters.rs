//! Team-wide filter rules, applied to every feed.

use leptos::{either::Either, prelude::*};
use leptos_meta::Title;

use crate::feeds::{
    api::{list_rules, AddRule, DeleteRule},
    pages::rules_editor::RulesEditor,
};
use crate::i18n::{td, td_string};
use crate::lang;
use crate::page_data::{after_actions, page_data};

#[component]
pub fn TeamFiltersPage() -> impl IntoView {
    let add = ServerAction::<AddRule>::new();
    let delete = ServerAction::<DeleteRule>::new();
    let rules = page_data(after_actions([add.version(), delete.version()]), |_| {
        list_rules(None)
    });
    view! {
        <Title text=td_string!(lang::current(), feeds.team_rules) />
        <p class="breadcrumb"><a href="/feeds">{tr!(feeds.title)}</a> " ›"</p>
        <h1>{tr!(feeds.team_rules)}</h1>
        <p class="lede">
            {td!(
                lang::current(), feeds.team_lede,
                <block> = |children: ChildrenFn| view! { <em>{children()}</em> },
                <keep> = |children: ChildrenFn| view! { <em>{children()}</em> }
            )}
        </p>
        <Transition fallback=move || view! { <p class="muted">{tr!(feeds.loading_rules)}</p> }>
            {move || Suspend::new(async move {
                match rules.await {
                    Ok(rules) => Either::Left(view! { <RulesEditor feed_id=None rules add delete /> }),
                    Err(error) => Either::Right(view! { <p class="form-error" role="alert">{error.to_string()}</p> }),
                }
            })}
        </Transition>
    }
}
