//! `/settings` (admins): the newsletter's name, templates, cadence, public
//! URL, export front matter, and its sections.

use leptos::prelude::*;
use leptos_meta::Title;

use super::{
    api::{load_settings, AddSection, OrderSections, RemoveSection, RenameSection, SaveSettings},
    weekday_names, FrontMatterKind, SectionSetting, Settings,
};
use crate::layout::Erase;
use crate::page_data::page_data;
use crate::render::PickLayout;
use crate::{
    i18n::td_string,
    lang,
    layout::{
        parts::{field_error, general_error},
        server_text, Field,
    },
    pages::LoadError,
};

const FIELDS: &[&str] = &[
    "name",
    "title_template",
    "intro_template",
    "footer_template",
    "closing_heading_template",
    "closing_template",
    "next_number",
    "pick_layout",
    "line_breaks",
    "zenn_publication",
    "zenn_publish_time",
    "publish_weekday",
    "date_format",
    "public_base_url",
    "language",
    "yaml_fields",
    "zenn_emoji",
    "zenn_type",
    "zenn_topics",
    "feed_size",
];

#[component]
pub fn SettingsPage() -> impl IntoView {
    let save = ServerAction::<SaveSettings>::new();
    let add = ServerAction::<AddSection>::new();
    let rename = ServerAction::<RenameSection>::new();
    let order = ServerAction::<OrderSections>::new();
    let remove = ServerAction::<RemoveSection>::new();
    let loaded = page_data(
        move || {
            (
                save.version().get(),
                add.version().get(),
                rename.version().get(),
                order.version().get(),
                remove.version().get(),
            )
        },
        |_| load_settings(),
    );
    view! {
        <Title text=td_string!(lang::current(), admin.settings_title) />
        <h1>{tr!(admin.settings_heading)}</h1>
        <p><a href="/settings/delivery">{tr!(admin.settings_delivery_link)}</a> " · " <a href="/settings/webhooks">{tr!(admin.settings_webhooks_link)}</a></p>
        <Transition fallback=move || view! { <p class="muted">{tr!(admin.settings_loading)}</p> }>
            {move || Suspend::new(async move {
                match loaded.await {
                    Ok((settings, sections)) => view! {
                        <SettingsForm settings save />
                        <Sections sections add rename order remove />
                    }
                    .erase(),
                    Err(error) => view! { <LoadError error what=td_string!(lang::current(), admin.settings_what) /> }.erase(),
                }
            })}
        </Transition>
    }
}

