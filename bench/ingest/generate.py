#!/usr/bin/env python3
"""Generates the feed corpus for the ingest benchmark (bench/ingest/run.sh).

Deterministic: the same arguments give byte-identical files with identical
modification times, so nginx hands out identical ETags across runs.

    generate.py --out DIR [--feeds 1000] [--entries 50] [--seed 1]
    generate.py --out DIR [same arguments] --bump 0.1 --bump-new 3

The first form writes DIR/feeds/NNNNN.rss or .atom (about two thirds RSS 2.0,
one third Atom; 35-85 KB each, mean about 60 KB), DIR/paths.txt (one path per line, in feed
order) and DIR/corpus.json (what was generated). Entries are realistic
newsletter material: English titles with some Japanese, HTML bodies with
paragraphs, links, lists and code. About 10 % of the entries are articles
syndicated across several feeds (same article URL, sometimes with utm_
parameters or http instead of https), so cross-feed deduplication is
exercised.

The second form ("bump") rewrites a seeded fraction of the feeds as if each
had published --bump-new new entries (the oldest drop off, so the count stays
the same) and moves their modification time forward, so that their ETag and
Last-Modified change; it prints how many feeds and new entries it wrote. Run
it with the same --feeds/--entries/--seed as the first form.
"""

import argparse
import datetime as dt
import json
import os
import random
import sys
from xml.sax.saxutils import escape

# A fixed clock, so the corpus never depends on when it is generated.
EPOCH = dt.datetime(2026, 9, 1, 8, 0, tzinfo=dt.timezone.utc)
MTIME = int(EPOCH.timestamp())

PROJECTS = [
    "Kubernetes", "Envoy", "Prometheus", "containerd", "etcd", "Helm", "Argo CD",
    "Flux", "Istio", "Linkerd", "Cilium", "OpenTelemetry", "Jaeger", "Fluent Bit",
    "CoreDNS", "Harbor", "Falco", "Crossplane", "Knative", "KEDA", "Dapr", "Backstage",
    "cert-manager", "Vitess", "TiKV", "Rook", "Longhorn", "gRPC", "CRI-O", "Kyverno",
    "Open Policy Agent", "Thanos", "Cortex", "Grafana Loki", "Tekton", "Buildpacks",
    "wasmCloud", "Karmada", "Kubeflow", "Volcano", "OpenCost", "Keycloak", "SPIFFE",
]
VERBS = [
    "introduces", "deprecates", "graduates", "reworks", "speeds up", "hardens",
    "simplifies", "adds", "removes", "stabilises", "rethinks", "extends", "ships",
]
THINGS = [
    "sidecar containers", "in-place pod resizing", "structured authentication config",
    "dynamic resource allocation", "the scheduler framework", "topology-aware routing",
    "native histograms", "exemplars", "remote write 2.0", "the Gateway API",
    "ambient mesh", "eBPF-based load balancing", "SBOM generation", "image signing",
    "multi-cluster failover", "leader election", "graceful node shutdown",
    "job success policies", "memory QoS", "user namespaces", "CSI snapshots",
    "OCI artifacts", "workload identity", "service account tokens", "CEL admission",
    "pod scheduling readiness", "swap support", "the kubelet credential provider",
]
KINDS = [
    "{p} {v} {t}", "{p} {ver}: what's new", "{p} {ver} release notes",
    "How we run {p} at scale", "A deep dive into {t} in {p}",
    "Migrating to {t} with {p}", "{p} {v} {t} in {ver}",
    "Security advisory: {p} {ver}", "Why {p} {v} {t}", "Benchmarking {t} on {p}",
    "From zero to production with {p}", "Debugging {t} in {p}: a field guide",
]
JA_TITLES = [
    "{p} {ver} リリース：新機能まとめ", "{p} で {t} を試してみた",
    "{p} の {t} 徹底解説", "本番環境での {p} 運用ノウハウ",
    "{p} {ver} へのアップグレード手順", "{t} 入門：{p} 編",
]
JA_SENTENCES = [
    "このリリースでは多くの改善が行われました。",
    "コンテナのリソース管理がより柔軟になります。",
    "既存のクラスターからの移行は簡単です。",
    "詳細は公式ドキュメントを参照してください。",
    "コミュニティの皆さまのご協力に感謝します。",
    "パフォーマンスが大幅に向上しました。",
    "セキュリティ上の問題が修正されています。",
    "次のバージョンではさらに機能が追加される予定です。",
]
WORDS = (
    "cluster node pod controller operator workload namespace latency throughput "
    "upgrade rollout rollback manifest release feature gate alpha beta stable "
    "community maintainer contributor proposal design API server client request "
    "response storage volume network policy ingress egress observability metrics "
    "traces logs dashboard alert incident postmortem performance memory CPU "
    "scheduling quota limit autoscaling replica deployment stateful daemon job "
    "cron secret config certificate identity token audit compliance supply chain "
    "provenance signature registry image layer cache build pipeline test migration"
).split()
AUTHORS = [
    "Ada Lovelace", "Grace Hopper", "Kelsey H.", "Tanaka Yuki", "Sato Haruto",
    "Priya Raman", "Jonas Berg", "Maria Garcia", "Chen Wei", "Olu Adeyemi",
    "Release Team", "SIG Node", "SIG Network", "Security Response Committee",
]
CODE = [
    "kubectl get pods -A --field-selector=status.phase!=Running",
    "helm upgrade --install demo ./chart --set image.tag=v1.2.3",
    "apiVersion: v1\nkind: Pod\nmetadata:\n  name: demo\nspec:\n  containers:\n  - name: app\n    image: registry.example/app:1.0",
    "rate(http_requests_total{job=\"api\", code=~\"5..\"}[5m])",
    "fn main() {\n    println!(\"hello, {}\", std::env::args().nth(1).unwrap_or_default());\n}",
    "SELECT id, title FROM candidates WHERE published_at > now() - interval '7 days';",
]


