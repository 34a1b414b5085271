//! The site header: product name, the main navigation, and who is signed in.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::accounts::{
    api::{current_member, SignOut},
    Member, Role,
};
use crate::page_data::page_data;

#[component]
pub fn Header() -> impl IntoView {
    let member = page_data(|| (), |_| current_member());
    // `A` marks the link of the current page with aria-current="page",
    // which the stylesheet uses to highlight it.
    view! {
        <header class="site-header">
            <a class="brand" href="/">
                "newsdesk"
            </a>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let member = member.await.ok().flatten();
                    view! {
                        <Navigation member=member.clone() />
                        <Account member />
                    }
                })}
            </Transition>
        </header>
    }
}

#[component]
fn Navigation(member: Option<Member>) -> impl IntoView {
    let admin = member
        .as_ref()
        .is_some_and(|m| m.role.includes(Role::Admin));
    let signed_in = member.is_some();
    view! {
        <nav aria-label="Main">
            <ul>
                <Show when=move || signed_in>
                    <li>
                        <A href="/" exact=true>"Inbox"</A>
                    </li>
                    <li>
                        <A href="/edit">"Issues"</A>
                    </li>
                    <li>
                        <A href="/feeds">"Feeds"</A>
                    </li>
                </Show>
                <li>
                    <A href="/issues">"Archive"</A>
                </li>
                <Show when=move || admin>
                    <li>
                        <A href="/members">"Members"</A>
                    </li>
                    <li>
                        <A href="/settings">"Settings"</A>
                    </li>
                </Show>
            </ul>
        </nav>
    }
}

#[component]
fn Account(member: Option<Member>) -> impl IntoView {
    let sign_out = ServerAction::<SignOut>::new();
    match member {
        Some(member) => view! {
            <div class="account-menu">
                <A href="/account" attr:class="member-name">{member.name.clone()}</A>
                <ActionForm action=sign_out>
                    <button type="submit" class="link-button">"Sign out"</button>
                </ActionForm>
            </div>
        }
        .into_any(),
        None => view! {
            <div class="account-menu">
                <a href="/sign-in">"Sign in"</a>
            </div>
        }
        .into_any(),
    }
}
