//! The filter bar: a plain GET form, so every view is a link (and works
//! without JavaScript).

use leptos::prelude::*;

use crate::i18n::{t, td_string, use_i18n};
use crate::inbox::{FilterChoices, InboxQuery, Sort, StateFilter};
use crate::lang;

#[component]
pub fn Filters(view: InboxQuery, choices: FilterChoices) -> impl IntoView {
    let feed = view.feed;
    let category = view.category.clone();
    let tag = view.tag.clone();
    let state = view.state;
    let date = |day: Option<chrono::NaiveDate>| day.map(|d| d.to_string()).unwrap_or_default();
    let i18n = use_i18n();
    let locale = lang::current();
    view! {
        <form class="inbox-filters" method="get" action="/" role="search">
            <div class="field search">
                <label for="inbox-search">{t!(i18n, inbox.filters_search)}</label>
                <input id="inbox-search" name="q" type="search" value=view.q.clone()
                    placeholder=td_string!(locale, inbox.filters_search_placeholder) />
            </div>
            <div class="field">
                <label for="inbox-state">{t!(i18n, inbox.filters_show)}</label>
                <select id="inbox-state" name="state">
                    {StateFilter::ALL.into_iter().map(|option| view! {
                        <option value=option.as_str() selected=option == state>{option.label()}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="inbox-feed">{t!(i18n, inbox.filters_feed)}</label>
                <select id="inbox-feed" name="feed">
                    <option value="">{t!(i18n, inbox.filters_all_feeds)}</option>
                    {choices.feeds.into_iter().map(|(id, name)| view! {
                        <option value=id.to_string() selected=Some(id) == feed>{name}</option>
                    }).collect_view()}
                </select>
            </div>
            {any_of("inbox-category", "category", td_string!(locale, inbox.filters_category), choices.categories, category)}
            {any_of("inbox-tag", "tag", td_string!(locale, inbox.filters_tag), choices.tags, tag)}
            <div class="field">
                <label for="inbox-from">{t!(i18n, inbox.filters_from)}</label>
                <input id="inbox-from" name="from" type="date" value=date(view.from) />
            </div>
            <div class="field">
                <label for="inbox-to">{t!(i18n, inbox.filters_to)}</label>
                <input id="inbox-to" name="to" type="date" value=date(view.to) />
            </div>
            <div class="field">
                <label for="inbox-sort">{t!(i18n, inbox.filters_sort)}</label>
                <select id="inbox-sort" name="sort">
                    <option value="newest" selected=view.sort == Sort::Newest>{t!(i18n, inbox.filters_sort_newest)}</option>
                    <option value="votes" selected=view.sort == Sort::Votes>{t!(i18n, inbox.filters_sort_votes)}</option>
                </select>
            </div>
            <label class="check"><input type="checkbox" name="mine" value="1" checked=view.mine />{t!(i18n, inbox.filters_mine)}</label>
            <label class="check"><input type="checkbox" name="voted" value="1" checked=view.voted />{t!(i18n, inbox.filters_voted)}</label>
            <button type="submit">{t!(i18n, inbox.filters_apply)}</button>
            <a class="button secondary" href="/">{t!(i18n, inbox.filters_reset)}</a>
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
                <option value="">{td_string!(lang::current(), inbox.filters_any)}</option>
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
