//! The member's own account: password, sessions, API tokens and the
//! private feed of the draft.

use leptos::prelude::*;
use leptos_meta::Title;

use super::preferences::Preferences;
use crate::layout::Erase;
use crate::page_data::{after_actions, page_data};
use crate::{
    accounts::{
        api::{load_account, ChangePassword, CreateToken, RevokeToken, SignOutEverywhere},
        ApiTokenInfo,
    },
    i18n::{td, td_string},
    lang::{self, counted, fill},
    layout::{
        parts::{field_error, general_error, DataTable, Time},
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
        after_actions([everywhere.version(), create.version(), revoke.version()]),
        |_| load_account(),
    );

    let locale = lang::current();
    view! {
        <Title text=td_string!(locale, accounts.account_title) />
        <Transition fallback=move || view! { <p class="muted">{tr!(accounts.account_loading)}</p> }>
            {move || Suspend::new(async move {
                match account.await {
                    Ok(account) => view! {
                        <div class="page-head">
                            <h1>{account.member.name.clone()}</h1>
                        </div>
                        <p class="lede">
                            {td!(
                                lang::current(), accounts.your_role,
                                <role> = move || view! { <strong>{account.member.role.label()}</strong> }
                            )}
                        </p>
                        <Preferences member=account.member.clone() />
                        <PasswordForm action=password />
                        <section class="panel" aria-labelledby="sessions-heading">
                            <h2 id="sessions-heading">{tr!(accounts.sessions_heading)}</h2>
                            <p>
                                {counted(
                                    account.sessions,
                                    td_string!(locale, accounts.signed_in_on_single),
                                    td_string!(locale, accounts.signed_in_on_many),
                                )}
                            </p>
                            <ActionForm action=everywhere>
                                <button type="submit" class="secondary">{tr!(accounts.sign_out_elsewhere)}</button>
                            </ActionForm>
                            <p class="form-status" role="status">
                                {move || everywhere.value().get().and_then(Result::ok).map(|n| counted(
                                    n as i64,
                                    td_string!(locale, accounts.signed_out_of_single),
                                    td_string!(locale, accounts.signed_out_of_many),
                                ))}
                            </p>
                        </section>
                        <Tokens tokens=account.tokens create revoke />
                        <PicksFeed />
                    }
                    .erase(),
                    Err(error) => view! { <LoadError error what=td_string!(locale, accounts.what_account) /> }.erase(),
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
    let locale = lang::current();
    view! {
        <section class="panel" aria-labelledby="password-heading">
            <h2 id="password-heading">{tr!(accounts.change_password)}</h2>
            <ActionForm action node_ref=form attr:class="stacked-form" attr:novalidate=true>
                {view! {
                    <Field id="current-password" name="current" label=move || td_string!(locale, accounts.current_password) kind="password"
                        autocomplete="current-password" error=Signal::derive(current_error) />
                    <Field id="new-password" name="password" label=move || td_string!(locale, accounts.new_password) kind="password"
                        autocomplete="new-password" error=Signal::derive(password_error) />
                    <Field id="confirm-password" name="confirm" label=move || td_string!(locale, accounts.new_password_again) kind="password"
                        autocomplete="new-password" error=Signal::derive(confirm_error) />
                    <p class="form-error" role="alert">{other_error}</p>
                    <p class="form-status" role="status">
                        {move || matches!(result.get(), Some(Ok(()))).then_some(td_string!(locale, accounts.password_changed))}
                    </p>
                    <button type="submit" disabled=move || action.pending().get()>{tr!(accounts.change_password)}</button>
                }
                .sync_hydrated()}
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
    let locale = lang::current();
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
                                    <button type="submit" class="secondary" aria-label=fill(td_string!(locale, accounts.revoke_named), &[("name", &token.name)])>{tr!(accounts.revoke)}</button>
                                </ActionForm>
                            }
                            .erase()
                        } else {
                            view! { <span class="muted">{td_string!(locale, accounts.revoked)} " " <Time at=token.revoked_at /></span> }.erase()
                        }}
                    </td>
                </tr>
            }
        })
        .collect_view();

    view! {
        <section class="panel" aria-labelledby="tokens-heading">
            <h2 id="tokens-heading">{tr!(accounts.tokens_heading)}</h2>
            <p class="hint">
                {td!(
                    lang::current(), accounts.tokens_hint,
                    <header> = || view! { <code>"Authorization: Bearer <token>"</code> },
                    <path> = || view! { <code>"/api/v1"</code> }
                )}
            </p>
            <ActionForm action=create attr:class="inline-form" attr:novalidate=true>
                <Field id="token-name" name="name" label=move || td_string!(locale, accounts.token_name) placeholder=td_string!(locale, accounts.token_name_example)
                    maxlength=100 error=Signal::derive(name_error) />
                <button type="submit" disabled=move || create.pending().get()>{tr!(accounts.create_token)}</button>
            </ActionForm>
            <p class="form-error" role="alert">{other_error} {revoke_error}</p>
            {move || new_token().map(|created| view! {
                <div class="secret" role="status">
                    <p>{fill(td_string!(locale, accounts.token_created), &[("name", &created.info.name)])}</p>
                    <input class="secret-value" readonly aria-label=td_string!(locale, accounts.new_token) value=created.token.clone() />
                </div>
            })}
            <DataTable
                columns=vec![tr!(accounts.col_name), tr!(accounts.col_created), tr!(accounts.col_last_used)]
                rows
            />
        </section>
    }
}

/// A private link to the draft's picks as RSS, for a feed reader.
#[component]
fn PicksFeed() -> impl IntoView {
    let create = ServerAction::<CreatePicksFeed>::new();
    view! {
        <section class="panel" aria-labelledby="picks-feed-heading">
            <h2 id="picks-feed-heading">{tr!(accounts.picks_feed_heading)}</h2>
            <p>{tr!(accounts.picks_feed_text)}</p>
            <ActionForm action=create>
                <button type="submit" class="secondary">{tr!(accounts.picks_feed_create)}</button>
            </ActionForm>
            {move || create.value().get().map(|result| match result {
                Ok(url) => view! {
                    <p class="token-once">{tr!(accounts.picks_feed_link)} " " <code class="picks-feed-url">{url}</code></p>
                }.erase(),
                Err(error) => view! { <p class="form-error" role="alert">{error.to_string()}</p> }.erase(),
            })}
        </section>
    }
}
