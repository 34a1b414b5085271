//! What the list does to candidates: change their state, +1, pick into
//! the draft, dismiss older ones, and undo, each optimistic where it can
//! be and reported in the status line.

use leptos::{ev::SubmitEvent, prelude::*};

use super::triage::{remember_section, Triage, Undo};
use crate::{
    error::AppError,
    i18n::td_string,
    inbox::{
        api::{dismiss_older, pick, set_state, vote},
        CandidateState, PickInfo,
    },
    lang,
    layout::dom::form_value,
};

impl Triage {
    pub fn set_state(&self, ids: Vec<i64>, state: CandidateState) {
        if ids.is_empty() {
            return;
        }
        let this = *self;
        this.update_items(&ids, |item| {
            if item.picked.is_none() {
                item.state = state;
            }
        });
        leptos::task::spawn_local(async move {
            match set_state(ids.clone(), state.as_str().to_owned()).await {
                Ok(previous) if !previous.is_empty() => {
                    let count = previous.len();
                    this.undo.update(|undo| undo.push(Undo::States(previous)));
                    this.say(changed_text(this.locale, state, count));
                }
                Ok(_) => {}
                Err(error) => {
                    this.refresh_rows(ids);
                    this.report(error);
                }
            }
        });
    }

    pub fn vote(&self, ids: Vec<i64>, on: bool) {
        if ids.is_empty() {
            return;
        }
        let this = *self;
        this.update_items(&ids, |item| item.voted_by_me = on);
        leptos::task::spawn_local(async move {
            match vote(ids.clone(), on).await {
                Ok(changed) => {
                    if !changed.is_empty() {
                        this.undo
                            .update(|undo| undo.push(Undo::Votes(changed.clone(), on)));
                    }
                    this.refresh_rows(ids);
                }
                Err(error) => {
                    this.refresh_rows(ids);
                    this.report(error);
                }
            }
        });
    }

    pub(super) fn undo_last(&self) {
        let Some(step) = self.undo.try_update(|undo| undo.pop()).flatten() else {
            self.say(td_string!(self.locale, inbox.nothing_to_undo));
            return;
        };
        let this = *self;
        leptos::task::spawn_local(async move {
            let result = match step {
                Undo::States(previous) => {
                    let mut result = Ok(());
                    for state in [
                        CandidateState::New,
                        CandidateState::Seen,
                        CandidateState::Dismissed,
                    ] {
                        let ids: Vec<i64> = previous
                            .iter()
                            .filter(|(_, was)| *was == state)
                            .map(|(id, _)| *id)
                            .collect();
                        if ids.is_empty() {
                            continue;
                        }
                        this.update_items(&ids, |item| item.state = state);
                        if let Err(error) = set_state(ids, state.as_str().to_owned()).await {
                            result = Err(error);
                        }
                    }
                    result
                }
                Undo::Votes(ids, on) => {
                    this.update_items(&ids, |item| item.voted_by_me = !on);
                    let result = vote(ids.clone(), !on).await.map(|_| ());
                    this.refresh_rows(ids);
                    result
                }
            };
            match result {
                Ok(()) => this.say(td_string!(this.locale, inbox.undone)),
                Err(error) => this.report(error),
            }
        });
    }

    pub fn pick_from_form(&self, id: i64, ev: &SubmitEvent) {
        let Some(form) = ev.target() else { return };
        let section = form_value(&form, "section_id").and_then(|v| v.parse::<i64>().ok());
        let confirm = self.pick_needs_confirm(id);
        if let Some(section) = section {
            self.pick(id, section, confirm);
        }
    }

    pub fn pick_from_select(&self, id: i64, ev: &leptos::ev::KeyboardEvent) {
        use leptos::wasm_bindgen::JsCast;
        let section = ev
            .target()
            .and_then(|target| target.dyn_into::<leptos::web_sys::HtmlSelectElement>().ok())
            .and_then(|select| select.value().parse::<i64>().ok());
        if let Some(section) = section {
            self.pick(id, section, self.pick_needs_confirm(id));
        }
    }

    pub(super) fn pick(&self, id: i64, section_id: i64, confirm: bool) {
        let this = *self;
        this.last_section.set(Some(section_id));
        remember_section(section_id);
        leptos::task::spawn_local(async move {
            match pick(id, section_id, confirm.then(|| "1".to_owned())).await {
                Ok(issue_number) => {
                    this.pick_refusal.set(None);
                    this.pick_open.set(None);
                    this.update_items(&[id], |item| {
                        item.state = CandidateState::Picked;
                        item.picked = Some(PickInfo {
                            issue_number,
                            section: String::new(),
                            by: None,
                        });
                    });
                    this.say(lang::fill(
                        td_string!(this.locale, inbox.picked_into),
                        &[("number", &issue_number.to_string())],
                    ));
                    this.refresh_rows(vec![id]);
                }
                Err(AppError::Invalid { field, message }) => {
                    this.pick_refusal
                        .set(Some((id, message, field == "covered")));
                }
                Err(error) => this.report(error),
            }
        });
    }

    pub(super) fn dismiss_older_than_current(&self) {
        let Some(item) = self.current_item() else {
            return;
        };
        let this = *self;
        let view = self.view.get_value().to_query_string();
        leptos::task::spawn_local(async move {
            match dismiss_older(view, item.id).await {
                Ok(previous) => {
                    let ids: Vec<i64> = previous.iter().map(|(id, _)| *id).collect();
                    this.update_items(&ids, |item| item.state = CandidateState::Dismissed);
                    let count = previous.len();
                    if count > 0 {
                        this.undo.update(|undo| undo.push(Undo::States(previous)));
                    }
                    this.say(changed_text(this.locale, CandidateState::Dismissed, count));
                }
                Err(error) => this.report(error),
            }
        });
    }
}

/// "3 candidates dismissed. Press u to undo.", in the page's language.
fn changed_text(locale: lang::Locale, state: CandidateState, count: usize) -> String {
    let one = count == 1;
    let text = match (state, one) {
        (CandidateState::New, true) => td_string!(locale, inbox.set_new_singular),
        (CandidateState::New, false) => td_string!(locale, inbox.set_new_plural),
        (CandidateState::Seen, true) => td_string!(locale, inbox.set_seen_singular),
        (CandidateState::Seen, false) => td_string!(locale, inbox.set_seen_plural),
        (CandidateState::Dismissed, true) => td_string!(locale, inbox.set_dismissed_singular),
        (CandidateState::Dismissed, false) => td_string!(locale, inbox.set_dismissed_plural),
        (CandidateState::Picked, true) => td_string!(locale, inbox.set_picked_singular),
        (CandidateState::Picked, false) => td_string!(locale, inbox.set_picked_plural),
    };
    lang::fill(text, &[("count", &count.to_string())])
}
