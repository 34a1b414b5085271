//! The sign-in page. A plain form: it works before hydration, and after
//! sign-in the browser loads the next page afresh with its new session.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::layout::Erase;
use crate::page_data::page_data;
use crate::{
    accounts::api::{needs_setup, SignIn},
    i18n::td_string,
    lang,
    layout::{
        parts::{field_error, general_error},
        Field,
    },
};

#[component]
pub fn SignInPage() -> impl IntoView {
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_else(|| "/".to_owned());
    let ended = move || query.read().get("ended").is_some();
    let action = ServerAction::<SignIn>::new();
    let result = action.value();
    let name_error = field_error(result, "name");
    let password_error = field_error(result, "password");
    let other_error = general_error(result, &["name", "password"]);
    let setup = page_data(|| (), |_| needs_setup());
    let locale = lang::current();

    view! {
        <Title text=td_string!(locale, accounts.sign_in) />
        <section class="auth-panel" aria-labelledby="sign-in-heading">
            <h1 id="sign-in-heading">{tr!(accounts.sign_in_heading)}</h1>
            <Show when=ended>
                <p class="notice" role="status">{tr!(accounts.session_ended)}</p>
            </Show>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    matches!(setup.await, Ok(true)).then(|| view! {
                        <p class="notice" role="status">
                            {tr!(accounts.needs_setup)}
                        </p>
                    })
                })}
            </Transition>
            <ActionForm action attr:class="stacked-form" attr:novalidate=true>
                {view! {
                    <input type="hidden" name="next" prop:value=next />
                    <Field id="sign-in-name" name="name" label=move || td_string!(locale, accounts.name) autocomplete="username"
                        required=true error=Signal::derive(name_error) />
                    <Field id="sign-in-password" name="password" label=move || td_string!(locale, accounts.password) kind="password"
                        autocomplete="current-password" required=true error=Signal::derive(password_error) />
                    <p class="form-error" role="alert">{other_error}</p>
                    <button type="submit" disabled=move || action.pending().get()>{tr!(accounts.sign_in)}</button>
                }
                .sync_hydrated()}
            </ActionForm>
            <p class="hint">{tr!(accounts.no_account_hint)}</p>
        </section>
    }
}
