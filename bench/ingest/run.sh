#!/usr/bin/env bash
# The ingest benchmark: how fast `newsdesk poll --once` takes in a realistic
# set of feeds, and how much memory it needs. It prints figures; it is not a
# test and passes or fails nothing.
#
#   bench/ingest/run.sh [--feeds 1000] [--entries 50] [--hosts 1] [--seed 1]
#                       [--store 200000] [--rounds 2] [--pg-stats] [--keep]
#                       [--skip-build]
#
# Run from the repository root (or anywhere: it finds the root itself). It
#   1. installs what is missing (Debian packages: nginx-light or nginx, time,
#      postgresql-client; PostgreSQL server binaries if none are found) and
#      builds `newsdesk` and the `parse_baseline` example in release mode;
#   2. generates the corpus with bench/ingest/generate.py (deterministic,
#      seeded): FEEDS feeds x ENTRIES entries, RSS 2.0 and Atom, 35-85 KB
#      each (mean about 60 KB), about 10 % of entries syndicated across
#      feeds;
#   3. serves it with nginx on 127.0.0.1 (a free port; ETag, Last-Modified
#      and 304s as nginx does them for static files); with --hosts N the
#      feeds are spread over 127.0.0.1 .. 127.0.0.N, so that the poller's
#      per-host limit (NEWSDESK_POLL_PER_HOST, default 2) sees N hosts;
#   4. starts a fresh private PostgreSQL under target/bench/data (`newsdesk
#      db start`), migrates it and inserts the feed URLs with psql, with
#      every ingest feature at work: keep/block filter rules (team-wide and
#      on a tenth of the feeds), near-duplicate marking (always on), and a
#      session LISTENing to the inbox channels, as `serve` does, so that
#      the NOTIFYs are delivered;
#   5. runs `newsdesk poll --once` three times under /usr/bin/time -v:
#        pass 1  every feed is new (200, all entries stored),
#        pass 2  every feed is due again, nothing changed (all 304),
#        pass 3  10 % of the feeds got 3 new entries each (new ETag; 200),
#      and prints wall time, feeds/s, entries/s, peak RSS and the CPU
#      seconds of newsdesk, PostgreSQL and nginx for each;
#   5b. unless --store 0: the same on a store that already holds --store
#      candidates (what a running newsdesk pays): a second database is
#      filled by polling a second corpus (seed SEED+1, enough feeds for
#      --store candidates, dated over the same months), vacuumed, and then passes 1 and
#      2 run as above on the first corpus;
#   6. runs the parse-only baseline (server/examples/parse_baseline.rs):
#      ingest::parse::parse_feed (decoding and feed-rs) alone, and with normalising, on one thread, no I/O, best of
#      --rounds rounds;
#   7. prints a table of all figures next to the targets (issue 18: pass 1
#      >= 10,000 entries/s on an empty store and >= 5,000 on the filled
#      one, 304 pass >= 1,000 feeds/s, peak RSS <= 100 MB), then stops
#      nginx and the database and removes the corpus (kept with --keep).
#
# --pg-stats loads pg_stat_statements (track = all, so the statements
# inside ingest_entry_batch are counted too) into the private cluster and
# writes, after each pass, PostgreSQL's account of where its time went to
# target/bench/ingest-last/pass-N.sql.txt (executor time, planning not
# included; the library itself costs a little).
#
# NEWSDESK_BIN=PATH measures another build of newsdesk (with --skip-build:
# alternate runs of two builds on the same corpus are the fair comparison
# on a shared machine).
#
# The poller runs with its defaults (NEWSDESK_POLL_CONCURRENCY,
# NEWSDESK_POLL_PER_HOST and NEWSDESK_LOG are passed through when set).
# Each pass logs to target/bench/ingest-last/pass-N.log (one `feed
# refreshed` line per feed with its `ms` at the default log level); the
# database stays in target/bench/data until the next run, for inspection:
#   psql -h target/bench/data/run -U newsdesk newsdesk
# The machine is shared with nginx and PostgreSQL, so on a small machine the
# figures include their CPU time; the load average is printed for context.

set -euo pipefail

