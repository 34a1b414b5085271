//! Times as a member reads them: in their language and their time zone.
//!
//! The zone is the member's own (account page) or else the browser's, which
//! the browser reports in a cookie after its first page; until then, and for
//! a zone newsdesk does not know, times are UTC and say so. The server
//! converts with chrono-tz; the browser asks `Intl` for the same fields, so
//! the wasm carries no time zone database and both render the same text.

use chrono::{DateTime, Datelike, Timelike, Utc};
use leptos::prelude::*;

use super::Locale;

/// The cookie in which the browser reports its time zone.
pub const ZONE_COOKIE: &str = "newsdesk_tz";

/// The zone of the current request or page (`None`: UTC).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Zone(pub Option<String>);

/// A moment as a wall clock shows it somewhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WallTime {
    pub year: i32,
    pub month: u32,
    pub day: u32,
    /// 0 = Monday … 6 = Sunday.
    pub weekday: u32,
    pub hour: u32,
    pub minute: u32,
}

impl WallTime {
    pub fn utc(at: DateTime<Utc>) -> Self {
        Self {
            year: at.year(),
            month: at.month(),
            day: at.day(),
            weekday: at.weekday().num_days_from_monday(),
            hour: at.hour(),
            minute: at.minute(),
        }
    }
}

/// Whether `name` is a time zone newsdesk can show times in.
pub fn is_known_zone(name: &str) -> bool {
    wall_time(Utc::now(), name).is_some()
}

/// Every zone a member can choose, by name.
#[cfg(feature = "ssr")]
pub fn zone_names() -> Vec<String> {
    let mut names: Vec<String> = chrono_tz::TZ_VARIANTS
        .iter()
        .map(|zone| zone.name().to_owned())
        .collect();
    names.sort();
    names
}

/// `at` on the clocks of `zone` (an IANA name), if the zone is known.
#[cfg(feature = "ssr")]
pub fn wall_time(at: DateTime<Utc>, zone: &str) -> Option<WallTime> {
    let zone: chrono_tz::Tz = zone.parse().ok()?;
    let local = at.with_timezone(&zone);
    Some(WallTime {
        year: local.year(),
        month: local.month(),
        day: local.day(),
        weekday: local.weekday().num_days_from_monday(),
        hour: local.hour(),
        minute: local.minute(),
    })
}

#[cfg(not(feature = "ssr"))]
pub fn wall_time(at: DateTime<Utc>, zone: &str) -> Option<WallTime> {
    intl::wall_time(at, zone)
}

const WEEKDAYS_EN: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const MONTHS_EN: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const WEEKDAYS_JA: [&str; 7] = ["月", "火", "水", "木", "金", "土", "日"];

/// `2026年12月4日(金)` or `Fri 4 Dec 2026`.
pub fn date_text(locale: Locale, t: &WallTime) -> String {
    let weekday = t.weekday as usize % 7;
    match locale {
        Locale::ja => format!(
            "{}年{}月{}日({})",
            t.year, t.month, t.day, WEEKDAYS_JA[weekday]
        ),
        Locale::en => format!(
            "{} {} {} {}",
            WEEKDAYS_EN[weekday],
            t.day,
            MONTHS_EN[(t.month as usize + 11) % 12],
            t.year
        ),
    }
}

/// The date and `hh:mm`, with ` UTC` when no zone applies.
pub fn date_time_text(locale: Locale, at: DateTime<Utc>, zone: &Zone) -> String {
    let (wall, utc) = match zone.0.as_deref().and_then(|name| wall_time(at, name)) {
        Some(wall) => (wall, false),
        None => (WallTime::utc(at), true),
    };
    format!(
        "{} {:02}:{:02}{}",
        date_text(locale, &wall),
        wall.hour,
        wall.minute,
        if utc { " UTC" } else { "" }
    )
}

/// The zone of the current request (server) or page (browser).
pub fn current_zone() -> Zone {
    #[cfg(feature = "ssr")]
    if let Some(parts) = use_context::<http::request::Parts>() {
        if let Some(zone) = parts.extensions.get::<Zone>() {
            return zone.clone();
        }
    }
    use_context::<RwSignal<Zone>>()
        .and_then(|zone| zone.try_get_untracked())
        .unwrap_or_default()
}

/// Provides the page's zone: the server's choice, which it writes into
/// `<html data-zone>` for hydration to read back. A signal, so that the
/// account page can change it for the pages that follow.
pub fn provide() -> RwSignal<Zone> {
    #[cfg(feature = "hydrate")]
    let zone = Zone(
        document()
            .document_element()
            .and_then(|root| root.get_attribute("data-zone"))
            .filter(|zone| !zone.is_empty()),
    );
    #[cfg(not(feature = "hydrate"))]
    let zone = current_zone();
    let zone = RwSignal::new(zone);
    provide_context(zone);
    zone
}

