//! Small DOM helpers the keyboard-driven pages share: focus, the field
//! being typed in, a form's value. They do nothing useful on the server,
//! where there is no document; pages call them from event handlers only.

use leptos::{
    prelude::*,
    wasm_bindgen::JsCast,
    web_sys::{Element, EventTarget, HtmlElement, HtmlInputElement, HtmlSelectElement},
};

/// Focuses the element with this id, if there is one.
pub fn focus_element(id: &str) {
    if let Some(element) = document().get_element_by_id(id) {
        focus(element);
    }
}

/// Focuses the first element matching a CSS selector, if there is one.
pub fn focus_selector(selector: &str) {
    if let Ok(Some(element)) = document().query_selector(selector) {
        focus(element);
    }
}

fn focus(element: Element) {
    if let Ok(element) = element.dyn_into::<HtmlElement>() {
        let _ = element.focus();
    }
}

/// Takes the focus away from whatever has it (back to the page).
pub fn blur_active_element() {
    if let Some(Ok(element)) = document()
        .active_element()
        .map(|element| element.dyn_into::<HtmlElement>())
    {
        let _ = element.blur();
    }
}

/// Whether a key went to a text field, a select or an editable element:
/// then it is typing, not a shortcut.
pub fn typing_in_a_field(ev: &leptos::ev::KeyboardEvent) -> bool {
    ev.target()
        .and_then(|target| target.dyn_into::<Element>().ok())
        .is_some_and(|element| {
            matches!(element.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
                || element.has_attribute("contenteditable")
        })
}

/// The value of the form control `name` in `form` (an input or a select).
pub fn form_value(form: &EventTarget, name: &str) -> Option<String> {
    let form = form.dyn_ref::<Element>()?;
    let field = form.query_selector(&format!("[name={name}]")).ok()??;
    if let Some(select) = field.dyn_ref::<HtmlSelectElement>() {
        return Some(select.value());
    }
    field
        .dyn_ref::<HtmlInputElement>()
        .map(|input| input.value())
}
