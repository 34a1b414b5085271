//! A labelled input with its hint and its error message, wired together for
//! screen readers (`aria-describedby`, `aria-invalid`). Every form uses it,
//! so fields look and behave the same everywhere.

use leptos::prelude::*;

#[component]
pub fn Field(
    /// The input's id; the hint and error get `<id>-hint` and `<id>-error`.
    id: &'static str,
    name: &'static str,
    /// The label's content (text, or text with a muted "(optional)").
    #[prop(into)]
    label: ViewFn,
    /// The message to show under the field, if any.
    error: Signal<Option<String>>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional)] placeholder: Option<&'static str>,
    #[prop(optional, into)] value: Option<String>,
    #[prop(optional)] maxlength: Option<u32>,
    #[prop(optional)] required: bool,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let described = if hint.is_some() {
        format!("{error_id} {hint_id}")
    } else {
        error_id.clone()
    };
    view! {
        <div class="field">
            <label for=id>{label.run()}</label>
            <input
                id=id
                name=name
                type=kind
                autocomplete=autocomplete
                placeholder=placeholder
                value=value
                maxlength=maxlength.map(|n| n.to_string())
                required=required
                aria-describedby=described
                aria-invalid=move || error.with(Option::is_some).to_string()
            />
            {hint.map(|hint| view! { <p id=hint_id class="hint">{hint}</p> })}
            <p id=error_id class="field-error" aria-live="polite">{move || error.get()}</p>
        </div>
    }
}
