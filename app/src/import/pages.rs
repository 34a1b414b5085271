//! The upload form of back issues (on the Issues page, for admins) and the
//! page an upload lands on: progress while the files are imported, then a
//! report per file. Hydrated it polls; without JavaScript the page
//! refreshes itself until the import is done.

use leptos::{either::Either, prelude::*};
use leptos_meta::{Meta, Title};

use super::{api::import_status, FileOutcome, ImportBatch};
use crate::i18n::td_string;
use crate::lang;
use crate::layout::parts::number_param;
use crate::page_data::page_data;

/// A plain multipart form, so it works before hydration too.
#[component]
pub fn ImportIssuesForm() -> impl IntoView {
    view! {
        <details class="import-issues">
            <summary>{tr!(inbox.import_summary)}</summary>
            <form class="import-issues-form" method="post" action="/edit/import" enctype="multipart/form-data">
                <p class="muted">
                    {tr!(inbox.import_help)}
                </p>
                <div class="field">
                    <label for="import-files">{tr!(inbox.import_files)}</label>
                    <input id="import-files" type="file" name="file" multiple required
                        accept=".md,.markdown,text/markdown,text/plain" />
                </div>
                <div class="field">
                    <label for="import-first-number">{tr!(inbox.import_first_number)}</label>
                    <input id="import-first-number" class="text-input number-input" type="number" min="1" name="first_number" />
                </div>
                <button type="submit">{tr!(inbox.import_submit)}</button>
            </form>
        </details>
    }
}

#[component]
pub fn ImportIssuesPage() -> impl IntoView {
    let id = number_param::<i64>("id");
    let id = move || id().unwrap_or(-1);
    let tick = RwSignal::new(0u32);
    let status = page_data(move || (id(), tick.get()), |(id, _)| import_status(id));
    Effect::new(move |_| {
        if let Some(Ok(current)) = status.get() {
            if !current.finished {
                set_timeout(
                    move || tick.update(|t| *t += 1),
                    std::time::Duration::from_millis(500),
                );
            }
        }
    });
    view! {
        <Title text=td_string!(lang::current(), inbox.import_title) />
        <p class="breadcrumb"><a href="/edit">{tr!(common.nav_issues)}</a> " ›"</p>
        <h1>{tr!(inbox.import_title)}</h1>
        <Transition fallback=move || view! { <p class="muted">{tr!(inbox.import_loading)}</p> }>
            {move || Suspend::new(async move {
                match status.await {
                    Ok(batch) => Either::Left(view! { <BatchReport batch /> }),
                    Err(error) => Either::Right(view! { <p class="form-error" role="alert">{error.to_string()}</p> }),
                }
            })}
        </Transition>
    }
}

#[component]
fn BatchReport(batch: ImportBatch) -> impl IntoView {
    let done = batch.reports.len();
    let count = |wanted: fn(&FileOutcome) -> bool| {
        batch
            .reports
            .iter()
            .filter(|report| wanted(&report.outcome))
            .count()
    };
    let imported = count(|o| matches!(o, FileOutcome::Imported { .. }));
    let unchanged = count(|o| matches!(o, FileOutcome::Unchanged { .. }));
    let failed = count(|o| matches!(o, FileOutcome::Failed { .. }));
    let running = !batch.finished;
    let locale = lang::current();
    view! {
        {running.then(|| view! { <Meta http_equiv="refresh" content="1" /> })}
        <p role="status" class="form-status" id="import-summary">
            {if running {
                lang::fill(
                    td_string!(locale, inbox.import_progress),
                    &[("done", &done.to_string()), ("total", &batch.total.to_string())],
                )
            } else {
                lang::fill(
                    td_string!(locale, inbox.import_done),
                    &[
                        ("imported", &imported.to_string()),
                        ("unchanged", &unchanged.to_string()),
                        ("failed", &failed.to_string()),
                    ],
                )
            }}
        </p>
        {running.then(|| view! { <progress class="progress" max=batch.total.max(1) value=done></progress> })}
        {batch.error.map(|error| view! { <p class="form-error" role="alert">{error}</p> })}
        <ul class="import-reports">
            {batch.reports.into_iter().map(|report| {
                let class = match report.outcome {
                    FileOutcome::Imported { .. } => "import-report ok",
                    FileOutcome::Unchanged { .. } => "import-report unchanged",
                    FileOutcome::Failed { .. } => "import-report failed",
                };
                let link = match report.outcome {
                    FileOutcome::Imported { number, .. } | FileOutcome::Unchanged { number } => {
                        Some(view! { " " <a href=format!("/edit/{number}")>{lang::fill(td_string!(locale, inbox.import_open), &[("number", &number.to_string())])}</a> })
                    }
                    FileOutcome::Failed { .. } => None,
                };
                view! {
                    <li class=class>
                        <span>{report.summary()}</span>
                        {link}
                        {(!report.notes.is_empty()).then(|| view! {
                            <ul class="import-notes">
                                {report.notes.into_iter().map(|note| view! { <li>{note}</li> }).collect_view()}
                            </ul>
                        })}
                    </li>
                }
            }).collect_view()}
        </ul>
        <p><a href="/edit">{tr!(inbox.import_back)}</a></p>
    }
}
