//! What a page shows when its data cannot be loaded: a signed-out visitor
//! is sent to sign in, a member whose role is too low is told so (with 403
//! on the server-rendered page), anything else shows its message.

use leptos::prelude::*;

use crate::error::AppError;

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
                <h1>"Not for your role"</h1>
                <p>{message}</p>
                <p>"Ask an admin if you need access."</p>
            </section>
        }
        .into_any(),
        AppError::Unauthenticated(message) => view! {
            <section class="placeholder" role="alert">
                <h1>"Please sign in"</h1>
                <p>{message}</p>
                <p><a href="/sign-in">"Sign in"</a></p>
            </section>
        }
        .into_any(),
        other => view! {
            <p class="form-error" role="alert">
                {if what.is_empty() { String::new() } else { format!("Could not load {what}. ") }}
                {other.to_string()}
            </p>
        }
        .into_any(),
    }
}
