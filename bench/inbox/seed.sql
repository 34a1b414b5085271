-- Seeds an empty, migrated newsdesk database for bench/inbox/run.sh: a
-- year of a busy team's inbox. Set-based (generate_series) so that it takes
-- seconds, and deterministic (setseed; every random() is drawn in the same
-- order on every run), so that two runs measure the same data.
--
--   psql "$DATABASE_URL" -X -v ON_ERROR_STOP=1 \
--        -v n_candidates=200000 -v n_feeds=1000 -v n_issues=50 -v seed=0.42 \
--        -f bench/inbox/seed.sql
--
-- What it makes:
--   * 6 members (editors and a publisher) besides the admin that run.sh adds
--     with `newsdesk user add`; they vote and pick, they never sign in;
--   * n_feeds feeds, 30 % Japanese (zenn.dev, qiita.com, hatenablog, tech
--     blogs of companies), the rest English; a category on most, 0-2 tags;
--   * n_candidates candidates published over the last 365 days, ids
--     1..n_candidates (run.sh draws random ids in that range), a few feeds
--     far busier than most; titles from templates and word lists in the
--     language of their feed, excerpts of 120-200 characters (Japanese
--     ones shorter: fewer, wider characters), summaries of 0.4-2 kB, 0-3
--     categories, 2 % marked as near-duplicates of an earlier candidate;
--   * one candidate_sources row each, and a second one (another feed) for
--     6 % (syndicated articles);
--   * states as a team that triages would leave them: most of what is
--     older than two weeks is dismissed or seen, most of the last two weeks
--     is new;
--   * +1s on 4 % of the candidates (1-3 members each), with
--     candidates.votes equal to the number of candidate_votes rows;
--   * n_issues published weekly issues (Fridays, the latest on or before
--     today) with 12-18 picks each from the week before, in the three
--     sections of the migration, and the current draft with 5 picks.
-- The word lists stay under 2 kB each, so that they are never TOASTed and
-- indexing them per row stays cheap.

\set ON_ERROR_STOP on
SET client_min_messages = warning;
SET synchronous_commit = off;
SET work_mem = '64MB';
SET maintenance_work_mem = '256MB';

BEGIN;

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM candidates) OR EXISTS (SELECT 1 FROM feeds) OR EXISTS (SELECT 1 FROM issues) THEN
        RAISE EXCEPTION 'bench/inbox/seed.sql wants an empty database (found feeds, candidates or issues)';
    END IF;
END $$;

SELECT setseed(:seed);

