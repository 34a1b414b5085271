//! Reading a web page a member adds by hand: fetched through the same
//! SSRF-guarded fetcher as feeds (same caps and timeouts), then its title
//! and description from OpenGraph, `<title>` and `<meta name=description>`.

use std::sync::LazyLock;

use newsdesk_app::inbox::PageInfo;
use scraper::{Html, Selector};

use super::{
    error::FetchError,
    fetch::Fetcher,
    normalise::{article_url_key, html_to_text},
    page::{fetch_page, off_thread, parse_input},
};

const MAX_TITLE_CHARS: usize = 300;
const MAX_DESCRIPTION_CHARS: usize = 600;

pub async fn read_page(fetcher: &Fetcher, input: &str) -> Result<PageInfo, FetchError> {
    let url = parse_input(input)?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(FetchError::LinkSchemeUnsupported);
    }
    let page = fetch_page(fetcher, &url).await?;
    let is_html = page
        .content_type
        .as_deref()
        .is_none_or(|kind| kind.contains("html"));
    let final_url = page.url.to_string();
    let url_key = article_url_key(&final_url).ok_or(FetchError::NoUsableAddress)?;
    let (title, description) = if is_html {
        let body = page.body;
        let declared = page.content_type.clone();
        off_thread(move || extract(&decode(&body, declared.as_deref()))).await?
    } else {
        (None, None)
    };
    Ok(PageInfo {
        url: final_url.clone(),
        url_key,
        title: title.unwrap_or_default(),
        description: description.unwrap_or_default(),
    })
}

/// The page as text, in the charset its Content-Type or an early `<meta>`
/// declares (Japanese sites still use Shift_JIS and EUC-JP), else UTF-8.
fn decode(body: &[u8], content_type: Option<&str>) -> String {
    let label = content_type.and_then(charset_in).or_else(|| {
        let head = String::from_utf8_lossy(&body[..body.len().min(2048)]).to_ascii_lowercase();
        charset_in(&head)
    });
    let encoding = label
        .and_then(|label| encoding_rs::Encoding::for_label(label.as_bytes()))
        .unwrap_or(encoding_rs::UTF_8);
    encoding.decode_with_bom_removal(body).0.into_owned()
}

/// The value after `charset=` in a header or a `<meta>` tag.
fn charset_in(text: &str) -> Option<String> {
    let lower = text.to_ascii_lowercase();
    let start = lower.find("charset=")? + "charset=".len();
    let value: String = lower[start..]
        .trim_start_matches(['"', '\'', ' '])
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'))
        .collect();
    (!value.is_empty()).then_some(value)
}

/// `(title, description)`, preferring what the page declares for sharing.
fn extract(html: &str) -> (Option<String>, Option<String>) {
    static META: LazyLock<Selector> =
        LazyLock::new(|| Selector::parse("meta[content]").expect("a valid selector"));
    static TITLE: LazyLock<Selector> =
        LazyLock::new(|| Selector::parse("title").expect("a valid selector"));
    let document = Html::parse_document(html);
    let meta = |names: &[&str]| {
        names.iter().find_map(|wanted| {
            document.select(&META).find_map(|element| {
                let element = element.value();
                let name = element.attr("property").or_else(|| element.attr("name"))?;
                name.eq_ignore_ascii_case(wanted)
                    .then(|| element.attr("content"))
                    .flatten()
                    // An empty tag must not hide the next source.
                    .filter(|content| !content.trim().is_empty())
                    .map(str::to_owned)
            })
        })
    };
    let title = meta(&["og:title", "twitter:title"])
        .or_else(|| {
            document
                .select(&TITLE)
                .next()
                .map(|title| title.text().collect::<String>())
        })
        .map(|text| clean(&text, MAX_TITLE_CHARS))
        .filter(|text| !text.is_empty());
    let description = meta(&["og:description", "description", "twitter:description"])
        .map(|text| clean(&text, MAX_DESCRIPTION_CHARS))
        .filter(|text| !text.is_empty());
    (title, description)
}

/// Plain text (entities decoded, tags dropped), one line, capped.
fn clean(text: &str, max: usize) -> String {
    let plain = html_to_text(text);
    let line = plain.split_whitespace().collect::<Vec<_>>().join(" ");
    line.chars().take(max).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_graph_wins_over_the_title_tag() {
        let html = r#"<html><head><title>Site | Post</title>
            <meta property="og:title" content="The &amp; Post">
            <meta name="description" content="  A  description ">
            </head></html>"#;
        assert_eq!(
            extract(html),
            (Some("The & Post".into()), Some("A description".into()))
        );
    }

    #[test]
    fn pages_in_japanese_legacy_charsets_are_decoded() {
        let (shift_jis, _, _) = encoding_rs::SHIFT_JIS.encode("<title>クラスタ管理</title>");
        assert_eq!(
            extract(&decode(&shift_jis, Some("text/html; charset=Shift_JIS"))).0,
            Some("クラスタ管理".into())
        );
        let mut euc = b"<meta charset=\"euc-jp\">".to_vec();
        euc.extend_from_slice(&encoding_rs::EUC_JP.encode("<title>コンテナ</title>").0);
        assert_eq!(
            extract(&decode(&euc, Some("text/html"))).0,
            Some("コンテナ".into())
        );
        assert_eq!(decode("é".as_bytes(), None), "é");
    }

    #[test]
    fn falls_back_to_title_and_copes_with_nothing() {
        assert_eq!(
            extract("<title>\n Only  a title </title>"),
            (Some("Only a title".into()), None)
        );
        assert_eq!(extract("garbage <<<"), (None, None));
        let script = "<title><script>alert(1)</script>Hi</title>";
        assert!(!extract(script).0.unwrap_or_default().contains('<'));
    }
}