def version(rng):
    return f"v{rng.randint(0, 3)}.{rng.randint(0, 40)}.{rng.randint(0, 12)}"


def title_for(rng):
    p, v, t, ver = rng.choice(PROJECTS), rng.choice(VERBS), rng.choice(THINGS), version(rng)
    if rng.random() < 0.12:
        return rng.choice(JA_TITLES).format(p=p, t=t, ver=ver)
    title = rng.choice(KINDS).format(p=p, v=v, t=t, ver=ver)
    return title[0].upper() + title[1:]


def sentence(rng, japanese):
    if japanese:
        return "".join(rng.choice(JA_SENTENCES) for _ in range(rng.randint(1, 3)))
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 22))]
    if rng.random() < 0.3:
        words.insert(rng.randrange(len(words)), f"<code>{rng.choice(WORDS)}</code>")
    if rng.random() < 0.25:
        words.insert(rng.randrange(len(words)), f"<em>{rng.choice(WORDS)}</em>")
    if rng.random() < 0.2:
        words.insert(rng.randrange(len(words)), "&amp;")
    text = " ".join(words)
    return text[0].upper() + text[1:] + rng.choice([".", ".", ".", "!", "?"])


def body_html(rng, budget, japanese, link):
    """Article HTML of roughly `budget` bytes."""
    parts = []
    size = 0
    while size < budget:
        roll = rng.random()
        if roll < 0.62 or not parts:
            room = min(budget - size, rng.uniform(150, 700))
            para = sentence(rng, japanese)
            while len(para.encode()) < room:
                para += " " + sentence(rng, japanese)
            if rng.random() < 0.35:
                href = f"https://{rng.choice(['github.com', 'kubernetes.io', 'cncf.io', 'docs.example.org'])}/{rng.choice(WORDS)}/{rng.randint(1, 99999)}"
                para += f' See <a href="{href}">{rng.choice(WORDS)} {rng.choice(WORDS)}</a>.'
            part = f"<p>{para}</p>"
        elif roll < 0.75:
            code = escape(rng.choice(CODE))
            part = f'<pre><code class="language-{rng.choice(["yaml", "shell", "rust", "sql", "promql"])}">{code}</code></pre>'
        elif roll < 0.87:
            items = "".join(f"<li>{sentence(rng, japanese)}</li>" for _ in range(rng.randint(2, 5)))
            part = f"<ul>{items}</ul>"
        elif roll < 0.94:
            part = f"<h3>{escape(title_for(rng))}</h3>"
        else:
            part = f'<p><img src="{link}/figure-{rng.randint(1, 9)}.png" alt="{rng.choice(WORDS)}" width="640" height="360"></p>'
        parts.append(part)
        size += len(part.encode())
    if rng.random() < 0.5:
        parts.append(f'<p><a href="{link}">Read more</a></p>')
    return "\n".join(parts)


def shared_article(seed, pid):
    """An article several feeds carry; its canonical URL and content are fixed."""
    rng = random.Random(f"{seed}:shared:{pid}")
    host = f"news{pid % 37}.example.com"
    link = f"https://{host}/2026/{rng.randint(1, 11):02d}/{'-'.join(rng.choice(WORDS) for _ in range(4))}-{pid}"
    japanese = rng.random() < 0.1
    return {
        "link": link,
        "title": title_for(rng),
        "author": rng.choice(AUTHORS),
        "japanese": japanese,
        "rng_seed": f"{seed}:shared-body:{pid}",
    }