CREATE TEMP TABLE words ON COMMIT DROP AS SELECT
    ARRAY['Kubernetes', 'Kubernetes', 'Kubernetes', 'Cilium', 'etcd', 'Envoy', 'Istio', 'Linkerd',
          'Prometheus', 'Grafana', 'Argo CD', 'Flux', 'Helm', 'containerd', 'CRI-O', 'Karpenter',
          'OpenTelemetry', 'Jaeger', 'Falco', 'Kyverno', 'Crossplane', 'Backstage', 'Dapr', 'KEDA',
          'Knative', 'Vitess', 'TiKV', 'Rook', 'Longhorn', 'Harbor', 'CoreDNS', 'Gateway API',
          'Trivy', 'Tekton', 'Podman', 'Docker', 'Terraform', 'Thanos', 'Loki', 'Tempo', 'Kubeflow',
          'Keycloak', 'SPIFFE', 'Sigstore', 'Talos', 'k3s', 'kind', 'WebAssembly', 'eBPF', 'Ray',
          'vLLM', 'Cluster API', 'Kueue', 'NATS', 'Strimzi'] AS projects,
    ARRAY['cluster autoscaling', 'service mesh', 'multi-tenancy', 'GitOps', 'observability',
          'container runtimes', 'network policies', 'supply chain security', 'cost optimisation',
          'platform engineering', 'zero-downtime deploys', 'secrets management', 'pod scheduling',
          'persistent storage', 'ingress and load balancing', 'distributed tracing', 'log pipelines',
          'admission control', 'image signing', 'node upgrades', 'GPU scheduling', 'DNS at scale',
          'control plane performance', 'disaster recovery', 'policy as code', 'rate limiting',
          'chaos engineering', 'SLOs and error budgets'] AS topics,
    ARRAY['クラスタ管理', 'コンテナランタイム', 'サービスメッシュ', '可観測性', 'ネットワークポリシー',
          'マルチテナンシー', 'オートスケーリング', 'サプライチェーンセキュリティ', 'GitOps運用',
          'コスト最適化', 'プラットフォームエンジニアリング', 'ログ収集基盤', '分散トレーシング',
          'ゼロダウンタイムデプロイ', 'シークレット管理', 'Podのスケジューリング', '永続ストレージ',
          'イングレス', 'CI/CDパイプライン', 'ノードのアップグレード', 'GPUクラスタ', '障害対応',
          'ポリシー管理', 'SLO運用', 'セキュリティ監査', 'クラスタのバージョンアップ'] AS ja_topics,
    ARRAY['Acme', 'Globex', 'Initech', 'Umbrella', 'Hooli', 'Stark', 'Wayne', 'Tyrell', 'Cyberdyne',
          'Soylent', 'Vandelay', 'Wonka', 'Aperture', 'Massive', 'Oscorp', 'Nakatomi', 'Monarch',
          'Gringotts', 'Pied Piper', 'Dunder'] AS companies,
    ARRAY['mercari', 'cybozu', 'freee', 'smarthr', 'zozo', 'line', 'cyberagent', 'dena', 'gree',
          'mixi', 'sansan', 'money-forward', 'pixiv', 'kakaku', 'recruit', 'rakuten', 'yahoo',
          'abema', 'timee', 'ubie'] AS ja_companies,
    ARRAY['alex', 'sam', 'jordan', 'taylor', 'morgan', 'casey', 'riley', 'jamie', 'avery', 'quinn',
          'devon', 'robin', 'kim', 'lee', 'pat', 'chris', 'max', 'noel', 'sasha', 'drew'] AS users,
    ARRAY['takahashi', 'suzuki', 'tanaka', 'watanabe', 'ito', 'yamamoto', 'nakamura', 'kobayashi',
          'kato', 'yoshida', 'yamada', 'sasaki', 'matsumoto', 'inoue', 'kimura', 'hayashi',
          'shimizu', 'yamazaki', 'mori', 'ikeda'] AS ja_users,
    ARRAY['Alex Chen', 'Sam Patel', 'Jordan Smith', 'Taylor Kim', 'Morgan Lee', 'Casey Nguyen',
          'Riley Johnson', 'Jamie Garcia', 'Avery Brown', 'Quinn Martin', 'Devon Clark',
          'Robin Wright', 'Pat Lopez', 'Chris Young'] AS authors,
    ARRAY['高橋 健太', '鈴木 美咲', '田中 翔', '渡辺 陽菜', '伊藤 大輔', '山本 さくら', '中村 拓海',
          '小林 結衣', '加藤 直樹', '吉田 葵'] AS ja_authors,
    ARRAY['In this post we walk through %s and what it means for teams running %s in production.',
          'The %s community has shipped a release focused on %s, stability and performance.',
          'We share what we learned operating %s at scale, from %s to on-call practices.',
          'This guide explains how %s works under the hood and how to approach %s step by step.',
          'A look at the design decisions behind %s, with benchmarks and notes on %s.',
          'Our platform team rebuilt %s around %s; here is what went well and what did not.'] AS intros,
    ARRAY['Upgrading is recommended for all users.', 'Slides and recordings are linked at the end.',
          'We also cover common pitfalls and how to avoid them.',
          'Feedback from the community shaped most of these changes.',
          'Code samples are available on GitHub.', 'Numbers are from our staging clusters.',
          'Thanks to every contributor who made this possible.'] AS seconds,
    ARRAY['本記事では%sを使って%sを実現する方法を紹介します。',
          '%sの最新リリースでは%sまわりの改善が多数入りました。',
          '私たちのチームが本番環境で%sを運用する中で得た%sの知見をまとめました。',
          '%sの内部構造を追いながら、%sの仕組みをわかりやすく解説します。',
          '%sを導入して%sの課題をどう解決したか、導入の経緯から振り返ります。'] AS ja_intros,
    ARRAY['実際の設定例とあわせて、運用時の注意点も解説します。',
          'アップグレード手順と互換性の注意点についても触れます。',
          '社内勉強会で発表した内容を加筆修正したものです。',
          'サンプルコードはGitHubで公開しています。',
          '検証環境での計測結果もあわせて掲載しています。'] AS ja_seconds,
    ARRAY['Kubernetes', 'Cloud Native', 'Security', 'Observability', 'Networking', 'Storage',
          'Releases', 'Community', 'Vendors', 'Japanese'] AS feed_categories,
    ARRAY['official', 'vendor', 'community', 'japanese', 'release-notes', 'security', 'sre',
          'platform'] AS feed_tags,
    ARRAY['kubernetes', 'release', 'security', 'networking', 'observability', 'storage', 'devops',
          'cloud', 'sre', 'tutorial', 'performance', 'ai', 'golang', 'rust', 'linux',
          'コンテナ', 'インフラ', 'セキュリティ', '入門', '運用'] AS categories;

