//! Opening an invitation link (`/invite/<token>`) or the first-run setup
//! link (`/setup/<token>`): choose a password (and, for setup, a name) to
//! create the account and sign in.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::layout::Erase;
use crate::page_data::page_data;
use crate::{
    accounts::{
        api::{check_invite, AcceptInvite},
        Invite, InvitePurpose,
    },
    i18n::td_string,
    lang::{self, fill},
    layout::{
        parts::{field_error, general_error},
        Field,
    },
};

#[component]
pub fn InvitationPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let invite = page_data(token, check_invite);
    let locale = lang::current();

    view! {
        <Suspense fallback=move || view! { <p class="muted">{tr!(accounts.checking_link)}</p> }>
            {move || Suspend::new(async move {
                match invite.await {
                    Ok(invite) => view! { <AcceptForm invite token=token() /> }.erase(),
                    Err(error) => view! {
                        <Title text=td_string!(locale, accounts.invitation_title) />
                        <section class="auth-panel" role="alert">
                            <h1>{tr!(accounts.link_unusable)}</h1>
                            <p>{error.field_message("token").unwrap_or_else(|| error.to_string())}</p>
                            <p><a href="/sign-in">{tr!(accounts.sign_in)}</a></p>
                        </section>
                    }
                    .erase(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn AcceptForm(invite: Invite, token: String) -> impl IntoView {
    let action = ServerAction::<AcceptInvite>::new();
    let result = action.value();
    let name_error = field_error(result, "name");
    let password_error = field_error(result, "password");
    let confirm_error = field_error(result, "confirm");
    let other_error = general_error(result, &["name", "password", "confirm"]);
    let setup = invite.purpose == InvitePurpose::Setup;
    let locale = lang::current();
    let heading = if setup {
        td_string!(locale, accounts.setup_heading).to_owned()
    } else {
        fill(
            td_string!(locale, accounts.welcome),
            &[("name", &invite.name.clone().unwrap_or_default())],
        )
    };
    let lede = if setup {
        td_string!(locale, accounts.setup_lede).to_owned()
    } else {
        let role = invite.role.label();
        match &invite.created_by {
            Some(inviter) => fill(
                td_string!(locale, accounts.invited_lede),
                &[("inviter", inviter), ("role", role)],
            ),
            None => fill(
                td_string!(locale, accounts.invited_lede_admin),
                &[("role", role)],
            ),
        }
    };

    view! {
        <Title text=if setup { td_string!(locale, accounts.setup_heading) } else { td_string!(locale, accounts.join_title) } />
        <section class="auth-panel" aria-labelledby="invite-heading">
            <h1 id="invite-heading">{heading}</h1>
            <p class="lede">{lede}</p>
            <ActionForm action attr:class="stacked-form" attr:novalidate=true>
                {view! {
                    <input type="hidden" name="token" value=token />
                    <Show when=move || setup>
                        <Field id="invite-name" name="name" label=move || td_string!(locale, accounts.your_name) autocomplete="username"
                            required=true maxlength=64 hint=td_string!(locale, accounts.your_name_hint)
                            error=Signal::derive(name_error) />
                    </Show>
                    <Field id="invite-password" name="password" label=move || td_string!(locale, accounts.password) kind="password"
                        autocomplete="new-password" required=true
                        hint=td_string!(locale, accounts.password_hint)
                        error=Signal::derive(password_error) />
                    <Field id="invite-confirm" name="confirm" label=move || td_string!(locale, accounts.password_again) kind="password"
                        autocomplete="new-password" required=true error=Signal::derive(confirm_error) />
                    <p class="form-error" role="alert">{other_error}</p>
                    <button type="submit" disabled=move || action.pending().get()>
                        {if setup { td_string!(locale, accounts.create_admin_account) } else { td_string!(locale, accounts.join) }}
                    </button>
                }
                .sync_hydrated()}
            </ActionForm>
        </section>
    }
}
