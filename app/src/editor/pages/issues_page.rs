//! `/edit`: the current draft at the top, then the published issues.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::page_data::page_data;
use crate::{
    accounts::{api::current_member, Role},
    editor::{
        api::{list_issues, StartDraft},
        IssueState,
    },
    error::AppError,
    import::pages::ImportIssuesForm,
    layout::parts::{plural, Time},
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
        <Title text="Issues" />
        <h1>"Issues"</h1>
        <Suspense fallback=|| view! { <p class="muted">"Loading issues…"</p> }>
            {move || Suspend::new(async move {
                match issues.await {
                    Ok((list, admin)) => view! {
                        // Pages only read: a new newsletter starts its first
                        // draft here, or with its first pick.
                        {(!list.iter().any(|issue| issue.state == IssueState::Draft)).then(|| view! {
                            <ActionForm action=start attr:class="start-draft">
                                <p class="muted">"There is no draft yet."</p>
                                <button type="submit">"Start the next issue"</button>
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
                                            {format!(" · {} · {} · ", issue.date, plural(issue.picks, "pick", "picks"))}
                                            {if draft {
                                                view! { <span class="badge">"draft"</span> }.into_any()
                                            } else {
                                                view! { <span>"published " <Time at=issue.published_at /></span> }.into_any()
                                            }}
                                        </span>
                                    </li>
                                }
                            }).collect_view()}
                        </ol>
                    }.into_any(),
                    Err(error) => view! { <LoadError error what="the issues" /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