/// In the browser: report its time zone for the pages to come, unless the
/// member chose one (the server then marks `<html data-zone-chosen>`).
#[cfg(feature = "hydrate")]
pub fn report_browser_zone() {
    let Some(root) = document().document_element() else {
        return;
    };
    if root.has_attribute("data-zone-chosen") {
        return;
    }
    if let Some(zone) = browser_zone() {
        if root.get_attribute("data-zone").as_deref() != Some(zone.as_str()) {
            use wasm_bindgen::JsCast;
            if let Ok(document) = document().dyn_into::<web_sys::HtmlDocument>() {
                let _ = document.set_cookie(&format!(
                    "{ZONE_COOKIE}={zone}; Path=/; SameSite=Lax; Max-Age=31536000"
                ));
            }
        }
    }
}

/// The browser's own zone; unknown on the server.
pub fn browser_zone() -> Option<String> {
    #[cfg(not(feature = "ssr"))]
    return intl::browser_zone();
    #[cfg(feature = "ssr")]
    None
}

#[cfg(not(feature = "ssr"))]
mod intl {
    use chrono::{DateTime, Utc};
    use js_sys::{Array, Date, Intl::DateTimeFormat, Object, Reflect};
    use wasm_bindgen::{prelude::wasm_bindgen, JsValue};

    use super::WallTime;

    #[wasm_bindgen]
    extern "C" {
        /// `Intl.DateTimeFormat(locales, options)`, with its exception.
        #[wasm_bindgen(catch, js_namespace = Intl, js_name = DateTimeFormat)]
        fn date_time_format(locales: &Array, options: &Object) -> Result<DateTimeFormat, JsValue>;
    }

    fn set(options: &Object, key: &str, value: &str) {
        let _ = Reflect::set(options, &key.into(), &value.into());
    }

    /// The browser's own zone (`Asia/Tokyo`).
    pub fn browser_zone() -> Option<String> {
        let format = DateTimeFormat::new(&Array::new(), &Object::new());
        Reflect::get(&format.resolved_options(), &"timeZone".into())
            .ok()?
            .as_string()
    }

    pub fn wall_time(at: DateTime<Utc>, zone: &str) -> Option<WallTime> {
        let options = Object::new();
        set(&options, "timeZone", zone);
        set(&options, "hourCycle", "h23");
        for field in ["year", "month", "day", "hour", "minute"] {
            set(&options, field, "numeric");
        }
        set(&options, "weekday", "short");
        let locales = Array::of1(&"en-US".into());
        // An unknown zone throws a RangeError: caught, not a panic.
        let format = date_time_format(&locales, &options).ok()?;
        let date = Date::new(&JsValue::from_f64(at.timestamp_millis() as f64));
        let parts = format.format_to_parts(&date);
        let mut wall = WallTime::utc(at);
        for part in parts.iter() {
            let kind = Reflect::get(&part, &"type".into()).ok()?.as_string()?;
            let value = Reflect::get(&part, &"value".into()).ok()?.as_string()?;
            let number = || value.parse::<u32>().ok();
            match kind.as_str() {
                "year" => wall.year = value.parse().ok()?,
                "month" => wall.month = number()?,
                "day" => wall.day = number()?,
                "hour" => wall.hour = number()? % 24,
                "minute" => wall.minute = number()?,
                "weekday" => {
                    wall.weekday = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
                        .iter()
                        .position(|day| *day == value)? as u32
                }
                _ => {}
            }
        }
        Some(wall)
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn japanese_dates_read_as_japanese_ui_writes_them() {
        let at = Utc.with_ymd_and_hms(2026, 12, 4, 9, 52, 0).unwrap();
        let tokyo = Zone(Some("Asia/Tokyo".into()));
        assert_eq!(
            date_time_text(Locale::ja, at, &tokyo),
            "2026年12月4日(金) 18:52"
        );
        assert_eq!(
            date_time_text(Locale::en, at, &tokyo),
            "Fri 4 Dec 2026 18:52"
        );
    }

    #[test]
    fn without_a_known_zone_times_are_utc_and_say_so() {
        let at = Utc.with_ymd_and_hms(2026, 12, 6, 23, 5, 0).unwrap();
        assert_eq!(
            date_time_text(Locale::en, at, &Zone(None)),
            "Sun 6 Dec 2026 23:05 UTC"
        );
        assert_eq!(
            date_time_text(Locale::ja, at, &Zone(Some("Mars/Olympus".into()))),
            "2026年12月6日(日) 23:05 UTC"
        );
        assert!(is_known_zone("Europe/Berlin"));
        assert!(!is_known_zone("Mars/Olympus"));
    }

    #[test]
    fn a_zone_can_move_the_date() {
        let at = Utc.with_ymd_and_hms(2026, 12, 6, 23, 5, 0).unwrap();
        let tokyo = Zone(Some("Asia/Tokyo".into()));
        assert_eq!(
            date_time_text(Locale::ja, at, &tokyo),
            "2026年12月7日(月) 08:05"
        );
    }
}
