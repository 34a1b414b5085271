//! Lists and edits keep/block filter rules, for one feed or team-wide.

use leptos::prelude::*;

use crate::feeds::api::{AddRule, DeleteRule};
use crate::{
    feeds::model::FilterRule,
    layout::parts::{field_error, general_error},
};

#[component]
pub fn RulesEditor(
    feed_id: Option<i64>,
    rules: Vec<FilterRule>,
    add: ServerAction<AddRule>,
    delete: ServerAction<DeleteRule>,
) -> impl IntoView {
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
                view! { <p class="muted">"No rules: every entry is kept."</p> }.into_any()
            } else {
                view! {
                    <table class="rules-table">
                        <thead>
                            <tr>
                                <th scope="col">"Action"</th>
                                <th scope="col">"Field"</th>
                                <th scope="col">"Pattern"</th>
                                <th scope="col"><span class="visually-hidden">"Remove"</span></th>
                            </tr>
                        </thead>
                        <tbody>
                            {rules
                                .into_iter()
                                .map(|rule| view! {
                                    <tr>
                                        <td>{rule.action.as_str()}</td>
                                        <td>{rule.field.as_str()}</td>
                                        <td><code>{rule.pattern.clone()}</code></td>
                                        <td>
                                            <ActionForm action=delete>
                                                <input type="hidden" name="id" value=rule.id />
                                                <button type="submit" class="secondary small">"Remove"</button>
                                            </ActionForm>
                                        </td>
                                    </tr>
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                }
                .into_any()
            }}
            <p class="form-error" role="alert">{delete_error}</p>
            <ActionForm action=add attr:class="rule-form">
                <input type="hidden" name="feed_id" value=feed_id.map(|id| id.to_string()).unwrap_or_default() />
                <label>
                    "Action "
                    <select name="action">
                        <option value="block">"block"</option>
                        <option value="keep">"keep only"</option>
                    </select>
                </label>
                <label>
                    "Field "
                    <select name="field">
                        <option value="title">"title"</option>
                        <option value="url">"URL"</option>
                        <option value="content">"content"</option>
                        <option value="author">"author"</option>
                        <option value="category">"category"</option>
                    </select>
                </label>
                <label class="grow">
                    "Pattern (regular expression, case-insensitive) "
                    <input
                        type="text"
                        name="pattern"
                        placeholder="^\\[sponsored\\]"
                        aria-invalid=move || pattern_error().is_some().to_string()
                    />
                </label>
                <button type="submit">"Add rule"</button>
                <p class="field-error" aria-live="polite">{pattern_error}</p>
                <p class="form-error" role="alert">{other_error}</p>
            </ActionForm>
        </div>
    }
}
