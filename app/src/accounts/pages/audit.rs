//! The audit log for admins: sign-ins, role changes, tokens, feed deletions
//! and publishes, newest first, 100 per page.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::page_data::page_data;
use crate::{accounts::api::audit_log, layout::parts::Time, pages::LoadError};

#[component]
pub fn AuditPage() -> impl IntoView {
    let query = use_query_map();
    let before = move || {
        query
            .read()
            .get("before")
            .and_then(|b| b.parse::<i64>().ok())
    };
    let entries = page_data(before, audit_log);

    view! {
        <Title text="Audit log" />
        <p class="breadcrumb"><a href="/members">"Members"</a> " ›"</p>
        <h1>"Audit log"</h1>
        <Transition fallback=|| view! { <p class="muted">"Loading the audit log…"</p> }>
            {move || Suspend::new(async move {
                match entries.await {
                    Ok(entries) if entries.is_empty() => view! { <p class="muted">"Nothing recorded yet."</p> }.into_any(),
                    Ok(entries) => {
                        let older = (entries.len() == 100)
                            .then(|| entries.last().map(|last| format!("/members/audit?before={}", last.id)))
                            .flatten();
                        let rows = entries
                            .into_iter()
                            .map(|entry| {
                                let detail = match &entry.detail {
                                    serde_json::Value::Object(map) if !map.is_empty() => {
                                        serde_json::Value::Object(map.clone()).to_string()
                                    }
                                    _ => String::new(),
                                };
                                view! {
                                    <tr>
                                        <td><Time at=Some(entry.at) /></td>
                                        <td>{entry.actor_name.clone().unwrap_or_else(|| "—".into())}</td>
                                        <td><code>{entry.action.clone()}</code></td>
                                        <td>{entry.subject.clone()}</td>
                                        <td class="detail"><code>{detail}</code></td>
                                        <td>{entry.client_addr.clone().unwrap_or_default()}</td>
                                    </tr>
                                }
                            })
                            .collect_view();
                        view! {
                            <table class="data-table audit">
                                <thead>
                                    <tr><th scope="col">"When"</th><th scope="col">"Who"</th><th scope="col">"What"</th><th scope="col">"Subject"</th><th scope="col">"Detail"</th><th scope="col">"From"</th></tr>
                                </thead>
                                <tbody>{rows}</tbody>
                            </table>
                            {older.map(|href| view! { <p><a href=href>"Older entries"</a></p> })}
                        }
                        .into_any()
                    }
                    Err(error) => view! { <LoadError error what="the audit log" /> }.into_any(),
                }
            })}
        </Transition>
    }
}
