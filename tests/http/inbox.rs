//! The triage inbox: keyset pages that stay right while rows arrive and
//! votes change, search with filters, the team's state with undo, +1s,
//! picking (and "already covered"), links added by hand through the SSRF
//! guard, near-duplicates, dismissing everything older, and live events
//! from one server reaching the open inboxes of another.

use std::{
    collections::{BTreeSet, HashSet},
    time::Duration,
};

use chrono::{DateTime, Duration as Span, NaiveDate, Utc};
use newsdesk_app::{
    accounts::Role,
    db::{inbox, triage},
    inbox::{Cursor, InboxPage, InboxQuery, Sort},
};
use reqwest::{Client, Method};
use serde_json::{json, Value};
use sqlx::PgPool;

use crate::{
    fixtures::{item, rss, FeedServer},
    support::api::{error_message, get_answer, send},
    support::issues::pick_path,
    support::seed::{add_source, insert_candidate, insert_candidate_with_id, insert_feed},
    support::sse::Events,
    support::{spawn_app, spawn_second_server, TestApp},
};

const INBOX_EVENTS: &str = "/api/v1/inbox/events";

// ---------------------------------------------------------------------------
// Helpers

async fn post(app: &TestApp, client: &Client, path: &str, body: Value) -> (u16, Value) {
    send(app, client, Method::POST, path, Some(body)).await
}

/// `GET /api/v1/candidates` with `params`, as `client`; the candidates.
async fn candidates(app: &TestApp, client: &Client, params: &[(&str, &str)]) -> Vec<Value> {
    let response = client
        .get(app.url("/api/v1/candidates"))
        .query(params)
        .send()
        .await
        .expect("request reaches the server");
    let status = response.status().as_u16();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    assert_eq!(status, 200, "{params:?}: {body}");
    body["candidates"].as_array().expect("a list").clone()
}

/// The ids of every page of `GET /api/v1/candidates` with `params`,
/// following the `next` cursor to the end.
async fn every_page(app: &TestApp, params: &[(&str, &str)]) -> Vec<i64> {
    let mut seen = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let mut query = params.to_vec();
        if let Some(after) = &after {
            query.push(("after", after));
        }
        let response = app
            .api
            .get(app.url("/api/v1/candidates"))
            .query(&query)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        let page: Value = response.json().await.unwrap();
        seen.extend(ids(page["candidates"].as_array().unwrap()));
        match page["next"].as_str() {
            Some(next) => after = Some(next.to_owned()),
            None => return seen,
        }
    }
}

/// The candidate with `id` as the inbox lists it (any state), as `client`.
async fn listed(app: &TestApp, client: &Client, id: i64) -> Value {
    candidates(app, client, &[("state", "all"), ("limit", "200")])
        .await
        .into_iter()
        .find(|candidate| candidate["id"] == id)
        .unwrap_or_else(|| panic!("candidate {id} is listed"))
}

fn ids(items: &[Value]) -> Vec<i64> {
    items
        .iter()
        .map(|item| item["id"].as_i64().expect("an id"))
        .collect()
}

fn titles(items: &[Value]) -> BTreeSet<String> {
    items
        .iter()
        .map(|item| item["title"].as_str().expect("a title").to_owned())
        .collect()
}

fn set(titles: &[&str]) -> BTreeSet<String> {
    titles.iter().map(|title| (*title).to_owned()).collect()
}

fn time(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .expect("an RFC 3339 time")
        .with_timezone(&Utc)
}

async fn state_of(pool: &PgPool, id: i64) -> String {
    sqlx::query_scalar("SELECT state FROM candidates WHERE id = $1")
        .bind(id)
        .fetch_one(pool)
        .await
        .unwrap()
}

async fn candidate_count(pool: &PgPool) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM candidates")
        .fetch_one(pool)
        .await
        .unwrap()
}

