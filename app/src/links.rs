//! The key that makes one article out of the same link seen in several
//! places (feeds, links added by hand, imported back issues): what
//! deduplication and "covered in #N" compare.

use url::Url;

/// Tracking parameters that never change what a page is.
fn is_tracking_parameter(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    name.starts_with("utm_")
        || matches!(
            name.as_str(),
            "fbclid"
                | "gclid"
                | "dclid"
                | "msclkid"
                | "yclid"
                | "mc_cid"
                | "mc_eid"
                | "igshid"
                | "_hsenc"
                | "_hsmi"
                | "mkt_tok"
                | "ref_src"
                | "spm"
        )
}

/// The key that makes one article out of the same URL seen in several
/// feeds: scheme-less (http and https match), lowercase host, no default
/// port, no fragment, no tracking parameters, no trailing slash.
pub fn article_url_key(url: &str) -> Option<String> {
    let mut url = Url::parse(url.trim()).ok()?;
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    url.set_fragment(None);
    let kept: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(name, _)| !is_tracking_parameter(name))
        .map(|(name, value)| (name.into_owned(), value.into_owned()))
        .collect();
    if kept.is_empty() {
        url.set_query(None);
    } else {
        url.query_pairs_mut().clear().extend_pairs(kept);
    }
    let host = url.host_str()?.trim_end_matches('.').to_ascii_lowercase();
    let port = match (url.scheme(), url.port()) {
        (_, None) | ("http", Some(80)) | ("https", Some(443)) => String::new(),
        (_, Some(port)) => format!(":{port}"),
    };
    let path = url.path();
    let path = if path.len() > 1 {
        path.trim_end_matches('/')
    } else {
        ""
    };
    let query = url.query().map(|q| format!("?{q}")).unwrap_or_default();
    Some(format!("//{host}{port}{path}{query}"))
}
