//! How a page's data travels from the server's render to the browser's
//! hydration: as text inside a `<script>`, which Leptos quotes with Rust's
//! `Debug` formatting. That quoting is slow for anything it must escape: a
//! non-ASCII character costs it about 90 ns (Unicode printability tables),
//! and every `"` or `\` doubles in size and leaves the fast path. With fifty
//! rows of Japanese titles and excerpts, quoting was a tenth of the inbox's
//! render time. So the data is JSON written to need no quoting at all:
//! non-ASCII, `'`, `~` and `<` are `\uXXXX` escapes, then every `"` becomes
//! `'` and every `\` becomes `~` (neither occurs otherwise). `Debug` passes
//! the text through as it is; the browser swaps the two back and decodes
//! plain JSON.

use std::{future::Future, io};

use leptos::{
    prelude::*,
    server::codee::{Decoder, Encoder},
};
use serde::{de::DeserializeOwned, Serialize};

/// A resource whose value is sent to the browser as [`PageJson`].
pub fn page_data<T, S, Fut>(
    source: impl Fn() -> S + Send + Sync + 'static,
    fetcher: impl Fn(S) -> Fut + Send + Sync + 'static,
) -> Resource<T, PageJson>
where
    T: Serialize + DeserializeOwned + Send + Sync + 'static,
    S: PartialEq + Clone + Send + Sync + 'static,
    Fut: Future<Output = T> + Send + 'static,
{
    Resource::new_with_options(source, fetcher, false)
}

/// A resource source that changes once any of `versions` (each a
/// `ServerAction::version()`) does, so that the page's data is loaded again
/// after each of those actions.
pub fn after_actions<const N: usize>(
    versions: [RwSignal<usize>; N],
) -> impl Fn() -> [usize; N] + Copy + Send + Sync + 'static {
    move || versions.map(|version| version.get())
}

/// JSON that a `<script>` and Rust's `Debug` quoting carry unchanged:
/// printable ASCII without `"`, `\` or `<` (see the module's comment).
pub struct PageJson;

impl<T: Serialize> Encoder<T> for PageJson {
    type Error = serde_json::Error;
    type Encoded = String;

    fn encode(value: &T) -> Result<String, serde_json::Error> {
        let mut out = Vec::with_capacity(256);
        let mut serializer =
            serde_json::Serializer::with_formatter(&mut out, PageFormatter::default());
        value.serialize(&mut serializer)?;
        swap_quotes(&mut out);
        // The formatter writes ASCII only.
        Ok(String::from_utf8(out).expect("ASCII JSON is UTF-8"))
    }
}

impl<T: DeserializeOwned> Decoder<T> for PageJson {
    type Error = serde_json::Error;
    type Encoded = str;

    fn decode(text: &str) -> Result<T, serde_json::Error> {
        let mut json = text.as_bytes().to_vec();
        swap_quotes(&mut json);
        serde_json::from_slice(&json)
    }
}

/// `"` ↔ `'` and `\` ↔ `~`: its own inverse, on texts where `'` and `~`
/// only stand for the other two.
fn swap_quotes(text: &mut [u8]) {
    for byte in text {
        *byte = match *byte {
            b'"' => b'\'',
            b'\'' => b'"',
            b'\\' => b'~',
            b'~' => b'\\',
            other => other,
        };
    }
}

/// Escapes what the quote swap and the `<script>` need escaped, beyond
/// what JSON escapes anyway.
fn needs_escape(byte: u8) -> bool {
    !byte.is_ascii() || matches!(byte, b'\'' | b'~' | b'<')
}

#[derive(Default)]
struct PageFormatter {
    /// The escapes of a run of characters, reused between runs.
    run: Vec<u8>,
}

impl serde_json::ser::Formatter for PageFormatter {
    fn write_string_fragment<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut rest = fragment;
        while let Some(at) = rest.bytes().position(needs_escape) {
            writer.write_all(&rest.as_bytes()[..at])?;
            // Japanese text escapes nearly every character: escape the
            // whole run into one buffer and write it at once.
            let run = &mut self.run;
            run.clear();
            let mut end = at;
            for c in rest[at..].chars() {
                if c.is_ascii() && !needs_escape(c as u8) {
                    break;
                }
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    run.extend_from_slice(&escape(*unit));
                }
                end += c.len_utf8();
            }
            writer.write_all(run)?;
            rest = &rest[end..];
        }
        writer.write_all(rest.as_bytes())
    }
}

/// `\u30b9` for one UTF-16 unit (a table lookup: formatting machinery per
/// character showed up in the inbox's profile).
fn escape(unit: u16) -> [u8; 6] {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let digit = |shift: u16| HEX[usize::from((unit >> shift) & 0xf)];
    [b'\\', b'u', digit(12), digit(8), digit(4), digit(0)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_quoting_leaves_the_text_as_it_is_and_it_decodes_to_the_same_value() {
        let value = (
            "Strimzi 2.26で何が変わったのか 🚀".to_owned(),
            vec![
                "é\"\\\n\u{1}<'~".to_owned(),
                "Avery's notes ~ </script>".to_owned(),
            ],
            Some(42),
        );
        let encoded = <PageJson as Encoder<_>>::encode(&value).unwrap();
        // What Leptos writes into the page is `{:?}` of the text.
        assert_eq!(format!("{encoded:?}"), format!("\"{encoded}\""));
        assert!(!encoded.contains('<'), "{encoded}");
        assert!(encoded.contains("~u3067"), "{encoded}");
        // Beyond the BMP: a surrogate pair, as JSON requires.
        assert!(encoded.contains("~ud83d~ude80"), "{encoded}");
        let decoded: (String, Vec<String>, Option<i32>) =
            <PageJson as Decoder<_>>::decode(&encoded).unwrap();
        assert_eq!(decoded, value);
    }

    #[test]
    fn the_swap_gives_plain_json_back() {
        let value = vec!["it's \"quoted\" ~ \\".to_owned()];
        let mut text = <PageJson as Encoder<_>>::encode(&value)
            .unwrap()
            .into_bytes();
        swap_quotes(&mut text);
        assert_eq!(
            serde_json::from_slice::<serde_json::Value>(&text).unwrap(),
            serde_json::to_value(&value).unwrap()
        );
    }
}
