//! The document title of every page. Every page's `<Title text=…>` passes
//! through the one formatter registered here, which escapes the whole title
//! for the server's HTML (see [`super::server_text`] for why).

use leptos::prelude::*;
use leptos_meta::Title;

use super::server_text::server_text;

/// Registers the site's title formatter; rendered once, by the app shell.
#[component]
pub fn SiteTitle() -> impl IntoView {
    view! { <Title formatter=|page: String| server_text(format!("{page} · newsdesk")) /> }
}

#[cfg(test)]
mod tests {
    /// A second formatter would replace this one for the pages below it,
    /// and with it the escaping.
    #[test]
    fn no_other_title_formatter_exists() {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut offenders = Vec::new();
        visit(&src, &mut |path, text| {
            if !path.ends_with("layout/title.rs") && text.contains("formatter=") {
                offenders.push(path.display().to_string());
            }
        });
        assert!(
            offenders.is_empty(),
            "title formatters outside layout/title.rs: {offenders:?}"
        );
    }

    fn visit(dir: &std::path::Path, found: &mut dyn FnMut(&std::path::Path, &str)) {
        for entry in std::fs::read_dir(dir).expect("app/src is readable") {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                visit(&path, found);
            } else if path.extension().is_some_and(|ext| ext == "rs") {
                let text = std::fs::read_to_string(&path).expect("a Rust source file");
                found(&path, &text);
            }
        }
    }
}