#[component]
fn SettingsForm(settings: Settings, save: ServerAction<SaveSettings>) -> impl IntoView {
    let value = save.value();
    let error = move |field: &'static str| Signal::derive(field_error(value, field));
    let saved = move || {
        matches!(value.get(), Some(Ok(_))).then(|| td_string!(lang::current(), admin.saved))
    };
    let weekday = settings.publish_weekday;
    let kind = settings.front_matter;
    let zenn_type = settings.zenn_type.clone();
    let locale = lang::current();
    view! {
        <ActionForm action=save attr:class="settings-form settings-groups">
            {view! {
                <input type="hidden" name="settings[version]" value=settings.version />
                // Four groups, each headed, one column: a page an admin reads top to
                // bottom, with one save for the three groups of this form.
                <fieldset class="settings-group">
                    <legend><h2>{tr!(admin.settings_group_newsletter)}</h2></legend>
                    <Field id="name" name="settings[name]" label=move || tr!(admin.settings_name) error=error("name")
                        value=settings.name.clone() required=true maxlength=100 />
                    <Field id="public_base_url" name="settings[public_base_url]" label=move || tr!(admin.settings_public_base_url)
                        error=error("public_base_url") value=settings.public_base_url.clone()
                        placeholder="https://news.example.com" hint=tr!(admin.settings_public_base_url_hint) />
                    <Field id="language" name="settings[language]" label=move || tr!(admin.settings_language)
                        error=error("language") value=settings.language.clone() maxlength=35
                        hint=tr!(admin.settings_language_hint) />
                    <div class="field">
                        <label for="publish_weekday">{tr!(admin.settings_publish_weekday)}</label>
                        <select id="publish_weekday" name="settings[publish_weekday]">
                            {weekday_names().into_iter().enumerate().map(|(index, day)| {
                                let number = index as u32 + 1;
                                view! { <option value=number selected=number == weekday>{day}</option> }
                            }).collect_view()}
                        </select>
                    </div>
                    <Field id="date_format" name="settings[date_format]" label=move || tr!(admin.settings_date_format)
                        error=error("date_format") value=settings.date_format.clone()
                        hint=tr!(admin.settings_date_format_hint) />
                    <Field id="next_number" name="settings[next_number]" label=move || tr!(admin.settings_next_number) kind="number"
                        error=error("next_number") value=settings.next_number.map(|n| n.to_string()).unwrap_or_default()
                        hint=tr!(admin.settings_next_number_hint) />
                    <Field id="feed_size" name="settings[feed_size]" label=move || tr!(admin.settings_feed_size) kind="number"
                        error=error("feed_size") value=settings.feed_size.to_string()
                        hint=tr!(admin.settings_feed_size_hint) />
                </fieldset>
                <fieldset class="settings-group">
                    <legend><h2>{tr!(admin.settings_group_templates)}</h2></legend>
                    <Field id="title_template" name="settings[title_template]" label=move || tr!(admin.settings_title_template)
                        error=error("title_template") value=settings.title_template.clone()
                        hint=tr!(admin.settings_title_template_hint) />
                    <TextArea id="intro_template" label=tr!(admin.settings_intro_template) value=settings.intro_template.clone()
                        hint=tr!(admin.settings_intro_template_hint)
                        error=error("intro_template") />
                    <Field id="closing_heading_template" name="settings[closing_heading_template]"
                        label=move || tr!(admin.settings_closing_heading_template) error=error("closing_heading_template")
                        value=settings.closing_heading_template.clone()
                        hint=tr!(admin.settings_closing_heading_template_hint) />
                    <TextArea id="closing_template" label=tr!(admin.settings_closing_template) value=settings.closing_template.clone()
                        hint=tr!(admin.settings_closing_template_hint)
                        error=error("closing_template") />
                    <TextArea id="footer_template" label=tr!(admin.settings_footer_template) value=settings.footer_template.clone()
                        hint=tr!(admin.settings_footer_template_hint)
                        error=error("footer_template") />
                </fieldset>
                <fieldset class="settings-group">
                    <legend><h2>{tr!(admin.settings_group_publishing)}</h2></legend>
                    <div class="field">
                        <label for="pick_layout">{tr!(admin.settings_pick_layout)}</label>
                        <select id="pick_layout" name="settings[pick_layout]">
                            <option value="" selected=settings.pick_layout.is_none()>{tr!(admin.settings_pick_layout_default)}</option>
                            {PickLayout::ALL.into_iter().map(|layout| view! {
                                <option value=layout.as_str() selected=settings.pick_layout == Some(layout)>{layout.label()}</option>
                            }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="line_breaks">{tr!(admin.settings_line_breaks)}</label>
                        <select id="line_breaks" name="settings[line_breaks]">
                            <option value="" selected=settings.line_breaks.is_none()>{tr!(admin.settings_line_breaks_default)}</option>
                            <option value="true" selected=settings.line_breaks == Some(true)>{tr!(admin.settings_line_breaks_kept)}</option>
                            <option value="false" selected=settings.line_breaks == Some(false)>{tr!(admin.settings_line_breaks_joined)}</option>
                        </select>
                    </div>
                    <div class="field">
                        <label for="front_matter">{tr!(admin.settings_front_matter)}</label>
                        <select id="front_matter" name="settings[front_matter]">
                            <option value="none" selected=kind == FrontMatterKind::None>{tr!(admin.settings_front_matter_none)}</option>
                            <option value="heading" selected=kind == FrontMatterKind::Heading>{tr!(admin.settings_front_matter_heading)}</option>
                            <option value="yaml" selected=kind == FrontMatterKind::Yaml>"Hugo / Zola / Jekyll (YAML)"</option>
                            <option value="zenn" selected=kind == FrontMatterKind::Zenn>{tr!(admin.settings_front_matter_zenn)}</option>
                        </select>
                    </div>
                    <TextArea id="yaml_fields" label=td_string!(locale, admin.settings_yaml_fields) value=settings.yaml_fields.clone()
                        hint=td_string!(locale, admin.settings_yaml_fields_hint) error=error("yaml_fields") />
                    <Field id="zenn_emoji" name="settings[zenn_emoji]" label=move || tr!(admin.settings_zenn_emoji) error=error("zenn_emoji")
                        value=settings.zenn_emoji.clone() />
                    <div class="field">
                        <label for="zenn_type">{tr!(admin.settings_zenn_type)}</label>
                        <select id="zenn_type" name="settings[zenn_type]">
                            <option value="tech" selected=zenn_type == "tech">"tech"</option>
                            <option value="idea" selected=zenn_type == "idea">"idea"</option>
                        </select>
                    </div>
                    <Field id="zenn_topics" name="settings[zenn_topics]" label=move || tr!(admin.settings_zenn_topics) error=error("zenn_topics")
                        value=settings.zenn_topics.clone() hint=td_string!(locale, admin.settings_zenn_topics_hint) />
                    <div class="field checkbox">
                        <label>
                            <input type="checkbox" name="settings[zenn_published]" value="true"
                                checked=settings.zenn_published />
                            {tr!(admin.settings_zenn_published)}
                        </label>
                    </div>
                    <Field id="zenn_publication" name="settings[zenn_publication]" label=move || tr!(admin.settings_zenn_publication)
                        error=error("zenn_publication") value=settings.zenn_publication.clone()
                        hint=td_string!(locale, admin.settings_zenn_publication_hint) />
                    <Field id="zenn_publish_time" name="settings[zenn_publish_time]" label=move || tr!(admin.settings_zenn_publish_time)
                        error=error("zenn_publish_time") value=settings.zenn_publish_time.clone() placeholder="09:00"
                        hint=td_string!(locale, admin.settings_zenn_publish_time_hint) />
                </fieldset>
                <div class="save-bar">
                    <p class="form-error" role="alert">{general_error(value, FIELDS)}</p>
                    <p class="form-ok" role="status">{saved}</p>
                    <button type="submit">{tr!(admin.settings_save)}</button>
                </div>
            }
            .sync_hydrated()}
        </ActionForm>
    }
}

#[component]
fn TextArea(
    id: &'static str,
    label: &'static str,
    value: String,
    hint: &'static str,
    error: Signal<Option<String>>,
) -> impl IntoView {
    let name = format!("settings[{id}]");
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <textarea id=id name=name rows="4" aria-describedby=format!("{error_id} {hint_id}")
                aria-invalid=move || error.with(Option::is_some).to_string()>{server_text(value)}</textarea>
            <p id=hint_id class="hint">{hint}</p>
            <p id=error_id class="field-error" aria-live="polite">{move || error.get()}</p>
        </div>
    }
}

#[component]
fn Sections(
    sections: Vec<SectionSetting>,
    add: ServerAction<AddSection>,
    rename: ServerAction<RenameSection>,
    order: ServerAction<OrderSections>,
    remove: ServerAction<RemoveSection>,
) -> impl IntoView {
    let locale = lang::current();
    let ids: Vec<i64> = sections.iter().map(|s| s.id).collect();
    let count = sections.len();
    let problem = move || {
        [
            add.value().get().map(|r| r.map(|_| ())),
            rename.value().get(),
            order.value().get(),
            remove.value().get(),
        ]
        .into_iter()
        .flatten()
        .find_map(Result::err)
        .map(|error| error.to_string())
    };
    let rows = sections
        .into_iter()
        .enumerate()
        .map(|(index, section)| {
            let swap = |with: usize| {
                let mut ids = ids.clone();
                ids.swap(index, with);
                ids
            };
            let up = (index > 0).then(|| swap(index - 1));
            let down = (index + 1 < count).then(|| swap(index + 1));
            let input_id = format!("section-{}", section.id);
            let label = lang::fill(
                td_string!(locale, admin.settings_section_title_label),
                &[("number", &(index + 1).to_string())],
            );
            let uses = match section.picks {
                0 => td_string!(locale, admin.settings_section_no_picks).to_owned(),
                n => lang::fill(
                    td_string!(locale, admin.settings_section_picks),
                    &[("count", &n.to_string())],
                ),
            };
            let title = section.title.clone();
            view! {
                <li class="section-setting">
                    <ActionForm action=rename attr:class="inline-form">
                        <input type="hidden" name="id" value=section.id />
                        <label for=input_id.clone() class="visually-hidden">{label}</label>
                        <input id=input_id name="title" value=section.title.clone() maxlength="100" required />
                        <button type="submit" class="secondary">{tr!(admin.settings_section_rename)}</button>
                    </ActionForm>
                    <span class="muted">{uses}</span>
                    {up.map(|ids| view! {
                        <button type="button" class="secondary icon" aria-label=lang::fill(tr!(admin.settings_section_move_up), &[("title", &title)])
                            on:click=move |_| { order.dispatch(OrderSections { ids: ids.clone() }); }>"↑"</button>
                    })}
                    {down.map(|ids| view! {
                        <button type="button" class="secondary icon" aria-label=lang::fill(tr!(admin.settings_section_move_down), &[("title", &title)])
                            on:click=move |_| { order.dispatch(OrderSections { ids: ids.clone() }); }>"↓"</button>
                    })}
                    <ActionForm action=remove attr:class="inline-form">
                        <input type="hidden" name="id" value=section.id />
                        <button type="submit" class="danger" aria-label=lang::fill(td_string!(locale, admin.settings_section_remove_label), &[("title", &title)])>{tr!(admin.settings_section_remove)}</button>
                    </ActionForm>
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="settings-group" aria-labelledby="sections-heading">
            <h2 id="sections-heading">{tr!(admin.settings_sections)}</h2>
            <p class="hint">{tr!(admin.settings_sections_hint)}</p>
            <p class="form-error" role="alert">{problem}</p>
            <ol class="section-settings">{rows}</ol>
            <ActionForm action=add attr:class="inline-form">
                <label for="new-section">{tr!(admin.settings_new_section)}</label>
                <input id="new-section" name="title" maxlength="100" required placeholder=td_string!(locale, admin.settings_new_section_placeholder) />
                <button type="submit">{tr!(admin.settings_add_section)}</button>
            </ActionForm>
        </section>
    }
}
