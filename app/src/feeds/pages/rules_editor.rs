//! Lists and edits keep/block filter rules, for one feed or team-wide.

use leptos::prelude::*;

use crate::feeds::api::{AddRule, DeleteRule};
use crate::layout::Erase;
use crate::{
    feeds::model::{FilterRule, RuleAction, RuleField},
    i18n::td_string,
    lang::{self, Locale},
    layout::parts::{field_error, general_error},
};

#[component]
pub fn RulesEditor(
    feed_id: Option<i64>,
    rules: Vec<FilterRule>,
    add: ServerAction<AddRule>,
    delete: ServerAction<DeleteRule>,
) -> impl IntoView {
    let locale = lang::current();
    let result = add.value();
    let pattern_error = field_error(result, "pattern");
    let other_error = general_error(result, &["pattern"]);
    let delete_error = move || {
        delete
            .value()
            .get()
            .and_then(Result::err)
            .map(|e| e.to_string())
    };
    let empty = rules.is_empty();
    view! {
        <div class="rules">
            {if empty {
                view! { <p class="muted">{tr!(feeds.no_rules)}</p> }.erase()
            } else {
                view! {
                    <table class="rules-table">
                        <thead>
                            <tr>
                                <th scope="col">{tr!(feeds.col_action)}</th>
                                <th scope="col">{tr!(feeds.col_field)}</th>
                                <th scope="col">{tr!(feeds.col_pattern)}</th>
                                <th scope="col"><span class="visually-hidden">{tr!(feeds.remove)}</span></th>
                            </tr>
                        </thead>
                        <tbody>
                            {rules
                                .into_iter()
                                .map(|rule| view! {
                                    <tr>
                                        <td>{action_text(rule.action, locale)}</td>
                                        <td>{field_text(rule.field, locale)}</td>
                                        <td><code>{rule.pattern.clone()}</code></td>
                                        <td>
                                            <ActionForm action=delete>
                                                <input type="hidden" name="id" value=rule.id />
                                                <button type="submit" class="secondary small">{tr!(feeds.remove)}</button>
                                            </ActionForm>
                                        </td>
                                    </tr>
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                }
                .erase()
            }}
            <p class="form-error" role="alert">{delete_error}</p>
            <ActionForm action=add attr:class="rule-form">
                {view! {
                    <input type="hidden" name="feed_id" value=feed_id.map(|id| id.to_string()).unwrap_or_default() />
                    <label>
                        {tr!(feeds.action_label)}
                        <select name="action">
                            <option value="block">{tr!(feeds.action_block)}</option>
                            <option value="keep">{tr!(feeds.action_keep_only)}</option>
                        </select>
                    </label>
                    <label>
                        {tr!(feeds.field_label)}
                        <select name="field">
                            <option value="title">{tr!(feeds.field_title)}</option>
                            <option value="url">{tr!(feeds.field_url)}</option>
                            <option value="content">{tr!(feeds.field_content)}</option>
                            <option value="author">{tr!(feeds.field_author)}</option>
                            <option value="category">{tr!(feeds.field_category)}</option>
                        </select>
                    </label>
                    <label class="grow">
                        {tr!(feeds.pattern_label)}
                        <input
                            type="text"
                            name="pattern"
                            placeholder="^\\[sponsored\\]"
                            aria-invalid=move || pattern_error().is_some().to_string()
                        />
                    </label>
                    <button type="submit">{tr!(feeds.add_rule)}</button>
                    <p class="field-error" aria-live="polite">{pattern_error}</p>
                    <p class="form-error" role="alert">{other_error}</p>
                }
                .sync_hydrated()}
            </ActionForm>
        </div>
    }
}

/// A rule's action as the table shows it.
fn action_text(action: RuleAction, locale: Locale) -> &'static str {
    match action {
        RuleAction::Block => td_string!(locale, feeds.action_block),
        RuleAction::Keep => td_string!(locale, feeds.action_keep),
    }
}

/// The part of an entry a rule looks at, as the table shows it.
fn field_text(field: RuleField, locale: Locale) -> &'static str {
    match field {
        RuleField::Title => td_string!(locale, feeds.field_title),
        RuleField::Url => td_string!(locale, feeds.field_url_short),
        RuleField::Content => td_string!(locale, feeds.field_content),
        RuleField::Author => td_string!(locale, feeds.field_author),
        RuleField::Category => td_string!(locale, feeds.field_category),
    }
}
