//! An inbox view in the URL: `?q=…&feed=3&state=dismissed&sort=votes&after=…`.
//! Unknown or malformed values fall back to the default instead of failing,
//! so an old or hand-edited link still opens the inbox.

use chrono::NaiveDate;

use super::model::{InboxQuery, Sort, StateFilter};

impl InboxQuery {
    /// Reads a view from query parameters; `get` returns a parameter's value.
    pub fn from_params(get: impl Fn(&str) -> Option<String>) -> Self {
        // NUL cannot be stored or compared in PostgreSQL text: drop it, so
        // that such a link still opens the inbox instead of failing.
        let text = |name: &str| {
            get(name)
                .map(|v| v.replace('\0', "").trim().to_owned())
                .unwrap_or_default()
        };
        let date = |name: &str| NaiveDate::parse_from_str(&text(name), "%Y-%m-%d").ok();
        let flag = |name: &str| matches!(text(name).as_str(), "1" | "true" | "on");
        Self {
            q: text("q").chars().take(200).collect(),
            feed: text("feed").parse().ok(),
            category: text("category"),
            tag: text("tag"),
            state: StateFilter::parse(&text("state")).unwrap_or_default(),
            from: date("from"),
            to: date("to"),
            mine: flag("mine"),
            voted: flag("voted"),
            sort: if text("sort") == "votes" {
                Sort::Votes
            } else {
                Sort::Newest
            },
            after: Some(text("after")).filter(|a| !a.is_empty()),
        }
    }

    /// The query string of this view (without `?`), defaults left out.
    pub fn to_query_string(&self) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if !self.q.is_empty() {
            pairs.push(("q", self.q.clone()));
        }
        if let Some(feed) = self.feed {
            pairs.push(("feed", feed.to_string()));
        }
        if !self.category.is_empty() {
            pairs.push(("category", self.category.clone()));
        }
        if !self.tag.is_empty() {
            pairs.push(("tag", self.tag.clone()));
        }
        if self.state != StateFilter::default() {
            pairs.push(("state", self.state.as_str().to_owned()));
        }
        if let Some(from) = self.from {
            pairs.push(("from", from.to_string()));
        }
        if let Some(to) = self.to {
            pairs.push(("to", to.to_string()));
        }
        if self.mine {
            pairs.push(("mine", "1".to_owned()));
        }
        if self.voted {
            pairs.push(("voted", "1".to_owned()));
        }
        if self.sort != Sort::default() {
            pairs.push(("sort", self.sort.as_str().to_owned()));
        }
        if let Some(after) = &self.after {
            pairs.push(("after", after.clone()));
        }
        pairs
            .into_iter()
            .map(|(name, value)| format!("{name}={}", encode(&value)))
            .collect::<Vec<_>>()
            .join("&")
    }

    /// The same view from its first page.
    pub fn first_page(&self) -> Self {
        Self {
            after: None,
            ..self.clone()
        }
    }
}

/// Percent-encodes a query value (UTF-8), leaving unreserved characters.
fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(query: &[(&str, &str)]) -> InboxQuery {
        InboxQuery::from_params(|name| {
            query
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.to_string())
        })
    }

    #[test]
    fn a_view_survives_the_round_trip_through_the_url() {
        let view = parse(&[
            ("q", "クラスタ & more"),
            ("feed", "3"),
            ("state", "dismissed"),
            ("from", "2026-01-02"),
            ("mine", "1"),
            ("sort", "votes"),
            ("after", "v_1_2"),
        ]);
        assert_eq!(view.q, "クラスタ & more");
        assert_eq!(view.state, StateFilter::Dismissed);
        assert_eq!(view.sort, Sort::Votes);
        let text = view.to_query_string();
        assert!(text.starts_with("q=%E3%82%AF"), "{text}");
        let pairs: Vec<(String, String)> = url_pairs(&text);
        let again = InboxQuery::from_params(|name| {
            pairs
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.clone())
        });
        assert_eq!(again, view);
    }

    #[test]
    fn malformed_values_fall_back_to_defaults() {
        let view = parse(&[("feed", "x"), ("state", "bogus"), ("from", "yesterday")]);
        assert_eq!(view, InboxQuery::default());
        assert_eq!(InboxQuery::default().to_query_string(), "");
    }

    fn url_pairs(text: &str) -> Vec<(String, String)> {
        text.split('&')
            .map(|pair| {
                let (name, value) = pair.split_once('=').unwrap();
                let bytes: Vec<u8> = {
                    let mut out = Vec::new();
                    let raw = value.as_bytes();
                    let mut i = 0;
                    while i < raw.len() {
                        if raw[i] == b'%' {
                            out.push(u8::from_str_radix(&value[i + 1..i + 3], 16).unwrap());
                            i += 3;
                        } else {
                            out.push(raw[i]);
                            i += 1;
                        }
                    }
                    out
                };
                (name.to_owned(), String::from_utf8(bytes).unwrap())
            })
            .collect()
    }
}
