//! `/settings` (admins): the newsletter's name, templates, cadence, public
//! URL, export front matter, and its sections.

use leptos::prelude::*;
use leptos_meta::Title;

use super::{
    api::{load_settings, AddSection, OrderSections, RemoveSection, RenameSection, SaveSettings},
    FrontMatterKind, SectionSetting, Settings, WEEKDAYS,
};
use crate::page_data::page_data;
use crate::render::PickLayout;
use crate::{
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
        <Title text="Settings" />
        <h1>"Newsletter settings"</h1>
        <p><a href="/settings/delivery">"Delivery to git →"</a> " · " <a href="/settings/webhooks">"Webhooks →"</a></p>
        <Transition fallback=|| view! { <p class="muted">"Loading settings…"</p> }>
            {move || Suspend::new(async move {
                match loaded.await {
                    Ok((settings, sections)) => view! {
                        <SettingsForm settings save />
                        <Sections sections add rename order remove />
                    }
                    .into_any(),
                    Err(error) => view! { <LoadError error what="the settings" /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn SettingsForm(settings: Settings, save: ServerAction<SaveSettings>) -> impl IntoView {
    let value = save.value();
    let error = move |field: &'static str| Signal::derive(field_error(value, field));
    let saved = move || matches!(value.get(), Some(Ok(_))).then_some("Saved.");
    let weekday = settings.publish_weekday;
    let kind = settings.front_matter;
    let zenn_type = settings.zenn_type.clone();
    view! {
        <ActionForm action=save attr:class="settings-form settings-groups">
            <input type="hidden" name="settings[version]" value=settings.version />
            // Four groups, each headed, one column: a page an admin reads top to
            // bottom, with one save for the three groups of this form.
            <fieldset class="settings-group">
                <legend><h2>"Newsletter"</h2></legend>
                <Field id="name" name="settings[name]" label=|| "Name" error=error("name")
                    value=settings.name.clone() required=true maxlength=100 />
                <Field id="public_base_url" name="settings[public_base_url]" label=|| "Public base URL"
                    error=error("public_base_url") value=settings.public_base_url.clone()
                    placeholder="https://news.example.com" hint="Used for absolute links in the archive and the feeds." />
                <div class="field">
                    <label for="publish_weekday">"Published weekly on"</label>
                    <select id="publish_weekday" name="settings[publish_weekday]">
                        {WEEKDAYS.iter().enumerate().map(|(index, day)| {
                            let number = index as u32 + 1;
                            view! { <option value=number selected=number == weekday>{*day}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <Field id="date_format" name="settings[date_format]" label=|| "Date format"
                    error=error("date_format") value=settings.date_format.clone()
                    hint="strftime, e.g. %Y-%m-%d gives 2023-04-28" />
                <Field id="next_number" name="settings[next_number]" label=|| "Next issue number" kind="number"
                    error=error("next_number") value=settings.next_number.map(|n| n.to_string()).unwrap_or_default()
                    hint="For a series that began elsewhere: the next draft gets this number. Blank: the last issue's number + 1." />
                <Field id="feed_size" name="settings[feed_size]" label=|| "Issues in the feeds" kind="number"
                    error=error("feed_size") value=settings.feed_size.to_string()
                    hint="The newest issues /feed.atom and /feed.xml carry (1–100)." />
            </fieldset>
            <fieldset class="settings-group">
                <legend><h2>"Issue templates"</h2></legend>
                <Field id="title_template" name="settings[title_template]" label=|| "Title template"
                    error=error("title_template") value=settings.title_template.clone()
                    hint="{headline}, {name}, {number} and {date} are filled in, e.g. {headline}: {name} ({date}号)" />
                <TextArea id="intro_template" label="Intro template" value=settings.intro_template.clone()
                    hint="Markdown for each new issue's intro; {number}, {date} and {name} are filled in."
                    error=error("intro_template") />
                <Field id="closing_heading_template" name="settings[closing_heading_template]"
                    label=|| "Closing heading template" error=error("closing_heading_template")
                    value=settings.closing_heading_template.clone()
                    hint="The heading of each new issue's closing part, e.g. あとがき." />
                <TextArea id="closing_template" label="Closing template" value=settings.closing_template.clone()
                    hint="Markdown for each new issue's closing part, edited per issue; left out when empty."
                    error=error("closing_template") />
                <TextArea id="footer_template" label="Footer template" value=settings.footer_template.clone()
                    hint="The same Markdown after every issue's closing part; {number}, {date} and {name} are filled in."
                    error=error("footer_template") />
            </fieldset>
            <fieldset class="settings-group">
                <legend><h2>"Publishing and export"</h2></legend>
                <div class="field">
                    <label for="pick_layout">"Pick layout"</label>
                    <select id="pick_layout" name="settings[pick_layout]">
                        <option value="" selected=settings.pick_layout.is_none()>"As the front matter suggests (a card for Zenn)"</option>
                        {PickLayout::ALL.into_iter().map(|layout| view! {
                            <option value=layout.as_str() selected=settings.pick_layout == Some(layout)>{layout.label()}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="line_breaks">"Line breaks inside paragraphs"</label>
                    <select id="line_breaks" name="settings[line_breaks]">
                        <option value="" selected=settings.line_breaks.is_none()>"As the front matter suggests (kept for Zenn)"</option>
                        <option value="true" selected=settings.line_breaks == Some(true)>"Kept, as Zenn shows them"</option>
                        <option value="false" selected=settings.line_breaks == Some(false)>"Joined, as CommonMark shows them"</option>
                    </select>
                </div>
                <div class="field">
                    <label for="front_matter">"Front matter"</label>
                    <select id="front_matter" name="settings[front_matter]">
                        <option value="none" selected=kind == FrontMatterKind::None>"None"</option>
                        <option value="heading" selected=kind == FrontMatterKind::Heading>"None, the title as a # heading"</option>
                        <option value="yaml" selected=kind == FrontMatterKind::Yaml>"Hugo / Zola / Jekyll (YAML)"</option>
                        <option value="zenn" selected=kind == FrontMatterKind::Zenn>"Zenn-style"</option>
                    </select>
                </div>
                <TextArea id="yaml_fields" label="YAML fields" value=settings.yaml_fields.clone()
                    hint="One key: value per line, after title and date (YAML only)." error=error("yaml_fields") />
                <Field id="zenn_emoji" name="settings[zenn_emoji]" label=|| "Zenn emoji" error=error("zenn_emoji")
                    value=settings.zenn_emoji.clone() />
                <div class="field">
                    <label for="zenn_type">"Zenn type"</label>
                    <select id="zenn_type" name="settings[zenn_type]">
                        <option value="tech" selected=zenn_type == "tech">"tech"</option>
                        <option value="idea" selected=zenn_type == "idea">"idea"</option>
                    </select>
                </div>
                <Field id="zenn_topics" name="settings[zenn_topics]" label=|| "Zenn topics" error=error("zenn_topics")
                    value=settings.zenn_topics.clone() hint="Comma-separated, e.g. kubernetes, cloudnative" />
                <div class="field checkbox">
                    <label>
                        <input type="checkbox" name="settings[zenn_published]" value="true"
                            checked=settings.zenn_published />
                        " Zenn: published"
                    </label>
                </div>
                <Field id="zenn_publication" name="settings[zenn_publication]" label=|| "Zenn Publication"
                    error=error("zenn_publication") value=settings.zenn_publication.clone()
                    hint="publication_name: the Publication's name (a-z, 0-9, _; 2–15 characters). Blank for none." />
                <Field id="zenn_publish_time" name="settings[zenn_publish_time]" label=|| "Zenn publication time"
                    error=error("zenn_publish_time") value=settings.zenn_publish_time.clone() placeholder="09:00"
                    hint="published_at: the issue's date at this time (hh:mm). Blank leaves it out." />
            </fieldset>
            <div class="save-bar">
                <p class="form-error" role="alert">{general_error(value, FIELDS)}</p>
                <p class="form-ok" role="status">{saved}</p>
                <button type="submit">"Save settings"</button>
            </div>
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
            let label = format!("Title of section {}", index + 1);
            let uses = match section.picks {
                0 => "no picks yet".to_owned(),
                n => format!("{n} pick(s); kept for past issues when removed"),
            };
            let title = section.title.clone();
            view! {
                <li class="section-setting">
                    <ActionForm action=rename attr:class="inline-form">
                        <input type="hidden" name="id" value=section.id />
                        <label for=input_id.clone() class="visually-hidden">{label}</label>
                        <input id=input_id name="title" value=section.title.clone() maxlength="100" required />
                        <button type="submit" class="secondary">"Rename"</button>
                    </ActionForm>
                    <span class="muted">{uses}</span>
                    {up.map(|ids| view! {
                        <button type="button" class="secondary icon" aria-label=format!("Move {title} up")
                            on:click=move |_| { order.dispatch(OrderSections { ids: ids.clone() }); }>"↑"</button>
                    })}
                    {down.map(|ids| view! {
                        <button type="button" class="secondary icon" aria-label=format!("Move {title} down")
                            on:click=move |_| { order.dispatch(OrderSections { ids: ids.clone() }); }>"↓"</button>
                    })}
                    <ActionForm action=remove attr:class="inline-form">
                        <input type="hidden" name="id" value=section.id />
                        <button type="submit" class="danger" aria-label=format!("Remove {title}")>"Remove"</button>
                    </ActionForm>
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="settings-group" aria-labelledby="sections-heading">
            <h2 id="sections-heading">"Sections"</h2>
            <p class="hint">"In the order an issue shows them. Empty sections are left out of an issue."</p>
            <p class="form-error" role="alert">{problem}</p>
            <ol class="section-settings">{rows}</ol>
            <ActionForm action=add attr:class="inline-form">
                <label for="new-section">"New section"</label>
                <input id="new-section" name="title" maxlength="100" required placeholder="📚 Books" />
                <button type="submit">"Add section"</button>
            </ActionForm>
        </section>
    }
}