-- A pick from an array, uniformly. Defined here so the statements below stay
-- readable; inlined by the planner (a single SELECT of an expression).
CREATE FUNCTION pg_temp.pick(a text[], r double precision) RETURNS text
    LANGUAGE sql IMMUTABLE AS $f$ SELECT a[1 + floor(r * cardinality(a))::int] $f$;

-- ---------------------------------------------------------------- members
-- Hashes that match no password: these members never sign in.
INSERT INTO members (name, name_key, role, password_hash)
SELECT name, lower(name), role, '$argon2id$v=19$m=19456,t=2,p=1$YmVuY2hzYWx0$bm90LWEtcmVhbC1oYXNoLW5vLWxvZ2lu'
FROM (VALUES ('Alice', 'editor'), ('Bob', 'editor'), ('Carol', 'publisher'), ('健太', 'editor'),
             ('美咲', 'editor'), ('Dave', 'editor')) AS m (name, role)
ON CONFLICT (name_key) DO NOTHING;
CREATE TEMP TABLE team ON COMMIT DROP AS
SELECT array_agg(id ORDER BY id) AS ids FROM members WHERE active;

-- ------------------------------------------------------------------ feeds
CREATE TEMP TABLE feed_plan ON COMMIT DROP AS
SELECT i, ja, kind, r_user, r_co, r_cat, r_tags, r_tag1, r_tag2
FROM (
    SELECT i, random() < 0.3 AS ja, floor(random() * 4)::int AS kind, random() AS r_user,
           random() AS r_co, random() AS r_cat, random() AS r_tags, random() AS r_tag1,
           random() AS r_tag2
    FROM generate_series(1, :n_feeds) AS i
) p;

CREATE TEMP TABLE feed_site ON COMMIT DROP AS
SELECT p.i, p.ja, p.r_cat, p.r_tags, p.r_tag1, p.r_tag2,
       CASE WHEN p.ja THEN
           CASE p.kind
               WHEN 0 THEN format('https://zenn.dev/%s%s', pg_temp.pick(w.ja_users, p.r_user), p.i)
               WHEN 1 THEN format('https://qiita.com/%s_%s', pg_temp.pick(w.ja_users, p.r_user), p.i)
               WHEN 2 THEN format('https://%s%s.hatenablog.com', pg_temp.pick(w.ja_users, p.r_user), p.i)
               ELSE format('https://tech.%s-%s.co.jp', pg_temp.pick(w.ja_companies, p.r_co), p.i)
           END
       ELSE
           CASE p.kind
               WHEN 0 THEN format('https://%s%s.dev', pg_temp.pick(w.users, p.r_user), p.i)
               WHEN 1 THEN format('https://blog.%s%s.io', lower(replace(pg_temp.pick(w.companies, p.r_co), ' ', '')), p.i)
               WHEN 2 THEN format('https://medium.com/@%s%s', pg_temp.pick(w.users, p.r_user), p.i)
               ELSE format('https://www.%s%s.com/blog', lower(replace(pg_temp.pick(w.companies, p.r_co), ' ', '')), p.i)
           END
       END AS site,
       CASE WHEN p.ja THEN
           CASE p.kind
               WHEN 0 THEN format('%sさんの記事一覧 | Zenn', pg_temp.pick(w.ja_users, p.r_user))
               WHEN 1 THEN format('%sの投稿 - Qiita', pg_temp.pick(w.ja_users, p.r_user))
               WHEN 2 THEN format('%sのインフラ日記', pg_temp.pick(w.ja_users, p.r_user))
               ELSE format('%s テックブログ', pg_temp.pick(w.ja_companies, p.r_co))
           END
       ELSE
           CASE p.kind
               WHEN 0 THEN format('%s''s notes on cloud native', initcap(pg_temp.pick(w.users, p.r_user)))
               WHEN 1 THEN format('%s Engineering', pg_temp.pick(w.companies, p.r_co))
               WHEN 2 THEN format('%s on Medium', initcap(pg_temp.pick(w.users, p.r_user)))
               ELSE format('The %s Blog', pg_temp.pick(w.companies, p.r_co))
           END
       END AS title,
       p.kind
