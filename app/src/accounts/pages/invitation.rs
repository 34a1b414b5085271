//! Opening an invitation link (`/invite/<token>`) or the first-run setup
//! link (`/setup/<token>`): choose a password (and, for setup, a name) to
//! create the account and sign in.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::{
    accounts::{
        api::{check_invite, AcceptInvite},
        Invite, InvitePurpose,
    },
    layout::parts::{field_error, general_error},
};

#[component]
pub fn InvitationPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let invite = Resource::new(token, check_invite);

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
                    <div class="field">
                        <label for="invite-name">"Your name"</label>
                        <input
                            id="invite-name"
                            name="name"
                            autocomplete="username"
                            required
                            maxlength="64"
                            aria-describedby="invite-name-error invite-name-hint"
                            aria-invalid=move || name_error().is_some().to_string()
                        />
                        <p id="invite-name-hint" class="hint">"Shown next to your picks and notes."</p>
                        <p id="invite-name-error" class="field-error" aria-live="polite">{name_error}</p>
                    </div>
                </Show>
                <div class="field">
                    <label for="invite-password">"Password"</label>
                    <input
                        id="invite-password"
                        name="password"
                        type="password"
                        autocomplete="new-password"
                        required
                        minlength="10"
                        aria-describedby="invite-password-error invite-password-hint"
                        aria-invalid=move || password_error().is_some().to_string()
                    />
                    <p id="invite-password-hint" class="hint">"At least 10 characters; a few words make a good one."</p>
                    <p id="invite-password-error" class="field-error" aria-live="polite">{password_error}</p>
                </div>
                <div class="field">
                    <label for="invite-confirm">"Password again"</label>
                    <input
                        id="invite-confirm"
                        name="confirm"
                        type="password"
                        autocomplete="new-password"
                        required
                        aria-describedby="invite-confirm-error"
                        aria-invalid=move || confirm_error().is_some().to_string()
                    />
                    <p id="invite-confirm-error" class="field-error" aria-live="polite">{confirm_error}</p>
                </div>
                <p class="form-error" role="alert">{other_error}</p>
                <button type="submit" disabled=move || action.pending().get()>
                    {if setup { "Create admin account" } else { "Join" }}
                </button>
            </ActionForm>
        </section>
    }
}