def variant_url(rng, link, feed):
    """The same article as different feeds link it."""
    roll = rng.random()
    if roll < 0.4:
        return link
    if roll < 0.8:
        return f"{link}?utm_source=feed{feed}&utm_medium=rss&utm_campaign=weekly"
    if roll < 0.9:
        return link.replace("https://", "http://", 1)
    return link + "/"


class Feed:
    def __init__(self, seed, index, entries, shared_pool):
        self.seed = seed
        self.index = index
        self.entries = entries
        self.shared_pool = shared_pool
        rng = random.Random(f"{seed}:feed:{index}")
        self.rng = rng
        self.atom = rng.random() < 1 / 3
        self.name = f"{rng.choice(PROJECTS)} {rng.choice(['Blog', 'News', 'Releases', 'Weekly', 'Digest', 'ブログ'])} #{index}"
        self.host = f"blog{index}.example.org"
        self.target = rng.uniform(32_000, 80_000)  # file size to aim for
        self.budget = self.target / entries / 1.6  # body bytes per entry; calibrate() adjusts
        self.hours = rng.choice([3, 6, 12, 24, 48, 72])  # publishing rhythm
        self.guid_style = rng.choice(["tag", "url", "none"]) if not self.atom else "tag"
        self.content_encoded = not self.atom and rng.random() < 0.3

    def entry(self, n):
        """Entry number n of this feed (0 = the first it ever published)."""
        rng = random.Random(f"{self.seed}:entry:{self.index}:{n}")
        published = EPOCH + dt.timedelta(hours=self.hours * n)
        shared = rng.random() < 0.10
        if shared:
            art = shared_article(self.seed, rng.randrange(self.shared_pool))
            link = variant_url(rng, art["link"], self.index)
            title, author, japanese = art["title"], art["author"], art["japanese"]
            body_rng = random.Random(art["rng_seed"])
            budget = body_rng.uniform(200, 800)
        else:
            japanese = rng.random() < 0.1
            title = title_for(rng)
            if japanese and not any(ord(c) > 0x3000 for c in title):
                title = rng.choice(JA_TITLES).format(p=rng.choice(PROJECTS), t=rng.choice(THINGS), ver=version(rng))
            link = f"https://{self.host}/posts/{published:%Y/%m}/{'-'.join(rng.choice(WORDS) for _ in range(3))}-{n}"
            author = rng.choice(AUTHORS)
            body_rng = rng
            budget = self.budget
        body = body_html(body_rng, max(150, budget), japanese, link)
        categories = sorted({rng.choice(PROJECTS) for _ in range(rng.randint(1, 4))})
        return {
            "n": n,
            "id": f"tag:{self.host},2026:{n}",
            "link": link,
            "title": title,
            "author": author,
            "published": published,
            "categories": categories,
            "body": body,
            "summary": body.split("</p>", 1)[0] + "</p>",
        }

    def calibrate(self):
        """Scales the body budget until the base feed is close to its target size."""
        for _ in range(3):
            size = len(self.render(0).encode())
            if abs(size / self.target - 1) < 0.06:
                return
            self.budget *= self.target / size

    def render(self, extra):
        """The feed with `extra` entries published beyond the base ones."""
        newest_first = [self.entry(n) for n in range(extra + self.entries - 1, extra - 1, -1)]
        updated = newest_first[0]["published"]
        return self.render_atom(newest_first, updated) if self.atom else self.render_rss(newest_first, updated)

    def render_rss(self, entries, updated):
        out = [
            '<?xml version="1.0" encoding="UTF-8"?>',
            '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/">',
            "<channel>",
            f"<title>{escape(self.name)}</title>",
            f"<link>https://{self.host}/</link>",
            f"<description>Posts from {escape(self.name)}</description>",
            "<language>en</language>",
            f"<lastBuildDate>{rfc822(updated)}</lastBuildDate>",
            "<generator>newsdesk bench/ingest/generate.py</generator>",
        ]
        for e in entries:
            out.append("<item>")
            out.append(f"<title>{escape(e['title'])}</title>")
            out.append(f"<link>{escape(e['link'])}</link>")
            if self.guid_style == "tag":
                out.append(f'<guid isPermaLink="false">{escape(e["id"])}</guid>')
            elif self.guid_style == "url":
                out.append(f"<guid>{escape(e['link'])}</guid>")
            out.append(f"<pubDate>{rfc822(e['published'])}</pubDate>")
            out.append(f"<dc:creator>{escape(e['author'])}</dc:creator>")
            for c in e["categories"]:
                out.append(f"<category>{escape(c)}</category>")
            if self.content_encoded:
                out.append(f"<description>{escape(e['summary'])}</description>")
                out.append(f"<content:encoded><![CDATA[{e['body']}]]></content:encoded>")
            elif e["n"] % 2:
                out.append(f"<description><![CDATA[{e['body']}]]></description>")
            else:
                out.append(f"<description>{escape(e['body'])}</description>")
            out.append("</item>")
        out += ["</channel>", "</rss>", ""]
        return "\n".join(out)

    def render_atom(self, entries, updated):
        out = [
            '<?xml version="1.0" encoding="utf-8"?>',
            '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">',
            f"<title>{escape(self.name)}</title>",
            f'<link href="https://{self.host}/" rel="alternate" type="text/html"/>',
            f'<link href="https://{self.host}/feed.atom" rel="self"/>',
            f"<id>tag:{self.host},2026:feed</id>",
            f"<updated>{rfc3339(updated)}</updated>",
        ]
        for e in entries:
            out.append("<entry>")
            out.append(f'<title type="html">{escape(e["title"])}</title>')
            out.append(f'<link href="{escape(e["link"], {chr(34): "&quot;"})}" rel="alternate" type="text/html"/>')
            out.append(f"<id>{escape(e['id'])}</id>")
            out.append(f"<published>{rfc3339(e['published'])}</published>")
            out.append(f"<updated>{rfc3339(e['published'])}</updated>")
            out.append(f"<author><name>{escape(e['author'])}</name></author>")
            for c in e["categories"]:
                out.append(f'<category term="{escape(c, {chr(34): "&quot;"})}"/>')
            out.append(f'<summary type="html">{escape(e["summary"])}</summary>')
            out.append(f'<content type="html">{escape(e["body"])}</content>')
            out.append("</entry>")
        out += ["</feed>", ""]
        return "\n".join(out)

    def path(self):
        return f"feeds/{self.index:05d}.{'atom' if self.atom else 'rss'}"