FROM feed_plan p, words w;

INSERT INTO feeds (id, url, title, site_url, category, tags, poll_interval_minutes,
                   last_attempt_at, last_success_at, last_http_status, created_at, updated_at)
OVERRIDING SYSTEM VALUE
SELECT s.i,
       CASE WHEN s.ja THEN
           CASE s.kind WHEN 0 THEN s.site || '/feed' WHEN 1 THEN s.site || '/feed.atom'
                       WHEN 2 THEN s.site || '/feed' ELSE s.site || '/rss' END
       ELSE
           CASE s.kind WHEN 0 THEN s.site || '/index.xml' WHEN 1 THEN s.site || '/rss.xml'
                       WHEN 2 THEN replace(s.site, 'medium.com/', 'medium.com/feed/') ELSE s.site || '/feed' END
       END,
       s.title,
       s.site,
       CASE WHEN s.r_cat < 0.8 THEN
           CASE WHEN s.ja AND s.r_cat < 0.4 THEN 'Japanese' ELSE pg_temp.pick(w.feed_categories, s.r_cat / 0.8) END
       END,
       CASE WHEN s.r_tags < 0.35 THEN '{}'::text[]
            WHEN s.r_tags < 0.75 THEN ARRAY[pg_temp.pick(w.feed_tags, s.r_tag1)]
            ELSE ARRAY(SELECT DISTINCT t FROM unnest(ARRAY[pg_temp.pick(w.feed_tags, s.r_tag1),
                                                           pg_temp.pick(w.feed_tags, s.r_tag2)]) t ORDER BY t)
       END,
       60, now() - interval '20 minutes', now() - interval '20 minutes', 200,
       now() - interval '400 days', now() - interval '20 minutes'
FROM feed_site s, words w
ORDER BY s.i;
SELECT setval(pg_get_serial_sequence('feeds', 'id'), (SELECT max(id) FROM feeds));

-- ------------------------------------------------------------- candidates
-- One row of random draws per candidate, then the text built from them.
-- The feed: 1 + floor(n * r^1.5) makes low ids far busier (feed 1 writes
-- about 1 % of everything, the median feed a seventh of that).
CREATE TEMP TABLE cand_plan ON COMMIT DROP AS
SELECT i,
       1 + least(:n_feeds - 1, floor(:n_feeds * power(random(), 1.5))::int) AS feed_id,
       now() - random() * interval '365 days' AS published_at,
       random() AS r_tpl, random() AS r_p1, random() AS r_p2, random() AS r_topic,
       random() AS r_maj, random() AS r_min, random() AS r_n, random() AS r_intro, random() AS r_second,
       random() AS r_len, random() AS r_author, random() AS r_cat1, random() AS r_cat2,
       random() AS r_ncat, random() AS r_seen_delay, random() AS r_state, random() AS r_state_delay,
       random() AS r_member, random() AS r_similar, random() AS r_similar_to, random() AS r_second_feed,
       random() AS r_feed2, random() AS r_third, random() AS r_paras
FROM generate_series(1, :n_candidates) AS i;

