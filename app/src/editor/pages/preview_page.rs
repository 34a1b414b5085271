//! `/edit/{number}/preview`: exactly the Markdown the export produces, next
//! to its HTML, both from the same renderer as the export.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::i18n::td_string;
use crate::lang;
use crate::layout::Erase;
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
    let number = number_param::<i32>("number");
    let number = move || number().unwrap_or(-1);
    let data = page_data(number, |number| async move {
        Ok::<_, AppError>((load_issue(number).await?, load_render_settings().await?))
    });
    view! {
        <Suspense fallback=move || view! { <p class="muted">{tr!(editor.rendering)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((issue, settings)) => {
                        let doc = document(&issue, &settings);
                        let markdown = render_issue(&doc);
                        let html = issue_html(&doc);
                        let number = issue.number;
                        let num = number.to_string();
                        view! {
                            <Title text=lang::fill(td_string!(lang::current(), editor.preview_title), &[("number", &num)]) />
                            <div class="page-head">
                                <h1>{lang::fill(td_string!(lang::current(), editor.preview_heading), &[("number", &num)])}</h1>
                                <div class="page-actions">
                                    <a class="button secondary" href=format!("/edit/{number}")>{tr!(editor.back_to_editor)}</a>
                                    <a class="button secondary" href=format!("/issues/{number}.md") download=format!("issue-{number}.md")>{tr!(editor.download_md)}</a>
                                    <CopyButton text=markdown.clone() />
                                </div>
                            </div>
                            <div class="preview-split">
                                <section aria-label="Markdown">
                                    <h2>"Markdown"</h2>
                                    <pre class="export-markdown">{markdown}</pre>
                                </section>
                                <section aria-label=td_string!(lang::current(), editor.rendered)>
                                    <h2>{tr!(editor.rendered)}</h2>
                                    <article class="export-html markdown" inner_html=html></article>
                                </section>
                            </div>
                        }.erase()
                    }
                    Err(error) => view! { <LoadError error what=td_string!(lang::current(), editor.what_preview) /> }.erase(),
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
            {move || if copied.get() { td_string!(lang::current(), editor.copied) } else { td_string!(lang::current(), editor.copy_markdown) }}

        </button>
    }
}