def rfc822(when):
    return when.strftime("%a, %d %b %Y %H:%M:%S +0000")


def rfc3339(when):
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def write(root, feed, extra, mtime):
    feed.calibrate()
    path = os.path.join(root, feed.path())
    data = feed.render(extra).encode()
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.utime(tmp, (mtime, mtime))
    os.replace(tmp, path)
    return len(data)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True)
    ap.add_argument("--feeds", type=int, default=1000)
    ap.add_argument("--entries", type=int, default=50)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--bump", type=float, metavar="FRACTION", help="rewrite this fraction of the feeds with new entries")
    ap.add_argument("--bump-new", type=int, default=3, metavar="N", help="new entries per rewritten feed")
    args = ap.parse_args()
    if args.feeds < 1 or args.entries < 1:
        ap.error("--feeds and --entries must be positive")

    shared_pool = max(1, args.feeds * args.entries // 30)
    feeds = [Feed(args.seed, i, args.entries, shared_pool) for i in range(args.feeds)]
    os.makedirs(os.path.join(args.out, "feeds"), exist_ok=True)

    if args.bump is not None:
        count = max(1, round(args.feeds * args.bump))
        chosen = sorted(random.Random(f"{args.seed}:bump").sample(range(args.feeds), count))
        for i in chosen:
            write(args.out, feeds[i], args.bump_new, MTIME + 3600)
        print(f"rewrote {count} feeds with {args.bump_new} new entries each ({count * args.bump_new} new entries)")
        return

    sizes = []
    for feed in feeds:
        sizes.append(write(args.out, feed, 0, MTIME))
    with open(os.path.join(args.out, "paths.txt"), "w") as f:
        f.write("".join(feed.path() + "\n" for feed in feeds))
    atom = sum(feed.atom for feed in feeds)
    summary = {
        "feeds": args.feeds,
        "entries_per_feed": args.entries,
        "entries": args.feeds * args.entries,
        "rss": args.feeds - atom,
        "atom": atom,
        "shared_pool": shared_pool,
        "bytes": sum(sizes),
        "min_bytes": min(sizes),
        "max_bytes": max(sizes),
        "mean_bytes": sum(sizes) // len(sizes),
    }
    with open(os.path.join(args.out, "corpus.json"), "w") as f:
        json.dump(summary, f, indent=2)
    print(
        f"corpus: {summary['feeds']} feeds ({summary['rss']} RSS 2.0, {summary['atom']} Atom) x "
        f"{args.entries} entries = {summary['entries']} entries, "
        f"{summary['bytes'] / 1e6:.1f} MB (files {summary['min_bytes'] // 1024}-{summary['max_bytes'] // 1024} KB, "
        f"mean {summary['mean_bytes'] // 1024} KB)"
    )


if __name__ == "__main__":
    sys.exit(main())