CREATE TEMP TABLE cand_text ON COMMIT DROP AS
SELECT c.i, c.feed_id, c.published_at, f.ja, fs.site, c.r_author, c.r_cat1, c.r_cat2, c.r_ncat,
       c.r_seen_delay, c.r_state, c.r_state_delay, c.r_member, c.r_similar, c.r_similar_to,
       c.r_second_feed, c.r_feed2, c.r_len,
       pg_temp.pick(w.projects, c.r_p1) AS project,
       pg_temp.pick(w.projects, c.r_p2) AS project2,
       CASE WHEN f.ja THEN pg_temp.pick(w.ja_topics, c.r_topic) ELSE pg_temp.pick(w.topics, c.r_topic) END AS topic,
       floor(c.r_tpl * CASE WHEN f.ja THEN 9 ELSE 12 END)::int AS tpl,
       format('%s.%s', floor(c.r_maj * 3)::int, floor(c.r_min * 40)::int) AS version,
       (ARRAY['50', '200', '1,000', '5,000', '15,000', '10k', '100k'])[1 + floor(c.r_n * 7)::int] AS n,
       c.r_intro, c.r_second, c.r_third, c.r_paras
FROM cand_plan c
JOIN feed_plan f ON f.i = c.feed_id
JOIN feed_site fs ON fs.i = c.feed_id
CROSS JOIN words w;

CREATE TEMP TABLE cand_rows ON COMMIT DROP AS
SELECT t.*,
       CASE WHEN t.ja THEN
           CASE t.tpl
               WHEN 0 THEN format('%sの%sを自動化する', t.project, t.topic)
               WHEN 1 THEN format('%sの比較: %s vs %s', t.topic, t.project, t.project2)
               WHEN 2 THEN format('%s %s リリースノートまとめ', t.project, t.version)
               WHEN 3 THEN format('%sで始める%s入門', t.project, t.topic)
               WHEN 4 THEN format('本番環境での%sのトラブルシューティング', t.topic)
               WHEN 5 THEN format('%sを使った%sの実践', t.project, t.topic)
               WHEN 6 THEN format('%sをゼロから理解する', t.topic)
               WHEN 7 THEN format('%s %sで何が変わったのか', t.project, t.version)
               ELSE format('%sから%sへの移行で学んだこと', t.project2, t.project)
           END
       ELSE
           CASE t.tpl
               WHEN 0 THEN format('%s v%s released', t.project, t.version)
               WHEN 1 THEN format('Announcing %s %s', t.project, t.version)
               WHEN 2 THEN format('How we scaled %s to %s nodes', t.project, t.n)
               WHEN 3 THEN format('%s %s: what''s new', t.project, t.version)
               WHEN 4 THEN format('Deep dive into %s with %s', t.topic, t.project)
               WHEN 5 THEN format('Migrating from %s to %s', t.project2, t.project)
               WHEN 6 THEN format('A practical guide to %s', t.topic)
               WHEN 7 THEN format('Why we moved our %s to %s', t.topic, t.project)
               WHEN 8 THEN format('%s security advisory: CVE-2026-%s', t.project, 10000 + floor(t.r_len * 89999)::int)
               WHEN 9 THEN format('Debugging %s in production', t.topic)
               WHEN 10 THEN format('%s at %s nodes: lessons from a year of %s', t.project, t.n, t.topic)
               ELSE format('What %s %s means for %s', t.project, t.version, t.topic)
           END
       END AS title,
       CASE WHEN t.ja THEN
           format(pg_temp.pick(w.ja_intros, t.r_intro), t.project, t.topic) || pg_temp.pick(w.ja_seconds, t.r_second)
               || pg_temp.pick(w.ja_seconds, t.r_third)
       ELSE
           format(pg_temp.pick(w.intros, t.r_intro), t.project, t.topic) || ' ' || pg_temp.pick(w.seconds, t.r_second)
               || ' ' || pg_temp.pick(w.seconds, t.r_third)
       END AS body,
       CASE WHEN t.r_author < 0.85 THEN
           CASE WHEN t.ja THEN pg_temp.pick(w.ja_authors, t.r_author / 0.85) ELSE pg_temp.pick(w.authors, t.r_author / 0.85) END
       END AS author,
       ARRAY(SELECT DISTINCT x FROM unnest(ARRAY[
                 CASE WHEN t.r_ncat >= 0.15 THEN lower(regexp_replace(t.project, '[^A-Za-z0-9]+', '-', 'g')) END,
                 CASE WHEN t.r_ncat >= 0.45 THEN pg_temp.pick(w.categories, t.r_cat1) END,
                 CASE WHEN t.r_ncat >= 0.80 THEN pg_temp.pick(w.categories, t.r_cat2) END]) x
             WHERE x IS NOT NULL ORDER BY x) AS categories
