//! Near-duplicate titles: the rule that says two candidates from different
//! feeds tell the same story, and the marking of new candidates by it.
//!
//! A title is a set of tokens: words (lowercased, NFKC, a leading `v`
//! dropped from version numbers, a trailing `| Site name` left out) and,
//! for Japanese and Chinese, which have no spaces, pairs of neighbouring
//! characters. A word weighs its length, a pair 1, so that a name
//! (`Istio`, `Argo CD`) counts more than particles and common pairs. Two
//! titles are near-duplicates when the weighted Jaccard similarity of
//! their tokens is at least 0.65, they share at least two tokens, and
//! they carry the same numbers: `Kubernetes v1.29.0` and `Kubernetes
//! v1.30.1`, or `This Week in Rust 520` and `… 521`, are different stories
//! however alike their words (trigram similarity ≥ 0.6, the earlier rule,
//! flagged them).
//!
//! Finding them must not cost more as the table grows. Each title stores a
//! few *keys* (hashed tokens, each mixed with the hash of the title's
//! numbers, `candidate_title_keys`): its first tokens in
//! one global order (numbers first, then longer words, then by hash), as
//! many as it takes for the rest to weigh less than 0.65 of the title. By
//! the prefix-filter principle of set-similarity joins, two titles that
//! similar share a token among those keys (their common tokens cannot all
//! lie in the rest of either), so looking up only the keys misses no pair
//! above the threshold; each
//! lookup reads at most [`PER_KEY`] rows of one key within the window, so
//! the cost per title is bounded (a key shared by very many titles of the
//! week, such as a popular project's name, can hide a pair; numbers and
//! long words come first so that the rarer keys are looked up).

use unicode_normalization::UnicodeNormalization;

mod marking;

pub use marking::{add_missing_keys, mark, plan, Arriving, Plan};

/// The weighted Jaccard threshold, as a fraction (13/20 = 0.65): with
/// these weights, 0.6 took "Istio adds ambient mode support" and "Linkerd
/// adds …" for one story, 0.7 missed a title with a site name after `–`.
const THRESHOLD: (usize, usize) = (13, 20);
/// Fewer shared tokens than this is chance ("Changelog", "Weekly update").
const MIN_SHARED: usize = 2;
/// Rows read per key and title: what bounds the cost.
pub const PER_KEY: i64 = 16;

/// A title's tokens, each with its hash; sorted in the global key order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    tokens: Vec<Token>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Token {
    hash: u64,
    numbered: bool,
    chars: usize,
    weight: usize,
}

impl Signature {
    pub fn of(title: &str) -> Self {
        let mut tokens: Vec<Token> = tokens(title)
            .into_iter()
            .map(|(text, cjk)| Token {
                hash: fnv1a(&text),
                numbered: text.chars().any(|c| c.is_ascii_digit()),
                chars: text.chars().count(),
                weight: if cjk { 1 } else { text.chars().count() },
            })
            .collect();
        // The global order: numbers (versions, issue numbers) are the most
        // telling keys, then long words; ties by hash.
        tokens.sort_by(|a, b| {
            b.numbered
                .cmp(&a.numbered)
                .then(b.chars.cmp(&a.chars))
                .then(a.hash.cmp(&b.hash))
        });
        tokens.dedup_by(|a, b| a.hash == b.hash);
        Self { tokens }
    }

