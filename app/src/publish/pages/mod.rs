//! The public archive: the list of published issues and each issue as a
//! readable article. Server-rendered; no JavaScript needed.

mod archive_page;
mod issue_page;

pub use archive_page::ArchivePage;
pub use issue_page::IssuePage;
