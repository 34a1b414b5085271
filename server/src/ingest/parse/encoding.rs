//! A feed's character encoding, decided the way RFC 7303 (section 3) and
//! browsers decide it: a byte order mark first, then the HTTP `charset`
//! parameter, then the XML declaration; UTF-8 when nothing is said. A body
//! that is not UTF-8 and says nothing about itself is guessed with
//! chardetng (Firefox's detector), as feedparser guesses with chardet.
//!
//! The result is always UTF-8 text without a BOM or an encoding
//! declaration, so that feed-rs's XML reader cannot decode it a second
//! time by a label that no longer holds. A body that is already UTF-8 and
//! declares nothing else is passed through without a copy.

use std::borrow::Cow;

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8};
use newsdesk_app::lang::model::{Stored, StoredText};

/// A body as UTF-8, and what went wrong on the way.
#[derive(Debug)]
pub struct Decoded<'a> {
    pub text: Cow<'a, [u8]>,
    pub problem: Option<Stored>,
}

pub fn decode<'a>(body: &'a [u8], content_type: Option<&str>) -> Decoded<'a> {
    let (encoding, bom_length, declared) = match Encoding::for_bom(body) {
        Some((encoding, length)) => (encoding, length, true),
        None => match charset_of(content_type).or_else(|| sniff_utf16(body)) {
            Some(encoding) => (encoding, 0, true),
            None => match declaration_encoding(body) {
                // A declaration can only be read by an ASCII-compatible
                // decoder, so "UTF-16" in one means the bytes are not UTF-16
                // (the WHATWG's `output_encoding`).
                Some(encoding) => (encoding.output_encoding(), 0, true),
                None => (UTF_8, 0, false),
            },
        },
    };
    let rest = &body[bom_length..];
    let rewrite = bom_length > 0 || encoding != UTF_8 || declaration_names_other_than_utf8(rest);
    if encoding == UTF_8 {
        if std::str::from_utf8(rest).is_ok() {
            let text = if rewrite {
                Cow::Owned(without_declaration(rest).to_vec())
            } else {
                Cow::Borrowed(rest)
            };
            return Decoded {
                text,
                problem: None,
            };
        }
        // Not UTF-8 after all: feedparser then tries other encodings; a
        // detector trained on the web does that better than a fixed list.
        let guessed = guess(rest);
        let text = if declared {
            StoredText::EncodingNotUtf8
        } else {
            StoredText::EncodingUndeclared
        };
        let problem = Stored::new(text, &[("encoding", guessed.name())]);
        return decode_with(rest, guessed, Some(problem));
    }
    decode_with(rest, encoding, None)
}

fn decode_with<'a>(
    bytes: &[u8],
    encoding: &'static Encoding,
    problem: Option<Stored>,
) -> Decoded<'a> {
    let (text, malformed) = encoding.decode_without_bom_handling(bytes);
    let problem = problem.or_else(|| {
        malformed.then(|| {
            Stored::new(
                StoredText::EncodingBytesReplaced,
                &[("encoding", encoding.name())],
            )
        })
    });
    Decoded {
        text: Cow::Owned(without_declaration(text.as_bytes()).to_vec()),
        problem,
    }
}

/// chardetng's guess for a body that is not UTF-8.
fn guess(bytes: &[u8]) -> &'static Encoding {
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    detector.guess(None, chardetng::Utf8Detection::Deny)
}

/// The `charset` parameter of a Content-Type, when it names an encoding.
fn charset_of(content_type: Option<&str>) -> Option<&'static Encoding> {
    content_type?.split(';').skip(1).find_map(|parameter| {
        let (name, value) = parameter.split_once('=')?;
        if !name.trim().eq_ignore_ascii_case("charset") {
            return None;
        }
        let label = value.trim().trim_matches(|c| c == '"' || c == '\'');
        Encoding::for_label(label.as_bytes())
    })
}

/// UTF-16 without a BOM, recognised by `<?` (XML 1.0, appendix F).
fn sniff_utf16(body: &[u8]) -> Option<&'static Encoding> {
    match body.get(..4)? {
        [0x3c, 0, 0x3f, 0] => Some(UTF_16LE),
        [0, 0x3c, 0, 0x3f] => Some(UTF_16BE),
        _ => None,
    }
}

/// The byte range of a leading `<?xml …?>`, if the body starts with one.
fn declaration(body: &[u8]) -> Option<&[u8]> {
    let start = body.len() - body.trim_ascii_start().len();
    let rest = &body[start..];
    if !rest.starts_with(b"<?xml") || !rest.get(5).is_some_and(u8::is_ascii_whitespace) {
        return None;
    }
    let end = rest.iter().take(1024).position(|&b| b == b'>')?;
    Some(&rest[..=end])
}

