//! `/edit/{number}/preview`: exactly the Markdown the export produces, next
//! to its HTML, both from the same renderer as the export.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::page_data::page_data;
use crate::{
    editor::{
        api::{load_issue, load_render_settings},
        document,
    },
    error::AppError,
    layout::parts::number_param,
    pages::LoadError,
    render::{issue_html, render_issue},
};

#[component]
pub fn PreviewPage() -> impl IntoView {
    // An unparsable number asks for issue -1, which does not exist: 404.
    let number = number_param("number");
    let number = move || number().unwrap_or(-1);
    let data = page_data(number, |number| async move {
        Ok::<_, AppError>((load_issue(number).await?, load_render_settings().await?))
    });
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Rendering…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((issue, settings)) => {
                        let doc = document(&issue, &settings);
                        let markdown = render_issue(&doc);
                        let html = issue_html(&doc);
                        let number = issue.number;
                        view! {
                            <Title text=format!("Preview #{number}") />
                            <div class="page-head">
                                <h1>{format!("Preview of #{number}")}</h1>
                                <div class="page-actions">
                                    <a class="button secondary" href=format!("/edit/{number}")>"Back to the editor"</a>
                                    <a class="button secondary" href=format!("/issues/{number}.md") download=format!("issue-{number}.md")>"Download .md"</a>
                                    <CopyButton text=markdown.clone() />
                                </div>
                            </div>
                            <div class="preview-split">
                                <section aria-label="Markdown">
                                    <h2>"Markdown"</h2>
                                    <pre class="export-markdown">{markdown}</pre>
                                </section>
                                <section aria-label="Rendered">
                                    <h2>"Rendered"</h2>
                                    <article class="export-html markdown" inner_html=html></article>
                                </section>
                            </div>
                        }.into_any()
                    }
                    Err(error) => view! { <LoadError error what="the preview" /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Copies the Markdown to the clipboard.
#[component]
fn CopyButton(text: String) -> impl IntoView {
    let copied = RwSignal::new(false);
    let copy = move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(window) = leptos::web_sys::window() {
            let _ = window.navigator().clipboard().write_text(&text);
            copied.set(true);
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = &text;
    };
    view! {
        <button type="button" class="secondary copy-markdown" on:click=copy>
            {move || if copied.get() { "Copied" } else { "Copy Markdown" }}
        </button>
    }
}
