//! `/issues`: every published issue, newest first.

use leptos::prelude::*;
use leptos_meta::{Link, Title};

use crate::i18n::td_string;
use crate::lang;
use crate::layout::Erase;
use crate::page_data::page_data;
use crate::{layout::parts::Time, pages::LoadError, publish::api::load_archive};

#[component]
pub fn ArchivePage() -> impl IntoView {
    let issues = page_data(|| (), |_| load_archive());
    view! {
        <Title text=td_string!(lang::current(), publish.archive) />
        <Link rel="alternate" type_="application/atom+xml" title="Atom" href="/feed.atom" />
        <Link rel="alternate" type_="application/rss+xml" title="RSS" href="/feed.xml" />
        <div class="page-head">
            <h1>{tr!(publish.archive)}</h1>
            <div class="page-actions">
                <a href="/feed.atom">"Atom"</a>
                <a href="/feed.xml">"RSS"</a>
            </div>
        </div>
        <Suspense fallback=move || view! { <p class="muted">{tr!(common.shared2_loading)}</p> }>
            {move || Suspend::new(async move {
                match issues.await {
                    Ok(list) if list.is_empty() => view! {
                        <p class="muted">{tr!(publish.nothing_published)}</p>
                    }.erase(),
                    Ok(list) => view! {
                        <ol class="archive">
                            {list.into_iter().map(|issue| view! {
                                <li class="archive-entry" data-number=issue.number>
                                    <h2><a href=format!("/issues/{}", issue.number)>{issue.title}</a></h2>
                                    <p class="muted">
                                        {format!("#{} · {}", issue.number, issue.date)}
                                        {issue.revised_at.map(|at| view! { {tr!(publish.updated_prefix)} <Time at=Some(at) /> })}
                                    </p>
                                    <ul class="headlines">
                                        {issue.headlines.into_iter().map(|title| view! { <li>{title}</li> }).collect_view()}
                                    </ul>
                                </li>
                            }).collect_view()}
                        </ol>
                    }.erase(),
                    Err(error) => view! { <LoadError error what=td_string!(lang::current(), publish.what_archive) /> }.erase(),

                }
            })}
        </Suspense>
    }
}
