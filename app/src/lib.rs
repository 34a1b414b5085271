//! The newsdesk web application. Compiled twice: into the server (feature
//! `ssr`), where it renders pages and runs server functions, and to wasm
//! (feature `hydrate`), where it takes over the server-rendered page.

// Deeply nested views (the issue editor) have deeply nested types.
#![recursion_limit = "256"]

// First, so that every module below may use its macro.
#[macro_use]
mod words;

// First: its `tr!` macro is used everywhere after it.
#[macro_use]
pub mod lang;
pub mod accounts;
pub mod delivery;
pub mod editor;
pub mod error;
pub mod feeds;
pub mod import;
pub mod inbox;
pub mod layout;
#[cfg(feature = "ssr")]
pub mod links;
#[cfg(feature = "ssr")]
pub mod near_duplicates;
pub mod page_data;
pub mod pages;
pub mod publish;
pub mod render;
pub mod settings;
mod shell;
pub mod webhooks;

#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod state;

// The message catalogues of app/locales/ as typed keys: `crate::i18n`.
// The macro (deprecated upstream for a build script) spares the build the
// build script's ICU data tooling; newsdesk uses no ICU formatting.
#[allow(deprecated)]
mod catalogue {
    leptos_i18n::load_locales!();
}
pub use catalogue::i18n;

pub use shell::{shell, App};

/// Entry point the hydration script calls once the wasm module is loaded.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Server functions that redirect (sign-in, sign-out, …) change who is
    // signed in: load the next page afresh instead of routing client-side
    // with state from before. Set before the router installs its own hook.
    let _ = leptos::server_fn::redirect::set_redirect_hook(|location: &str| {
        let _ = leptos::prelude::window().location().set_href(location);
    });
    // Pages are lazily loaded wasm chunks (see shell.rs): hydration waits
    // for the current page's chunk, so it runs as a task.
    wasm_bindgen_futures::spawn_local(async {
        let body = leptos::prelude::document().body().expect("a <body>");
        let app = leptos::mount::hydrate_from_async(body, App).await;
        app.forget();
        // A marker for browser tests (and curious humans): the page is live now.
        if let Some(root) = leptos::prelude::document().document_element() {
            let _ = root.set_attribute("data-hydrated", "true");
        }
        lang::clock::report_browser_zone();
    });
}
