//! The inbox query: candidates filtered, searched and sorted, a page at a
//! time with keyset pagination, each with the team's signals (state, +1s,
//! picks, "covered in #N", near-duplicates). The WHERE clause depends on the
//! filters, so it is built with `QueryBuilder`; every value is bound.
//!
//! `page` lists a view, `search` finds its words, `filters` writes the
//! view's conditions (words included), `keyset` its order and cursor,
//! `row` is the statement every row is read with, and `menus` what the
//! filter menus offer.

mod filters;
mod keyset;
mod menus;
mod page;
mod row;
mod search;

pub use filters::escape_like;
pub(crate) use filters::push_filters;
pub use menus::{filter_choices, FEED_CHOICES};
pub use page::list;
pub use row::items;
