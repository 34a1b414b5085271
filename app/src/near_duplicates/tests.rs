//! The rule on realistic titles. `LABELLED` is also the set precision was
//! measured on (see docs/development.md, "Near-duplicates").

use super::Signature;

/// (title, title, same story?)
pub const LABELLED: &[(&str, &str, bool)] = &[
    // Release feeds: alike by nature, never the same release.
    ("v1.29.0", "v1.30.1", false),
    ("Kubernetes v1.29.0", "Kubernetes v1.30.1", false),
    (
        "Release v1.29.0 · kubernetes/kubernetes",
        "Release v1.29.1 · kubernetes/kubernetes",
        false,
    ),
    ("containerd 2.0.0-rc.1", "containerd 2.0.0-rc.2", false),
    (
        "Envoy 1.31.0 release notes",
        "Envoy 1.31.1 release notes",
        false,
    ),
    (
        "Prometheus v3.0.0: what's new",
        "Prometheus v3.1.0: what's new",
        false,
    ),
    ("This Week in Rust 520", "This Week in Rust 521", false),
    (
        "Helm v3.16.0 リリース：新機能まとめ",
        "Helm v3.16.1 リリース：新機能まとめ",
        false,
    ),
    (
        "Security advisory: Istio 1.22.3",
        "Security advisory: Istio 1.22.4",
        false,
    ),
    // The same release announced in two places.
    ("Kubernetes v1.30.1", "Kubernetes 1.30.1", true),
    ("Rust 1.80.0 is out", "Rust 1.80.0 is out!", true),
    // The same story from two blogs (or a blog and its syndication).
    (
        "Kubernetes v1.35 released with sidecar containers",
        "Kubernetes v1.35 released, with sidecar containers!",
        true,
    ),
    (
        "How we cut our AWS bill by 40%",
        "How We Cut Our AWS Bill by 40% | Example Engineering",
        true,
    ),
    (
        "A deep dive into eBPF-based load balancing in Cilium",
        "A Deep Dive Into eBPF-Based Load Balancing in Cilium – The New Stack",
        true,
    ),
    (
        "Migrating to the Gateway API with Istio",
        "Migrating to the Gateway API with Istio (part 1)",
        false, // a series: part 1 is not the whole story
    ),
    (
        "Debugging memory QoS in Kubernetes: a field guide",
        "Debugging Memory QoS in Kubernetes — a field guide",
        true,
    ),
    ("PostgreSQL 17 Released!", "PostgreSQL 17 released", true),
    // Japanese: no spaces, kana and kanji.
    (
        "コンテナランタイムの比較と選び方",
        "コンテナランタイムの比較と選び方まとめ",
        true,
    ),
    (
        "Kubernetes の sidecar containers 徹底解説",
        "Kubernetes の sidecar containers 徹底解説【2024年版】",
        false,
    ),
    (
        "本番環境での Argo CD 運用ノウハウ",
        "本番環境でのArgo CD運用ノウハウ",
        true,
    ),
    ("Ｋｕｂｅｒｎｅｔｅｓ 入門", "Kubernetes 入門", true),
    (
        "本番環境での Argo CD 運用ノウハウ",
        "本番環境での Flux 運用ノウハウ",
        false,
    ),
    (
        "Istio で ambient mesh を試してみた",
        "Cilium で ambient mesh を試してみた",
        false,
    ),
    // Alike in form, different stories.
    (
        "Istio adds ambient mode support",
        "Linkerd adds ambient mode support",
        false,
    ),
    (
        "How we run Kafka at scale",
        "How we run Postgres at scale",
        false,
    ),
    (
        "Why Kubernetes deprecates user namespaces",
        "Why Kubernetes graduates user namespaces",
        false,
    ),
    ("Changelog", "Changelog", false),
    (
        "A guide to PostgreSQL vacuum tuning",
        "A guide to MySQL replication",
        false,
    ),
];

#[test]
fn labelled_titles_are_judged_as_labelled() {
    let wrong: Vec<_> = LABELLED
        .iter()
        .filter(|(a, b, same)| Signature::of(a).is_near_duplicate_of(&Signature::of(b)) != *same)
        .collect();
    assert!(wrong.is_empty(), "misjudged: {wrong:#?}");
}

#[test]
fn release_versions_of_one_project_are_not_near_duplicates() {
    for (a, b) in [
        ("v1.29.0", "v1.30.1"),
        ("Kubernetes v1.29.0", "Kubernetes v1.30.1"),
    ] {
        assert!(
            !Signature::of(a).is_near_duplicate_of(&Signature::of(b)),
            "{a} / {b}"
        );
    }
}

/// The keys are what makes a pair findable: any pair the rule accepts
/// shares a key (the prefix-filter guarantee), here and for random
/// perturbations of the labelled titles.
#[test]
fn titles_judged_near_duplicates_share_a_key() {
    let shares = |a: &Signature, b: &Signature| a.keys().any(|k| b.keys().any(|l| l == k));
    let mut titles: Vec<String> = LABELLED
        .iter()
        .flat_map(|(a, b, _)| [a.to_string(), b.to_string()])
        .collect();
    // Drop or add one word: near-duplicates of each other by construction.
    for (a, _, _) in LABELLED {
        let words: Vec<&str> = a.split(' ').collect();
        for skip in 0..words.len() {
            let mut shorter = words.clone();
            shorter.remove(skip);
            titles.push(shorter.join(" "));
        }
        titles.push(format!("{a} today"));
    }
    let signatures: Vec<Signature> = titles.iter().map(|t| Signature::of(t)).collect();
    let mut pairs = 0;
    for (i, a) in signatures.iter().enumerate() {
        for (j, b) in signatures.iter().enumerate() {
            if i != j && a.is_near_duplicate_of(b) {
                pairs += 1;
                assert!(shares(a, b), "{} / {} share no key", titles[i], titles[j]);
            }
        }
    }
    assert!(pairs > 100, "the check saw pairs: {pairs}");
}

#[test]
fn keys_never_change() {
    // They are stored: a change would leave every stored key unfindable
    // (migration 20261209000001_title_keys_numbers cleared them when the numbers were mixed in).
    let numbers = super::fnv1a("1.35");
    assert_eq!(
        Signature::of("Kubernetes v1.35").keys().collect::<Vec<_>>(),
        vec![
            super::mix(super::fnv1a("1.35"), numbers) as i64,
            super::mix(super::fnv1a("kubernetes"), numbers) as i64
        ]
    );
    assert_eq!(
        Signature::of("Kubernetes adds sidecar containers")
            .keys()
            .next(),
        Some(super::fnv1a("containers") as i64)
    );
    assert_eq!(super::fnv1a("a"), 0xaf63_dc4c_8601_ec8c);
    assert_eq!(super::mix(1, 2), 0x5cf0_551b_20cd_de63);
}

/// The lookup reads only titles that can match: releases of one project
/// with other numbers share no key, so a busy week of release feeds does
/// not crowd a word's key (issue 18: most of the rows the lookup read).
#[test]
fn titles_with_other_numbers_share_no_key() {
    let keys = |title: &str| Signature::of(title).keys().collect::<Vec<_>>();
    let release = keys("Kubernetes v1.29.0 release notes");
    for other in [
        "Kubernetes v1.30.1 release notes",
        "Kubernetes v1.29.1 release notes",
        "Kubernetes release notes",
    ] {
        assert!(
            keys(other).iter().all(|key| !release.contains(key)),
            "{other} shares a key with the v1.29.0 notes"
        );
    }
    assert!(keys("Kubernetes 1.29.0 release notes")
        .iter()
        .any(|key| release.contains(key)));
}
