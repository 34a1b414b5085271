//! `/settings/delivery` (admins): the git repository published issues are
//! delivered to. Credentials are references (a file's path or a variable's
//! name), so nothing secret is ever shown back.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::layout::Erase;
use crate::{
    delivery::{
        api::{load_delivery_target, SaveDeliveryTarget},
        CredentialKind, DeliveryTarget,
    },
    i18n::td_string,
    lang,
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
        <Title text=td_string!(lang::current(), admin.delivery_settings_title) />
        <h1>{tr!(admin.delivery_heading)}</h1>
        <p><a href="/settings">{tr!(admin.delivery_back_to_settings)}</a></p>
        <p class="hint">
            {tr!(admin.delivery_intro)}
        </p>
        <Transition fallback=move || view! { <p class="muted">{tr!(common.shared2_loading)}</p> }>
            {move || Suspend::new(async move {
                match loaded.await {
                    Ok(target) => view! { <TargetForm target save /> }.erase(),
                    Err(error) => view! { <LoadError error what=td_string!(lang::current(), admin.what_delivery_settings) /> }.erase(),
                }
            })}
        </Transition>
    }
}

#[component]
fn TargetForm(target: DeliveryTarget, save: ServerAction<SaveDeliveryTarget>) -> impl IntoView {
    let value = save.value();
    let error = move |field: &'static str| Signal::derive(field_error(value, field));
    let saved = move || {
        matches!(value.get(), Some(Ok(_))).then(|| td_string!(lang::current(), admin.saved))
    };
    let kind = target.credential_kind;
    view! {
        <ActionForm action=save attr:class="settings-form delivery-form">
            {view! {
                <input type="hidden" name="target[version]" value=target.version />
                <div class="field checkbox">
                    <label>
                        <input type="checkbox" name="target[enabled]" value="true" checked=target.enabled />
                        {tr!(admin.delivery_enabled)}
                    </label>
                </div>
                <Field id="remote" name="target[remote]" label=move || tr!(admin.delivery_remote) error=error("remote")
                    value=target.remote.clone() placeholder="git@github.com:team/zenn-content.git"
                    hint=td_string!(lang::current(), admin.delivery_remote_hint) />
                <Field id="branch" name="target[branch]" label=move || tr!(admin.delivery_branch) error=error("branch")
                    value=target.branch.clone() required=true />
                <Field id="path_template" name="target[path_template]" label=move || tr!(admin.delivery_path) error=error("path_template")
                    value=target.path_template.clone() required=true
                    hint=td_string!(lang::current(), admin.delivery_path_hint) />
                <Field id="slug_template" name="target[slug_template]" label=move || tr!(admin.delivery_slug) error=error("slug_template")
                    value=target.slug_template.clone()
                    hint=td_string!(lang::current(), admin.delivery_slug_hint) />
                <Field id="author_name" name="target[author_name]" label=move || tr!(admin.delivery_author_name) error=error("author_name")
                    value=target.author_name.clone() required=true />
                <Field id="author_email" name="target[author_email]" label=move || tr!(admin.delivery_author_email) error=error("author_email")
                    value=target.author_email.clone() required=true />
                <fieldset>
                    <legend>{tr!(admin.delivery_credentials)}</legend>
                    <div class="field">
                        <label for="credential_kind">{tr!(admin.delivery_credential_kind)}</label>
                        <select id="credential_kind" name="target[credential_kind]">
                            {CredentialKind::ALL.into_iter().map(|option| view! {
                                <option value=option.as_str() selected=option == kind>{option.label()}</option>
                            }).collect_view()}
                        </select>
                    </div>
                    <Field id="credential_ref" name="target[credential_ref]" label=move || tr!(admin.delivery_credential_ref)
                        error=error("credential_ref") value=target.credential_ref.clone()
                        hint=td_string!(lang::current(), admin.delivery_credential_ref_hint) />
                </fieldset>
                <p class="form-error" role="alert">{general_error(value, FIELDS)}</p>
                <p class="form-ok" role="status">{saved}</p>
                <button type="submit">{tr!(admin.delivery_save)}</button>

            }
            .sync_hydrated()}
        </ActionForm>
    }
}