    /// The keys to store and look up: the prefix that any title similar
    /// enough must share at least one token with, each token's hash mixed
    /// with the hash of the title's numbers. Near-duplicates carry the
    /// same numbers, so they still share a key, while a word's key is no
    /// longer crowded by every release of the week (`Kubernetes v1.29.0`
    /// and `Kubernetes v1.30.1` share none): a lookup reads only titles
    /// that can match.
    pub fn keys(&self) -> impl Iterator<Item = i64> + '_ {
        let (num, den) = THRESHOLD;
        let total = self.weight();
        let mut rest = total;
        let numbers = self.numbers_hash();
        self.tokens
            .iter()
            .take_while(move |token| {
                // Still a key while the tokens from here on weigh at
                // least the threshold's share of the title.
                let key = rest * den >= num * total;
                rest -= token.weight;
                key
            })
            .map(move |token| mix(token.hash, numbers) as i64)
    }

    /// One hash of the title's numbers, in any order; 0 for none, so that
    /// a title without numbers keys by its tokens' hashes alone.
    fn numbers_hash(&self) -> u64 {
        self.numbers()
            .iter()
            .fold(0, |hash, number| mix(*number, hash))
    }

    /// The hashes of its tokens that hold a digit, sorted.
    fn numbers(&self) -> Vec<u64> {
        let mut hashes: Vec<u64> = self
            .tokens
            .iter()
            .filter(|t| t.numbered)
            .map(|t| t.hash)
            .collect();
        hashes.sort_unstable();
        hashes
    }

    fn weight(&self) -> usize {
        self.tokens.iter().map(|t| t.weight).sum()
    }

    /// Jaccard similarity of the token sets, 0 when the titles carry
    /// different numbers or share too little to say.
    pub fn similarity(&self, other: &Signature) -> f64 {
        if self.numbers() != other.numbers() {
            return 0.0;
        }
        let shared: Vec<&Token> = self
            .tokens
            .iter()
            .filter(|t| other.tokens.iter().any(|o| o.hash == t.hash))
            .collect();
        if shared.len() < MIN_SHARED {
            return 0.0;
        }
        let shared: usize = shared.iter().map(|t| t.weight).sum();
        let union = self.weight() + other.weight() - shared;
        shared as f64 / union as f64
    }

    pub fn is_near_duplicate_of(&self, other: &Signature) -> bool {
        let (num, den) = THRESHOLD;
        self.similarity(other) * den as f64 >= num as f64 - 1e-9
    }
}

/// Words, and pairs of neighbouring CJK characters (`true`).
fn tokens(title: &str) -> Vec<(String, bool)> {
    // "Title | Blog name": the site's name is not the story.
    let title = match title.rsplit_once(" | ") {
        Some((story, _site)) if !story.trim().is_empty() => story,
        _ => title,
    };
    let text: String = title.nfkc().flat_map(char::to_lowercase).collect();
    let mut out = Vec::new();
    let mut word = String::new();
    let mut cjk: Vec<char> = Vec::new();
    let flush_word = |word: &mut String, out: &mut Vec<(String, bool)>| {
        let trimmed = word.trim_end_matches(['.', '+', '#', '_']);
        // `v1.30` and `1.30` are the same version.
        let trimmed = match trimmed.strip_prefix('v') {
            Some(rest) if rest.starts_with(|c: char| c.is_ascii_digit()) => rest,
            _ => trimmed,
        };
        if !trimmed.is_empty() {
            out.push((trimmed.to_owned(), false));
        }
        word.clear();
    };
    let flush_cjk = |cjk: &mut Vec<char>, out: &mut Vec<(String, bool)>| {
        match cjk.len() {
            0 => {}
            1 => out.push((cjk[0].to_string(), true)),
            _ => out.extend(cjk.windows(2).map(|pair| (pair.iter().collect(), true))),
        }
        cjk.clear();
    };
    for c in text.chars() {
        if is_cjk(c) {
            flush_word(&mut word, &mut out);
            cjk.push(c);
        } else if c.is_alphanumeric() || (!word.is_empty() && matches!(c, '.' | '+' | '#' | '_')) {
            flush_cjk(&mut cjk, &mut out);
            word.push(c);
        } else {
            flush_word(&mut word, &mut out);
            flush_cjk(&mut cjk, &mut out);
        }
    }
    flush_word(&mut word, &mut out);
    flush_cjk(&mut cjk, &mut out);
    out
}

fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30FF}' // hiragana, katakana (with ー)
        | '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' // kanji
        | '\u{AC00}'..='\u{D7AF}' // hangul
    )
}

/// FNV-1a, 64 bits: the keys are stored, so their hash must never change
/// with a Rust release (std's hasher may).
fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// A token's hash and the numbers' hash as one key: FNV-1a over the
/// second's bytes, from the first. Stored, like [`fnv1a`]: never changes.
fn mix(hash: u64, numbers: u64) -> u64 {
    if numbers == 0 {
        return hash;
    }
    numbers.to_le_bytes().iter().fold(hash, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests;
