//! Small pieces every screen uses: times, form errors, counted nouns.

use chrono::{DateTime, SecondsFormat, Utc};
use leptos::{either::Either, prelude::*};

use crate::error::AppError;
use crate::i18n::td_string;
use crate::lang::{self, clock};

/// An absolute time. Relative times ("3 min ago") would differ between
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
        None => Either::Right(view! {
            <span class="muted">
                {never.unwrap_or_else(|| td_string!(lang::current(), common.never))}
            </span>
        }),
    }
}

/// A table of records with a heading per column and a last column of
/// buttons, whose heading only screen readers read.
#[component]
pub fn DataTable<R: IntoView + 'static>(columns: Vec<&'static str>, rows: R) -> impl IntoView {
    let headings = columns
        .into_iter()
        .map(|column| view! { <th scope="col">{column}</th> })
        .collect_view();
    view! {
        <table class="data-table">
            <thead>
                <tr>
                    {headings}
                    <th scope="col"><span class="visually-hidden">{td_string!(lang::current(), common.col_actions)}</span></th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

/// In the page's language and the member's zone: `2026年12月4日(金) 18:52`.
fn shown(at: DateTime<Utc>) -> String {
    clock::date_time_text(lang::current(), at, &clock::current_zone())
}

/// The error message for `field` of an action's last result, if any.
pub fn field_error<T, S>(
    value: S,
    field: &'static str,
) -> impl Fn() -> Option<String> + Copy + Send + Sync + 'static
where
    S: Get<Value = Option<Result<T, AppError>>> + Copy + Send + Sync + 'static,
{
    last_error(value, move |error| error.field_message(field))
}

/// An action's error that belongs to no form field.
pub fn general_error<T, S>(
    value: S,
    fields: &'static [&'static str],
) -> impl Fn() -> Option<String> + Copy + Send + Sync + 'static
where
    S: Get<Value = Option<Result<T, AppError>>> + Copy + Send + Sync + 'static,
{
    last_error(value, move |error| match &error {
        AppError::Invalid { field, .. } if fields.contains(&field.as_str()) => None,
        _ => Some(error.to_string()),
    })
}

/// The message `shown` picks out of an action's last error, if it failed.
fn last_error<T, S>(
    value: S,
    shown: impl Fn(AppError) -> Option<String> + Copy + Send + Sync + 'static,
) -> impl Fn() -> Option<String> + Copy + Send + Sync + 'static
where
    S: Get<Value = Option<Result<T, AppError>>> + Copy + Send + Sync + 'static,
{
    move || value.get().and_then(Result::err).and_then(shown)
}

/// The route parameter `name` as a number (`None` when it is not one), as
/// a reactive closure for a resource's source.
pub fn number_param<N: std::str::FromStr>(
    name: &'static str,
) -> impl Fn() -> Option<N> + Copy + Send + Sync + 'static {
    let params = leptos_router::hooks::use_params_map();
    move || params.read().get(name).and_then(|n| n.parse::<N>().ok())
}
