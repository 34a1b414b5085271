//! How a page's data travels from the server's render to the browser's
//! hydration: as JSON inside a `<script>`, which Leptos quotes with Rust's
//! `Debug` formatting. That quoting inspects every non-ASCII character
//! (Unicode printability tables), and with Japanese titles and excerpts it
//! cost a tenth of the inbox's render time. Escaping non-ASCII as `\uXXXX`
//! while serialising makes the JSON pure ASCII, which `Debug` passes
//! through cheaply; the browser decodes the same values.

use std::{future::Future, io};

use leptos::{
    prelude::*,
    server::codee::{Decoder, Encoder},
};
use serde::{de::DeserializeOwned, Serialize};

/// A resource whose value is sent to the browser as ASCII-only JSON.
pub fn page_data<T, S, Fut>(
    source: impl Fn() -> S + Send + Sync + 'static,
    fetcher: impl Fn(S) -> Fut + Send + Sync + 'static,
) -> Resource<T, AsciiJson>
where
    T: Serialize + DeserializeOwned + Send + Sync + 'static,
    S: PartialEq + Clone + Send + Sync + 'static,
    Fut: Future<Output = T> + Send + 'static,
{
    Resource::new_with_options(source, fetcher, false)
}

/// JSON with every non-ASCII character escaped (`\u30b9`, surrogate pairs
/// beyond the BMP), which is still valid JSON for any decoder.
pub struct AsciiJson;

impl<T: Serialize> Encoder<T> for AsciiJson {
    type Error = serde_json::Error;
    type Encoded = String;

    fn encode(value: &T) -> Result<String, serde_json::Error> {
        let mut out = Vec::with_capacity(256);
        let mut serializer = serde_json::Serializer::with_formatter(&mut out, AsciiFormatter);
        value.serialize(&mut serializer)?;
        // The formatter writes ASCII only.
        Ok(String::from_utf8(out).expect("ASCII JSON is UTF-8"))
    }
}

impl<T: DeserializeOwned> Decoder<T> for AsciiJson {
    type Error = serde_json::Error;
    type Encoded = str;

    fn decode(text: &str) -> Result<T, serde_json::Error> {
        serde_json::from_str(text)
    }
}

struct AsciiFormatter;

impl serde_json::ser::Formatter for AsciiFormatter {
    fn write_string_fragment<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut rest = fragment;
        while let Some(at) = rest.bytes().position(|b| !b.is_ascii()) {
            writer.write_all(&rest.as_bytes()[..at])?;
            let c = rest[at..].chars().next().expect("a character starts here");
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                writer.write_all(&escape(*unit))?;
            }
            rest = &rest[at + c.len_utf8()..];
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
    fn non_ascii_is_escaped_and_decodes_to_the_same_value() {
        let value = (
            "Strimzi 2.26で何が変わったのか 🚀".to_owned(),
            vec!["é\"\\\n<".to_owned()],
        );
        let encoded = <AsciiJson as Encoder<_>>::encode(&value).unwrap();
        assert!(encoded.is_ascii(), "{encoded}");
        assert!(encoded.contains("\\u3067"), "{encoded}");
        // Beyond the BMP: a surrogate pair, as JSON requires.
        assert!(encoded.contains("\\ud83d\\ude80"), "{encoded}");
        let decoded: (String, Vec<String>) = <AsciiJson as Decoder<_>>::decode(&encoded).unwrap();
        assert_eq!(decoded, value);
        // Any JSON decoder reads it the same way.
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&encoded).unwrap(),
            serde_json::to_value(&value).unwrap()
        );
    }
}
