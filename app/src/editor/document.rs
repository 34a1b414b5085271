//! An issue as the renderer takes it: templates filled in from the
//! settings. Pure, so the browser's preview and the server's export build
//! the same document.

use super::IssueView;
use crate::{
    render::{IssueDoc, PickDoc, SectionDoc},
    settings::Settings,
};

pub fn document(issue: &IssueView, settings: &Settings) -> IssueDoc {
    IssueDoc {
        title: settings.title(&issue.headline, issue.number, issue.date),
        date: Some(issue.date),
        front_matter: settings.front_matter(issue.date),
        rendering: settings.rendering(),
        intro: issue.intro.clone(),
        sections: issue
            .sections
            .iter()
            .map(|section| SectionDoc {
                title: section.title.clone(),
                picks: section
                    .picks
                    .iter()
                    .map(|pick| PickDoc {
                        title: pick.title.clone(),
                        url: pick.url.clone(),
                        commentary: pick.commentary.clone(),
                        layout: pick.layout.unwrap_or_else(|| settings.pick_layout()),
                        link_title: pick.link_title.clone(),
                        excerpt: pick.excerpt.clone(),
                    })
                    .collect(),
            })
            .collect(),
        closing_heading: issue.closing_heading.clone(),
        closing: issue.closing.clone(),
        footer: settings.fill(&settings.footer_template, issue.number, issue.date),
    }
}
