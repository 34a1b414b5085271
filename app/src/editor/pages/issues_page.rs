//! `/edit`: the current draft at the top, then the published issues.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::i18n::td_string;
use crate::lang;
use crate::layout::Erase;
use crate::page_data::page_data;
use crate::{
    accounts::{api::current_member, Role},
    editor::{
        api::{list_issues, StartDraft},
        IssueState,
    },
    error::AppError,
    import::pages::ImportIssuesForm,
    layout::parts::Time,
    pages::LoadError,
};

#[component]
pub fn IssuesPage() -> impl IntoView {
    let start = ServerAction::<StartDraft>::new();
    let issues = page_data(
        move || start.version().get(),
        |_| async move {
            let list = list_issues().await?;
            let admin = current_member()
                .await?
                .is_some_and(|member| member.role.includes(Role::Admin));
            Ok::<_, AppError>((list, admin))
        },
    );
    view! {
        <Title text=td_string!(lang::current(), editor.issues_title) />
        <h1>{tr!(editor.issues_title)}</h1>
        <Suspense fallback=move || view! { <p class="muted">{tr!(editor.issues_loading)}</p> }>
            {move || Suspend::new(async move {
                match issues.await {
                    Ok((list, admin)) => view! {
                        // Pages only read: a new newsletter starts its first
                        // draft here, or with its first pick.
                        {(!list.iter().any(|issue| issue.state == IssueState::Draft)).then(|| view! {
                            <ActionForm action=start attr:class="start-draft">
                                <p class="muted">{tr!(editor.issues_no_draft)}</p>
                                <button type="submit">{tr!(editor.issues_start_next)}</button>
                                {move || start.value().get().and_then(Result::err).map(|error| view! {
                                    <p class="form-error" role="alert">{error.to_string()}</p>
                                })}
                            </ActionForm>
                        })}
                        {admin.then(|| view! { <ImportIssuesForm /> })}
                        <ol class="issue-list">
                            {list.into_iter().map(|issue| {
                                let draft = issue.state == IssueState::Draft;
                                view! {
                                    <li class="issue-item" class:draft=draft data-number=issue.number>
                                        <a href=format!("/edit/{}", issue.number)>
                                            <strong>{format!("#{} ", issue.number)}</strong>{issue.title}
                                        </a>
                                        <span class="muted">
                                            {format!(" · {} · {} · ", issue.date, picks_count(issue.picks))}
                                            {if draft {
                                                view! { <span class="badge">{tr!(editor.issues_draft_badge)}</span> }.erase()
                                            } else {
                                                view! { <span>{tr!(editor.issues_published_prefix)} <Time at=issue.published_at /></span> }.erase()
                                            }}
                                        </span>
                                    </li>
                                }
                            }).collect_view()}
                        </ol>
                    }.erase(),
                    Err(error) => view! { <LoadError error what=td_string!(lang::current(), editor.what_issues) /> }.erase(),
                }
            })}
        </Suspense>
    }
}

/// "3 picks", in the page's language.
pub fn picks_count(count: impl Into<i64>) -> String {
    let locale = lang::current();
    lang::counted::<i64>(
        count.into(),
        td_string!(locale, editor.picks_single),
        td_string!(locale, editor.picks_many),
    )
}
