//! The catalogues checked as files: every key in both languages, with the
//! same placeholders, and no text left empty. The build already refuses a
//! key that code uses but a catalogue lacks; this also catches a key one
//! language has and the other not (the build only warns), and a `{name}`
//! one translation forgot.

use std::{
    collections::{BTreeMap, BTreeSet},
    path::Path,
};

fn catalogue(locale: &str) -> BTreeMap<String, String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("locales")
        .join(locale);
    let mut entries = BTreeMap::new();
    for file in std::fs::read_dir(&dir).expect("a locale folder") {
        let path = file.expect("a catalogue file").path();
        let namespace = path
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("a name")
            .to_owned();
        let text = std::fs::read_to_string(&path).expect("a readable catalogue");
        let map: BTreeMap<String, String> =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        for (key, value) in map {
            entries.insert(format!("{namespace}.{key}"), value);
        }
    }
    entries
}

fn placeholders(text: &str) -> BTreeSet<&str> {
    text.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
        .chain(text.split('<').skip(1).filter_map(|rest| {
            rest.split_once(['>', ' ', '/'])
                .map(|(name, _)| name)
                .filter(|name| !name.is_empty())
        }))
        .collect()
}

#[test]
fn both_languages_have_every_key() {
    let en = catalogue("en");
    let ja = catalogue("ja");
    let only_en: Vec<_> = en.keys().filter(|k| !ja.contains_key(*k)).collect();
    let only_ja: Vec<_> = ja.keys().filter(|k| !en.contains_key(*k)).collect();
    assert!(only_en.is_empty(), "missing in Japanese: {only_en:?}");
    assert!(only_ja.is_empty(), "missing in English: {only_ja:?}");
    assert!(en.len() > 40, "the catalogues were not found");
}

#[test]
fn translations_keep_every_placeholder_and_say_something() {
    let en = catalogue("en");
    let ja = catalogue("ja");
    for (key, english) in &en {
        let japanese = &ja[key];
        assert!(
            !english.trim().is_empty() && !japanese.trim().is_empty(),
            "{key} is empty"
        );
        assert_eq!(
            placeholders(english),
            placeholders(japanese),
            "{key}: “{english}” and “{japanese}” differ in placeholders"
        );
    }
}

#[test]
fn the_checks_notice_what_they_look_for() {
    assert_eq!(
        placeholders("Signed out of {count} <b>other</b> sessions <br />"),
        BTreeSet::from(["count", "b", "br"])
    );
    assert_ne!(placeholders("{name} を削除"), placeholders("Delete {feed}"));
}
