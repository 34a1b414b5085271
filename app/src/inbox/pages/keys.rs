//! The inbox's keyboard: j/k to move, o to open, p to pick, d and D to
//! dismiss, u to undo, + to +1, x to select, / to search, ? for help.

use std::collections::HashSet;

use leptos::prelude::*;

use super::triage::{focus_row, focus_section_select, Triage};
use crate::{
    inbox::CandidateState,
    layout::dom::{blur_active_element, focus_element, on_a_control, typing_in_a_field},
};

impl Triage {
    pub(super) fn on_key(&self, ev: &leptos::ev::KeyboardEvent) {
        if ev.ctrl_key() || ev.meta_key() || ev.alt_key() || typing_in_a_field(ev) {
            if ev.key() == "Escape" {
                // Leave the field, back to the list.
                self.pick_open.set(None);
                self.help.set(false);
                match self.current_item() {
                    Some(item) => focus_row(item.id),
                    None => blur_active_element(),
                }
            }
            return;
        }
        if ev.key() == "Enter" && on_a_control(ev) {
            return;
        }
        // The sheet is a modal dialog: the list behind it takes no keys,
        // and Tab, Enter and Space work on the sheet's own controls.
        if self.help.get_untracked() && !matches!(ev.key().as_str(), "?" | "Escape") {
            return;
        }
        let handled = match ev.key().as_str() {
            "j" | "ArrowDown" => {
                self.move_cursor(1);
                true
            }
            "k" | "ArrowUp" => {
                self.move_cursor(-1);
                true
            }
            "o" | "Enter" => {
                self.open_current();
                true
            }
            "p" => {
                if let Some(item) = self.current_item() {
                    self.pick_open.set(Some(item.id));
                    focus_section_select(item.id);
                }
                true
            }
            "d" => {
                self.set_state(self.targets(), CandidateState::Dismissed);
                self.selected.set(HashSet::new());
                true
            }
            "D" => {
                self.dismiss_older_than_current();
                true
            }
            "u" => {
                self.undo_last();
                true
            }
            "+" => {
                let targets = self.targets();
                let on = !self.items.with_untracked(|items| {
                    items
                        .iter()
                        .filter(|item| targets.contains(&item.id))
                        .all(|item| item.voted_by_me)
                });
                self.vote(targets, on);
                true
            }
            "x" => {
                if let Some(item) = self.current_item() {
                    self.toggle_select(item.id, ev.shift_key());
                }
                true
            }
            "/" => {
                focus_element("inbox-search");
                true
            }
            "?" => {
                self.help.update(|help| *help = !*help);
                true
            }
            "Escape" => {
                self.pick_open.set(None);
                self.help.set(false);
                self.selected.set(HashSet::new());
                true
            }
            _ => false,
        };
        if handled {
            ev.prevent_default();
        }
    }
}
