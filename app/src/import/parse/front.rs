//! Bytes to text, the front matter, and the number and date found in a
//! back issue's title or intro.

use super::*;

pub(super) fn decode_text(bytes: &[u8]) -> Result<String, NotAnIssue> {
    let locale = lang::current();
    if bytes.len() > MAX_IMPORT_BYTES {
        return Err(refuse(lang::fill(
            td_string!(locale, inbox.import_too_large),
            &[
                ("size", &bytes.len().to_string()),
                ("max", &MAX_IMPORT_BYTES.to_string()),
            ],
        )));
    }
    if bytes.contains(&0) {
        return Err(refuse(td_string!(locale, inbox.import_nul)));
    }
    let text = std::str::from_utf8(bytes).map_err(|error| {
        refuse(lang::fill(
            td_string!(locale, inbox.import_not_utf8),
            &[("position", &error.valid_up_to().to_string())],
        ))
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    Ok(text.replace("\r\n", "\n").replace('\r', "\n"))
}

/// The YAML between a `---` first line and the next `---` (or `...`) line,
/// and the body after it.
pub(super) fn split_front_matter(text: &str) -> Result<(Option<&str>, &str), NotAnIssue> {
    let first_line = text.split('\n').next().unwrap_or_default();
    if first_line.trim_end() == "+++" {
        return Err(refuse(td_string!(lang::current(), inbox.import_toml)));
    }
    if first_line.trim_end() != "---" {
        return Ok((None, text));
    }
    let yaml_start = (first_line.len() + 1).min(text.len());
    let mut offset = yaml_start;
    for line in text[yaml_start..].split_inclusive('\n') {
        let content = line.trim_end();
        if content == "---" || content == "..." {
            return Ok((
                Some(&text[yaml_start..offset]),
                &text[offset + line.len()..],
            ));
        }
        offset += line.len();
    }
    Err(refuse(td_string!(lang::current(), inbox.import_unclosed)))
}

pub(super) struct Front {
    pub(super) title: Option<String>,
    pub(super) date: Option<NaiveDate>,
    pub(super) published_at: Option<NaiveDate>,
    pub(super) number: Option<i32>,
    pub(super) kind: FrontMatter,
}

pub(super) const ZENN_KEYS: &[&str] = &[
    "title",
    "emoji",
    "type",
    "topics",
    "published",
    "published_at",
    "publication_name",
];

pub(super) fn read_front_matter(yaml: &str, report: &mut Vec<String>) -> Result<Front, NotAnIssue> {
    let locale = lang::current();
    let docs = YamlLoader::load_from_str(yaml).map_err(|error| {
        refuse(lang::fill(
            td_string!(locale, inbox.import_bad_yaml),
            &[
                // The marker's line counts from 1 within the YAML, which
                // starts on the file's second line.
                ("line", &(error.marker().line() + 1).to_string()),
                ("column", &(error.marker().col() + 1).to_string()),
                ("error", error.info()),
            ],
        ))
    })?;
    let entries: Vec<(String, Yaml)> = match docs.into_iter().next() {
        None | Some(Yaml::Null) => Vec::new(),
        Some(Yaml::Hash(hash)) => hash
            .into_iter()
            .map(|(key, value)| (scalar_text(&key).unwrap_or_else(|| flow_text(&key)), value))
            .collect(),
        Some(other) => {
            return Err(refuse(lang::fill(
                td_string!(locale, inbox.import_not_mapping),
                &[("kind", describe(&other))],
            )))
        }
    };
    let get = |name: &str| entries.iter().find(|(key, _)| key == name).map(|(_, v)| v);

    let title = match get("title") {
        None | Some(Yaml::Null) => None,
        Some(Yaml::String(title)) => Some(title.trim().to_owned()),
        Some(other) => {
            return Err(refuse(lang::fill(
                td_string!(locale, inbox.import_title_not_text),
                &[("kind", describe(other))],
            )))
        }
    };
    let zenn = entries
        .iter()
        .any(|(key, _)| matches!(key.as_str(), "emoji" | "type" | "topics"));

    let mut date = None;
    if let Some(value) = get("date") {
        let text = scalar_text(value).unwrap_or_else(|| flow_text(value));
        match date_prefix(&text) {
            Some((found, rest)) => {
                date = Some(found);
                if !rest.trim().is_empty() && !zenn {
                    report.push(lang::fill(
                        td_string!(locale, inbox.import_date_time),
                        &[("text", &text), ("date", &found.to_string())],
                    ));
                }
            }
            None => report.push(lang::fill(
                td_string!(locale, inbox.import_date_invalid),
                &[("text", &text)],
            )),
        }
    }
    let published_at_text = get("published_at").and_then(scalar_text);
    let published_at = published_at_text
        .as_deref()
        .and_then(date_prefix)
        .map(|(d, _)| d);
    let number = match get("number") {
        None | Some(Yaml::Null) => None,
        Some(value) => {
            let found = scalar_text(value).and_then(|text| text.trim().parse::<i32>().ok());
            if found.is_none() {
                report.push(lang::fill(
                    td_string!(locale, inbox.import_number_invalid),
                    &[(
                        "text",
                        &scalar_text(value).unwrap_or_else(|| flow_text(value)),
                    )],
                ));
            }
            found
        }
    };

    let kind = if zenn {
        zenn_front_matter(&entries, published_at_text, report)
    } else {
        let mut extra = Vec::new();
        for (key, value) in &entries {
            if key == "title" || key == "date" {
                continue;
            }
            let text = match scalar_text(value) {
                Some(text) => text,
                None => {
                    let text = flow_text(value);
                    report.push(lang::fill(
                        td_string!(locale, inbox.import_value_as_text),
                        &[("key", key), ("kind", describe(value)), ("text", &text)],
                    ));
                    text
                }
            };
            let written: String = key
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-'))
                .collect();
            if written.is_empty() {
                report.push(lang::fill(
                    td_string!(locale, inbox.import_key_unwritable),
                    &[("key", key)],
                ));
            } else if written != *key {
                report.push(lang::fill(
                    td_string!(locale, inbox.import_key_renamed),
                    &[("key", key), ("written", &written)],
                ));
            }
            extra.push((key.clone(), text));
        }
        FrontMatter::Yaml { extra }
    };
    Ok(Front {
        title,
        date,
        published_at,
        number,
        kind,
    })
}

pub(super) fn zenn_front_matter(
    entries: &[(String, Yaml)],
    published_at: Option<String>,
    report: &mut Vec<String>,
) -> FrontMatter {
    let locale = lang::current();
    let get = |name: &str| entries.iter().find(|(key, _)| key == name).map(|(_, v)| v);
    let text = |name: &str| get(name).and_then(scalar_text).unwrap_or_default();
    let topics = match get("topics") {
        None | Some(Yaml::Null) => Vec::new(),
        Some(Yaml::Array(items)) => items
            .iter()
            .map(|item| scalar_text(item).unwrap_or_else(|| flow_text(item)))
            .collect(),
        Some(other) => {
            let topic = scalar_text(other).unwrap_or_else(|| flow_text(other));
            report.push(lang::fill(
                td_string!(locale, inbox.import_topics_not_list),
                &[("topic", &topic)],
            ));
            vec![topic]
        }
    };
    let published = match get("published") {
        None | Some(Yaml::Null) => false,
        Some(Yaml::Boolean(published)) => *published,
        Some(Yaml::String(text)) if text == "true" || text == "false" => text == "true",
        Some(other) => {
            report.push(lang::fill(
                td_string!(locale, inbox.import_published_invalid),
                &[(
                    "text",
                    &scalar_text(other).unwrap_or_else(|| flow_text(other)),
                )],
            ));
            false
        }
    };
    let published_at = published_at.filter(|at| {
        let at = at.trim();
        let valid = NaiveDate::parse_from_str(at, "%Y-%m-%d").is_ok()
            || chrono::NaiveDateTime::parse_from_str(at, "%Y-%m-%d %H:%M").is_ok();
        if !valid {
            report.push(lang::fill(
                td_string!(locale, inbox.import_published_at_invalid),
                &[("at", at)],
            ));
        }
        valid
    });
    for (key, value) in entries {
        if ZENN_KEYS.contains(&key.as_str()) {
            continue;
        }
        let value = scalar_text(value).unwrap_or_else(|| flow_text(value));
        let message = match key.as_str() {
            "date" => td_string!(locale, inbox.import_zenn_date),
            "number" => td_string!(locale, inbox.import_zenn_number),
            _ => td_string!(locale, inbox.import_zenn_other),
        };
        report.push(lang::fill(message, &[("key", key), ("value", &value)]));
    }
    FrontMatter::Zenn {
        emoji: text("emoji"),
        kind: text("type"),
        topics,
        published,
        published_at: published_at.map(|at| at.trim().to_owned()),
        publication_name: text("publication_name"),
    }
}

/// A scalar as the text it was written as; `None` for lists and mappings.
pub(super) fn scalar_text(value: &Yaml) -> Option<String> {
    match value {
        Yaml::String(text) | Yaml::Real(text) => Some(text.clone()),
        Yaml::Integer(number) => Some(number.to_string()),
        Yaml::Boolean(flag) => Some(flag.to_string()),
        Yaml::Null => Some(String::new()),
        Yaml::Array(_) | Yaml::Hash(_) | Yaml::Alias(_) | Yaml::BadValue => None,
    }
}

/// A list or mapping in YAML's flow style, e.g. `[a, b]`.
pub(super) fn flow_text(value: &Yaml) -> String {
    match value {
        Yaml::Array(items) => {
            let items: Vec<String> = items.iter().map(flow_text).collect();
            format!("[{}]", items.join(", "))
        }
        Yaml::Hash(hash) => {
            let pairs: Vec<String> = hash
                .iter()
                .map(|(k, v)| format!("{}: {}", flow_text(k), flow_text(v)))
                .collect();
            format!("{{{}}}", pairs.join(", "))
        }
        other => scalar_text(other).unwrap_or_default(),
    }
}

pub(super) fn describe(value: &Yaml) -> &'static str {
    let locale = lang::current();
    match value {
        Yaml::Array(_) => td_string!(locale, inbox.import_yaml_list),
        Yaml::Hash(_) => td_string!(locale, inbox.import_yaml_mapping),
        Yaml::Integer(_) | Yaml::Real(_) => td_string!(locale, inbox.import_yaml_number),
        Yaml::Boolean(_) => td_string!(locale, inbox.import_yaml_boolean),
        Yaml::Null => td_string!(locale, inbox.import_yaml_empty),
        Yaml::String(_) => td_string!(locale, inbox.import_yaml_text),
        Yaml::Alias(_) | Yaml::BadValue => td_string!(locale, inbox.import_yaml_alias),
    }
}

/// A `YYYY-MM-DD` (or `YYYY/MM/DD`) date at the start of `text` (white
/// space around it ignored), and what follows it.
pub(super) fn date_prefix(text: &str) -> Option<(NaiveDate, &str)> {
    date_at_start(text.trim())
}

/// The date of `(YYYY-MM-DD号)` in a title (ASCII or full-width brackets).
pub(super) fn date_in_title(title: &str) -> Option<NaiveDate> {
    title.char_indices().find_map(|(i, c)| {
        if c != '(' && c != '（' {
            return None;
        }
        let rest = &title[i + c.len_utf8()..];
        let (date, after) = date_at_start(rest)?;
        (after.starts_with("号)") || after.starts_with("号）")).then_some(date)
    })
}

/// A date in the first ten bytes of `text`, and what follows it.
pub(super) fn date_at_start(text: &str) -> Option<(NaiveDate, &str)> {
    let head = text.get(..10)?;
    let date = NaiveDate::parse_from_str(&head.replace('/', "-"), "%Y-%m-%d").ok()?;
    Some((date, &text[10..]))
}

/// `第N回` (as in `今回は第N回目`), else `#N`, in the intro; ASCII or
/// full-width digits.
pub(super) fn number_in_intro(intro: &str) -> Option<i32> {
    let chars: Vec<char> = intro.chars().collect();
    let digits_at = |start: usize| -> (String, usize) {
        let mut digits = String::new();
        let mut end = start;
        while let Some(&c) = chars.get(end) {
            match c {
                '0'..='9' => digits.push(c),
                '０'..='９' => digits.push(char::from(b'0' + (c as u32 - '０' as u32) as u8)),
                _ => break,
            }
            end += 1;
        }
        (digits, end)
    };
    for i in 0..chars.len() {
        if chars[i] == '第' {
            let (digits, end) = digits_at(i + 1);
            if !digits.is_empty() && chars.get(end) == Some(&'回') {
                if let Ok(number) = digits.parse() {
                    return Some(number);
                }
            }
        }
    }
    for i in 0..chars.len() {
        let standalone = i == 0 || chars[i - 1].is_whitespace() || "(（「[".contains(chars[i - 1]);
        if chars[i] == '#' && standalone {
            let (digits, end) = digits_at(i + 1);
            let ends = chars.get(end).is_none_or(|c| !c.is_alphanumeric());
            if !digits.is_empty() && ends {
                if let Ok(number) = digits.parse() {
                    return Some(number);
                }
            }
        }
    }
    None
}