/// The `encoding` pseudo-attribute of the XML declaration, as written.
fn declared_label(body: &[u8]) -> Option<&[u8]> {
    let declaration = declaration(body)?;
    let at = declaration
        .windows(8)
        .position(|window| window == b"encoding")?;
    let rest = declaration[at + 8..].trim_ascii_start();
    let rest = rest.strip_prefix(b"=")?.trim_ascii_start();
    let quote = *rest.first().filter(|&&q| q == b'"' || q == b'\'')?;
    let value = &rest[1..];
    let end = value.iter().position(|&b| b == quote)?;
    Some(value[..end].trim_ascii())
}

fn declaration_encoding(body: &[u8]) -> Option<&'static Encoding> {
    Encoding::for_label(declared_label(body)?)
}

/// Whether the XML reader would read this declaration as anything but
/// UTF-8 (an unknown label included), which it must not once decoded.
fn declaration_names_other_than_utf8(body: &[u8]) -> bool {
    declared_label(body).is_some_and(|label| Encoding::for_label(label) != Some(UTF_8))
}

/// The body without its XML declaration (leading whitespace kept).
fn without_declaration(body: &[u8]) -> &[u8] {
    match declaration(body) {
        Some(declaration) => {
            let start = declaration.as_ptr() as usize - body.as_ptr() as usize;
            &body[start + declaration.len()..]
        }
        None => body,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use newsdesk_app::lang::Locale;

    fn text(decoded: &Decoded<'_>) -> String {
        String::from_utf8(decoded.text.to_vec()).unwrap()
    }

    #[test]
    fn utf8_without_declarations_is_not_copied() {
        let body = "<?xml version=\"1.0\" encoding=\"utf-8\"?><rss/>".as_bytes();
        let decoded = decode(body, Some("application/rss+xml"));
        assert!(matches!(decoded.text, Cow::Borrowed(_)));
        assert_eq!(decoded.problem, None);
    }

    #[test]
    fn the_bom_wins_over_header_and_declaration() {
        let mut body = vec![0xff, 0xfe];
        for unit in "<?xml version=\"1.0\" encoding=\"iso-8859-1\"?><rss>é</rss>".encode_utf16() {
            body.extend_from_slice(&unit.to_le_bytes());
        }
        let decoded = decode(&body, Some("text/xml; charset=koi8-r"));
        assert_eq!(text(&decoded), "<rss>é</rss>");
    }

    #[test]
    fn the_http_charset_wins_over_the_declaration() {
        let (body, _, _) = encoding_rs::SHIFT_JIS
            .encode("<?xml version=\"1.0\" encoding=\"EUC-JP\"?><rss>日本語</rss>");
        let decoded = decode(&body, Some("application/xml; charset = \"Shift_JIS\""));
        assert_eq!(text(&decoded), "<rss>日本語</rss>");
        // UTF-8 in the header over another declaration: no copy would leave
        // the declaration to mislead the XML reader.
        let body = "<?xml version='1.0' encoding='iso-8859-1'?><rss>日本</rss>".as_bytes();
        let decoded = decode(body, Some("application/rss+xml; charset=utf-8"));
        assert_eq!(text(&decoded), "<rss>日本</rss>");
    }

    #[test]
    fn the_declaration_decides_without_a_charset() {
        let (body, _, _) = encoding_rs::EUC_JP
            .encode("<?xml version=\"1.0\" encoding=\"euc-jp\"?>\n<rss>ニュース</rss>");
        let decoded = decode(&body, Some("text/xml"));
        assert_eq!(text(&decoded), "\n<rss>ニュース</rss>");
        assert_eq!(decoded.problem, None);
    }

    #[test]
    fn undeclared_legacy_text_is_guessed_and_reported() {
        let (body, _, _) = encoding_rs::SHIFT_JIS.encode(
            "<rss><channel><item><title>新しいクラスタ管理ツールを公開しました。\
             詳しくはブログをご覧ください。</title></item></channel></rss>",
        );
        let decoded = decode(&body, None);
        assert!(text(&decoded).contains("クラスタ管理"));
        assert_eq!(
            decoded
                .problem
                .map(|problem| problem.words(Locale::en))
                .as_deref(),
            Some("no character encoding declared, read as Shift_JIS")
        );
    }

    #[test]
    fn utf16_without_a_bom_is_recognised() {
        let mut body = Vec::new();
        for unit in "<?xml version=\"1.0\"?><rss>ü</rss>".encode_utf16() {
            body.extend_from_slice(&unit.to_be_bytes());
        }
        assert_eq!(text(&decode(&body, None)), "<rss>ü</rss>");
    }

    #[test]
    fn a_utf16_declaration_on_ascii_bytes_means_utf8() {
        let body = "<?xml version=\"1.0\" encoding=\"utf-16\"?><rss>ü</rss>".as_bytes();
        let decoded = decode(body, None);
        assert_eq!(text(&decoded), "<rss>ü</rss>");
    }
}
