//! Opening an invitation link (`/invite/<token>`) or the first-run setup
//! link (`/setup/<token>`): choose a password (and, for setup, a name) to
//! create the account and sign in.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::page_data::page_data;
use crate::{
    accounts::{
        api::{check_invite, AcceptInvite},
        Invite, InvitePurpose,
    },
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

    view! {
        <Suspense fallback=|| view! { <p class="muted">"Checking the link…"</p> }>
            {move || Suspend::new(async move {
                match invite.await {
                    Ok(invite) => view! { <AcceptForm invite token=token() /> }.into_any(),
                    Err(error) => view! {
                        <Title text="Invitation" />
                        <section class="auth-panel" role="alert">
                            <h1>"This link cannot be used"</h1>
                            <p>{error.field_message("token").unwrap_or_else(|| error.to_string())}</p>
                            <p><a href="/sign-in">"Sign in"</a></p>
                        </section>
                    }
                    .into_any(),
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
    let heading = if setup {
        "Set up newsdesk".to_owned()
    } else {
        format!("Welcome, {}", invite.name.clone().unwrap_or_default())
    };
    let lede = if setup {
        "Create the first admin account. You can invite the rest of the team afterwards.".to_owned()
    } else {
        format!(
            "{} invited you to join as {}. Choose a password to finish.",
            invite
                .created_by
                .clone()
                .unwrap_or_else(|| "An admin".into()),
            invite.role
        )
    };

    view! {
        <Title text=if setup { "Set up newsdesk" } else { "Join newsdesk" } />
        <section class="auth-panel" aria-labelledby="invite-heading">
            <h1 id="invite-heading">{heading}</h1>
            <p class="lede">{lede}</p>
            <ActionForm action attr:class="stacked-form" attr:novalidate=true>
                <input type="hidden" name="token" value=token />
                <Show when=move || setup>
                    <Field id="invite-name" name="name" label=|| "Your name" autocomplete="username"
                        required=true maxlength=64 hint="Shown next to your picks and notes."
                        error=Signal::derive(name_error) />
                </Show>
                <Field id="invite-password" name="password" label=|| "Password" kind="password"
                    autocomplete="new-password" required=true
                    hint="At least 10 characters; a few words make a good one."
                    error=Signal::derive(password_error) />
                <Field id="invite-confirm" name="confirm" label=|| "Password again" kind="password"
                    autocomplete="new-password" required=true error=Signal::derive(confirm_error) />
                <p class="form-error" role="alert">{other_error}</p>
                <button type="submit" disabled=move || action.pending().get()>
                    {if setup { "Create admin account" } else { "Join" }}
                </button>
            </ActionForm>
        </section>
    }
}
