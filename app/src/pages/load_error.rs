//! What a page shows when its data cannot be loaded: a signed-out visitor
//! is sent to sign in, a member whose role is too low is told so (with 403
//! on the server-rendered page), anything else shows its message.

use leptos::prelude::*;

use crate::error::AppError;
use crate::i18n::td_string;
use crate::lang;
use crate::layout::Erase;

#[component]
pub fn LoadError(error: AppError, #[prop(optional)] what: &'static str) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        if let Ok(status) = http::StatusCode::from_u16(error.status_code()) {
            response.set_status(status);
        }
    }
    match error {
        AppError::Forbidden(message) => view! {
            <section class="placeholder" role="alert">
                <h1>{tr!(common.forbidden_title)}</h1>
                <p>{message}</p>
                <p>{tr!(common.forbidden_hint)}</p>
            </section>
        }
        .erase(),
        AppError::Unauthenticated(message) => view! {
            <section class="placeholder" role="alert">
                <h1>{tr!(common.unauthenticated_title)}</h1>
                <p>{message}</p>
                <p><a href="/sign-in">{tr!(common.sign_in)}</a></p>
            </section>
        }
        .erase(),
        other => view! {
            <p class="form-error" role="alert">
                {if what.is_empty() {
                    String::new()
                } else {
                    format!("{} ", lang::fill(td_string!(lang::current(), common.could_not_load), &[("what", what)]))
                }}
                {other.to_string()}
            </p>
        }
        .erase(),
    }
}