/// Adds a feed by its exact URL through the API; returns its id.
async fn add_feed(app: &TestApp, url: &str) -> i64 {
    let (status, body) = post(
        app,
        &app.api,
        "/api/v1/feeds",
        json!({ "url": url, "exact": true }),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    body["feed"]["id"].as_i64().unwrap()
}

/// Refreshes a feed now through the API; returns how many candidates were new.
async fn refresh(app: &TestApp, feed_id: i64) -> i64 {
    let (status, body) = post(
        app,
        &app.api,
        &format!("/api/v1/feeds/{feed_id}/refresh"),
        json!({}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    body["new"].as_i64().unwrap()
}

async fn candidate_id_by_link(pool: &PgPool, url: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM candidates WHERE url = $1")
        .bind(url)
        .fetch_one(pool)
        .await
        .unwrap_or_else(|_| panic!("a candidate links to {url}"))
}

// ---------------------------------------------------------------------------
// Keyset pagination

/// A row's place in the inbox order (pages list keys descending). For the
/// newest-first order `votes` is always 0, so it does not count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Key {
    votes: i32,
    published_at: DateTime<Utc>,
    id: i64,
}

/// Every candidate's key as the database has it now, in inbox order.
async fn keys(pool: &PgPool, sort: Sort) -> Vec<Key> {
    let rows: Vec<(i64, DateTime<Utc>, i32)> =
        sqlx::query_as("SELECT id, published_at, votes FROM candidates")
            .fetch_all(pool)
            .await
            .unwrap();
    let mut keys: Vec<Key> = rows
        .into_iter()
        .map(|(id, published_at, votes)| Key {
            votes: if sort == Sort::Votes { votes } else { 0 },
            published_at,
            id,
        })
        .collect();
    keys.sort_by(|a, b| b.cmp(a));
    keys
}

async fn list_page(
    pool: &PgPool,
    sort: Sort,
    after: Option<String>,
    member_id: i64,
    limit: i64,
) -> InboxPage {
    let cursor = after
        .as_deref()
        .map(|text| Cursor::decode(text, sort).expect("a cursor"));
    let query = InboxQuery {
        sort,
        after,
        ..InboxQuery::default()
    };
    inbox::list(
        &mut pool.acquire().await.expect("a connection"),
        &query,
        cursor,
        member_id,
        limit,
    )
    .await
    .expect("a page")
}

/// Hands out explicit candidate ids next to others without reusing one.
#[derive(Default)]
struct Ids(HashSet<i64>);

impl Ids {
    fn take(&mut self, id: i64) -> i64 {
        assert!(self.0.insert(id), "id {id} handed out twice");
        id
    }

    fn below(&mut self, id: i64) -> i64 {
        let free = (1..id)
            .map(|d| id - d)
            .find(|c| !self.0.contains(c))
            .unwrap();
        self.take(free)
    }

    fn above(&mut self, id: i64) -> i64 {
        let free = (1..).map(|d| id + d).find(|c| !self.0.contains(c)).unwrap();
        self.take(free)
    }
}

/// 60 rows: the first 30 in groups of three published at the same second
/// (ties), the rest a minute apart. Ids are spread out so rows can later
/// be inserted next to any of them. Returns their ids.
async fn seed_rows(pool: &PgPool, ids: &mut Ids, base: DateTime<Utc>) -> Vec<i64> {
    let mut seeded = Vec::new();
    for k in 0..60 {
        let minutes = if k < 30 { k - k % 3 } else { k };
        let id = ids.take(10_000 + 100 * k);
        insert_candidate_with_id(pool, id, base - Span::minutes(minutes)).await;
        seeded.push(id);
    }
    seeded
}

/// What keyset pagination promises: each page is the first `limit` rows,
/// in order, of those that exist when it is fetched and come strictly after
/// the previous page's last row. So across pages, every row that stays
/// behind the cursor until it is reached appears exactly once, and rows
/// arriving ahead of the cursor never appear.
fn expected_page(all: &[Key], cursor: Option<Key>, limit: i64) -> Vec<i64> {
    all.iter()
        .filter(|key| cursor.is_none_or(|cursor| **key < cursor))
        .take(limit as usize)
        .map(|key| key.id)
        .collect()
}

#[tokio::test]
async fn newest_first_pages_have_no_gaps_or_repeats_while_rows_arrive() {
    let app = spawn_app().await;
    let pool = &app.pool;
    let base = time("2026-11-20T12:00:00Z");
    let mut explicit = Ids::default();
    let seeded = seed_rows(pool, &mut explicit, base).await;

    let limit = 7; // not a multiple of 3: pages end inside groups of ties
    let mut must_appear: HashSet<i64> = seeded.iter().copied().collect();
    let mut must_not_appear = HashSet::new();
    let mut returned = Vec::new();
    let (mut cursor, mut after) = (None, None);
    for page_number in 0.. {
        assert!(page_number < 50, "paging ends");
        let all = keys(pool, Sort::Newest).await;
        let page = list_page(pool, Sort::Newest, after.take(), app.admin.id, limit).await;
        let got: Vec<i64> = page.items.iter().map(|item| item.id).collect();
        assert_eq!(
            got,
            expected_page(&all, cursor, limit),
            "page {page_number}"
        );
        returned.extend(got.iter().copied());
        let Some(next) = page.next else {
            assert!(got.len() < limit as usize, "a full page has a next cursor");
            break;
        };
        let last = assert_cursor_at_last(&next, Sort::Newest, &all, &got);

        // Rows arrive before the next page is asked for. Newer than
        // everything: ahead of the cursor, never on a later page.
        let newer = explicit.take(5_000_000 + 1000 * page_number);
        insert_candidate_with_id(
            pool,
            newer,
            base + Span::hours(1) + Span::seconds(page_number),
        )
        .await;
        must_not_appear.insert(newer);
        // Older than everything: behind the cursor, on a later page.
        let older = explicit.take(6_000_000 + 1000 * page_number);
        insert_candidate_with_id(
            pool,
            older,
            base - Span::days(1) - Span::seconds(page_number),
        )
        .await;
        must_appear.insert(older);
        // Published at the same time as the cursor row: the id decides.
        let tie_behind = explicit.below(last.id);
        insert_candidate_with_id(pool, tie_behind, last.published_at).await;
        must_appear.insert(tie_behind);
        let tie_ahead = explicit.above(last.id);
        insert_candidate_with_id(pool, tie_ahead, last.published_at).await;
        must_not_appear.insert(tie_ahead);

        cursor = Some(last);
        after = Some(next);
    }

    assert_listed_once(&returned, &must_appear, &must_not_appear);
}

#[tokio::test]
async fn by_votes_pages_have_no_gaps_or_repeats_while_votes_change() {
    let app = spawn_app().await;
    let pool = &app.pool;
    let mut voters = vec![app.admin.id];
    for name in ["ann", "ben", "cho"] {
        voters.push(app.add_member(name, Role::Editor).await.id);
    }
    let base = time("2026-11-20T12:00:00Z");
    let mut explicit = Ids::default();
    let seeded = seed_rows(pool, &mut explicit, base).await;
    // Row k gets k % 4 votes, from the first voters: a row with n votes
    // has them from voters[..n], so voters[n] can add one and
    // voters[n - 1] take one back.
    for (j, voter) in voters.iter().enumerate().take(3) {
        let chosen: Vec<i64> = seeded
            .iter()
            .enumerate()
            .filter(|(k, _)| k % 4 > j)
            .map(|(_, id)| *id)
            .collect();
        triage::vote(pool, &chosen, *voter, true).await.unwrap();
    }

    let limit = 7;
    let mut must_appear: HashSet<i64> = seeded.iter().copied().collect();
    let mut must_not_appear = HashSet::new();
    let mut returned = Vec::new();
    let mut votes_changed = 0;
    let (mut cursor, mut after) = (None, None);
    for page_number in 0.. {
        assert!(page_number < 50, "paging ends");
        let all = keys(pool, Sort::Votes).await;
        let page = list_page(pool, Sort::Votes, after.take(), app.admin.id, limit).await;
        let got: Vec<i64> = page.items.iter().map(|item| item.id).collect();
        assert_eq!(
            got,
            expected_page(&all, cursor, limit),
            "page {page_number}"
        );
        for item in &page.items {
            let key = all.iter().find(|key| key.id == item.id).unwrap();
            assert_eq!(item.voters.len(), key.votes as usize, "{item:?}");
        }
        returned.extend(got.iter().copied());
        let Some(next) = page.next else {
            assert!(got.len() < limit as usize, "a full page has a next cursor");
            break;
        };
        let last = assert_cursor_at_last(&next, Sort::Votes, &all, &got);

        // Before the next page: rows not reached yet change their votes,
        // staying behind the cursor.
        let behind: Vec<Key> = all.iter().filter(|key| **key < last).copied().collect();
        let gains = behind
            .iter()
            .find(|key| key.votes + 1 < last.votes)
            .copied();
        if let Some(row) = gains {
            triage::vote(pool, &[row.id], voters[row.votes as usize], true)
                .await
                .unwrap();
            votes_changed += 1;
        }
        let loses = behind
            .iter()
            .rev()
            .find(|key| key.votes > 0 && Some(key.id) != gains.map(|g| g.id));
        if let Some(row) = loses {
            triage::vote(pool, &[row.id], voters[row.votes as usize - 1], false)
                .await
                .unwrap();
            votes_changed += 1;
        }
        // New rows without votes: behind the cursor unless it is at 0 votes.
        let newer_key = Key {
            votes: 0,
            published_at: base + Span::hours(1) + Span::seconds(page_number),
            id: explicit.take(5_000_000 + 1000 * page_number),
        };
        insert_candidate_with_id(pool, newer_key.id, newer_key.published_at).await;
        let newer = newer_key.id;
        if newer_key < last {
            must_appear.insert(newer);
        } else {
            must_not_appear.insert(newer);
        }
        // Ties on all three columns: the cursor row's votes and time.
        let tie_behind = explicit.below(last.id);
        let tie_ahead = explicit.above(last.id);
        for id in [tie_behind, tie_ahead] {
            insert_candidate_with_id(pool, id, last.published_at).await;
            for voter in &voters[..last.votes as usize] {
                triage::vote(pool, &[id], *voter, true).await.unwrap();
            }
        }
        must_appear.insert(tie_behind);
        must_not_appear.insert(tie_ahead);

        cursor = Some(last);
        after = Some(next);
    }

    assert!(votes_changed >= 10, "votes changed while paging");
    assert_listed_once(&returned, &must_appear, &must_not_appear);
}

#[tokio::test]
async fn api_pages_follow_the_cursor_in_both_orders() {
    let app = spawn_app().await;
    let pool = &app.pool;
    let base = time("2026-11-20T12:00:00Z");
    let mut ids_made = Vec::new();
    for n in 0..9 {
        // Three share a time: the id breaks the tie.
        let at = base - Span::minutes(n / 3);
        ids_made.push(insert_candidate(pool, &format!("Item {n}"), "", at).await);
    }
    triage::vote(pool, &[ids_made[8], ids_made[4]], app.admin.id, true)
        .await
        .unwrap();
    for (sort, expected) in [
        ("newest", vec![2, 1, 0, 5, 4, 3, 8, 7, 6]),
        ("votes", vec![4, 8, 2, 1, 0, 5, 3, 7, 6]),
    ] {
        let seen = every_page(&app, &[("sort", sort), ("limit", "2")]).await;
        let expected: Vec<i64> = expected.iter().map(|n| ids_made[*n]).collect();
        assert_eq!(seen, expected, "sort={sort}");
    }
    // A cursor of one order is refused by the other.
    let (status, body) = get_answer(&app, "/api/v1/candidates?sort=votes&after=n1_2").await;
    assert_eq!(status, 400, "{body}");
}

// ---------------------------------------------------------------------------
// Search and filters

/// A candidate of the search test; an empty category means none.
struct Seed {
    title: &'static str,
    excerpt: &'static str,
    published: &'static str,
    feed: Option<i64>,
    category: &'static str,
    state: &'static str,
}

/// The candidates the search tests look for: titles and excerpts in
/// Japanese and English, LIKE's special characters, two tagged feeds,
/// categories, states and dates. Returns the "cloud" feed, bob's API client
/// and each candidate's id by title.
async fn seed_search_rows(
    app: &TestApp,
) -> (i64, Client, std::collections::HashMap<&'static str, i64>) {
    let pool = &app.pool;
    let bob = app.add_member("bob", Role::Editor).await;
    let bob_api = app.token_client(&bob).await;
    let cloud = insert_feed(pool, "Cloud feed", &["cloud"]).await;
    let misc = insert_feed(pool, "Misc feed", &["misc"]).await;

    let rows = [
        Seed {
            title: "コンテナランタイムの比較",
            excerpt: "containerd と CRI-O",
            published: "2026-11-20T09:00:00Z",
            feed: Some(cloud),
            category: "k8s",
            state: "new",
        },
        Seed {
            title: "Kubernetes 1.35 Released",
            excerpt: "Sidecar containers are stable",
            published: "2026-11-18T09:00:00Z",
            feed: Some(cloud),
            category: "k8s",
            state: "new",
        },
        Seed {
            title: "Weekly notes",
            excerpt: "What is new in KUBERNETES land",
            published: "2026-11-10T23:59:59Z",
            feed: Some(misc),
            category: "misc",
            state: "seen",
        },
        Seed {
            title: "ランタイム security on kubernetes",
            excerpt: "",
            published: "2026-11-16T09:00:00Z",
            feed: Some(misc),
            category: "security",
            state: "new",
        },
        Seed {
            title: "Kubernetes story nobody wanted",
            excerpt: "",
            published: "2026-11-17T09:00:00Z",
            feed: Some(cloud),
            category: "k8s",
            state: "dismissed",
        },
        Seed {
            title: "Async Rust in practice",
            excerpt: "With tokio and friends",
            published: "2026-11-19T09:00:00Z",
            feed: Some(misc),
            category: "rust",
            state: "new",
        },
        Seed {
            title: "Rust 2024 edition",
            excerpt: "",
            published: "2026-11-19T08:00:00Z",
            feed: None,
            category: "rust",
            state: "new",
        },
        Seed {
            title: "100% uptime is a myth",
            excerpt: "",
            published: "2026-11-15T09:00:00Z",
            feed: None,
            category: "",
            state: "new",
        },
        Seed {
            title: "1000 nodes in one cluster",
            excerpt: "",
            published: "2026-11-15T08:00:00Z",
            feed: None,
            category: "",
            state: "new",
        },
        Seed {
            title: "The pg_trgm extension",
            excerpt: "",
            published: "2026-11-14T09:00:00Z",
            feed: None,
            category: "",
            state: "new",
        },
        Seed {
            title: "The pgxtrgm oddity",
            excerpt: "",
            published: "2026-11-14T08:00:00Z",
            feed: None,
            category: "",
            state: "new",
        },
        Seed {
            title: r"Paths like C:\Users",
            excerpt: "",
            published: "2026-11-13T09:00:00Z",
            feed: None,
            category: "",
            state: "new",
        },
        Seed {
            title: "Paths like C:Users",
            excerpt: "",
            published: "2026-11-13T08:00:00Z",
            feed: None,
            category: "",
            state: "new",
        },
    ];
    let mut id_of = std::collections::HashMap::new();
    for row in rows {
        let id = insert_candidate(pool, row.title, row.excerpt, time(row.published)).await;
        let categories: Vec<&str> = [row.category]
            .into_iter()
            .filter(|c| !c.is_empty())
            .collect();
        sqlx::query("UPDATE candidates SET categories = $2, state = $3 WHERE id = $1")
            .bind(id)
            .bind(categories)
            .bind(row.state)
            .execute(pool)
            .await
            .unwrap();
        if let Some(feed) = row.feed {
            add_source(pool, feed, id).await;
        }
        id_of.insert(row.title, id);
    }
    (cloud, bob_api, id_of)
}

/// Searches the inbox as the app's API client; the titles found.
async fn search(app: &TestApp, params: Vec<(&'static str, String)>) -> BTreeSet<String> {
    let params: Vec<(&str, &str)> = params.iter().map(|(k, v)| (*k, v.as_str())).collect();
    titles(&candidates(app, &app.api, &params).await)
}

fn q(text: &str) -> Vec<(&'static str, String)> {
    vec![("q", text.to_owned())]
}

fn with(pairs: &[(&'static str, &str)]) -> Vec<(&'static str, String)> {
    pairs.iter().map(|(k, v)| (*k, (*v).to_owned())).collect()
}

#[tokio::test]
async fn search_finds_substrings_in_any_script() {
    let app = spawn_app().await;
    seed_search_rows(&app).await;
    // Japanese: a substring in the middle of a word.
    assert_eq!(
        search(&app, q("ランタイム")).await,
        set(&[
            "コンテナランタイムの比較",
            "ランタイム security on kubernetes"
        ])
    );
    // English ignores case, and the excerpt counts as much as the title.
    let kubernetes = set(&[
        "Kubernetes 1.35 Released",
        "Weekly notes",
        "ランタイム security on kubernetes",
    ]);
    assert_eq!(search(&app, q("kubernetes")).await, kubernetes);
    assert_eq!(search(&app, q("KUBERNETES")).await, kubernetes);
    assert_eq!(search(&app, q("kUbErNeTeS")).await, kubernetes);
    // Every word is required; words may be in the title or the excerpt.
    assert_eq!(
        search(&app, q("rust")).await,
        set(&["Async Rust in practice", "Rust 2024 edition"])
    );
    assert_eq!(
        search(&app, q("rust   async")).await,
        set(&["Async Rust in practice"])
    );
    assert_eq!(
        search(&app, q("tokio RUST")).await,
        set(&["Async Rust in practice"])
    );
    assert_eq!(search(&app, q("rust nothing-like-this")).await, set(&[]));
    // LIKE's wildcards and escape character match themselves.
    assert_eq!(
        search(&app, q("100%")).await,
        set(&["100% uptime is a myth"])
    );
    assert_eq!(search(&app, q("%")).await, set(&["100% uptime is a myth"]));
    assert_eq!(
        search(&app, q("pg_trgm")).await,
        set(&["The pg_trgm extension"])
    );
    assert_eq!(search(&app, q("_")).await, set(&["The pg_trgm extension"]));
    assert_eq!(
        search(&app, q(r"C:\Users")).await,
        set(&[r"Paths like C:\Users"])
    );
    assert_eq!(search(&app, q(r"\")).await, set(&[r"Paths like C:\Users"]));
    // NUL, which PostgreSQL text cannot hold, is dropped instead of failing.
    assert_eq!(search(&app, q("kuber\u{0}netes")).await, kubernetes);
    assert_eq!(
        search(&app, vec![("category", "\u{0}".to_owned())])
            .await
            .len(),
        12,
        "an empty category is no filter: every open candidate"
    );
}

#[tokio::test]
async fn search_combines_with_every_filter() {
    let app = spawn_app().await;
    let (cloud, _, _) = seed_search_rows(&app).await;
    // Search combined with the filters.
    let cloud_text = cloud.to_string();
    assert_eq!(
        search(&app, with(&[("q", "kubernetes"), ("feed", &cloud_text)])).await,
        set(&["Kubernetes 1.35 Released"])
    );
    assert_eq!(
        search(&app, with(&[("q", "kubernetes"), ("state", "dismissed")])).await,
        set(&["Kubernetes story nobody wanted"])
    );
    assert_eq!(
        search(
            &app,
            with(&[("q", "kubernetes"), ("feed", &cloud_text), ("state", "all")])
        )
        .await,
        set(&["Kubernetes 1.35 Released", "Kubernetes story nobody wanted"])
    );
    assert_eq!(
        search(&app, with(&[("q", "kubernetes"), ("state", "seen")])).await,
        set(&["Weekly notes"])
    );
    assert_eq!(
        search(&app, with(&[("q", "kubernetes"), ("state", "new")])).await,
        set(&[
            "Kubernetes 1.35 Released",
            "ランタイム security on kubernetes"
        ])
    );
    assert_eq!(
        search(&app, with(&[("q", "kubernetes"), ("category", "misc")])).await,
        set(&["Weekly notes"])
    );
    assert_eq!(
        search(&app, with(&[("q", "ランタイム"), ("tag", "misc")])).await,
        set(&["ランタイム security on kubernetes"])
    );
    assert_eq!(
        search(&app, with(&[("q", "ランタイム"), ("tag", "cloud")])).await,
        set(&["コンテナランタイムの比較"])
    );
    // Dates are whole days (UTC), both ends included.
    assert_eq!(
        search(
            &app,
            with(&[
                ("q", "kubernetes"),
                ("from", "2026-11-10"),
                ("to", "2026-11-10")
            ])
        )
        .await,
        set(&["Weekly notes"])
    );
    assert_eq!(
        search(&app, with(&[("q", "kubernetes"), ("from", "2026-11-11")])).await,
        set(&[
            "Kubernetes 1.35 Released",
            "ランタイム security on kubernetes"
        ])
    );
    assert_eq!(
        search(&app, with(&[("q", "kubernetes"), ("to", "2026-11-17")])).await,
        set(&["Weekly notes", "ランタイム security on kubernetes"])
    );
}

#[tokio::test]
async fn search_combines_with_votes() {
    let app = spawn_app().await;
    let (_, bob_api, id_of) = seed_search_rows(&app).await;
    // +1s: "voted" is anyone's, "mine" the caller's.
    let k8s = id_of["Kubernetes 1.35 Released"];
    let runtime = id_of["ランタイム security on kubernetes"];
    let (status, _) = post(
        &app,
        &app.api,
        "/api/v1/candidates/votes",
        json!({ "ids": [k8s], "on": true }),
    )
    .await;
    assert_eq!(status, 200);
    let (status, _) = post(
        &app,
        &bob_api,
        "/api/v1/candidates/votes",
        json!({ "ids": [runtime], "on": true }),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        search(&app, with(&[("q", "kubernetes"), ("voted", "1")])).await,
        set(&[
            "Kubernetes 1.35 Released",
            "ランタイム security on kubernetes"
        ])
    );
    assert_eq!(
        search(&app, with(&[("q", "kubernetes"), ("mine", "1")])).await,
        set(&["Kubernetes 1.35 Released"])
    );
    let bobs = candidates(&app, &bob_api, &[("q", "kubernetes"), ("mine", "1")]).await;
    assert_eq!(titles(&bobs), set(&["ランタイム security on kubernetes"]));
    assert_eq!(
        search(&app, with(&[("q", "rust"), ("voted", "1")])).await,
        set(&[])
    );
    // Newest first within the results.
    let listed = candidates(&app, &app.api, &[("q", "kubernetes")]).await;
    assert_eq!(ids(&listed), vec![k8s, runtime, id_of["Weekly notes"]]);
}

/// A search walks the newest rows of its view first and asks the trigram
/// index only when that walk (5,000 rows) does not fill the page. Both ways
/// must give the same pages as a plain scan: a rare old word beyond the
/// walk, common words in both orders and across pages, and words spread so
/// that a page is filled partly inside and partly beyond the walk.
#[tokio::test]
async fn a_row_lists_its_feeds_and_their_tags_once() {
    let app = spawn_app().await;
    let pool = &app.pool;
    let first = insert_feed(pool, "First feed", &["k8s", "cloud"]).await;
    let second = insert_feed(pool, "Second feed", &["cloud", "aws"]).await;
    let untagged = insert_feed(pool, "Untagged feed", &[]).await;
    let both = insert_candidate(pool, "In two feeds", "", time("2026-11-20T09:00:00Z")).await;
    add_source(pool, second, both).await;
    add_source(pool, first, both).await;
    let plain = insert_candidate(
        pool,
        "In an untagged feed",
        "",
        time("2026-11-19T09:00:00Z"),
    )
    .await;
    add_source(pool, untagged, plain).await;
    let orphan = insert_candidate(pool, "In no feed", "", time("2026-11-18T09:00:00Z")).await;

    let row = listed(&app, &app.api, both).await;
    assert_eq!(
        row["sources"],
        json!([
            { "feed_id": first, "feed_title": "First feed" },
            { "feed_id": second, "feed_title": "Second feed" },
        ]),
        "sources in feed order, whatever order they arrived in"
    );
    assert_eq!(
        row["tags"],
        json!(["aws", "cloud", "k8s"]),
        "sorted, each once"
    );
    let row = listed(&app, &app.api, plain).await;
    assert_eq!(
        row["sources"],
        json!([{ "feed_id": untagged, "feed_title": "Untagged feed" }])
    );
    assert_eq!(row["tags"], json!([]));
    let row = listed(&app, &app.api, orphan).await;
    assert_eq!((&row["sources"], &row["tags"]), (&json!([]), &json!([])));
    assert_eq!(
        (
            &row["voters"],
            &row["voted_by_me"],
            &row["picked"],
            &row["covered"],
            &row["similar"]
        ),
        (
            &json!([]),
            &json!(false),
            &Value::Null,
            &Value::Null,
            &Value::Null
        ),
        "no signals on a row nobody touched"
    );
}

#[tokio::test]
async fn searches_beyond_the_newest_rows_page_like_a_full_scan() {
    let app = spawn_app().await;
    let pool = &app.pool;
    // 6,000 rows, one a minute: every 40th says "common", every 300th also
    // "sparse" (20 rows, some beyond the walk), and the oldest "zyxrare".
    sqlx::query(
        "INSERT INTO candidates (url, url_key, title, excerpt, published_at)
         SELECT 'https://example.com/' || n, '//example.com/' || n,
                'Row ' || n || CASE WHEN n % 40 = 0 THEN ' common' ELSE '' END,
                CASE WHEN n % 300 = 0 THEN 'スパース sparse' WHEN n = 1 THEN 'zyxrare' ELSE '' END,
                timestamptz '2026-11-01' + n * interval '1 minute'
         FROM generate_series(1, 6000) n",
    )
    .execute(pool)
    .await
    .unwrap();
    sqlx::query("UPDATE candidates SET votes = 1 WHERE id % 7 = 0")
        .execute(pool)
        .await
        .unwrap();
    sqlx::query("ANALYZE candidates")
        .execute(pool)
        .await
        .unwrap();
    let expected = |like: &'static str, sort: &'static str| async move {
        let order = if sort == "votes" {
            "votes DESC, published_at DESC, id DESC"
        } else {
            "published_at DESC, id DESC"
        };
        sqlx::query_scalar::<_, i64>(&format!(
            "SELECT id FROM candidates WHERE {like} ORDER BY {order}"
        ))
        .fetch_all(pool)
        .await
        .unwrap()
    };
    let all_pages = |q: &'static str, sort: &'static str, limit: &'static str| {
        let app = app.clone();
        async move { every_page(&app, &[("q", q), ("sort", sort), ("limit", limit)]).await }
    };

    let rare = all_pages("ZYXRARE", "newest", "50").await;
    assert_eq!(
        rare,
        expected("search_text LIKE '%zyxrare%'", "newest").await
    );
    assert_eq!(rare.len(), 1, "the oldest row, beyond the walk");
    for sort in ["newest", "votes"] {
        let common = expected("search_text LIKE '%common%'", sort).await;
        assert_eq!(common.len(), 150);
        assert_eq!(all_pages("common", sort, "50").await, common, "{sort}");
        assert_eq!(all_pages("common", sort, "7").await, common, "{sort}");
        let sparse = expected(
            "search_text LIKE '%sparse%' AND search_text LIKE '%row%'",
            sort,
        )
        .await;
        assert_eq!(sparse.len(), 20);
        assert_eq!(all_pages("sparse row", sort, "15").await, sparse, "{sort}");
        assert_eq!(all_pages("スパース", sort, "50").await, sparse, "{sort}");
    }
}

// ---------------------------------------------------------------------------
// State, undo, +1s

#[tokio::test]
async fn dismissing_leaves_the_open_view_and_undo_restores_previous_states() {
    let app = spawn_app().await;
    let pool = &app.pool;
    let a = insert_candidate(pool, "A", "", time("2026-11-20T09:00:00Z")).await;
    let b = insert_candidate(pool, "B", "", time("2026-11-19T09:00:00Z")).await;
    let c = insert_candidate(pool, "C", "", time("2026-11-18T09:00:00Z")).await;
    let state = |ids: Vec<i64>, state: &str| json!({ "ids": ids, "state": state });
    let path = "/api/v1/candidates/state";

    let (status, body) = post(&app, &app.api, path, state(vec![a], "seen")).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body, json!({ "changed": [{ "id": a, "previous": "new" }] }));

    let (status, mut body) = post(&app, &app.api, path, state(vec![a, b], "dismissed")).await;
    assert_eq!(status, 200, "{body}");
    let changed = body["changed"].as_array_mut().unwrap();
    changed.sort_by_key(|change| change["id"].as_i64());
    assert_eq!(
        *changed,
        vec![
            json!({ "id": a, "previous": "seen" }),
            json!({ "id": b, "previous": "new" })
        ]
    );
    let undo = changed.clone();
    assert_eq!(ids(&candidates(&app, &app.api, &[]).await), vec![c]);
    let dismissed = candidates(&app, &app.api, &[("state", "dismissed")]).await;
    assert_eq!(ids(&dismissed), vec![a, b]);
    assert!(dismissed.iter().all(|item| item["state"] == "dismissed"));
    // What already has the state does not change (and is not undone).
    let (_, body) = post(&app, &app.api, path, state(vec![a, c], "dismissed")).await;
    assert_eq!(body, json!({ "changed": [{ "id": c, "previous": "new" }] }));
    let (_, body) = post(&app, &app.api, path, state(vec![c], "new")).await;
    assert_eq!(
        body,
        json!({ "changed": [{ "id": c, "previous": "dismissed" }] })
    );

    // Undo: each candidate back to its previous state.
    for change in undo {
        let previous = change["previous"].as_str().unwrap();
        let (status, _) = post(
            &app,
            &app.api,
            path,
            state(vec![change["id"].as_i64().unwrap()], previous),
        )
        .await;
        assert_eq!(status, 200);
    }
    let open = candidates(&app, &app.api, &[]).await;
    assert_eq!(ids(&open), vec![a, b, c]);
    let states: Vec<&str> = open
        .iter()
        .map(|item| item["state"].as_str().unwrap())
        .collect();
    assert_eq!(states, ["seen", "new", "new"]);
    assert_eq!(
        ids(&candidates(&app, &app.api, &[("state", "seen")]).await),
        vec![a]
    );

    // Refusals leave everything as it was.
    for bad in ["picked", "archived", ""] {
        let (status, body) = post(&app, &app.api, path, state(vec![a], bad)).await;
        assert_eq!(status, 422, "{bad:?}: {body}");
        assert_eq!(body["error"]["field"], "state");
        assert!(
            error_message(&body).contains("new, seen or dismissed"),
            "{body}"
        );
    }
    let viewer = app.add_member("vera", Role::Viewer).await;
    let viewer_api = app.token_client(&viewer).await;
    let (status, body) = post(&app, &viewer_api, path, state(vec![a], "dismissed")).await;
    assert_eq!(status, 403, "{body}");
    // Nobody signed in, from our own page (else the CSRF rule answers first).
    let response = app
        .anonymous
        .post(app.url(path))
        .header("origin", app.origin())
        .json(&state(vec![a], "dismissed"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    let too_many: Vec<i64> = (1..=1001).collect();
    let (status, body) = post(&app, &app.api, path, state(too_many, "dismissed")).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"]["kind"], "bad_request");
    let (status, _) = post(&app, &app.api, path, state(vec![], "dismissed")).await;
    assert_eq!(status, 400);
    let thousand: Vec<i64> = (0..1000).map(|n| a + 10_000 + n).collect();
    let (status, _) = post(&app, &app.api, path, state(thousand, "seen")).await;
    assert_eq!(status, 200, "1000 ids are allowed");
    assert_eq!(state_of(pool, a).await, "seen");
    assert_eq!(state_of(pool, b).await, "new");
}

#[tokio::test]
async fn votes_are_one_per_member_and_order_the_votes_view() {
    let app = spawn_app().await;
    let pool = &app.pool;
    let bob = app.add_member("bob", Role::Editor).await;
    let bob_api = app.token_client(&bob).await;
    let x = insert_candidate(pool, "X", "", time("2026-11-20T09:00:00Z")).await;
    let y = insert_candidate(pool, "Y", "", time("2026-11-19T09:00:00Z")).await;
    let z = insert_candidate(pool, "Z", "", time("2026-11-21T09:00:00Z")).await;
    let votes = |ids: Vec<i64>, on: bool| json!({ "ids": ids, "on": on });
    let path = "/api/v1/candidates/votes";

    let (status, mut body) = post(&app, &app.api, path, votes(vec![x, y], true)).await;
    assert_eq!(status, 200, "{body}");
    body["changed"]
        .as_array_mut()
        .unwrap()
        .sort_by_key(|id| id.as_i64());
    assert_eq!(body, json!({ "changed": [x, y] }));
    let (_, body) = post(&app, &bob_api, path, votes(vec![y], true)).await;
    assert_eq!(body, json!({ "changed": [y] }));

    let by_votes = candidates(&app, &app.api, &[("sort", "votes")]).await;
    assert_eq!(ids(&by_votes), vec![y, x, z], "most +1s first, then newest");
    assert_eq!(by_votes[0]["voters"], json!(["admin", "bob"]));
    assert_eq!(by_votes[1]["voters"], json!(["admin"]));
    assert_eq!(by_votes[2]["voters"], json!([]));
    let mine = |items: &[Value]| -> Vec<bool> {
        items
            .iter()
            .map(|item| item["voted_by_me"].as_bool().unwrap())
            .collect()
    };
    assert_eq!(mine(&by_votes), [true, true, false]);
    let bobs = candidates(&app, &bob_api, &[("sort", "votes")]).await;
    assert_eq!(ids(&bobs), vec![y, x, z]);
    assert_eq!(mine(&bobs), [true, false, false]);
    // The newest-first view is not reordered by votes.
    assert_eq!(ids(&candidates(&app, &app.api, &[]).await), vec![z, x, y]);

    // Voting twice counts once.
    let (_, body) = post(&app, &app.api, path, votes(vec![y], true)).await;
    assert_eq!(body, json!({ "changed": [] }));
    let count: i32 = sqlx::query_scalar("SELECT votes FROM candidates WHERE id = $1")
        .bind(y)
        .fetch_one(pool)
        .await
        .unwrap();
    assert_eq!(count, 2);
    assert_eq!(
        listed(&app, &app.api, y).await["voters"],
        json!(["admin", "bob"])
    );

    // Taking a +1 back; taking back one never given changes nothing.
    let (_, body) = post(&app, &app.api, path, votes(vec![y], false)).await;
    assert_eq!(body, json!({ "changed": [y] }));
    let (_, body) = post(&app, &app.api, path, votes(vec![y, z], false)).await;
    assert_eq!(body, json!({ "changed": [] }));
    let by_votes = candidates(&app, &app.api, &[("sort", "votes")]).await;
    assert_eq!(ids(&by_votes), vec![x, y, z], "one each: newest first");
    assert_eq!(by_votes[1]["voters"], json!(["bob"]));
    assert_eq!(mine(&by_votes), [true, false, false]);
    let counts: Vec<i32> =
        sqlx::query_scalar("SELECT votes FROM candidates WHERE id = ANY($1) ORDER BY id")
            .bind(vec![x, y, z])
            .fetch_all(pool)
            .await
            .unwrap();
    assert_eq!(counts, [1, 1, 0]);
    // Only what someone +1'd, and only my own.
    assert_eq!(
        ids(&candidates(&app, &app.api, &[("voted", "1")]).await),
        vec![x, y]
    );
    assert_eq!(
        ids(&candidates(&app, &bob_api, &[("mine", "1")]).await),
        vec![y]
    );

    let viewer = app.add_member("vera", Role::Viewer).await;
    let viewer_api = app.token_client(&viewer).await;
    let (status, _) = post(&app, &viewer_api, path, votes(vec![x], true)).await;
    assert_eq!(status, 403);
    let too_many: Vec<i64> = (1..=1001).collect();
    let (status, _) = post(&app, &app.api, path, votes(too_many, true)).await;
    assert_eq!(status, 400);
}

// ---------------------------------------------------------------------------
// Picking

/// Three candidates A, B and C (newest first), the first two sections and
/// an editor, bob, for the picking tests.
struct Picking {
    bob_api: Client,
    notable: i64,
    notable_title: String,
    tools: i64,
    tools_title: String,
    a: i64,
    b: i64,
    c: i64,
}

async fn picking_setup(app: &TestApp) -> Picking {
    let pool = &app.pool;
    let bob = app.add_member("bob", Role::Editor).await;
    let bob_api = app.token_client(&bob).await;
    let sections: Vec<(i64, String)> =
        sqlx::query_as("SELECT id, title FROM sections ORDER BY position")
            .fetch_all(pool)
            .await
            .unwrap();
    let (notable, notable_title) = sections[0].clone();
    let (tools, tools_title) = sections[1].clone();
    let a = insert_candidate(pool, "A", "", time("2026-11-20T09:00:00Z")).await;
    let b = insert_candidate(pool, "B", "", time("2026-11-19T09:00:00Z")).await;
    let c = insert_candidate(pool, "C", "", time("2026-11-18T09:00:00Z")).await;

    Picking {
        bob_api,
        notable,
        notable_title,
        tools,
        tools_title,
        a,
        b,
        c,
    }
}

/// Picks A into the first section, which makes draft #1.
async fn pick_a(app: &TestApp, a: i64, notable: i64) {
    let (status, body) = post(
        app,
        &app.api,
        &pick_path(a),
        json!({ "section_id": notable }),
    )
    .await;
    assert_eq!(status, 201, "{body}");
}

#[tokio::test]
async fn picking_goes_into_a_draft_made_on_demand() {
    let app = spawn_app().await;
    let Picking {
        notable,
        notable_title,
        a,
        b,
        c,
        ..
    } = picking_setup(&app).await;
    let (status, body) = post(
        &app,
        &app.api,
        &pick_path(a),
        json!({ "section_id": notable }),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(
        body,
        json!({ "issue_number": 1 }),
        "draft #1 made on demand"
    );
    let picked = listed(&app, &app.api, a).await;
    assert_eq!(picked["state"], "picked");
    assert_eq!(picked["covered"], Value::Null, "a draft covers nothing yet");
    assert_eq!(
        picked["picked"],
        json!({ "issue_number": 1, "section": notable_title, "by": "admin" })
    );
    assert_eq!(ids(&candidates(&app, &app.api, &[]).await), vec![b, c]);
    assert_eq!(
        ids(&candidates(&app, &app.api, &[("state", "picked")]).await),
        vec![a]
    );
    // A picked candidate keeps out of state changes.
    let (_, body) = post(
        &app,
        &app.api,
        "/api/v1/candidates/state",
        json!({ "ids": [a], "state": "dismissed" }),
    )
    .await;
    assert_eq!(body, json!({ "changed": [] }));
    assert!(candidates(&app, &app.api, &[("state", "dismissed")])
        .await
        .is_empty());
}

#[tokio::test]
async fn picking_again_into_an_unknown_section_or_as_a_viewer_is_refused() {
    let app = spawn_app().await;
    let Picking {
        bob_api,
        notable,
        tools,
        a,
        b,
        ..
    } = picking_setup(&app).await;
    pick_a(&app, a, notable).await;
    // Picking again, into an unknown section, or as a viewer.
    let (status, body) = post(
        &app,
        &bob_api,
        &pick_path(a),
        json!({ "section_id": tools }),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert!(
        error_message(&body).contains("Already picked into #1"),
        "{body}"
    );
    let (status, body) = post(
        &app,
        &app.api,
        &pick_path(b),
        json!({ "section_id": 999_999 }),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error"]["field"], "section");
    let viewer = app.add_member("vera", Role::Viewer).await;
    let viewer_api = app.token_client(&viewer).await;
    let (status, _) = post(
        &app,
        &viewer_api,
        &pick_path(b),
        json!({ "section_id": notable }),
    )
    .await;
    assert_eq!(status, 403);
    let (status, _) = post(
        &app,
        &app.api,
        &pick_path(999_999),
        json!({ "section_id": notable }),
    )
    .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn picking_a_link_a_published_issue_covered_needs_confirmation() {
    let app = spawn_app().await;
    let pool = &app.pool;
    let Picking {
        bob_api,
        notable,
        tools,
        tools_title,
        a,
        b,
        c,
        ..
    } = picking_setup(&app).await;
    pick_a(&app, a, notable).await;
    // Issue #1 is published, and it had C's link (through another pick).
    let c_key: String = sqlx::query_scalar("SELECT url_key FROM candidates WHERE id = $1")
        .bind(c)
        .fetch_one(pool)
        .await
        .unwrap();
    let issue_date: NaiveDate = sqlx::query_scalar(
        "UPDATE issues SET state = 'published', published_at = now() WHERE number = 1
         RETURNING issue_date",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO picks (issue_id, section_id, position, candidate_id, url, url_key, title)
         SELECT id, $1, 2, NULL, 'https://example.com/elsewhere?utm_source=x', $2, 'Old news'
         FROM issues WHERE number = 1",
    )
    .bind(tools)
    .bind(&c_key)
    .execute(pool)
    .await
    .unwrap();
    let covered = listed(&app, &app.api, c).await;
    assert_eq!(
        covered["covered"],
        json!({ "issue_number": 1, "issue_date": issue_date.to_string() })
    );
    assert_eq!(covered["state"], "new");
    assert_eq!(listed(&app, &app.api, b).await["covered"], Value::Null);

    let (status, body) = post(
        &app,
        &app.api,
        &pick_path(c),
        json!({ "section_id": tools }),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    let message = error_message(&body);
    assert!(
        message.contains(&format!("Already covered in #1 ({issue_date})")),
        "{message}"
    );
    assert_eq!(listed(&app, &app.api, c).await["picked"], Value::Null);
    let (status, body) = post(
        &app,
        &app.api,
        &pick_path(c),
        json!({ "section_id": tools, "confirm": true }),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body, json!({ "issue_number": 2 }), "into the new draft");
    assert_eq!(
        listed(&app, &app.api, c).await["picked"],
        json!({ "issue_number": 2, "section": tools_title, "by": "admin" })
    );
    let (status, body) = post(
        &app,
        &bob_api,
        &pick_path(b),
        json!({ "section_id": tools }),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(listed(&app, &app.api, b).await["picked"]["by"], "bob");
    let positions: Vec<(i64, i32)> = sqlx::query_as(
        "SELECT p.candidate_id, p.position FROM picks p JOIN issues i ON i.id = p.issue_id
         WHERE i.number = 2 ORDER BY p.position",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    assert_eq!(positions, [(c, 1), (b, 2)], "each pick goes to the end");
    assert!(candidates(&app, &app.api, &[]).await.is_empty());
}

// ---------------------------------------------------------------------------
// Adding a link by hand

#[tokio::test]
async fn links_added_by_hand_are_read_through_the_guard_and_not_duplicated() {
    let app = spawn_app().await;
    let server = FeedServer::start().await;
    let bob = app.add_member("bob", Role::Editor).await;
    let bob_api = app.token_client(&bob).await;
    server.set_page(
        "story",
        r#"<!DOCTYPE html><html><head><title>Site | Story</title>
        <meta property="og:title" content="The &amp; Story">
        <meta name="description" content="  What  happened,
          in short. ">
        </head><body><p>Body text</p></body></html>"#,
    );
    server.set_page(
        "plain",
        "<html><head><title>\n  Only a   title </title></head><body>Hi</body></html>",
    );
    let add = |url: String| json!({ "url": url });
    let path = "/api/v1/candidates";

    let story = server.url("/page/story");
    let (status, body) = post(&app, &app.api, path, add(story.clone())).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["created"], true);
    let added = &body["candidate"];
    let id = added["id"].as_i64().unwrap();
    assert_eq!(added["title"], "The & Story");
    assert_eq!(added["excerpt"], "What happened, in short.");
    assert_eq!(added["url"], story);
    assert_eq!(added["added_by"], "admin");
    assert_eq!(added["state"], "new");
    assert_eq!(listed(&app, &app.api, id).await["added_by"], "admin");

    // The same article again, also with tracking parameters or a
    // fragment, and by someone else: the existing candidate.
    for (client, url) in [
        (&app.api, story.clone()),
        (&app.api, format!("{story}?utm_source=x&utm_medium=email")),
        (&bob_api, format!("{story}#comments")),
    ] {
        let (status, body) = post(&app, client, path, add(url.clone())).await;
        assert_eq!(status, 200, "{url}: {body}");
        assert_eq!(body["created"], false);
        assert_eq!(body["candidate"]["id"], id);
        assert_eq!(body["candidate"]["added_by"], "admin");
    }

    // Only a <title>; a title given by the member wins.
    let (status, body) = post(&app, &app.api, path, add(server.url("/page/plain"))).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["candidate"]["title"], "Only a title");
    assert_eq!(body["candidate"]["excerpt"], "");
    server.set_page("titled", "<title>Theirs</title>");
    let (status, body) = post(
        &app,
        &bob_api,
        path,
        json!({ "url": server.url("/page/titled"), "title": " Mine " }),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["candidate"]["title"], "Mine");
    assert_eq!(body["candidate"]["added_by"], "bob");
    // Empty sharing tags do not hide the page's own title and description.
    server.set_page(
        "blank-og",
        r#"<html><head><meta property="og:title" content="">
        <meta property="og:description" content="  ">
        <title>The real title</title>
        <meta name="description" content="The real description">
        </head></html>"#,
    );
    let (status, body) = post(&app, &app.api, path, add(server.url("/page/blank-og"))).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["candidate"]["title"], "The real title");
    assert_eq!(body["candidate"]["excerpt"], "The real description");
    assert_eq!(candidate_count(&app.pool).await, 4);

    // Refused with a reason, and nothing stored.
    let port = server.addr.port();
    let refused = [
        (
            format!("http://[::1]:{port}/page/story"),
            "blocked: address is private (::1)",
        ),
        (
            "http://10.0.0.1/page/story".to_owned(),
            "blocked: address is private (10.0.0.1)",
        ),
        (
            server.url("/to-metadata"),
            "blocked: address is private (169.254.169.254)",
        ),
        (server.url("/page/missing"), "HTTP 404"),
        (
            "ftp://example.com/file".to_owned(),
            "only http and https links",
        ),
        (
            "javascript:alert(1)".to_owned(),
            "only http and https links",
        ),
        ("   ".to_owned(), "Paste the link"),
    ];
    for (url, reason) in refused {
        let (status, body) = post(&app, &app.api, path, add(url.clone())).await;
        assert_eq!(status, 422, "{url}: {body}");
        assert_eq!(body["error"]["field"], "url", "{url}");
        let message = error_message(&body);
        assert!(message.contains(reason), "{url}: {message}");
    }
    assert_eq!(candidate_count(&app.pool).await, 4);
    let long = format!("{story}?{}", "a".repeat(2100));
    let (status, _) = post(&app, &app.api, path, add(long)).await;
    assert_eq!(status, 422);

    // Viewers may not add; malformed bodies are 400.
    let viewer = app.add_member("vera", Role::Viewer).await;
    let viewer_api = app.token_client(&viewer).await;
    let (status, _) = post(&app, &viewer_api, path, add(server.url("/page/plain"))).await;
    assert_eq!(status, 403);
    let (status, _) = post(&app, &app.api, path, json!({ "link": story })).await;
    assert_eq!(status, 400);
    assert_eq!(candidate_count(&app.pool).await, 4);
}

// ---------------------------------------------------------------------------
// Near-duplicates

#[tokio::test]
async fn very_similar_titles_from_different_feeds_are_flagged() {
    let app = spawn_app().await;
    let server = FeedServer::start().await;
    let first_title = "Kubernetes v1.35 released with sidecar containers";
    let second_title = "Kubernetes v1.35 released, with sidecar containers!";
    server.set_feed(
        "one",
        rss(
            "One",
            &[
                item("k", first_title, "https://one.example/k8s-135"),
                item(
                    "i1",
                    "Istio 1.24 adds ambient mode support",
                    "https://one.example/istio",
                ),
                item(
                    "i2",
                    "Istio 1.24 adds ambient mode support!",
                    "https://one.example/istio-again",
                ),
                item(
                    "ja",
                    "コンテナランタイムの比較と選び方",
                    "https://one.example/runtimes",
                ),
            ],
        ),
    );
    server.set_feed(
        "two",
        rss(
            "Two",
            &[
                item("k", second_title, "https://two.example/kubernetes/1.35"),
                item(
                    "r",
                    "A guide to PostgreSQL vacuum tuning",
                    "https://two.example/vacuum",
                ),
                item(
                    "ja",
                    "コンテナランタイムの比較と選び方まとめ",
                    "https://two.example/runtimes-summary",
                ),
            ],
        ),
    );
    let one = add_feed(&app, &server.url("/feed/one")).await;
    let two = add_feed(&app, &server.url("/feed/two")).await;
    assert_eq!(refresh(&app, one).await, 4);
    assert_eq!(refresh(&app, two).await, 3);

    let pool = &app.pool;
    let first = candidate_id_by_link(pool, "https://one.example/k8s-135").await;
    let second = candidate_id_by_link(pool, "https://two.example/kubernetes/1.35").await;
    assert_eq!(
        listed(&app, &app.api, second).await["similar"],
        json!({ "id": first, "title": first_title }),
        "the later one points at the earlier one"
    );
    assert_eq!(listed(&app, &app.api, first).await["similar"], Value::Null);
    // Japanese titles too (trigrams of kana and kanji).
    let earlier = candidate_id_by_link(pool, "https://one.example/runtimes").await;
    let later = candidate_id_by_link(pool, "https://two.example/runtimes-summary").await;
    assert_eq!(
        listed(&app, &app.api, later).await["similar"]["id"],
        earlier
    );
    assert_eq!(
        listed(&app, &app.api, earlier).await["similar"],
        Value::Null
    );
    for unrelated in [
        "https://one.example/istio",
        "https://one.example/istio-again",
        "https://two.example/vacuum",
    ] {
        let id = candidate_id_by_link(pool, unrelated).await;
        assert_eq!(
            listed(&app, &app.api, id).await["similar"],
            Value::Null,
            "{unrelated}: same feed or unrelated title"
        );
    }
}

/// A new candidate's near-duplicate is written with its row: storing a
/// feed never updates the rows it has just inserted (issue 18: that update
/// was a second version of a third of the benchmark's rows, every index
/// written twice).
#[tokio::test]
async fn a_near_duplicate_is_written_with_the_new_row() {
    let app = spawn_app().await;
    let server = FeedServer::start().await;
    let first_title = "Kubernetes v1.35 released with sidecar containers";
    server.set_feed(
        "one",
        rss("One", &[item("k", first_title, "https://one.example/k")]),
    );
    server.set_feed(
        "two",
        rss(
            "Two",
            &[item(
                "k",
                "Kubernetes v1.35 released, with sidecar containers!",
                "https://two.example/k",
            )],
        ),
    );
    // Every update of a candidate row, as the database saw it.
    sqlx::raw_sql(
        r#"CREATE TABLE updated_candidates (id bigint NOT NULL);
           CREATE FUNCTION note_candidate_update() RETURNS trigger LANGUAGE plpgsql AS $$
           BEGIN INSERT INTO updated_candidates VALUES (NEW.id); RETURN NEW; END $$;
           CREATE TRIGGER note_updates AFTER UPDATE ON candidates
               FOR EACH ROW EXECUTE FUNCTION note_candidate_update();"#,
    )
    .execute(&app.pool)
    .await
    .unwrap();
    let one = add_feed(&app, &server.url("/feed/one")).await;
    let two = add_feed(&app, &server.url("/feed/two")).await;
    assert_eq!(refresh(&app, one).await, 1);
    assert_eq!(refresh(&app, two).await, 1);

    let first = candidate_id_by_link(&app.pool, "https://one.example/k").await;
    let second = candidate_id_by_link(&app.pool, "https://two.example/k").await;
    let similar: Option<i64> =
        sqlx::query_scalar("SELECT similar_to FROM candidates WHERE id = $1")
            .bind(second)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(similar, Some(first));
    let updated: Vec<i64> = sqlx::query_scalar("SELECT id FROM updated_candidates")
        .fetch_all(&app.pool)
        .await
        .unwrap();
    assert_eq!(
        updated,
        Vec::<i64>::new(),
        "candidates updated after their insert"
    );
    // Its title keys were stored with it: a third feed's copy finds it.
    let keys: i64 =
        sqlx::query_scalar("SELECT count(*) FROM candidate_title_keys WHERE candidate_id = $1")
            .bind(second)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert!(keys > 0, "no title keys stored for the new candidate");
}

/// Release feeds of one project are alike by nature: `v1.29.0` and
/// `v1.30.1` are two releases, not one story told twice (trigram
/// similarity said they were). The same story from two blogs still is.
#[tokio::test]
async fn release_versions_are_not_near_duplicates_but_one_story_from_two_blogs_is() {
    let app = spawn_app().await;
    let server = FeedServer::start().await;
    let story = "How we cut our AWS bill by 40%";
    server.set_feed(
        "releases",
        rss(
            "kubernetes releases",
            &[
                item(
                    "a",
                    "Kubernetes v1.29.0",
                    "https://github.example/k8s/v1.29.0",
                ),
                item("s", story, "https://blog-one.example/aws-bill"),
            ],
        ),
    );
    server.set_feed(
        "mirror",
        rss(
            "Release mirror",
            &[
                item(
                    "b",
                    "Kubernetes v1.30.1",
                    "https://mirror.example/k8s/v1.30.1",
                ),
                item(
                    "c",
                    "Kubernetes v1.29.1",
                    "https://mirror.example/k8s/v1.29.1",
                ),
                item(
                    "s",
                    "How We Cut Our AWS Bill by 40% | Example Engineering",
                    "https://blog-two.example/2026/aws-bill",
                ),
            ],
        ),
    );
    let releases = add_feed(&app, &server.url("/feed/releases")).await;
    let mirror = add_feed(&app, &server.url("/feed/mirror")).await;
    assert_eq!(refresh(&app, releases).await, 2);
    assert_eq!(refresh(&app, mirror).await, 3);

    let pool = &app.pool;
    for release in [
        "https://mirror.example/k8s/v1.30.1",
        "https://mirror.example/k8s/v1.29.1",
    ] {
        let id = candidate_id_by_link(pool, release).await;
        assert_eq!(
            listed(&app, &app.api, id).await["similar"],
            Value::Null,
            "{release} is another release than v1.29.0"
        );
    }
    let first = candidate_id_by_link(pool, "https://blog-one.example/aws-bill").await;
    let second = candidate_id_by_link(pool, "https://blog-two.example/2026/aws-bill").await;
    assert_eq!(
        listed(&app, &app.api, second).await["similar"],
        json!({ "id": first, "title": story }),
        "the same story from two blogs"
    );
}

// ---------------------------------------------------------------------------
// Live events

/// Waits until `servers` live hubs are LISTENing on the database (each
/// server starts its listener in the background). Bounded, not a delay.
pub(crate) async fn wait_for_listeners(pool: &PgPool, servers: i64) {
    let listening = async {
        loop {
            let count: i64 = sqlx::query_scalar(
                "SELECT count(*) FROM pg_stat_activity
                 WHERE datname = current_database() AND state = 'idle'
                   AND query LIKE 'LISTEN \"newsdesk_inbox\";%'",
            )
            .fetch_one(pool)
            .await
            .unwrap();
            if count >= servers {
                return;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    };
    tokio::time::timeout(Duration::from_secs(10), listening)
        .await
        .expect("both servers listen within 10 s");
}

#[tokio::test]
async fn changes_on_one_server_reach_open_inboxes_on_another() {
    let a = spawn_app().await;
    let b = spawn_second_server(&a).await;
    assert_ne!(a.addr, b.addr);
    for server in [&a, &b] {
        let response = server
            .anonymous
            .get(server.url("/api/v1/inbox/events"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 401);
    }
    let x = insert_candidate(&a.pool, "X", "", time("2026-11-20T09:00:00Z")).await;
    // One inbox on B with a token, one with a session cookie.
    let mut by_token = Events::open(&b, &b.api, INBOX_EVENTS).await;
    let mut by_cookie = Events::open(&b, &b.client, INBOX_EVENTS).await;
    wait_for_listeners(&a.pool, 2).await;

    // +1 on A: B's inboxes hear that X changed.
    let (status, _) = post(
        &a,
        &a.api,
        "/api/v1/candidates/votes",
        json!({ "ids": [x], "on": true }),
    )
    .await;
    assert_eq!(status, 200);
    by_token.expect("changed", x).await;
    by_cookie.expect("changed", x).await;

    // A state change on A.
    let (status, _) = post(
        &a,
        &a.api,
        "/api/v1/candidates/state",
        json!({ "ids": [x], "state": "dismissed" }),
    )
    .await;
    assert_eq!(status, 200);
    by_token.expect("changed", x).await;

    // A feed refreshed on A: B hears of the new candidate.
    let server = FeedServer::start().await;
    server.set_feed(
        "live",
        rss(
            "Live",
            &[item("n", "Fresh news", "https://example.com/fresh")],
        ),
    );
    let feed = add_feed(&a, &server.url("/feed/live")).await;
    assert_eq!(refresh(&a, feed).await, 1);
    let fresh = candidate_id_by_link(&a.pool, "https://example.com/fresh").await;
    let event = by_token.expect("arrived", fresh).await;
    assert_eq!(event, json!({ "kind": "arrived", "ids": [fresh] }));

    // A link added by hand on A.
    server.set_page("hand", "<title>By hand</title>");
    let (status, body) = post(
        &a,
        &a.api,
        "/api/v1/candidates",
        json!({ "url": server.url("/page/hand") }),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let hand = body["candidate"]["id"].as_i64().unwrap();
    by_token.expect("arrived", hand).await;
    by_cookie.expect("arrived", hand).await;

    // And the other way round: picking on B reaches an inbox on A.
    let mut on_a = Events::open(&a, &a.api, INBOX_EVENTS).await;
    let section: i64 = sqlx::query_scalar("SELECT id FROM sections ORDER BY position LIMIT 1")
        .fetch_one(&a.pool)
        .await
        .unwrap();
    let (status, body) = post(
        &b,
        &b.api,
        &pick_path(fresh),
        json!({ "section_id": section }),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    on_a.expect("changed", fresh).await;
}

// ---------------------------------------------------------------------------
// Dismiss everything older

#[tokio::test]
async fn dismiss_older_touches_only_open_candidates_of_the_view() {
    let app = spawn_app().await;
    let pool = &app.pool;
    let feed_a = insert_feed(pool, "A", &[]).await;
    let feed_b = insert_feed(pool, "B", &[]).await;
    let mut made = std::collections::HashMap::new();
    // (name, feed, published, state)
    let rows = [
        ("a1", feed_a, "2026-11-10T09:00:00Z", "dismissed"),
        ("a2", feed_a, "2026-11-11T09:00:00Z", "seen"),
        ("a3", feed_a, "2026-11-12T09:00:00Z", "new"),
        ("a4-tie-lower-id", feed_a, "2026-11-13T09:00:00Z", "new"),
        ("a4", feed_a, "2026-11-13T09:00:00Z", "new"),
        ("a4-tie-higher-id", feed_a, "2026-11-13T09:00:00Z", "new"),
        ("a5", feed_a, "2026-11-14T09:00:00Z", "new"),
        ("b1", feed_b, "2026-11-10T09:00:00Z", "new"),
        ("b2", feed_b, "2026-11-12T09:00:00Z", "new"),
    ];
    for (name, feed, published, state) in rows {
        let id = insert_candidate(pool, name, "", time(published)).await;
        sqlx::query("UPDATE candidates SET state = $2 WHERE id = $1")
            .bind(id)
            .bind(state)
            .execute(pool)
            .await
            .unwrap();
        add_source(pool, feed, id).await;
        made.insert(name, id);
    }
    // a3 is picked: not open, so left alone.
    let section: i64 = sqlx::query_scalar("SELECT id FROM sections ORDER BY position LIMIT 1")
        .fetch_one(pool)
        .await
        .unwrap();
    let (status, _) = post(
        &app,
        &app.api,
        &pick_path(made["a3"]),
        json!({ "section_id": section }),
    )
    .await;
    assert_eq!(status, 201);

    let view = format!("feed={feed_a}&sort=votes&state=dismissed");
    let response = app
        .call(
            "dismiss_older",
            &[
                ("view", view.as_str()),
                ("than", made["a4"].to_string().as_str()),
            ],
        )
        .await;
    assert_eq!(response.status(), 200);
    let mut changed: Vec<(i64, String)> = response.json().await.unwrap();
    changed.sort();
    assert_eq!(
        changed,
        vec![
            (made["a2"], "seen".to_owned()),
            (made["a4-tie-lower-id"], "new".to_owned()),
        ]
    );
    let states = |names: &'static [&'static str]| {
        let made = made.clone();
        async move {
            let mut states = Vec::new();
            for name in names {
                states.push(state_of(pool, made[name]).await);
            }
            states
        }
    };
    assert_eq!(
        states(&[
            "a1",
            "a2",
            "a3",
            "a4-tie-lower-id",
            "a4",
            "a4-tie-higher-id",
            "a5",
            "b1",
            "b2"
        ])
        .await,
        [
            "dismissed",
            "dismissed",
            "new",
            "dismissed",
            "new",
            "new",
            "new",
            "new",
            "new"
        ]
    );

    // Undo restores the previous states through set_state.
    for (id, previous) in &changed {
        let response = app
            .call(
                "set_state",
                &[
                    ("ids[0]", id.to_string().as_str()),
                    ("state", previous.as_str()),
                ],
            )
            .await;
        assert_eq!(response.status(), 200);
        let restored: Vec<(i64, String)> = response.json().await.unwrap();
        assert_eq!(restored, vec![(*id, "dismissed".to_owned())]);
    }
    assert_eq!(
        states(&["a1", "a2", "a4-tie-lower-id"]).await,
        ["dismissed", "seen", "new"]
    );

    // With a search in the view, only what matches.
    let response = app
        .call(
            "dismiss_older",
            &[("view", "q=A2"), ("than", made["a5"].to_string().as_str())],
        )
        .await;
    assert_eq!(response.status(), 200);
    let changed: Vec<(i64, String)> = response.json().await.unwrap();
    assert_eq!(changed, vec![(made["a2"], "seen".to_owned())]);
    assert_eq!(
        states(&["a2", "a4-tie-lower-id", "b1"]).await,
        ["dismissed", "new", "new"]
    );

    let response = app
        .call("dismiss_older", &[("view", ""), ("than", "999999")])
        .await;
    assert_eq!(response.status(), 404);
}

/// A page's `next` cursor names its last row (with the row's votes when
/// sorting by votes); returns that row.
fn assert_cursor_at_last(next: &str, sort: Sort, all: &[Key], got: &[i64]) -> Key {
    let last = *all
        .iter()
        .find(|key| key.id == *got.last().unwrap())
        .unwrap();
    let decoded = Cursor::decode(next, sort).unwrap();
    let votes = (sort == Sort::Votes).then_some(last.votes);
    assert_eq!(
        (decoded.votes, decoded.published_at, decoded.id),
        (votes, last.published_at, last.id)
    );
    last
}

/// Every row that must appear was listed exactly once, and none that must not.
fn assert_listed_once(
    returned: &[i64],
    must_appear: &HashSet<i64>,
    must_not_appear: &HashSet<i64>,
) {
    let unique: HashSet<i64> = returned.iter().copied().collect();
    assert_eq!(unique.len(), returned.len(), "no row is listed twice");
    assert_eq!(
        &unique, must_appear,
        "every row behind the cursor is listed once"
    );
    assert!(unique.is_disjoint(must_not_appear));
}
