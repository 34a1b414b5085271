//! Marking candidates by the rule of [`super`]: title keys stored, keys
//! looked up, the most similar stored candidate of another feed chosen.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool};

use super::{Signature, PER_KEY};
use crate::db::candidates;

/// Stores the title keys of newly arrived candidates (`(id, title)`, all
/// from `feed_id`, or added by hand when `None`) and links each to its
/// most similar earlier-stored candidate from another feed, published
/// within a week of it. Two statements at most, whatever the table holds.
/// (A feed's entries are planned before they are stored instead: [`plan`].)
pub async fn mark(
    conn: &mut PgConnection,
    feed_id: Option<i64>,
    new: &[(i64, &str)],
) -> Result<(), sqlx::Error> {
    let (signatures, ids, keys) = keyed(new.iter().copied());
    if ids.is_empty() {
        return Ok(());
    }
    let matches = candidates::store_title_keys(conn, feed_id, &ids, &keys, PER_KEY).await?;
    let best = best_matches(
        &signatures,
        matches.iter().map(|found| {
            (
                found.candidate_id,
                found.other_id,
                found.other_title.as_str(),
            )
        }),
    );
    if best.is_empty() {
        return Ok(());
    }
    let (ids, others): (Vec<i64>, Vec<i64>) = best.into_iter().unzip();
    candidates::set_similar_to(conn, &ids, &others).await
}

/// An entry of a feed, before it is stored.
pub struct Arriving<'a> {
    pub key: &'a str,
    pub url_key: Option<&'a str>,
    pub title: &'a str,
    pub published_at: DateTime<Utc>,
}

/// What storing a feed's entries writes for near-duplicates, decided
/// before the insert: per entry, its near-duplicate among the stored
/// candidates of other feeds (or none), and its title keys as
/// `(key_entries[i], keys[i])`, entries counted from 1. `ingest_entry_batch`
/// writes both with the rows it inserts, so no row is written twice.
#[derive(Debug, Default)]
pub struct Plan {
    pub similar_to: Vec<Option<i64>>,
    pub key_entries: Vec<i32>,
    pub keys: Vec<i64>,
}

/// Plans near-duplicates for a feed's entries: one statement, which looks
/// keys up only for entries not stored yet.
pub async fn plan(
    conn: &mut PgConnection,
    feed_id: i64,
    entries: &[Arriving<'_>],
) -> Result<Plan, sqlx::Error> {
    let mut plan = Plan {
        similar_to: vec![None; entries.len()],
        ..Plan::default()
    };
    let (signatures, key_entries, keys) =
        keyed((1..).zip(entries).map(|(n, entry)| (n, entry.title)));
    plan.key_entries = key_entries;
    plan.keys = keys;
    if plan.keys.is_empty() {
        return Ok(plan);
    }
    let entry_keys: Vec<&str> = entries.iter().map(|e| e.key).collect();
    let url_keys: Vec<Option<&str>> = entries.iter().map(|e| e.url_key).collect();
    let published: Vec<DateTime<Utc>> = entries.iter().map(|e| e.published_at).collect();
    let batch = candidates::EntryKeys {
        entry_keys: &entry_keys,
        url_keys: &url_keys,
        published: &published,
        key_entries: &plan.key_entries,
        keys: &plan.keys,
    };
    let matches = candidates::title_key_matches(conn, feed_id, &batch, PER_KEY).await?;
    let best = best_matches(
        &signatures,
        matches
            .iter()
            .map(|found| (found.entry, found.other_id, found.other_title.as_str())),
    );
    for (n, other) in best {
        if let Some(slot) = usize::try_from(n - 1)
            .ok()
            .and_then(|i| plan.similar_to.get_mut(i))
        {
            *slot = Some(other);
        }
    }
    Ok(plan)
}

/// For each new title (by its `K`), the stored candidate most like it
/// among `found` (`(new, other_id, other_title)`) that the rule accepts;
/// ties go to the earliest stored.
fn best_matches<'a, K: Copy + Eq + std::hash::Hash>(
    signatures: &HashMap<K, Signature>,
    found: impl Iterator<Item = (K, i64, &'a str)>,
) -> HashMap<K, i64> {
    let mut best: HashMap<K, (f64, i64)> = HashMap::new();
    // A stored title often matches several new ones: read it once.
    let mut others: HashMap<i64, Signature> = HashMap::new();
    for (new, other_id, other_title) in found {
        let Some(signature) = signatures.get(&new) else {
            continue;
        };
        let other = others
            .entry(other_id)
            .or_insert_with(|| Signature::of(other_title));
        if !signature.is_near_duplicate_of(other) {
            continue;
        }
        let score = signature.similarity(other);
        let entry = best.entry(new).or_insert((score, other_id));
        if score > entry.0 || (score == entry.0 && other_id < entry.1) {
            *entry = (score, other_id);
        }
    }
    best.into_iter()
        .map(|(new, (_, other))| (new, other))
        .collect()
}

/// Gives title keys to the last week's candidates that have none (stored
/// before keys existed), so that new arrivals are compared with them too.
/// Their own near-duplicates are not looked for again. Returns how many
/// got keys; once done it is one anti-join over the week.
pub async fn add_missing_keys(pool: &PgPool) -> Result<usize, sqlx::Error> {
    const BATCH: i64 = 1000;
    let since = Utc::now() - chrono::Duration::days(8);
    let mut after = 0;
    let mut done = 0;
    loop {
        let rows = candidates::without_title_keys(pool, since, after, BATCH).await?;
        let Some(&(last, _)) = rows.last() else {
            return Ok(done);
        };
        after = last;
        let (_, ids, keys) = keyed(rows.iter().map(|(id, title)| (*id, title.as_str())));
        let mut conn = pool.acquire().await?;
        // The matches it returns are not needed here.
        candidates::store_title_keys(&mut conn, None, &ids, &keys, 0).await?;
        done += rows.len();
    }
}

/// The signatures of titles (by their `K`: a candidate's id or an entry's
/// number) and their title keys as two columns, `(owners[i], keys[i])`.
fn keyed<'a, K: Copy + Eq + std::hash::Hash>(
    titles: impl Iterator<Item = (K, &'a str)>,
) -> (HashMap<K, Signature>, Vec<K>, Vec<i64>) {
    let mut signatures = HashMap::new();
    let (mut owners, mut keys) = (Vec::new(), Vec::new());
    for (owner, title) in titles {
        let signature = Signature::of(title);
        for key in signature.keys() {
            owners.push(owner);
            keys.push(key);
        }
        signatures.insert(owner, signature);
    }
    (signatures, owners, keys)
}