FROM cand_text t CROSS JOIN words w;

-- ids 1..n, so that run.sh can draw ids at random; the identity goes on
-- after them. The URL is unique per candidate (its id is in the path); the
-- key is the URL without its scheme, as article_url_key makes it.
INSERT INTO candidates (id, url, url_key, title, summary_html, excerpt, author, categories,
                        published_at, first_seen_at, changed_at, state, state_changed_at,
                        state_changed_by, similar_to)
OVERRIDING SYSTEM VALUE
SELECT r.i, u.url, substr(u.url, 7), r.title,
       '<p>' || r.body || '</p>' || repeat('<p>' || r.title || ': ' || r.body || '</p>', 1 + floor(r.r_paras * 5)::int),
       left(r.body, 120 + floor(r.r_len * 80)::int),
       r.author, r.categories, r.published_at, seen.at, seen.at,
       st.state,
       CASE WHEN st.state <> 'new' THEN least(now(), seen.at + r.r_state_delay * interval '3 days') END,
       CASE WHEN st.state <> 'new' THEN (SELECT ids[1 + floor(r.r_member * cardinality(ids))::int] FROM team) END,
       CASE WHEN r.r_similar < 0.02 AND r.i > 30 THEN r.i - 1 - floor(r.r_similar_to * 25)::int END
FROM cand_rows r
CROSS JOIN LATERAL (
    SELECT CASE WHEN r.ja THEN
               r.site || CASE WHEN r.site LIKE 'https://zenn.dev/%' THEN '/articles/' || substr(md5(r.i::text), 1, 14)
                              WHEN r.site LIKE 'https://qiita.com/%' THEN '/items/' || substr(md5(r.i::text), 1, 20)
                              ELSE to_char(r.published_at, '/"entry"/YYYY/MM/DD/') || r.i END
           ELSE
               r.site || '/' || to_char(r.published_at, 'YYYY/MM/') ||
               trim(BOTH '-' FROM lower(regexp_replace(r.title, '[^A-Za-z0-9]+', '-', 'g'))) || '-' || r.i
           END AS url
) u
CROSS JOIN LATERAL (SELECT least(now(), r.published_at + r.r_seen_delay * interval '90 minutes') AS at) seen
CROSS JOIN LATERAL (
    SELECT CASE WHEN r.published_at < now() - interval '14 days' THEN
                CASE WHEN r.r_state < 0.55 THEN 'dismissed' WHEN r.r_state < 0.85 THEN 'seen' ELSE 'new' END
           ELSE
                CASE WHEN r.r_state < 0.10 THEN 'dismissed' WHEN r.r_state < 0.30 THEN 'seen' ELSE 'new' END
           END AS state
) st
ORDER BY r.i;
SELECT setval(pg_get_serial_sequence('candidates', 'id'), (SELECT max(id) FROM candidates));

-- Where each came from; 6 % also came in through a second feed.
INSERT INTO candidate_sources (feed_id, entry_key, candidate_id, content_hash, first_seen_at)
SELECT c.feed_id, k.url, c.i, md5(c.title), c.published_at
FROM cand_rows c JOIN candidates k ON k.id = c.i;
INSERT INTO candidate_sources (feed_id, entry_key, candidate_id, content_hash, first_seen_at)
SELECT f2, 'tag:syndicated,' || c.i, c.i, md5(c.title), c.published_at
FROM cand_rows c
CROSS JOIN LATERAL (SELECT 1 + (c.feed_id + floor(c.r_feed2 * (:n_feeds - 1))::int) % :n_feeds AS f2) o
WHERE c.r_second_feed < 0.06 AND f2 <> c.feed_id;

-- ------------------------------------------------------------------ votes
-- The ORDER BY random() is per candidate (LATERAL), so each gets its own
-- 1-3 distinct members.
INSERT INTO candidate_votes (candidate_id, member_id, created_at)
SELECT c.id, m.id, least(now(), c.first_seen_at + random() * interval '2 days')
FROM (SELECT id, first_seen_at, 1 + floor(random() * 3)::int AS k FROM candidates WHERE random() < 0.04 ORDER BY id) c
CROSS JOIN LATERAL (SELECT id FROM members WHERE active AND c.k > 0 ORDER BY random() LIMIT c.k) m;
UPDATE candidates c SET votes = v.n
FROM (SELECT candidate_id, count(*)::int AS n FROM candidate_votes GROUP BY candidate_id) v
WHERE c.id = v.candidate_id;

