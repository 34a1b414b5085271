//! The inbox page: the view comes from the URL; the list streams in with
//! the HTML, so it works before (and without) the wasm.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{filters::Filters, list::InboxList};
use crate::i18n::{td, td_string};
use crate::lang;
use crate::layout::Erase;
use crate::page_data::page_data;
use crate::{
    inbox::{
        api::{load_filter_choices, start_inbox},
        InboxQuery, InboxStart,
    },
    pages::LoadError,
};

#[component]
pub fn InboxPage() -> impl IntoView {
    let params = use_query_map();
    let view = Memo::new(move |_| InboxQuery::from_params(|name| params.read().get(name)));
    let start = page_data(move || view.get().to_query_string(), start_inbox);
    let choices = page_data(|| (), |_| load_filter_choices());
    let locale = lang::current();

    view! {
        <Title text=td_string!(locale, inbox.title) />
        <div class="page-head">
            <h1>{tr!(inbox.title)}</h1>
            <div class="page-actions">
                <a class="button secondary" href="/add">{tr!(inbox.add_link)}</a>
                <span class="hint">
                    {td!(lang::current(), inbox.shortcuts_hint, <kbd> = |children: ChildrenFn| view! { <kbd>{children()}</kbd> })}
                </span>
            </div>
        </div>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let choices = choices.await.unwrap_or_default();
                view! { <Filters choices /> }
            })}
        </Transition>
        <Transition fallback=move || view! { <p class="muted">{tr!(inbox.loading)}</p> }>
            {move || Suspend::new(async move {
                match start.await {
                    Ok(InboxStart { page, draft }) => {
                        view! { <InboxList page view=view.get_untracked() draft /> }.erase()
                    }
                    Err(error) => {
                        view! { <LoadError error what=td_string!(locale, inbox.load_what) /> }.erase()
                    }
                }
            })}
        </Transition>
    }
}
