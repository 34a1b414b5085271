//! Generated text for the renderer's and the importer's round-trip tests:
//! a small deterministic generator (xorshift, so failures reproduce) and
//! the pieces titles are made of, Markdown's special characters among
//! them.

pub(crate) struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    pub fn pick<'a>(&mut self, from: &'a [&'a str]) -> &'a str {
        from[(self.next() % from.len() as u64) as usize]
    }

    /// One to eight of `parts`, spaced as the renderer writes titles (one
    /// space between words), never empty; `letters_first` starts it with a
    /// letter (an excerpt never starts with Markdown syntax). For the
    /// importer's tests, which exist on the server only.
    #[cfg(feature = "ssr")]
    pub fn text(&mut self, parts: &[&str], letters_first: bool) -> String {
        let len = 1 + self.next() % 8;
        let mut text = String::new();
        if letters_first {
            text.push('w');
        }
        for _ in 0..len {
            text.push_str(self.pick(parts));
        }
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if text.is_empty() {
            "x".into()
        } else {
            text
        }
    }
}

pub(crate) const TITLE_PARTS: &[&str] = &[
    "a",
    "Z",
    "9",
    " ",
    "  ",
    "]",
    "[",
    ")",
    "(",
    "*",
    "**",
    "_",
    "#",
    " #",
    "<",
    ">",
    "<b>",
    "`",
    "``",
    "\\",
    "!",
    "![",
    "&",
    "&amp;",
    "&#60;",
    "~",
    "|",
    "\"",
    "'",
    "-",
    "+",
    "=",
    ":",
    ";",
    ".",
    "1.",
    "{",
    "}",
    "$",
    "%",
    "^",
    "@",
    "?",
    "/",
    "日本",
    "日本語",
    "クラスタ",
    "号",
    "é",
    "🐱",
    "https://x.y/",
    "*a*",
    "[x](y)",
];
