//! The page an OPML upload lands on: progress while the import runs, then
//! what was added, skipped and refused. Hydrated, it polls; without
//! JavaScript, the page refreshes itself until the import is done.

use leptos::{either::Either, prelude::*};
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;

use crate::feeds::api::import_progress;
use crate::feeds::model::ImportStatus;
use crate::i18n::td_string;
use crate::lang;
use crate::page_data::page_data;

#[component]
pub fn ImportPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let tick = RwSignal::new(0u32);
    let status = page_data(move || (id(), tick.get()), |(id, _)| import_progress(id));
    // Poll while the import runs (in the browser only).
    Effect::new(move |_| {
        if let Some(Ok(current)) = status.get() {
            if !current.finished() {
                set_timeout(
                    move || tick.update(|t| *t += 1),
                    std::time::Duration::from_millis(500),
                );
            }
        }
    });
    view! {
        <Title text=td_string!(lang::current(), feeds.importing) />
        <p class="breadcrumb"><a href="/feeds">{tr!(feeds.title)}</a> " ›"</p>
        <h1>{tr!(feeds.importing)}</h1>
        <Transition fallback=move || view! { <p class="muted">{tr!(feeds.loading_short)}</p> }>
            {move || Suspend::new(async move {
                match status.await {
                    Ok(status) => Either::Left(view! { <ImportReport status /> }),
                    Err(error) => Either::Right(view! { <p class="form-error" role="alert">{error.to_string()}</p> }),
                }
            })}
        </Transition>
    }
}

#[component]
fn ImportReport(status: ImportStatus) -> impl IntoView {
    let ImportStatus {
        file_name,
        progress,
        summary,
        error,
    } = status;
    let running = summary.is_none() && error.is_none();
    let locale = lang::current();
    view! {
        {running.then(|| view! { <Meta http_equiv="refresh" content="1" /> })}
        <p>{tr!(feeds.file_label)} <strong>{file_name}</strong></p>
        {if running {
            Either::Left(view! {
                <p role="status">{lang::fill(
                    td_string!(locale, feeds.import_progress),
                    &[("done", &progress.done.to_string()), ("total", &progress.total.to_string())],
                )}</p>
                <progress class="progress" max=progress.total.max(1) value=progress.done></progress>
            })
        } else {
            Either::Right(match (summary, error) {
                // An import that stopped on a feed says why, then what it did.
                (Some(summary), stopped) => Either::Left(view! {
                    <p role="status" class="form-status" id="import-summary">
                        {lang::fill(
                            match (stopped.is_some(), summary.skipped_duplicates == 1) {
                                (true, true) => td_string!(locale, feeds.import_stopped_singular),
                                (true, false) => td_string!(locale, feeds.import_stopped_plural),
                                (false, true) => td_string!(locale, feeds.import_done_singular),
                                (false, false) => td_string!(locale, feeds.import_done_plural),
                            },
                            &[
                                ("added", &summary.added.to_string()),
                                ("skipped", &summary.skipped_duplicates.to_string()),
                                ("refused", &summary.invalid.len().to_string()),
                            ],
                        )}
                    </p>
                    {stopped.map(|error| view! { <p class="form-error" role="alert">{error}</p> })}
                    {(!summary.invalid.is_empty()).then(|| view! {
                        <h2>{tr!(feeds.refused)}</h2>
                        <ul class="refused">
                            {summary
                                .invalid
                                .into_iter()
                                .map(|(url, reason)| view! { <li><code>{url}</code> ": " {reason}</li> })
                                .collect_view()}
                        </ul>
                    })}
                    <p><a href="/feeds">{tr!(feeds.back_to_feeds)}</a></p>
                }),
                (None, error) => Either::Right(view! {
                    <p class="form-error" role="alert">
                        {lang::fill(td_string!(locale, feeds.nothing_imported), &[("error", &error.unwrap_or_default())])}
                    </p>
                    <p><a href="/feeds">{tr!(feeds.back_to_feeds)}</a></p>
                }),
            })
        }}
    }
}
