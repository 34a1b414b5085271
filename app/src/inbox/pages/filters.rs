//! The filter bar: a plain GET form, so every view is a link (and works
//! without JavaScript).

use leptos::prelude::*;

use crate::inbox::{FilterChoices, InboxQuery, Sort, StateFilter};

#[component]
pub fn Filters(view: InboxQuery, choices: FilterChoices) -> impl IntoView {
    let feed = view.feed;
    let category = view.category.clone();
    let tag = view.tag.clone();
    let state = view.state;
    let date = |day: Option<chrono::NaiveDate>| day.map(|d| d.to_string()).unwrap_or_default();
    view! {
        <form class="inbox-filters" method="get" action="/" role="search">
            <div class="field search">
                <label for="inbox-search">"Search"</label>
                <input id="inbox-search" name="q" type="search" value=view.q.clone()
                    placeholder="Title or excerpt, e.g. Gateway API, クラスタ" />
            </div>
            <div class="field">
                <label for="inbox-state">"Show"</label>
                <select id="inbox-state" name="state">
                    {StateFilter::ALL.into_iter().map(|option| view! {
                        <option value=option.as_str() selected=option == state>{option.label()}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="inbox-feed">"Feed"</label>
                <select id="inbox-feed" name="feed">
                    <option value="">"All feeds"</option>
                    {choices.feeds.into_iter().map(|(id, name)| view! {
                        <option value=id.to_string() selected=Some(id) == feed>{name}</option>
                    }).collect_view()}
                </select>
            </div>
            {any_of("inbox-category", "category", "Category", choices.categories, category)}
            {any_of("inbox-tag", "tag", "Tag", choices.tags, tag)}
            <div class="field">
                <label for="inbox-from">"From"</label>
                <input id="inbox-from" name="from" type="date" value=date(view.from) />
            </div>
            <div class="field">
                <label for="inbox-to">"To"</label>
                <input id="inbox-to" name="to" type="date" value=date(view.to) />
            </div>
            <div class="field">
                <label for="inbox-sort">"Sort"</label>
                <select id="inbox-sort" name="sort">
                    <option value="newest" selected=view.sort == Sort::Newest>"Newest"</option>
                    <option value="votes" selected=view.sort == Sort::Votes>"Most +1"</option>
                </select>
            </div>
            <label class="check"><input type="checkbox" name="mine" value="1" checked=view.mine />" +1 by me"</label>
            <label class="check"><input type="checkbox" name="voted" value="1" checked=view.voted />" +1 by anyone"</label>
            <button type="submit">"Apply"</button>
            <a class="button secondary" href="/">"Reset"</a>
        </form>
    }
}

/// A menu of `options` plus "Any" (the empty value), with `current` selected.
fn any_of(
    id: &'static str,
    name: &'static str,
    label: &'static str,
    options: Vec<String>,
    current: String,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <select id=id name=name>
                <option value="">"Any"</option>
                {options
                    .into_iter()
                    .map(|option| {
                        let selected = option == current;
                        let text = option.clone();
                        view! { <option value=option selected=selected>{text}</option> }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}
