//! The editor's screens: the list of issues, the editor of one issue, the
//! whole-issue preview and meeting mode.

mod context;
mod dating;
mod editor_page;
mod issues_page;
mod meeting_page;
mod pick_card;
mod presence;
mod preview_page;
mod publish_panel;
mod sections;
mod text_editor;

pub use editor_page::EditorPage;
pub use issues_page::IssuesPage;
pub use meeting_page::MeetingPage;
pub use preview_page::PreviewPage;
