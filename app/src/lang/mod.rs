//! Which language the UI speaks. The catalogues are `app/locales/`
//! (compiled into `crate::i18n` by `load_locales!`); this module decides,
//! per request, which one a page uses and hands that to the browser.
//!
//! The order, first match wins: a `?lang=` on the address (public pages
//! link to both languages; the choice is kept in a cookie), the member's
//! own choice (account page), that cookie, the browser's
//! `Accept-Language`, English. The server decides and writes it into
//! `<html lang>`; hydration reads it back from there, so both halves agree.
//! The published issue, its feeds and the export are not UI: they use the
//! newsletter's language (Settings), never this one.

#[cfg(test)]
mod catalogue_tests;
pub mod clock;
pub mod model;
#[cfg(feature = "ssr")]
mod stored;
#[cfg(feature = "ssr")]
pub use stored::shown;
#[cfg(test)]
mod tests;

use leptos::prelude::*;

use crate::i18n::I18nLocaleTrait as _;
pub use crate::i18n::Locale;

/// The cookie that keeps a visitor's `?lang=` choice.
pub const COOKIE: &str = "newsdesk_lang";

/// The UI locales, in the order the language menus list them.
pub const ALL: [Locale; 2] = [Locale::en, Locale::ja];

/// The tag of a UI locale (`ja`), for `lang` attributes and cookies.
pub fn tag(locale: Locale) -> &'static str {
    locale.as_str()
}

/// A language tag (`ja`, `ja-JP`, `en-US`) as one of the UI locales.
pub fn from_tag(tag: &str) -> Option<Locale> {
    let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
    ALL.into_iter().find(|locale| locale.as_str() == primary)
}

/// The best UI locale for an `Accept-Language` header, by its q-values.
pub fn from_accept_language(header: &str) -> Option<Locale> {
    let mut ranges: Vec<(f32, Locale)> = header
        .split(',')
        .filter_map(|range| {
            let mut parts = range.split(';');
            let locale = from_tag(parts.next()?)?;
            let quality = parts
                .find_map(|p| p.trim().strip_prefix("q="))
                .map_or(Some(1.0), |q| q.trim().parse::<f32>().ok())?;
            (quality > 0.0).then_some((quality, locale))
        })
        .collect();
    // Stable: among equal weights the header's own order wins.
    ranges.sort_by(|a, b| b.0.total_cmp(&a.0));
    ranges.first().map(|(_, locale)| *locale)
}

/// What a request says about its language, strongest first.
#[derive(Debug, Default, Clone, Copy)]
pub struct Choices<'a> {
    pub query: Option<&'a str>,
    pub member: Option<&'a str>,
    pub cookie: Option<&'a str>,
    pub accept_language: Option<&'a str>,
}

impl Choices<'_> {
    pub fn resolve(&self) -> Locale {
        self.query
            .and_then(from_tag)
            .or_else(|| self.member.and_then(from_tag))
            .or_else(|| self.cookie.and_then(from_tag))
            .or_else(|| self.accept_language.and_then(from_accept_language))
            .unwrap_or_default()
    }
}

/// The locale for a request's headers (its cookie and `Accept-Language`),
/// after a `?lang=` and the member's own choice.
#[cfg(feature = "ssr")]
pub fn resolve_headers(
    headers: &http::HeaderMap,
    query: Option<&str>,
    member: Option<&str>,
) -> Locale {
    let cookies = headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .collect::<Vec<_>>()
        .join("; ");
    Choices {
        query,
        member,
        cookie: crate::accounts::sessions::cookie_value(&cookies, COOKIE),
        accept_language: headers
            .get(http::header::ACCEPT_LANGUAGE)
            .and_then(|value| value.to_str().ok()),
    }
    .resolve()
}

/// The `Set-Cookie` value that keeps a `?lang=` choice for a year.
pub fn cookie(locale: Locale) -> String {
    format!(
        "{COOKIE}={}; Path=/; SameSite=Lax; Max-Age=31536000",
        locale.as_str()
    )
}

/// The language of a public page's content (the newsletter's, from
/// Settings), when it is not the UI's: `<html lang>` then names it, and
/// `data-ui-lang` the UI's.
#[derive(Debug, Clone)]
pub struct DocumentLanguage(pub String);

/// The locale the server chose for this request (a request extension set by
/// the server's language middleware).
#[derive(Debug, Clone, Copy)]
pub struct RequestLanguage(pub Locale);

/// A catalogue text in the language of the page being rendered, as a
/// `&'static str`: `tr!(inbox.pick)`. Plain text, not a closure like
/// `live!`: pages are rendered afresh on navigation, so a language switch
/// reaches them on the next page, and each use costs a `match` instead of
/// a closure and a view in the wasm. Only what outlives navigation (the
/// header) and the page where the language is chosen use `live!`.
macro_rules! tr {
    ($($key:tt)+) => {
        $crate::i18n::td_string!($crate::lang::current(), $($key)+)
    };
}

