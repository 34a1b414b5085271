//! OPML, the format feed readers use to move subscription lists: reading the
//! files Miniflux, FreshRSS, Feedly and others export ([`read`]), importing
//! their feeds as a durable job ([`import`]), and writing ours so a team
//! can move them back out, or into newsdesk again ([`write`]).

pub mod import;
mod read;
#[cfg(test)]
mod tests;
mod write;

pub use super::validate::MAX_CATEGORY_CHARS;

pub use read::parse_opml;
pub use write::export_opml;

/// Joins the names of nested folders into one category.
pub const CATEGORY_SEPARATOR: &str = " / ";
/// Real subscription lists nest outlines a few levels deep. The OPML parser
/// recurses once per level and about a hundred levels overflow a worker
/// thread's stack, which would abort the whole server, so deeper files are
/// refused before parsing.
pub const MAX_OUTLINE_NESTING: usize = 12;

/// Names are shown on one line, so line breaks and other whitespace runs
/// become one space and control characters go. An overlong name is cut
/// rather than refused: one long title should not block an import.
pub(super) fn clean_name(raw: &str, max_chars: usize) -> Option<String> {
    let one_line: String = raw
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .filter(|character| !character.is_control())
        .collect();
    let cut: String = one_line.chars().take(max_chars).collect();
    let name = cut.trim_end();
    (!name.is_empty()).then(|| name.to_owned())
}