FEEDS=1000
ENTRIES=50
HOSTS=1
SEED=1
ROUNDS=2
STORE=200000
KEEP=0
BUILD=1
PG_STATS=0
BUMP_FRACTION=0.1
BUMP_NEW=3

usage() { sed -n '2,/^$/{s/^# \{0,1\}//;p}' "$0"; }
while [ $# -gt 0 ]; do
    case "$1" in
    --feeds) FEEDS="$2"; shift 2 ;;
    --entries) ENTRIES="$2"; shift 2 ;;
    --hosts) HOSTS="$2"; shift 2 ;;
    --seed) SEED="$2"; shift 2 ;;
    --rounds) ROUNDS="$2"; shift 2 ;;
    --store) STORE="$2"; shift 2 ;;
    --keep) KEEP=1; shift ;;
    --pg-stats) PG_STATS=1; shift ;;
    --skip-build) BUILD=0; shift ;;
    -h | --help) usage; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
    esac
done
for n in "$FEEDS" "$ENTRIES" "$HOSTS" "$SEED" "$ROUNDS"; do
    [[ "$n" =~ ^[0-9]+$ && "$n" -ge 1 ]] || { echo "numbers must be positive integers: $n" >&2; exit 2; }
done
[ "$HOSTS" -le 254 ] || { echo "--hosts: at most 254" >&2; exit 2; }
[[ "$STORE" =~ ^[0-9]+$ ]] || { echo "--store: a number of candidates (0: no second run)" >&2; exit 2; }
# About 7 % of the generated entries are syndicated copies (one candidate
# for several entries): generate enough for STORE candidates.
STORE_FEEDS=$(((STORE * 100 / 93 + ENTRIES - 1) / ENTRIES))

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
BENCH="$ROOT/target/bench"
DATA="$BENCH/data"
# NEWSDESK_BIN: another build to measure (alternate runs of two builds).
BIN="${NEWSDESK_BIN:-$ROOT/target/release/newsdesk}"
mkdir -p "$BENCH"
WORK="$(mktemp -d "$BENCH/ingest.XXXXXX")"
# Logs and timings of the last run stay here after the corpus is removed.
LAST="$BENCH/ingest-last"
rm -rf "$LAST"
mkdir -p "$LAST"

say() { printf '\n== %s\n' "$*"; }
# Our own tools must not pick up a DATABASE_URL from the caller's shell.
newsdesk_private() { env -u DATABASE_URL -u NEWSDESK_DATABASE_URL "$BIN" --data-dir "$DATA" "$@"; }

