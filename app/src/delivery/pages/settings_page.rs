//! `/settings/delivery` (admins): the git repository published issues are
//! delivered to. Credentials are references (a file's path or a variable's
//! name), so nothing secret is ever shown back.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::{
    delivery::{
        api::{load_delivery_target, SaveDeliveryTarget},
        CredentialKind, DeliveryTarget,
    },
    layout::{
        parts::{field_error, general_error},
        Field,
    },
    page_data::page_data,
    pages::LoadError,
};

const FIELDS: &[&str] = &[
    "remote",
    "branch",
    "path_template",
    "slug_template",
    "author_name",
    "author_email",
    "credential_ref",
];

#[component]
pub fn DeliverySettingsPage() -> impl IntoView {
    let save = ServerAction::<SaveDeliveryTarget>::new();
    let loaded = page_data(move || save.version().get(), |_| load_delivery_target());
    view! {
        <Title text="Delivery settings" />
        <h1>"Delivery to git"</h1>
        <p><a href="/settings">"← Newsletter settings"</a></p>
        <p class="hint">
            "When an issue is published or re-published, its Markdown export is written to a file in this \
             repository, committed and pushed. Publishing never waits for it: the editor shows how it went."
        </p>
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match loaded.await {
                    Ok(target) => view! { <TargetForm target save /> }.into_any(),
                    Err(error) => view! { <LoadError error what="the delivery settings" /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn TargetForm(target: DeliveryTarget, save: ServerAction<SaveDeliveryTarget>) -> impl IntoView {
    let value = save.value();
    let error = move |field: &'static str| Signal::derive(field_error(value, field));
    let saved = move || matches!(value.get(), Some(Ok(_))).then_some("Saved.");
    let kind = target.credential_kind;
    view! {
        <ActionForm action=save attr:class="settings-form delivery-form">
            <input type="hidden" name="target[version]" value=target.version />
            <div class="field checkbox">
                <label>
                    <input type="checkbox" name="target[enabled]" value="true" checked=target.enabled />
                    " Deliver published issues to this repository"
                </label>
            </div>
            <Field id="remote" name="target[remote]" label=|| "Repository" error=error("remote")
                value=target.remote.clone() placeholder="git@github.com:team/zenn-content.git"
                hint="An SSH or HTTPS remote, or a path on the server." />
            <Field id="branch" name="target[branch]" label=|| "Branch" error=error("branch")
                value=target.branch.clone() required=true />
            <Field id="path_template" name="target[path_template]" label=|| "File path" error=error("path_template")
                value=target.path_template.clone() required=true
                hint="{number}, {date} (2026-12-04) and {slug} are filled in: articles/{slug}.md for Zenn, content/posts/{date}-{number}.md for Hugo." />
            <Field id="slug_template" name="target[slug_template]" label=|| "Slug" error=error("slug_template")
                value=target.slug_template.clone()
                hint="{number} and {date} are filled in. Zenn wants 12–50 characters of a–z, 0–9, - and _." />
            <Field id="author_name" name="target[author_name]" label=|| "Commit author" error=error("author_name")
                value=target.author_name.clone() required=true />
            <Field id="author_email" name="target[author_email]" label=|| "Commit author's email" error=error("author_email")
                value=target.author_email.clone() required=true />
            <fieldset>
                <legend>"Credentials"</legend>
                <div class="field">
                    <label for="credential_kind">"Kind"</label>
                    <select id="credential_kind" name="target[credential_kind]">
                        {CredentialKind::ALL.into_iter().map(|option| view! {
                            <option value=option.as_str() selected=option == kind>{option.label()}</option>
                        }).collect_view()}
                    </select>
                </div>
                <Field id="credential_ref" name="target[credential_ref]" label=|| "Key file, token file or variable"
                    error=error("credential_ref") value=target.credential_ref.clone()
                    hint="Where newsdesk finds the secret on the server: never the secret itself, which stays out of the database and the logs." />
            </fieldset>
            <p class="form-error" role="alert">{general_error(value, FIELDS)}</p>
            <p class="form-ok" role="status">{saved}</p>
            <button type="submit">"Save delivery settings"</button>
        </ActionForm>
    }
}
