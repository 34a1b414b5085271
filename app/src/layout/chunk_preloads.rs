//! Preload hints for the wasm chunks of the page group being rendered.
//!
//! Leptos adds them itself, but on pages rendered with `SsrMode::Async`
//! only about half the time: leptos_integration_utils 0.8 looks the split
//! manifest up outside the request's reactive owner, so it finds whatever
//! owner the worker thread had last (docs/performance.md, "Splitting by
//! page"). Without them the browser asks for the chunks only once the main
//! module runs, a round trip later. Each page group registers its own here,
//! from inside the page, where the lookup is the request's.

use leptos::{prelude::*, tachys::view::RenderHtml, WasmSplitManifest};
use leptos_meta::Link;

/// Adds `<link rel="preload">` for every chunk the split point `group`
/// (a `#[lazy]` function's name) needs, and the chunk loader, to the head.
/// Renders nothing itself; a duplicate of a hint Leptos did add is
/// harmless (the browser fetches a URL once).
pub fn preload_chunks_of(group: &str) {
    let Some(manifest) = use_context::<WasmSplitManifest>() else {
        return;
    };
    let Some(entry) = manifest.0.try_read_value() else {
        return;
    };
    let (pkg, groups, loader) = &*entry;
    // Split points are named `<function>_<hash>`.
    let prefix = format!("{group}_");
    let Some(chunks) = groups
        .iter()
        .find_map(|(name, chunks)| name.starts_with(&prefix).then_some(chunks))
    else {
        return;
    };
    // Rendering a leptos_meta tag registers it with the head being built.
    _ = view! { <Link rel="modulepreload" href=format!("{pkg}/{loader}") crossorigin="anonymous" /> }
        .to_html();
    for chunk in chunks {
        _ = view! {
            <Link
                rel="preload"
                href=format!("{pkg}/{chunk}.wasm")
                as_="fetch"
                type_="application/wasm"
                crossorigin="anonymous"
            />
        }
        .to_html();
    }
}
