//! The feeds of published issues, Atom 1.0 (`/feed.atom`) and RSS 2.0
//! (`/feed.xml`), and a member's RSS of the draft's picks. Entry ids are
//! `tag:` URIs from the site's host, the date first published and the
//! issue number, so a correction never changes them.

use chrono::{DateTime, Utc};

use super::archive::public_html;
use super::snapshot::Published;
use crate::{editor::IssueView, render::markdown_to_public_html};

/// What every feed needs to know about the site.
pub struct Site<'a> {
    pub name: &'a str,
    /// Absolute, without a trailing slash.
    pub base_url: &'a str,
    /// The newsletter's language tag (Settings), checked when saved.
    pub language: &'a str,
}

impl Site<'_> {
    fn host(&self) -> String {
        url::Url::parse(self.base_url)
            .ok()
            .and_then(|url| url.host_str().map(str::to_owned))
            .unwrap_or_else(|| "localhost".into())
    }

    pub fn issue_url(&self, number: i32) -> String {
        format!("{}/issues/{number}", self.base_url)
    }

    /// The id of an issue in the feeds, fixed when it is first published.
    pub fn issue_id(&self, issue: &Published) -> String {
        format!(
            "tag:{},{}:issue-{}",
            self.host(),
            issue.published_at.format("%Y-%m-%d"),
            issue.number
        )
    }
}

/// The time the feed as a whole last changed.
pub fn last_updated(issues: &[Published]) -> DateTime<Utc> {
    issues
        .iter()
        .map(Published::updated_at)
        .max()
        .unwrap_or(DateTime::UNIX_EPOCH)
}

pub fn atom(site: &Site, issues: &[Published]) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    out.push_str(&format!(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n",
        escape(site.language)
    ));
    push_element(&mut out, "id", &format!("{}/issues", site.base_url));
    push_element(&mut out, "title", site.name);
    push_element(&mut out, "updated", &last_updated(issues).to_rfc3339());
    out.push_str(&format!(
        "<link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
        escape(&format!("{}/feed.atom", site.base_url))
    ));
    out.push_str(&format!(
        "<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        escape(&format!("{}/issues", site.base_url))
    ));
    out.push_str("<author>");
    push_element(&mut out, "name", site.name);
    out.push_str("</author>\n<generator>newsdesk</generator>\n");
    for issue in issues {
        out.push_str("<entry>\n");
        push_element(&mut out, "id", &site.issue_id(issue));
        push_element(&mut out, "title", &issue.title());
        out.push_str(&format!(
            "<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
            escape(&site.issue_url(issue.number))
        ));
        push_element(&mut out, "published", &issue.published_at.to_rfc3339());
        push_element(&mut out, "updated", &issue.updated_at().to_rfc3339());
        out.push_str("<content type=\"html\">");
        out.push_str(&escape(&public_html(issue, &site.issue_url(issue.number))));
        out.push_str("</content>\n</entry>\n");
    }
    out.push_str("</feed>\n");
    out
}

pub fn rss(site: &Site, issues: &[Published]) -> String {
    let mut out = rss_head(
        site,
        "/feed.xml",
        &format!("{}/issues", site.base_url),
        site.name,
    );
    push_element(
        &mut out,
        "lastBuildDate",
        &last_updated(issues).to_rfc2822(),
    );
    for issue in issues {
        out.push_str("<item>\n");
        push_element(&mut out, "title", &issue.title());
        push_element(&mut out, "link", &site.issue_url(issue.number));
        out.push_str(&format!(
            "<guid isPermaLink=\"false\">{}</guid>\n",
            escape(&site.issue_id(issue))
        ));
        push_element(&mut out, "pubDate", &issue.published_at.to_rfc2822());
        push_element(&mut out, "atom:updated", &issue.updated_at().to_rfc3339());
        let html = public_html(issue, &site.issue_url(issue.number));
        push_element(&mut out, "description", &html);
        push_element(&mut out, "content:encoded", &html);
        out.push_str("</item>\n");
    }
    out.push_str("</channel>\n</rss>\n");
    out
}

/// RSS of the draft's picks, for members following along in a reader;
/// without a draft, a feed with no items.
pub fn picks_rss(site: &Site, issue: Option<&IssueView>, self_path: &str) -> String {
    let Some(issue) = issue else {
        let link = format!("{}/edit", site.base_url);
        let title = format!("{}: picks for the next issue", site.name);
        let mut out = rss_head(site, self_path, &link, &title);
        out.push_str("</channel>\n</rss>\n");
        return out;
    };
    let title = format!("{}: picks for #{}", site.name, issue.number);
    let link = format!("{}/edit/{}", site.base_url, issue.number);
    let mut out = rss_head(site, self_path, &link, &title);
    let host = site.host();
    for pick in issue.picks() {
        out.push_str("<item>\n");
        push_element(&mut out, "title", &pick.title);
        push_element(&mut out, "link", &pick.url);
        out.push_str(&format!(
            "<guid isPermaLink=\"false\">tag:{},{}:pick-{}</guid>\n",
            escape(&host),
            issue.date.format("%Y-%m-%d"),
            pick.id
        ));
        push_element(&mut out, "pubDate", &pick.updated_at.to_rfc2822());
        let mut body = markdown_to_public_html(&pick.commentary, &link, issue.rendering);
        for note in &pick.notes {
            body.push_str(&format!(
                "<blockquote><p>{}: {}</p></blockquote>",
                escape(&note.author),
                escape(&note.body)
            ));
        }
        push_element(&mut out, "description", &body);
        if let Some(by) = &pick.brought_by {
            push_element(&mut out, "dc:creator", by);
        }
        out.push_str("</item>\n");
    }
    out.push_str("</channel>\n</rss>\n");
    out
}

fn rss_head(site: &Site, self_path: &str, link: &str, title: &str) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    out.push_str(
        "<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\" \
         xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n<channel>\n",
    );
    push_element(&mut out, "title", title);
    push_element(&mut out, "link", link);
    push_element(&mut out, "description", title);
    push_element(&mut out, "language", site.language);
    out.push_str(&format!(
        "<atom:link href=\"{}\" rel=\"self\" type=\"application/rss+xml\"/>\n",
        escape(&format!("{}{self_path}", site.base_url))
    ));
    push_element(&mut out, "generator", "newsdesk");
    out
}

fn push_element(out: &mut String, name: &str, text: &str) {
    out.push('<');
    out.push_str(name);
    out.push('>');
    out.push_str(&escape(text));
    out.push_str("</");
    out.push_str(name);
    out.push_str(">\n");
}

/// Text as XML character data or attribute value. Characters XML 1.0
/// cannot carry at all (most control characters) are left out.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c.is_control() || matches!(c, '\u{FFFE}' | '\u{FFFF}') => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn text_is_escaped_and_invalid_characters_dropped() {
        assert_eq!(
            escape("a <b> & \"c\" 'd'\u{0}\u{1b}\u{7}e\n"),
            "a &lt;b&gt; &amp; &quot;c&quot; &apos;d&apos;e\n"
        );
    }
}
