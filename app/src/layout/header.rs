//! The site header: product name, the main navigation, and who is signed in.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::accounts::{
    api::{current_member, SignOut},
    Member, Role,
};
use crate::layout::Erase;
use crate::page_data::page_data;

#[component]
pub fn Header() -> impl IntoView {
    let ui = crate::lang::ui();
    let member = page_data(|| (), |_| current_member());
    // `A` marks the link of the current page with aria-current="page",
    // which the stylesheet uses to highlight it.
    view! {
        // The UI's language, also where the page is the newsletter's own.
        <header class="site-header" lang=move || crate::lang::tag(ui.get())>
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
        <nav aria-label=live!(common.nav_main)>
            <ul>
                <Show when=move || signed_in>
                    <li>
                        <A href="/" exact=true>{live!(common.nav_inbox)}</A>
                    </li>
                    <li>
                        <A href="/edit">{live!(common.nav_issues)}</A>
                    </li>
                    <li>
                        <A href="/feeds">{live!(common.nav_feeds)}</A>
                    </li>
                </Show>
                <li>
                    <A href="/issues">{live!(common.nav_archive)}</A>
                </li>
                <Show when=move || admin>
                    <li>
                        <A href="/members">{live!(common.nav_members)}</A>
                    </li>
                    <li>
                        <A href="/settings">{live!(common.nav_settings)}</A>
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
                    <button type="submit" class="link-button">{live!(common.sign_out)}</button>
                </ActionForm>
            </div>
        }
        .erase(),
        None => view! {
            <div class="account-menu">
                <a href="/sign-in">{live!(common.sign_in)}</a>
            </div>
        }
        .erase(),
    }
}