NGINX_PID=""
LISTENER_PID=""
DB_STARTED=0
cleanup() {
    local status=$?
    set +e
    [ -n "$LISTENER_PID" ] && kill "$LISTENER_PID" 2>/dev/null
    if [ -n "$NGINX_PID" ] && kill -0 "$NGINX_PID" 2>/dev/null; then
        kill -QUIT "$NGINX_PID"
        wait "$NGINX_PID"
    fi
    if [ "$DB_STARTED" = 1 ]; then
        newsdesk_private db stop >/dev/null 2>&1 || echo "warning: could not stop the database in $DATA" >&2
    fi
    if [ "$KEEP" = 1 ]; then
        echo "kept the corpus and nginx files in $WORK"
    else
        rm -rf "$WORK"
    fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------- 1. tools
say "tools"
SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"
apt_install() {
    echo "installing: $*"
    $SUDO apt-get install -y --no-install-recommends "$@" >/dev/null ||
        { $SUDO apt-get update >/dev/null && $SUDO apt-get install -y --no-install-recommends "$@" >/dev/null; }
}
missing=()
if ! command -v nginx >/dev/null && ! [ -x /usr/sbin/nginx ]; then
    if apt-cache show nginx-light >/dev/null 2>&1; then missing+=(nginx-light); else missing+=(nginx); fi
fi
[ -x /usr/bin/time ] || missing+=(time)
command -v psql >/dev/null || missing+=(postgresql-client)
if ! command -v postgres >/dev/null && ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 &&
    ! { command -v pg_config >/dev/null && [ -x "$(pg_config --bindir)/postgres" ]; }; then
    missing+=(postgresql)
fi
if [ ${#missing[@]} -gt 0 ]; then apt_install "${missing[@]}"; fi
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
command -v python3 >/dev/null || { echo "python3 is needed" >&2; exit 1; }
echo "nginx: $("$NGINX" -v 2>&1 | sed 's/.*: //'), $(psql --version), $(python3 --version)"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), load average $(cut -d' ' -f1-3 /proc/loadavg)"

if [ "$BUILD" = 1 ]; then
    say "build (release)"
    cargo build --release -p newsdesk --bin newsdesk --example parse_baseline
fi
for built in "$BIN" "$ROOT/target/release/examples/parse_baseline"; do
    [ -x "$built" ] || { echo "$built is missing (drop --skip-build)" >&2; exit 1; }
done

# --------------------------------------------------------------- 2. corpus
say "corpus"
CORPUS="$WORK/corpus"
python3 "$ROOT/bench/ingest/generate.py" --out "$CORPUS" --feeds "$FEEDS" --entries "$ENTRIES" --seed "$SEED"
STORE_CORPUS="$WORK/store-corpus"
if [ "$STORE" -gt 0 ]; then
    python3 "$ROOT/bench/ingest/generate.py" --out "$STORE_CORPUS" --feeds "$STORE_FEEDS" \
        --entries "$ENTRIES" --seed "$((SEED + 1))"
fi

# ---------------------------------------------------------------- 3. nginx
say "nginx"
PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
NGX="$WORK/nginx"
mkdir -p "$NGX/tmp"
{
    [ "$(id -u)" = 0 ] && echo "user root;" # workers must read the corpus under the repository
    cat <<EOF
worker_processes 1;
pid $NGX/nginx.pid;
error_log $NGX/error.log warn;
events { worker_connections 4096; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    log_format bench '\$status \$body_bytes_sent \$request_uri';
    access_log $NGX/access.log bench;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 1000000;
    keepalive_timeout 75s;
    client_body_temp_path $NGX/tmp/body;
    proxy_temp_path $NGX/tmp/proxy;
EOF
    # Only the temp paths of modules this nginx has, or it refuses the config.
    for module in fastcgi uwsgi scgi; do
        "$NGINX" -V 2>&1 | grep -q -- "--without-http_${module}_module" ||
            echo "    ${module}_temp_path $NGX/tmp/$module;"
    done
    echo "    server {"
    for h in $(seq 1 "$HOSTS"); do echo "        listen 127.0.0.$h:$PORT;"; done
    cat <<EOF
        server_name _;
        root $WORK;
        location / { try_files \$uri =404; }
    }
}
EOF
} >"$NGX/nginx.conf"
# In the foreground as our child, so that cleanup can stop and reap it.
"$NGINX" -e "$NGX/error.log" -p "$NGX" -c "$NGX/nginx.conf" -g "daemon off;" &
NGINX_PID=$!
for _ in $(seq 50); do [ -s "$NGX/nginx.pid" ] && break; sleep 0.1; done
kill -0 "$NGINX_PID" 2>/dev/null || { echo "nginx did not start:" >&2; cat "$NGX/error.log" >&2; exit 1; }
# The feeds, spread round-robin over the hosts.
feed_urls() { # corpus directory name
    awk -v port="$PORT" -v hosts="$HOSTS" -v dir="$1" \
        '{ printf "http://127.0.0.%d:%d/%s/%s\n", (NR - 1) % hosts + 1, port, dir, $0 }' "$WORK/$1/paths.txt"
}
feed_urls corpus >"$WORK/urls.txt"
[ "$STORE" -gt 0 ] && feed_urls store-corpus >"$WORK/store-urls.txt"
python3 - "$(head -1 "$WORK/urls.txt")" <<'EOF'
import sys, urllib.request, urllib.error
url = sys.argv[1]
with urllib.request.urlopen(url) as r:
    etag, modified, kind = r.headers["ETag"], r.headers["Last-Modified"], r.headers["Content-Type"]
    size = len(r.read())
req = urllib.request.Request(url, headers={"If-None-Match": etag, "If-Modified-Since": modified})
try:
    urllib.request.urlopen(req)
    status = 200
except urllib.error.HTTPError as e:
    status = e.code
print(f"serving {url}: {kind}, {size} bytes, ETag {etag}, conditional GET -> {status}")
if status != 304:
    sys.exit("nginx does not answer conditional GETs with 304")
EOF
if [ "$HOSTS" = 1 ]; then ALLOW="127.0.0.1"; else ALLOW="127.0.0.0/24"; fi

# ------------------------------------------------------------- 4. database
say "database"
newsdesk_private db stop >/dev/null 2>&1 || true # a cluster left by an interrupted run
rm -rf "$DATA"
DATABASE_URL="$(newsdesk_private db start 2>"$LAST/db-start.log" | tail -1)"
CLUSTER_URL="$DATABASE_URL"
DB_STARTED=1
if [ "$PG_STATS" = 1 ]; then
    # Loading a library into the postmaster needs a restart; postgresql.conf
    # is the file newsdesk leaves to its owner.
    printf "\n# Added by bench/ingest/run.sh --pg-stats\nshared_preload_libraries = 'pg_stat_statements'\npg_stat_statements.track = all\n" \
        >>"$DATA/postgres/postgresql.conf"
    newsdesk_private db stop >/dev/null
    DATABASE_URL="$(newsdesk_private db start 2>>"$LAST/db-start.log" | tail -1)"
    CLUSTER_URL="$DATABASE_URL"
fi
echo "DATABASE_URL=$DATABASE_URL"
sql() { psql "$DATABASE_URL" -X -q -A -t -v ON_ERROR_STOP=1 -c "$1"; }
# Feeds from a list of URLs, with filter rules as a team has them: two
# team-wide block rules, and on every tenth new feed a block rule on the
# content or a keep rule (one that keeps everything: the entries are
# still counted, the rules still run).
add_feeds() { # urls file
    local before
    before="$(sql 'SELECT coalesce(max(id), 0) FROM feeds')"
    psql "$DATABASE_URL" -X -q -v ON_ERROR_STOP=1 -c "\\copy feeds (url) FROM '$1'"
    sql "INSERT INTO filter_rules (feed_id, action, field, pattern)
         SELECT id, 'block', 'content', '(?i)\\bwebinar\\b' FROM feeds WHERE id > $before AND id % 10 = 0
         UNION ALL
         SELECT id, 'keep', 'title', '\\w' FROM feeds WHERE id > $before AND id % 10 = 5"
    echo "feeds: $(sql 'SELECT count(*) FROM feeds'), filter rules: $(sql 'SELECT count(*) FROM filter_rules')"
}
setup_database() {
    DATABASE_URL="$DATABASE_URL" "$BIN" migrate >>"$LAST/migrate.log" 2>&1
    [ "$PG_STATS" = 1 ] && sql "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" >/dev/null
    sql "INSERT INTO filter_rules (feed_id, action, field, pattern)
         VALUES (NULL, 'block', 'title', '(?i)^sponsored:'), (NULL, 'block', 'category', '(?i)^(advert|promo)')"
}
# A session LISTENing like `serve`'s live hub, so that NOTIFYs are
# delivered and read (psql reads them each time it runs a statement).
start_listener() {
    { echo "LISTEN newsdesk_candidates; LISTEN newsdesk_inbox;"; while sleep 0.2; do echo "SELECT 1;"; done; } |
        psql "$DATABASE_URL" -X -q >/dev/null 2>&1 &
    LISTENER_PID=$!
}
stop_listener() {
    if [ -n "$LISTENER_PID" ]; then kill "$LISTENER_PID" 2>/dev/null; wait "$LISTENER_PID" 2>/dev/null || true; fi
    LISTENER_PID=""
}
setup_database
add_feeds "$WORK/urls.txt"
start_listener

# ---------------------------------------------------------------- 5. passes
declare -A R # results, by "pass:field"
tv() { awk -F': ' -v key="$2" 'index($0, key) { print $NF; exit }' "$1"; } # a value from time -v
seconds() { # h:mm:ss.ss or m:ss.ss
    awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; printf "%.2f", s }' <<<"$1"
}
# CPU seconds used so far by a process, its reaped children and its live
# children: PostgreSQL's backends for one pass are reaped by the postmaster
# when `poll` disconnects, nginx's worker lives on.
TICKS="$(getconf CLK_TCK)"
tree_cpu() {
    local pid="$1" total=0 child
    for child in "$pid" $(pgrep -P "$pid" || true); do
        total=$((total + $(sed 's/.*) //' "/proc/$child/stat" 2>/dev/null | awk '{ print $12 + $13 + $14 + $15 }' || echo 0)))
    done
    echo "$total"
}
cpu_since() { awk -v a="$1" -v b="$2" -v hz="$TICKS" 'BEGIN { printf "%.2f", (b - a) / hz }'; }
PG_PID="$(head -1 "$DATA/postgres/postmaster.pid")"
run_pass() {
    local pass="$1" label="$2"
    local before_fetch before_sources before_candidates
    before_fetch="$(sql 'SELECT coalesce(max(id), 0) FROM feed_fetches')"
    before_sources="$(sql 'SELECT count(*) FROM candidate_sources')"
    before_candidates="$(sql 'SELECT count(*) FROM candidates')"
    say "pass $pass: $label (load average $(cut -d' ' -f1-3 /proc/loadavg))"
    local status=0 pg_before nginx_before pg_children
    pg_children="$(pgrep -c -P "$PG_PID" || true)"
    [ "$PG_STATS" = 1 ] && sql "SELECT pg_stat_statements_reset()" >/dev/null
    pg_before="$(tree_cpu "$PG_PID")"
    nginx_before="$(tree_cpu "$NGINX_PID")"
    env NEWSDESK_ALLOW_PRIVATE_HOSTS="$ALLOW" DATABASE_URL="$DATABASE_URL" \
        /usr/bin/time -v -o "$LAST/pass-$pass.time" "$BIN" poll --once \
        >"$LAST/pass-$pass.out" 2>"$LAST/pass-$pass.log" || status=$?
    # Wait (briefly) for the pass's backends to exit, so their CPU time counts.
    for _ in $(seq 50); do [ "$(pgrep -c -P "$PG_PID" || true)" -le "$pg_children" ] && break; sleep 0.05; done
    R[$pass:pg_cpu]="$(cpu_since "$pg_before" "$(tree_cpu "$PG_PID")")"
    R[$pass:nginx_cpu]="$(cpu_since "$nginx_before" "$(tree_cpu "$NGINX_PID")")"
    if [ "$PG_STATS" = 1 ]; then
        psql "$DATABASE_URL" -X -q -P pager=off -c "SELECT calls,
                round(total_exec_time::numeric) AS total_ms, round(mean_exec_time::numeric, 3) AS ms_per_call,
                rows, left(regexp_replace(query, '\s+', ' ', 'g'), 110) AS statement
            FROM pg_stat_statements WHERE query NOT LIKE '%pg_stat_statements%'
            ORDER BY total_exec_time DESC LIMIT 25" >"$LAST/pass-$pass.sql.txt"
    fi
    cat "$LAST/pass-$pass.out"
    # The search index merges the poller ran off the refresh path (their
    # time is in the pass's wall time and PostgreSQL's CPU seconds).
    grep -h "search index merged off the refresh path" "$LAST/pass-$pass.log" | sed 's/^.*INFO *//' || true
    if [ "$status" != 0 ]; then
        echo "newsdesk poll --once failed ($status); its log:" >&2
        tail -20 "$LAST/pass-$pass.log" >&2
        exit 1
    fi
    local t="$LAST/pass-$pass.time" fetched not_modified failed bytes
    read -r fetched not_modified failed bytes < <(sql "SELECT count(*) FILTER (WHERE outcome = 'fetched'),
            count(*) FILTER (WHERE outcome = 'not_modified'), count(*) FILTER (WHERE outcome = 'failed'),
            coalesce(sum(bytes), 0) FROM feed_fetches WHERE id > $before_fetch" | tr '|' ' ')
    R[$pass:wall]="$(seconds "$(tv "$t" 'Elapsed (wall clock)')")"
    R[$pass:rss]="$(awk -v kb="$(tv "$t" 'Maximum resident set size')" 'BEGIN { printf "%.1f", kb / 1024 }')"
    R[$pass:user]="$(tv "$t" 'User time')"
    R[$pass:sys]="$(tv "$t" 'System time')"
    R[$pass:feeds]=$((fetched + not_modified + failed))
    R[$pass:200]="$fetched"
    R[$pass:304]="$not_modified"
    R[$pass:failed]="$failed"
    R[$pass:mb]="$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1e6 }')"
    # Entries taken in: every fetched (200) feed file holds ENTRIES entries.
    R[$pass:entries]=$((fetched * ENTRIES))
    R[$pass:sources]=$(($(sql 'SELECT count(*) FROM candidate_sources') - before_sources))
    R[$pass:candidates]=$(($(sql 'SELECT count(*) FROM candidates') - before_candidates))
    R[$pass:feeds_s]="$(awk -v n="${R[$pass:feeds]}" -v s="${R[$pass:wall]}" 'BEGIN { printf "%.0f", n / s }')"
    R[$pass:entries_s]="$(awk -v n="${R[$pass:entries]}" -v s="${R[$pass:wall]}" 'BEGIN { printf "%.0f", n / s }')"
    R[$pass:nd_cpu]="$(awk -v u="${R[$pass:user]}" -v s="${R[$pass:sys]}" 'BEGIN { printf "%.2f", u + s }')"
    printf 'wall %ss; CPU seconds: newsdesk %s (user %s, sys %s), postgres %s, nginx %s\n' \
        "${R[$pass:wall]}" "${R[$pass:nd_cpu]}" "${R[$pass:user]}" "${R[$pass:sys]}" "${R[$pass:pg_cpu]}" "${R[$pass:nginx_cpu]}"
    printf '%s feeds (200: %s, 304: %s, failed: %s), %s MB,\n' \
        "${R[$pass:feeds]}" "$fetched" "$not_modified" "$failed" "${R[$pass:mb]}"
    printf '%s feeds/s, %s entries/s, %s new sources, %s new candidates, peak RSS %s MB\n' \
        "${R[$pass:feeds_s]}" "${R[$pass:entries_s]}" "${R[$pass:sources]}" "${R[$pass:candidates]}" "${R[$pass:rss]}"
}

run_pass 1 "all feeds new"
sql "UPDATE feeds SET next_check_at = now()" >/dev/null
run_pass 2 "nothing changed (304)"
python3 "$ROOT/bench/ingest/generate.py" --out "$CORPUS" --feeds "$FEEDS" --entries "$ENTRIES" --seed "$SEED" \
    --bump "$BUMP_FRACTION" --bump-new "$BUMP_NEW"
sql "UPDATE feeds SET next_check_at = now()" >/dev/null
run_pass 3 "$(awk -v f="$BUMP_FRACTION" 'BEGIN { printf "%g", f * 100 }')% of feeds changed"

# ----------------------------------------------- 5b. on a store already full
if [ "$STORE" -gt 0 ]; then
    stop_listener
    say "a store of $STORE candidates: second database"
    # The first corpus as it was, for the new database's pass 1.
    python3 "$ROOT/bench/ingest/generate.py" --out "$CORPUS" --feeds "$FEEDS" --entries "$ENTRIES" --seed "$SEED"
    sql "CREATE DATABASE filled" >/dev/null
    DATABASE_URL="$(sed 's|^\(postgres://[^/]*\)/[^?]*|\1/filled|' <<<"$CLUSTER_URL")"
    echo "DATABASE_URL=$DATABASE_URL"
    setup_database
    add_feeds "$WORK/store-urls.txt"
    start_listener
    run_pass fill "filling the store: $STORE_FEEDS feeds"
    # As autovacuum would have by now in a running newsdesk.
    sql "VACUUM ANALYZE" >/dev/null
    add_feeds "$WORK/urls.txt"
    run_pass 1f "all feeds new, on a store of $(sql 'SELECT count(*) FROM candidates') candidates"
    sql "UPDATE feeds SET next_check_at = now()" >/dev/null
    run_pass 2f "nothing changed (304), on the filled store"
    stop_listener
fi

# ------------------------------------------------------------- 6. baseline
say "parse-only baseline (one thread, no I/O)"
# The example binary built in step 1 with the server, i.e. what
# `cargo run --release -p newsdesk --example parse_baseline -- DIR` runs; not
# through cargo here, so that the whole run measures one build even when the
# sources change in the meantime.
"$ROOT/target/release/examples/parse_baseline" "$CORPUS" "$ROUNDS" | tee "$LAST/baseline.txt"
baseline() { awk -v stage="$1" -v col="$2" '$1 == stage { print $col }' "$LAST/baseline.txt"; }

# ---------------------------------------------------------------- 7. table
verdict() { if awk -v a="$1" -v op="$2" -v b="$3" 'BEGIN { exit !(op == ">=" ? a >= b : a <= b) }'; then echo "met"; else echo "MISSED"; fi; }
PASSES="1 2 3"
[ "$STORE" -gt 0 ] && PASSES="1 2 3 fill 1f 2f"
peak=0
for p in $PASSES; do peak="$(awk -v a="$peak" -v b="${R[$p:rss]}" 'BEGIN { print (b > a ? b : a) }')"; done

say "results: $FEEDS feeds x $ENTRIES entries, $HOSTS host(s), $(nproc) cores, poller defaults unless set"
row='%-16s %7s %6s %5s %5s %5s %8s %10s %8s %10s %7s  %6s %6s %6s\n'
# shellcheck disable=SC2059
printf "$row" pass wall_s feeds 200 304 fail feeds/s entries/s sources candidates rss_MB cpu_nd cpu_pg cpu_ngx
for p in $PASSES; do
    case $p in
    1) label="1 all new" ;; 2) label="2 all 304" ;; 3) label="3 10% changed" ;;
    fill) label="fill the store" ;; 1f) label="1 on the store" ;; 2f) label="2 on the store" ;;
    esac
    # shellcheck disable=SC2059
    printf "$row" "$label" "${R[$p:wall]}" "${R[$p:feeds]}" "${R[$p:200]}" "${R[$p:304]}" "${R[$p:failed]}" \
        "${R[$p:feeds_s]}" "${R[$p:entries_s]}" "${R[$p:sources]}" "${R[$p:candidates]}" "${R[$p:rss]}" \
        "${R[$p:nd_cpu]}" "${R[$p:pg_cpu]}" "${R[$p:nginx_cpu]}"
