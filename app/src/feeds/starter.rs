//! The starter set: cloud-native feeds a new team can add with one click
//! from an empty Feeds page. Never added without that click.

/// (title, feed URL, category)
pub const STARTER_FEEDS: &[(&str, &str, &str)] = &[
    (
        "Kubernetes Blog",
        "https://kubernetes.io/feed.xml",
        "Kubernetes",
    ),
    ("CNCF Blog", "https://www.cncf.io/feed/", "CNCF"),
    (
        "Kubernetes releases",
        "https://github.com/kubernetes/kubernetes/releases.atom",
        "Releases",
    ),
    (
        "Cilium releases",
        "https://github.com/cilium/cilium/releases.atom",
        "Releases",
    ),
    (
        "Argo CD releases",
        "https://github.com/argoproj/argo-cd/releases.atom",
        "Releases",
    ),
    (
        "Prometheus releases",
        "https://github.com/prometheus/prometheus/releases.atom",
        "Releases",
    ),
    (
        "containerd releases",
        "https://github.com/containerd/containerd/releases.atom",
        "Releases",
    ),
    (
        "Istio releases",
        "https://github.com/istio/istio/releases.atom",
        "Releases",
    ),
    (
        "etcd releases",
        "https://github.com/etcd-io/etcd/releases.atom",
        "Releases",
    ),
    ("The Go Blog", "https://go.dev/blog/feed.atom", "Languages"),
];