-- ----------------------------------------------------------------- issues
-- Fridays: the latest published issue on or before today, one a week
-- before that; the draft is the next Friday.
CREATE TEMP TABLE issue_dates ON COMMIT DROP AS
SELECT n, (current_date - ((extract(isodow FROM current_date)::int - 5 + 7) % 7)) - (:n_issues - n) * 7 AS issue_date
FROM generate_series(1, :n_issues) AS n;
INSERT INTO issues (number, issue_date, state, headline, intro, published_at, created_at)
SELECT n, issue_date, 'published', format('Issue #%s', n),
       'This week in cloud native: releases, deep dives and events.',
       issue_date + time '09:00', issue_date - 6
FROM issue_dates ORDER BY n;
INSERT INTO issues (number, issue_date, state, created_at)
SELECT :n_issues + 1, max(issue_date) + 7, 'draft', now() - interval '1 day' FROM issue_dates;

-- Every issue shows the sections in use, in their order, as a new issue
-- gets them (issue_sections; picks must sit in one of them).
INSERT INTO issue_sections (issue_id, section_id, position, title)
SELECT i.id, s.id, row_number() OVER (PARTITION BY i.id ORDER BY s.position, s.id), s.title
FROM issues i CROSS JOIN sections s WHERE s.archived_at IS NULL;

-- 12-18 picks per issue from the week before it, in sections 1-3 of the
-- migration with 60/30/10 %; one per candidate and issue (the LATERAL draws
-- distinct candidates). The draft (dated next Friday) gets 5 from the days
-- since the last issue.
CREATE TEMP TABLE sec ON COMMIT DROP AS
SELECT array_agg(id ORDER BY position, id) AS ids FROM sections WHERE archived_at IS NULL;
CREATE TEMP TABLE pick_plan ON COMMIT DROP AS
SELECT i.id AS issue_id, i.state, c.id AS candidate_id, c.url, c.url_key, c.title, c.published_at,
       (SELECT ids[CASE WHEN c.r < 0.6 THEN 1 WHEN c.r < 0.9 THEN 2 ELSE least(3, cardinality(ids)) END] FROM sec) AS section_id,
       (SELECT ids[1 + floor(c.r2 * cardinality(ids))::int] FROM team) AS brought_by,
       c.r2
FROM issues i
CROSS JOIN LATERAL (
    SELECT k.id, k.url, k.url_key, k.title, k.published_at, random() AS r, random() AS r2
    FROM candidates k
    WHERE k.published_at >= i.issue_date - 7 AND k.published_at < i.issue_date
    ORDER BY random()
    LIMIT CASE WHEN i.state = 'draft' THEN 5 ELSE 12 + (i.number * 5) % 7 END
) c
ORDER BY i.id, c.published_at;
INSERT INTO picks (issue_id, section_id, position, candidate_id, url, url_key, title, brought_by,
                   commentary, created_at, updated_at)
SELECT issue_id, section_id,
       row_number() OVER (PARTITION BY issue_id, section_id ORDER BY published_at, candidate_id),
       candidate_id, url, url_key, left(title, 500), brought_by,
       CASE WHEN r2 < 0.5 THEN '' ELSE 'Worth a read: ' || left(title, 80) END,
       published_at + interval '1 day', published_at + interval '1 day'
FROM pick_plan
ORDER BY issue_id, section_id, published_at, candidate_id;

-- Picked candidates were looked at.
UPDATE candidates c SET state = 'seen', state_changed_at = coalesce(c.state_changed_at, c.first_seen_at),
                        state_changed_by = coalesce(c.state_changed_by, p.brought_by)
FROM picks p WHERE p.candidate_id = c.id AND c.state = 'new';

COMMIT;

-- Fresh statistics and visibility map, as autovacuum would have left them
-- on a database that grew over a year.
VACUUM (ANALYZE) feeds, candidates, candidate_sources, candidate_votes, issues, issue_sections, picks, members, sections;
-- Write the seeded pages out now, so that the checkpoint does not happen
-- (and count as PostgreSQL's CPU time) during the first measurement.
CHECKPOINT;