done
echo "(entries/s: entries in the feeds fetched with 200 per wall second; sources: new feed entries stored;"
echo " cpu_*: CPU seconds of newsdesk, PostgreSQL and nginx during the pass)"
echo
printf '%-22s %9s %10s %8s\n' "baseline (1 thread)" entries/s MB/s feeds/s
for stage in parse parse+normalise parse+normalise+json; do
    printf '%-22s %9s %10s %8s\n' "$stage" "$(baseline "$stage" 4)" "$(baseline "$stage" 6)" "$(baseline "$stage" 8)"
done
echo
printf '%-36s %12s %12s  %s\n' target wanted measured verdict
printf '%-36s %12s %12s  %s\n' "pass 1 entries/s (empty store)" ">= 10000" "${R[1:entries_s]}" "$(verdict "${R[1:entries_s]}" ">=" 10000)"
if [ "$STORE" -gt 0 ]; then
    printf '%-36s %12s %12s  %s\n' "pass 1 entries/s (store of $STORE)" ">= 5000" "${R[1f:entries_s]}" "$(verdict "${R[1f:entries_s]}" ">=" 5000)"
fi
printf '%-36s %12s %12s  %s\n' "pass 2 (304) feeds/s" ">= 1000" "${R[2:feeds_s]}" "$(verdict "${R[2:feeds_s]}" ">=" 1000)"
printf '%-36s %12s %12s  %s\n' "peak RSS of newsdesk, MB (all passes)" "<= 100" "$peak" "$(verdict "$peak" "<=" 100)"
echo
echo "logs and timings: $LAST; database (until the next run): $DATA"
