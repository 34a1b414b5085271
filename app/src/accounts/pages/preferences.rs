//! The member's UI language and time zone, on the account page. Saving
//! switches the page at once (the UI locale and the zone are signals);
//! the server remembers the choice for the next visit and other browsers.

use leptos::prelude::*;

use crate::layout::Erase;
use crate::{
    accounts::{
        api::{time_zones, SavePreferences},
        Member,
    },
    i18n::td_string,
    lang::{self, clock},
    layout::parts::{field_error, general_error},
};

#[component]
pub fn Preferences(member: Member) -> impl IntoView {
    let ui = lang::ui();
    let locale = lang::current();
    let save = ServerAction::<SavePreferences>::new();
    let result = save.value();
    let zones = Resource::new(|| (), |_| time_zones());
    let zone_signal = use_context::<RwSignal<clock::Zone>>();
    let language = member.language.clone().unwrap_or_default();
    let time_zone = member.time_zone.clone().unwrap_or_default();
    let language_error = field_error(result, "language");
    let zone_error = field_error(result, "time_zone");
    let other_error = general_error(result, &["language", "time_zone"]);

    Effect::new(move |_| {
        if let Some(Ok(tag)) = result.get() {
            if let Some(chosen) = lang::from_tag(&tag) {
                ui.set(chosen);
            }
            if let (Some(zone_signal), Some(input)) = (zone_signal, save.input().get_untracked()) {
                let zone = Some(input.time_zone)
                    .filter(|zone| !zone.is_empty())
                    .or_else(clock::browser_zone);
                zone_signal.set(clock::Zone(zone));
            }
        }
    });

    let language_options = [("", td_string!(locale, accounts.language_automatic))]
        .into_iter()
        .chain(
            lang::ALL
                .into_iter()
                .map(|l| (lang::tag(l), language_name(l))),
        )
        .map(|(value, label)| {
            view! { <option value=value selected=language == value>{label}</option> }
        })
        .collect_view();

    view! {
        <section class="panel" aria-labelledby="preferences-heading">
            <h2 id="preferences-heading">{live!(accounts.preferences_heading)}</h2>
            <ActionForm action=save attr:class="stacked-form" attr:novalidate=true>
                {view! {
                    <div class="field">
                        <label for="language">{live!(accounts.language)}</label>
                        <select id="language" name="language" aria-describedby="language-error">
                            {language_options}
                        </select>
                        <p id="language-error" class="field-error" aria-live="polite">{language_error}</p>
                    </div>
                    <div class="field">
                        <label for="time-zone">{live!(accounts.time_zone)}</label>
                        <select id="time-zone" name="time_zone" aria-describedby="time-zone-hint time-zone-error">
                            <option value="" selected=time_zone.is_empty()>
                                {td_string!(locale, accounts.time_zone_automatic)}
                            </option>
                            <Suspense fallback=|| ()>
                                {move || {
                                    let time_zone = time_zone.clone();
                                    Suspend::new(async move {
                                        zones
                                            .await
                                            .unwrap_or_default()
                                            .into_iter()
                                            .map(|zone| {
                                                let selected = zone == time_zone;
                                                view! { <option value=zone.clone() selected=selected>{zone.clone()}</option> }
                                            })
                                            .collect_view()
                                    })
                                }}
                            </Suspense>
                        </select>
                        <p id="time-zone-hint" class="hint">{live!(accounts.time_zone_hint)}</p>
                        <p id="time-zone-error" class="field-error" aria-live="polite">{zone_error}</p>
                    </div>
                    <p class="form-error" role="alert">{other_error}</p>
                    <p class="form-status" role="status">
                        {move || matches!(result.get(), Some(Ok(_))).then(|| td_string!(lang::current(), accounts.preferences_saved))}
                    </p>
                    <button type="submit" disabled=move || save.pending().get()>{live!(accounts.save)}</button>
                }
                .sync_hydrated()}
            </ActionForm>
        </section>
    }
}

/// A language's name in that language, as language menus show it.
fn language_name(locale: lang::Locale) -> &'static str {
    match locale {
        lang::Locale::en => "English",
        lang::Locale::ja => "日本語",
    }
}
