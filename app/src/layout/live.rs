//! Live updates: the browser subscribes to the server's events for a page
//! (server-sent events, fed by PostgreSQL LISTEN/NOTIFY so that every server
//! process sees every change). EventSource reconnects by itself after a
//! network drop; when the server answered with an error it gives up, so
//! this retries then. After any reconnect, the visible rows are reloaded:
//! events sent meanwhile were missed.

use leptos::prelude::*;

use crate::{i18n::td_string, lang};

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
    {
        let subscription = browser::Subscription::new(path, on_event, on_reconnect, connected);
        let current = subscription.current;
        Effect::new(move |_| subscription.clone().connect());
        // Whatever stream is current when the page goes away, also one a
        // retry opened long after this component was set up.
        on_cleanup(move || drop(current.try_update_value(Option::take)));
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (path, on_event, on_reconnect);
    view! {
        <p class="live-status" class:live=move || connected.get() aria-live="polite">
            {move || if connected.get() {
                td_string!(lang::current(), common.layout_live)
            } else {
                td_string!(lang::current(), common.layout_connecting)
            }}
        </p>
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use std::{cell::Cell, rc::Rc};

    use leptos::{prelude::*, wasm_bindgen::prelude::*, web_sys};

    const RETRY_MS: u64 = 3_000;

    /// An open event stream with the handlers it calls. They live exactly
    /// as long as the stream: dropping this closes it and frees them.
    pub struct Connection {
        source: web_sys::EventSource,
        _on_open: Closure<dyn FnMut()>,
        _on_message: Closure<dyn FnMut(web_sys::MessageEvent)>,
        _on_error: Closure<dyn FnMut()>,
    }

    impl Drop for Connection {
        fn drop(&mut self) {
            // Detached first: the browser must not call a freed handler.
            self.source.set_onopen(None);
            self.source.set_onmessage(None);
            self.source.set_onerror(None);
            self.source.close();
        }
    }

    /// One page's subscription, across the streams its retries open.
    #[derive(Clone)]
    pub struct Subscription {
        pub current: StoredValue<Option<Connection>, LocalStorage>,
        /// Whether any stream of this page ever opened: every later open
        /// is a reconnect, after which the page reloads what it shows.
        ever_opened: Rc<Cell<bool>>,
        path: String,
        on_event: Callback<String>,
        on_reconnect: Callback<()>,
        connected: RwSignal<bool>,
    }

    impl Subscription {
        pub fn new(
            path: String,
            on_event: Callback<String>,
            on_reconnect: Callback<()>,
            connected: RwSignal<bool>,
        ) -> Self {
            Self {
                current: StoredValue::new_local(None),
                ever_opened: Rc::default(),
                path,
                on_event,
                on_reconnect,
                connected,
            }
        }

        /// Opens a stream and makes it current, dropping the one it
        /// replaces. Once the page is gone (`current` disposed), a late
        /// retry opens nothing.
        pub fn connect(self) {
            if self.current.is_disposed() {
                return;
            }
            let Ok(source) = web_sys::EventSource::new(&self.path) else {
                return;
            };
            let (ever_opened, on_reconnect, connected) = (
                Rc::clone(&self.ever_opened),
                self.on_reconnect,
                self.connected,
            );
            let on_open = Closure::<dyn FnMut()>::new(move || {
                if ever_opened.replace(true) {
                    on_reconnect.run(());
                }
                connected.set(true);
            });
            let on_event = self.on_event;
            let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(
                move |ev: web_sys::MessageEvent| {
                    if let Some(data) = ev.data().as_string() {
                        on_event.run(data);
                    }
                },
            );
            let retry_source = source.clone();
            let retry = self.clone();
            let on_error = Closure::<dyn FnMut()>::new(move || {
                connected.set(false);
                if retry_source.ready_state() == web_sys::EventSource::CLOSED {
                    // The browser gave up (e.g. the server answered 503
                    // while restarting): start over a little later. The new
                    // stream replaces this one then, not from inside its
                    // own handler.
                    let retry = retry.clone();
                    set_timeout(
                        move || retry.connect(),
                        std::time::Duration::from_millis(RETRY_MS),
                    );
                }
            });
            source.set_onopen(Some(on_open.as_ref().unchecked_ref()));
            source.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
            source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
            let connection = Connection {
                source,
                _on_open: on_open,
                _on_message: on_message,
                _on_error: on_error,
            };
            // The replaced stream is dropped outside the store's borrow. A
            // store disposed meanwhile never runs the closure, which drops
            // (closes) the new stream instead.
            let replaced = self
                .current
                .try_update_value(move |slot| slot.replace(connection));
            drop(replaced);
        }
    }
}
