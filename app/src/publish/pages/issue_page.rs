//! `/issues/{number}`: a published issue as an article, with OpenGraph and
//! Twitter meta tags, links to the feeds, and the previous and next issues.

use leptos::prelude::*;
use leptos_meta::{Link, Meta, Title};

use crate::i18n::td_string;
use crate::lang;
use crate::layout::Erase;
use crate::page_data::page_data;
use crate::{
    delivery::pages::DeliveryStatus,
    error::AppError,
    layout::parts::{number_param, Time},
    pages::LoadError,
    publish::{api::load_article, IssueArticle},
};

#[component]
pub fn IssuePage() -> impl IntoView {
    let number = number_param::<i32>("number");
    let article = page_data(number, |number| async move {
        match number {
            Some(number) => load_article(number).await,
            None => Err(AppError::NotFound),
        }
    });
    view! {
        <Suspense fallback=move || view! { <p class="muted">{tr!(common.shared2_loading)}</p> }>
            {move || Suspend::new(async move {
                match article.await {
                    Ok(article) => view! { <Article article /> }.erase(),
                    Err(error) => view! { <LoadError error what=td_string!(lang::current(), publish.what_this_issue) /> }.erase(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Article(article: IssueArticle) -> impl IntoView {
    let base = article.base_url.clone();
    view! {
        <Title text=article.title.clone() />
        <Meta name="description" content=article.summary.clone() />
        <Meta property="og:type" content="article" />
        <Meta property="og:title" content=article.title.clone() />
        <Meta property="og:description" content=article.summary.clone() />
        <Meta property="og:url" content=article.url.clone() />
        <Meta property="og:site_name" content=article.newsletter.clone() />
        <Meta property="article:published_time" content=article.published_at.to_rfc3339() />
        <Meta name="twitter:card" content="summary" />
        <Meta name="twitter:title" content=article.title.clone() />
        <Meta name="twitter:description" content=article.summary.clone() />
        <Link rel="canonical" href=article.url.clone() />
        <Link rel="alternate" type_="application/atom+xml" title="Atom" href=format!("{base}/feed.atom") />
        <Link rel="alternate" type_="application/rss+xml" title="RSS" href=format!("{base}/feed.xml") />
        <article class="issue-article" data-number=article.number>
            <header>
                <p class="muted">
                    <a href="/issues">{article.newsletter.clone()}</a>
                    {format!(" · #{} · ", article.number)}
                    <Time at=Some(article.published_at) />
                </p>
                <h1>{article.title.clone()}</h1>
                {article.revised_at.map(|at| view! {
                    <p class="revised">{tr!(publish.updated)} <Time at=Some(at) /></p>
                })}
                {(!article.sections.is_empty()).then(|| view! {
                    <nav class="toc" aria-label=td_string!(lang::current(), publish.sections)>
                        <ul>
                            {article.sections.iter().map(|(title, anchor)| view! {
                                <li><a href=format!("#{anchor}")>{title.clone()}</a></li>
                            }).collect_view()}
                        </ul>
                    </nav>
                })}
            </header>
            {article.problem.clone().map(|problem| view! { <p class="form-error" role="alert">{problem}</p> })}
            // Members only: readers get nothing from it.
            <DeliveryStatus number=article.number initial=article.delivery.clone() changed=Signal::stored(0) />
            <div class="issue-body markdown" inner_html=article.html.clone()></div>
            <footer>
                <p><a href=format!("/issues/{}.md", article.number)>"Markdown"</a></p>
                <nav class="issue-nav" aria-label=td_string!(lang::current(), publish.other_issues)>

                    {article.previous.map(|n| view! { <a rel="prev" href=format!("/issues/{n}")>{format!("← #{n}")}</a> })}
                    {article.next.map(|n| view! { <a rel="next" href=format!("/issues/{n}")>{format!("#{n} →")}</a> })}
                </nav>
            </footer>
        </article>
    }
}
