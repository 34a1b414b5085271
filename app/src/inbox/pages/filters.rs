//! The filter bar: a plain GET form, so every view is a link (and works
//! without JavaScript). One line (the search box, Apply, and a "Filters"
//! disclosure holding the rest), with the active filters as chips that
//! remove themselves, so the first screen is the candidates.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::inbox::{FilterChoices, InboxQuery, Sort, StateFilter};
use crate::lang;

#[component]
pub fn Filters(choices: FilterChoices) -> impl IntoView {
    // The form is drawn again for each view in the URL: a chip or Apply
    // navigates without a reload, and the fields must show the new view.
    let params = use_query_map();
    let view = Memo::new(move |_| InboxQuery::from_params(|name| params.read().get(name)));
    move || filter_form(view.get(), choices.clone())
}

fn filter_form(view: InboxQuery, choices: FilterChoices) -> impl IntoView {
    let chips = active_filters(&view, &choices);
    let active = chips.len();
    let feed = view.feed;
    let category = view.category.clone();
    let tag = view.tag.clone();
    let state = view.state;
    let date = |day: Option<chrono::NaiveDate>| day.map(|d| d.to_string()).unwrap_or_default();
    view! {
        <form class="inbox-filters" method="get" action="/" role="search" aria-label=tr!(inbox.filters_region)>
            <div class="filter-line">
                <label for="inbox-search" class="visually-hidden">{tr!(inbox.filters_search)}</label>
                <input id="inbox-search" name="q" type="search" value=view.q.clone()
                    placeholder=tr!(inbox.filters_search_placeholder) />
                <button type="submit">{tr!(inbox.filters_apply)}</button>
                <details class="filter-panel">
                    <summary class="button secondary">
                        {tr!(inbox.filters_toggle)}
                        {(active > 0).then(|| view! {
                            <span class="filter-count">{active}<span class="visually-hidden">{tr!(inbox.filters_active_suffix)}</span></span>
                        })}
                    </summary>
                    <div class="filter-fields">
                        <div class="field">
                            <label for="inbox-state">{tr!(inbox.filters_show)}</label>
                            <select id="inbox-state" name="state">
                                {StateFilter::ALL.into_iter().map(|option| view! {
                                    <option value=option.as_str() selected=option == state>{option.label()}</option>
                                }).collect_view()}
                            </select>
                        </div>
                        <div class="field">
                            <label for="inbox-feed">{tr!(inbox.filters_feed)}</label>
                            <select id="inbox-feed" name="feed">
                                <option value="">{tr!(inbox.filters_all_feeds)}</option>
                                {choices.feeds.into_iter().map(|(id, name)| view! {
                                    <option value=id.to_string() selected=Some(id) == feed>{name}</option>
                                }).collect_view()}
                            </select>
                        </div>
                        {any_of("inbox-category", "category", tr!(inbox.filters_category), choices.categories, category)}
                        {any_of("inbox-tag", "tag", tr!(inbox.filters_tag), choices.tags, tag)}
                        <div class="field">
                            <label for="inbox-from">{tr!(inbox.filters_from)}</label>
                            <input id="inbox-from" name="from" type="date" value=date(view.from) />
                        </div>
                        <div class="field">
                            <label for="inbox-to">{tr!(inbox.filters_to)}</label>
                            <input id="inbox-to" name="to" type="date" value=date(view.to) />
                        </div>
                        <div class="field">
                            <label for="inbox-sort">{tr!(inbox.filters_sort)}</label>
                            <select id="inbox-sort" name="sort">
                                <option value="newest" selected=view.sort == Sort::Newest>{tr!(inbox.filters_sort_newest)}</option>
                                <option value="votes" selected=view.sort == Sort::Votes>{tr!(inbox.filters_sort_votes)}</option>
                            </select>
                        </div>
                        <label class="check"><input type="checkbox" name="mine" value="1" checked=view.mine />{tr!(inbox.filters_mine)}</label>
                        <label class="check"><input type="checkbox" name="voted" value="1" checked=view.voted />{tr!(inbox.filters_voted)}</label>
                        <div class="filter-buttons">
                            <button type="submit">{tr!(inbox.filters_apply)}</button>
                            <a class="button secondary" href="/">{tr!(inbox.filters_reset)}</a>
                        </div>
                    </div>
                </details>
            </div>
            {(active > 0).then(|| view! {
                <ul class="filter-chips" aria-label=tr!(inbox.filters_active)>
                    {chips.into_iter().map(|(text, href)| {
                        let name = lang::fill(tr!(inbox.filters_remove), &[("filter", &text)]);
                        view! {
                        <li>
                            <a class="filter-chip" href=href aria-label=name>
                                {text} <span aria-hidden="true">"×"</span>
                            </a>
                        </li>
                        }
                    }).collect_view()}
                </ul>
            })}
        </form>
    }
}

/// The filters of `view` other than the search words, each as its text and
/// the link to the same view without it.
fn active_filters(view: &InboxQuery, choices: &FilterChoices) -> Vec<(String, String)> {
    let base = view.first_page();
    let without = |change: &dyn Fn(&mut InboxQuery)| {
        let mut next = base.clone();
        change(&mut next);
        format!("/?{}", next.to_query_string())
    };
    let mut chips = Vec::new();
    if base.state != StateFilter::default() {
        chips.push((
            chip(tr!(inbox.filters_chip_show), base.state.label()),
            without(&|v| v.state = StateFilter::default()),
        ));
    }
    if let Some(feed) = base.feed {
        let name = choices
            .feeds
            .iter()
            .find(|(id, _)| *id == feed)
            .map_or_else(|| feed.to_string(), |(_, name)| name.clone());
        chips.push((
            chip(tr!(inbox.filters_chip_feed), &name),
            without(&|v| v.feed = None),
        ));
    }
    if !base.category.is_empty() {
        chips.push((
            chip(tr!(inbox.filters_chip_category), &base.category),
            without(&|v| v.category.clear()),
        ));
    }
    if !base.tag.is_empty() {
        chips.push((
            chip(tr!(inbox.filters_chip_tag), &base.tag),
            without(&|v| v.tag.clear()),
        ));
    }
    if let Some(from) = base.from {
        chips.push((
            chip(tr!(inbox.filters_chip_from), &from.to_string()),
            without(&|v| v.from = None),
        ));
    }
    if let Some(to) = base.to {
        chips.push((
            chip(tr!(inbox.filters_chip_to), &to.to_string()),
            without(&|v| v.to = None),
        ));
    }
    if base.mine {
        chips.push((
            tr!(inbox.filters_mine).trim().to_owned(),
            without(&|v| v.mine = false),
        ));
    }
    if base.voted {
        chips.push((
            tr!(inbox.filters_voted).trim().to_owned(),
            without(&|v| v.voted = false),
        ));
    }
    if base.sort != Sort::default() {
        chips.push((
            chip(tr!(inbox.filters_chip_sort), tr!(inbox.filters_sort_votes)),
            without(&|v| v.sort = Sort::default()),
        ));
    }
    chips
}

/// A chip's text: what the filter is, and its value.
fn chip(what: &str, value: &str) -> String {
    lang::fill(what, &[("value", value)])
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
                <option value="">{tr!(inbox.filters_any)}</option>
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
