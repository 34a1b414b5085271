//! The member's own account: password, sessions, API tokens and the
//! private feed of the draft.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::page_data::page_data;
use crate::{
    accounts::{
        api::{load_account, ChangePassword, CreateToken, RevokeToken, SignOutEverywhere},
        ApiTokenInfo,
    },
    layout::{
        parts::{field_error, general_error, plural, Time},
        Field,
    },
    pages::LoadError,
    publish::api::CreatePicksFeed,
};

#[component]
pub fn AccountPage() -> impl IntoView {
    let password = ServerAction::<ChangePassword>::new();
    let everywhere = ServerAction::<SignOutEverywhere>::new();
    let create = ServerAction::<CreateToken>::new();
    let revoke = ServerAction::<RevokeToken>::new();
    let account = page_data(
        move || {
            (
                everywhere.version().get(),
                create.version().get(),
                revoke.version().get(),
            )
        },
        |_| load_account(),
    );

    view! {
        <Title text="Your account" />
        <Transition fallback=|| view! { <p class="muted">"Loading your account…"</p> }>
            {move || Suspend::new(async move {
                match account.await {
                    Ok(account) => view! {
                        <div class="page-head">
                            <h1>{account.member.name.clone()}</h1>
                        </div>
                        <p class="lede">
                            "You are a " <strong>{account.member.role.to_string()}</strong> " of this team."
                        </p>
                        <PasswordForm action=password />
                        <section class="panel" aria-labelledby="sessions-heading">
                            <h2 id="sessions-heading">"Sessions"</h2>
                            <p>
                                "You are signed in on " {plural(account.sessions, "browser", "browsers")}
                                " (this one included)."
                            </p>
                            <ActionForm action=everywhere>
                                <button type="submit" class="secondary">"Sign out everywhere else"</button>
                            </ActionForm>
                            <p class="form-status" role="status">
                                {move || everywhere.value().get().and_then(Result::ok).map(|n| format!("Signed out of {}.", plural(n as i64, "other session", "other sessions")))}
                            </p>
                        </section>
                        <Tokens tokens=account.tokens create revoke />
                        <PicksFeed />
                    }
                    .into_any(),
                    Err(error) => view! { <LoadError error what="your account" /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn PasswordForm(action: ServerAction<ChangePassword>) -> impl IntoView {
    let form = NodeRef::<leptos::html::Form>::new();
    let result = action.value();
    let current_error = field_error(result, "current");
    let password_error = field_error(result, "password");
    let confirm_error = field_error(result, "confirm");
    let other_error = general_error(result, &["current", "password", "confirm"]);
    Effect::new(move |_| {
        if let (Some(Ok(())), Some(form)) = (result.get(), form.get()) {
            form.reset();
        }
    });
    view! {
        <section class="panel" aria-labelledby="password-heading">
            <h2 id="password-heading">"Change password"</h2>
            <ActionForm action node_ref=form attr:class="stacked-form" attr:novalidate=true>
                <Field id="current-password" name="current" label=|| "Current password" kind="password"
                    autocomplete="current-password" error=Signal::derive(current_error) />
                <Field id="new-password" name="password" label=|| "New password" kind="password"
                    autocomplete="new-password" error=Signal::derive(password_error) />
                <Field id="confirm-password" name="confirm" label=|| "New password again" kind="password"
                    autocomplete="new-password" error=Signal::derive(confirm_error) />
                <p class="form-error" role="alert">{other_error}</p>
                <p class="form-status" role="status">
                    {move || matches!(result.get(), Some(Ok(()))).then_some("Password changed. Your other sessions were signed out.")}
                </p>
                <button type="submit" disabled=move || action.pending().get()>"Change password"</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn Tokens(
    tokens: Vec<ApiTokenInfo>,
    create: ServerAction<CreateToken>,
    revoke: ServerAction<RevokeToken>,
) -> impl IntoView {
    let created = create.value();
    let name_error = field_error(created, "token_name");
    let other_error = general_error(created, &["token_name"]);
    let revoke_error = general_error(revoke.value(), &[]);
    let new_token = move || created.get().and_then(Result::ok);
    let rows = tokens
        .into_iter()
        .map(|token| {
            let live = token.revoked_at.is_none();
            view! {
                <tr>
                    <td>{token.name.clone()}</td>
                    <td><Time at=Some(token.created_at) /></td>
                    <td><Time at=token.last_used_at /></td>
                    <td>
                        {if live {
                            view! {
                                <ActionForm action=revoke>
                                    <input type="hidden" name="id" value=token.id.to_string() />
                                    <button type="submit" class="secondary" aria-label=format!("Revoke {}", token.name)>"Revoke"</button>
                                </ActionForm>
                            }
                            .into_any()
                        } else {
                            view! { <span class="muted">"revoked " <Time at=token.revoked_at /></span> }.into_any()
                        }}
                    </td>
                </tr>
            }
        })
        .collect_view();

    view! {
        <section class="panel" aria-labelledby="tokens-heading">
            <h2 id="tokens-heading">"API tokens"</h2>
            <p class="hint">
                "For scripts and automation: send " <code>"Authorization: Bearer <token>"</code>
                " to " <code>"/api/v1"</code> ". A token acts with your role."
            </p>
            <ActionForm action=create attr:class="inline-form" attr:novalidate=true>
                <Field id="token-name" name="name" label=|| "Token name" placeholder="CI publisher"
                    maxlength=100 error=Signal::derive(name_error) />
                <button type="submit" disabled=move || create.pending().get()>"Create token"</button>
            </ActionForm>
            <p class="form-error" role="alert">{other_error} {revoke_error}</p>
            {move || new_token().map(|created| view! {
                <div class="secret" role="status">
                    <p>"Token “" {created.info.name.clone()} "” created. Copy it now: it is not shown again."</p>
                    <input class="secret-value" readonly aria-label="New API token" value=created.token.clone() />
                </div>
            })}
            <table class="data-table">
                <thead>
                    <tr><th scope="col">"Name"</th><th scope="col">"Created"</th><th scope="col">"Last used"</th><th scope="col"><span class="visually-hidden">"Actions"</span></th></tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </section>
    }
}

/// A private link to the draft's picks as RSS, for a feed reader.
#[component]
fn PicksFeed() -> impl IntoView {
    let create = ServerAction::<CreatePicksFeed>::new();
    view! {
        <section class="panel" aria-labelledby="picks-feed-heading">
            <h2 id="picks-feed-heading">"Follow the draft in a feed reader"</h2>
            <p>
                "A private RSS link to the current draft's picks with their commentary and notes. "
                "Keep it to yourself: whoever has it can read the draft. A new link replaces the old one."
            </p>
            <ActionForm action=create>
                <button type="submit" class="secondary">"Create a private feed link"</button>
            </ActionForm>
            {move || create.value().get().map(|result| match result {
                Ok(url) => view! {
                    <p class="token-once">"Your link (shown once): " <code class="picks-feed-url">{url}</code></p>
                }.into_any(),
                Err(error) => view! { <p class="form-error" role="alert">{error.to_string()}</p> }.into_any(),
            })}
        </section>
    }
}
