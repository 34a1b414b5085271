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

/// What Tab can reach inside a dialog.
const FOCUSABLE: &str =
    "a[href], button:not([disabled]), input:not([disabled]):not([type=hidden]), \
    select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex='-1'])";

/// The id of the element that has the focus, to give the focus back to it
/// when a dialog closes. An id rather than the element: the dialog keeps
/// it in a value the server creates too, and an element may not leave its
/// thread. None when the focused element has no id.
pub fn focused_id() -> Option<String> {
    let id = document().active_element()?.id();
    (!id.is_empty()).then_some(id)
}

/// Gives the focus back to the element with this id, if it is still there.
pub fn return_focus(id: Option<String>) {
    if let Some(id) = id {
        focus_element(&id);
    }
}

/// Keeps Tab inside a modal dialog: from its last control Tab goes to the
/// first, Shift+Tab from the first to the last, and focus outside comes back in.
pub fn keep_tab_inside(dialog: &Element, ev: &leptos::ev::KeyboardEvent) {
    if ev.key() != "Tab" {
        return;
    }
    let Ok(controls) = dialog.query_selector_all(FOCUSABLE) else {
        return;
    };
    let count = controls.length();
    let (Some(first), Some(last)) = (controls.item(0), controls.item(count.saturating_sub(1)))
    else {
        ev.prevent_default();
        return;
    };
    let active = document().active_element();
    let inside = active
        .as_ref()
        .is_some_and(|element| dialog.contains(Some(element)));
    let at = |node: &leptos::web_sys::Node| {
        active
            .as_ref()
            .is_some_and(|element| element.is_same_node(Some(node)))
    };
    let wrap_to = if ev.shift_key() && (!inside || at(&first)) {
        Some(last)
    } else if !ev.shift_key() && (!inside || at(&last)) {
        Some(first)
    } else {
        None
    };
    if let Some(target) = wrap_to.and_then(|node| node.dyn_into::<HtmlElement>().ok()) {
        ev.prevent_default();
        let _ = target.focus();
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

/// Whether a key went to a link, a button or a disclosure, which Enter
/// presses: then Enter is not a shortcut.
pub fn on_a_control(ev: &leptos::ev::KeyboardEvent) -> bool {
    ev.target()
        .and_then(|target| target.dyn_into::<Element>().ok())
        .is_some_and(|element| matches!(element.tag_name().as_str(), "A" | "BUTTON" | "SUMMARY"))
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