/// A catalogue text that follows a language switch without a reload:
/// `live!(common.nav_inbox)`, a closure to place in a view.
macro_rules! live {
    ($($key:tt)+) => {{
        let ui = $crate::lang::ui();
        move || $crate::i18n::td_string!(ui.get(), $($key)+)
    }};
}

/// A catalogue text with its `{name}` placeholders filled in. The
/// catalogues hold plain strings: filling them here keeps the generated
/// code (and the wasm) small, and a value is never parsed as markup.
pub fn fill(text: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let value = after.find('}').and_then(|end| {
            let name = &after[..end];
            values
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, value)| (*value, end))
        });
        match value {
            Some((value, end)) => {
                out.push_str(value);
                rest = &after[end + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// "1 feed" / "3 feeds" and the like, from the pair of catalogue texts with
/// a `{count}` in them (languages differ in where the number goes).
pub fn counted<N: PartialEq + From<u8> + ToString>(count: N, one: &str, many: &str) -> String {
    fill(
        if count == N::from(1) { one } else { many },
        &[("count", &count.to_string())],
    )
}

#[cfg(feature = "ssr")]
tokio::task_local! {
    /// The request's locale for code outside Leptos (axum handlers, and the
    /// background work a request starts), set by the server's middleware.
    static REQUEST_LOCALE: Locale;
}

/// Runs `work` with `locale` as [`current`] (outside Leptos' context).
#[cfg(feature = "ssr")]
pub async fn scope<F: std::future::Future>(locale: Locale, work: F) -> F::Output {
    REQUEST_LOCALE.scope(locale, work).await
}

/// `work`, to be spawned, keeping the current locale: an import started
/// by a Japanese page writes its report in Japanese.
#[cfg(feature = "ssr")]
pub fn keep<F: std::future::Future>(work: F) -> impl std::future::Future<Output = F::Output> {
    REQUEST_LOCALE.scope(current(), work)
}

/// The locale of the current request (server) or page (browser), outside
/// the reactive context too: server functions word their messages with it.
pub fn current() -> Locale {
    // The server's own records first: a background task may still see a
    // reactive owner whose signals are gone, and reading one panics.
    #[cfg(feature = "ssr")]
    {
        if let Ok(locale) = REQUEST_LOCALE.try_with(|locale| *locale) {
            return locale;
        }
        if let Some(parts) = use_context::<http::request::Parts>() {
            if let Some(RequestLanguage(locale)) = parts.extensions.get::<RequestLanguage>() {
                return *locale;
            }
        }
    }
    use_context::<Ui>()
        .and_then(|ui| ui.0.try_get_untracked())
        .unwrap_or_default()
}

/// The locale the page starts in: on the server the request's, in the
/// browser the one the server wrote into `<html lang>`.
fn initial() -> Locale {
    #[cfg(feature = "hydrate")]
    {
        document()
            .document_element()
            .and_then(|root| {
                root.get_attribute("data-ui-lang")
                    .or_else(|| root.get_attribute("lang"))
            })
            .and_then(|tag| from_tag(&tag))
            .unwrap_or_default()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        current()
    }
}

/// The UI locale of the page, as a signal: what outlives navigation (the
/// header) and the account page, where the language is chosen, read it
/// through [`live!`] and follow a switch at once.
///
/// Our own signal rather than leptos_i18n's context: that context starts an
/// isomorphic effect, which on the server runs as a spawned task after the
/// render and could read its signal once the render's owner was gone (a
/// panic at startup, when leptos_axum renders the app to list its routes).
#[derive(Clone, Copy)]
pub struct Ui(RwSignal<Locale>);

impl Ui {
    /// The locale, tracked by the reactive observer that reads it.
    pub fn get(self) -> Locale {
        self.0.try_get().unwrap_or_default()
    }

    /// Switches every live text, and `<html lang>`, to `locale`.
    pub fn set(self, locale: Locale) {
        self.0.set(locale);
    }
}

/// The page's [`Ui`] locale (provided by [`provide`]).
pub fn ui() -> Ui {
    use_context::<Ui>().unwrap_or_else(|| Ui(RwSignal::new(current())))
}

/// Provides the UI locale for the whole app, starting in the request's.
pub fn provide() {
    let ui = Ui(RwSignal::new(initial()));
    provide_context(ui);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        let locale = ui.get();
        if let Some(root) = document().document_element() {
            // A public page in the newsletter's language keeps it.
            if root.has_attribute("data-ui-lang") {
                let _ = root.set_attribute("data-ui-lang", locale.as_str());
            } else {
                let _ = root.set_attribute("lang", locale.as_str());
            }
        }
    });
}
