//! Small pieces every screen uses: times, form errors, counted nouns.

use chrono::{DateTime, Datelike, SecondsFormat, Timelike, Utc};
use leptos::{either::Either, prelude::*};

use crate::error::AppError;

/// An absolute UTC time. Relative times ("3 min ago") would differ between
/// the server render and hydration.
#[component]
pub fn Time(
    at: Option<DateTime<Utc>>,
    #[prop(optional)] never: Option<&'static str>,
) -> impl IntoView {
    // `Either`, not `into_any`: erasing the type copies every attribute
    // into an allocation, and the inbox renders fifty of these per page.
    match at {
        Some(at) => Either::Left(view! {
            <time datetime=at.to_rfc3339_opts(SecondsFormat::Secs, true)>{shown(at)}</time>
        }),
        None => Either::Right(view! { <span class="muted">{never.unwrap_or("never")}</span> }),
    }
}

/// `2026-11-26 18:52 UTC`, written directly: chrono's `format` parses its
/// pattern on every call.
fn shown(at: DateTime<Utc>) -> String {
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02} UTC",
        at.year(),
        at.month(),
        at.day(),
        at.hour(),
        at.minute()
    )
}

/// The error message for `field` of an action's last result, if any.
pub fn field_error<T, S>(
    value: S,
    field: &'static str,
) -> impl Fn() -> Option<String> + Copy + Send + Sync + 'static
where
    S: Get<Value = Option<Result<T, AppError>>> + Copy + Send + Sync + 'static,
{
    move || {
        value
            .get()
            .and_then(Result::err)
            .and_then(|e| e.field_message(field))
    }
}

/// An action's error that belongs to no form field.
pub fn general_error<T, S>(
    value: S,
    fields: &'static [&'static str],
) -> impl Fn() -> Option<String> + Copy + Send + Sync + 'static
where
    S: Get<Value = Option<Result<T, AppError>>> + Copy + Send + Sync + 'static,
{
    move || {
        value
            .get()
            .and_then(Result::err)
            .and_then(|error| match &error {
                AppError::Invalid { field, .. } if fields.contains(&field.as_str()) => None,
                _ => Some(error.to_string()),
            })
    }
}

/// "1 feed", "3 feeds".
pub fn plural(count: impl Into<i64>, one: &str, many: &str) -> String {
    let count = count.into();
    format!("{count} {}", if count == 1 { one } else { many })
}

/// The route parameter `name` as a number (`None` when it is not one), as
/// a reactive closure for a resource's source.
pub fn number_param(name: &'static str) -> impl Fn() -> Option<i32> + Copy + Send + Sync + 'static {
    let params = leptos_router::hooks::use_params_map();
    move || params.read().get(name).and_then(|n| n.parse::<i32>().ok())
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn shown_times_read_as_chrono_formats_them() {
        for (secs, nanos) in [
            (0, 0),
            (1_795_710_754, 651_228_000),
            (4_102_444_799, 999_999_999),
        ] {
            let at = Utc.timestamp_opt(secs, nanos).unwrap();
            assert_eq!(shown(at), at.format("%Y-%m-%d %H:%M UTC").to_string());
        }
    }
}
