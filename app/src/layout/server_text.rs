//! Text that the server writes into an element whose content the framework
//! leaves unescaped.
//!
//! Two such places exist in Leptos 0.8: leptos_meta 0.8.7 pushes the
//! `<title>` text into the head as it is, and tachys renders the children
//! of `<textarea>` without escaping (it treats the element like `<script>`).
//! A feed name, a headline or a commentary holding `</title>` or
//! `</textarea>` would end the element and put its own markup into the page
//! (docs/development.md, "Upstream: unescaped text in <title> and
//! <textarea>"). In the browser the same text is set as a DOM property
//! (`document.title`, a textarea's value), which is plain text and must not
//! be escaped.

/// `text` as it must be written between the tags of `<title>` or
/// `<textarea>` by the server; unchanged in the browser.
pub fn server_text(text: String) -> String {
    #[cfg(feature = "ssr")]
    let text = html_escape::encode_text(&text).into_owned();
    text
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    #[test]
    fn markup_cannot_end_the_element() {
        let text = server_text(r#"</title></textarea><i id="x">&amp; "q"</i>"#.to_owned());
        assert_eq!(
            text,
            r#"&lt;/title&gt;&lt;/textarea&gt;&lt;i id="x"&gt;&amp;amp; "q"&lt;/i&gt;"#
        );
    }
}
