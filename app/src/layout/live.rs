//! Live updates: the browser subscribes to the server's events for a page
//! (server-sent events, fed by PostgreSQL LISTEN/NOTIFY so that every server
//! process sees every change). EventSource reconnects by itself after a
//! network drop; when the server answered with an error it gives up, so
//! this retries then. After any reconnect, the visible rows are reloaded:
//! events sent meanwhile were missed.

use leptos::prelude::*;

/// Subscribes to the events at `path` while mounted, and shows whether the
/// connection is up. `on_event` gets each event's data (JSON).
#[component]
pub fn LiveEvents(
    path: String,
    #[prop(into)] on_event: Callback<String>,
    #[prop(into)] on_reconnect: Callback<()>,
) -> impl IntoView {
    let connected = RwSignal::new(false);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| browser::connect(path.clone(), on_event, on_reconnect, connected));
    #[cfg(not(feature = "hydrate"))]
    let _ = (path, on_event, on_reconnect);
    view! {
        <p class="live-status" class:live=move || connected.get() aria-live="polite">
            {move || if connected.get() { "● Live" } else { "○ Connecting…" }}
        </p>
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use leptos::{prelude::*, wasm_bindgen::prelude::*, web_sys};

    const RETRY_MS: i32 = 3_000;

    pub fn connect(
        path: String,
        on_event: Callback<String>,
        on_reconnect: Callback<()>,
        connected: RwSignal<bool>,
    ) {
        let Ok(source) = web_sys::EventSource::new(&path) else {
            return;
        };
        let ever_opened = StoredValue::new(false);
        let on_open = Closure::<dyn FnMut()>::new(move || {
            if ever_opened.get_value() {
                on_reconnect.run(());
            }
            ever_opened.set_value(true);
            connected.set(true);
        });
        let on_message =
            Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
                if let Some(data) = ev.data().as_string() {
                    on_event.run(data);
                }
            });
        let retry_source = source.clone();
        let on_error = Closure::<dyn FnMut()>::new(move || {
            connected.set(false);
            if retry_source.ready_state() == web_sys::EventSource::CLOSED {
                // The browser gave up (e.g. the server answered 503 while
                // restarting): start over a little later.
                let path = path.clone();
                set_timeout(
                    move || connect(path, on_event, on_reconnect, connected),
                    std::time::Duration::from_millis(RETRY_MS as u64),
                );
            }
        });
        source.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        source.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        // The handlers live as long as the page's connection.
        on_open.forget();
        on_message.forget();
        on_error.forget();
        on_cleanup(move || source.close());
    }
}
