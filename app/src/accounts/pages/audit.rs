//! The audit log for admins: sign-ins, role changes, tokens, feed deletions
//! and publishes, newest first, 100 per page.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::layout::Erase;
use crate::page_data::page_data;
use crate::{
    accounts::api::audit_log, i18n::td_string, lang, layout::parts::Time, pages::LoadError,
};

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
    let locale = lang::current();

    view! {
        <Title text=td_string!(locale, accounts.audit_log) />
        <p class="breadcrumb"><a href="/members">{tr!(accounts.members_title)}</a> " ›"</p>
        <h1>{tr!(accounts.audit_log)}</h1>
        <Transition fallback=move || view! { <p class="muted">{tr!(accounts.audit_loading)}</p> }>
            {move || Suspend::new(async move {
                match entries.await {
                    Ok(entries) if entries.is_empty() => view! { <p class="muted">{tr!(accounts.audit_empty)}</p> }.erase(),
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
                                    <tr>
                                        <th scope="col">{tr!(accounts.col_when)}</th>
                                        <th scope="col">{tr!(accounts.col_who)}</th>
                                        <th scope="col">{tr!(accounts.col_what)}</th>
                                        <th scope="col">{tr!(accounts.col_subject)}</th>
                                        <th scope="col">{tr!(accounts.col_detail)}</th>
                                        <th scope="col">{tr!(accounts.col_from)}</th>
                                    </tr>
                                </thead>
                                <tbody>{rows}</tbody>
                            </table>
                            {older.map(|href| view! { <p><a href=href>{tr!(accounts.older_entries)}</a></p> })}
                        }
                        .erase()
                    }
                    Err(error) => view! { <LoadError error what=td_string!(locale, accounts.what_audit_log) /> }.erase(),
                }
            })}
        </Transition>
    }
}
