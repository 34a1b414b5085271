#!/usr/bin/env bash
# The inbox benchmark: how fast newsdesk serves the triage inbox on a
# realistic database (a year of a busy team's candidates), under load on
# loopback, and how long the page takes to become interactive in a browser.
# It prints figures next to the targets; it is not a test and passes or
# fails nothing (it exits non-zero only when it could not measure, e.g. when
# many requests failed).
#
#   bench/inbox/run.sh [--candidates 200000] [--feeds 1000] [--issues 50]
#                      [--duration 20s] [--warmup 3s] [--connections 32]
#                      [--threads 2] [--tti-runs 5] [--seed 0.42]
#                      [--pg-stats] [--keep] [--reuse] [--skip-build]
#
# Run from the repository root (or anywhere: it finds the root itself). It
#   1. installs what is missing (Debian packages wrk, postgresql-client,
#      time, curl, python3; PostgreSQL server binaries if none are found;
#      chromium and `npm ci` for playwright-core when --tti-runs > 0) and
#      builds the release browser assets (scripts/build-site.sh, skipped
#      when unchanged) and `newsdesk` in release mode;
#   2. starts `newsdesk serve --no-poller` on a free loopback port with a
#      fresh private PostgreSQL under target/bench/inbox-data, and adds an
#      admin (`newsdesk user add`, which works while the server runs);
#   3. seeds it with bench/inbox/seed.sql through psql (set-based and
#      deterministic): CANDIDATES candidates from FEEDS feeds over the last
#      365 days, English and Japanese, with states, +1s, and ISSUES
#      published weekly issues with their picks plus the current draft;
#      then VACUUM ANALYZE; prints how long that took;
#   4. signs in through the sign-in server function (as the sign-in form
#      does) and checks that the session cookie opens the inbox;
#   5. measures with wrk (CONNECTIONS connections, THREADS threads, DURATION
#      each after a WARMUP run that is not counted), Lua scripts beside this
#      file printing p50/p95/p99 and requests/s and counting non-2xx:
#        inbox        GET / (default view, first 50, server-rendered HTML),
#                     with a browser's Accept-Encoding (gzip, deflate, br);
#        inbox raw    the same without Accept-Encoding (no compression), to
#                     show what compressing costs;
#        search       GET /?q=TERM, rotating over English and Japanese terms;
#        search api   GET /api/v1/candidates?q=TERM (same query, JSON);
#        set state    POST /api/set_state ids[0]=<random id>&state=seen|new,
#                     a server-function call as the inbox makes it;
#      and the CPU time newsdesk and PostgreSQL used per request, and wrk's
#      CPU seconds, in each run; with --pg-stats also PostgreSQL's own
#      account of where its time went (pg_stat_statements: the statements
#      that took most time, per run, in target/bench/inbox-last/*.sql.txt);
#   6. measures time to interactive (navigation start -> <html
#      data-hydrated="true">) and transferred bytes of the inbox in headless
#      Chromium, TTI_RUNS navigations: the first cold, the others warm
#      (bench/inbox/tti.mjs);
#   7. prints a table of all figures next to the targets (on 2 cores at 32
#      connections: inbox p99 <= 50 ms, >= 500 inbox pages/s, search p95
#      <= 100 ms), then stops the server (SIGTERM; it stops its PostgreSQL)
#      and removes the data (kept with --keep).
#
# --pg-stats loads pg_stat_statements into the private cluster (one more
# restart of the server after seeding; it stays in the postgresql.conf of a
# kept cluster); it costs a little CPU itself.
# --reuse starts from the data a previous --keep run left (no seeding when
# it holds the seeded candidates; the set-state runs will have changed some
# states). Logs, wrk output and the TTI runs of the last run stay in
# target/bench/inbox-last. While the data is kept, inspect it with
#   target/release/newsdesk --data-dir target/bench/inbox-data db start
#   psql -h target/bench/inbox-data/run -U newsdesk newsdesk
# wrk, newsdesk and PostgreSQL share the machine's cores: on a small machine
# the figures include wrk's CPU time (printed per run), and the load average
# is printed for context. wrk measures closed-loop latency: each connection
# sends its next request when the previous answer arrived.
#
# NEWSDESK_BIN=PATH measures another build of newsdesk; with --reuse and
# --skip-build, alternate runs of two builds on the same data are the fair
# comparison on a shared machine.

set -euo pipefail

CANDIDATES=200000
FEEDS=1000
ISSUES=50
SEED=0.42
DURATION=20s
WARMUP=3s
CONNECTIONS=32
THREADS=2
TTI_RUNS=5
KEEP=0
REUSE=0
BUILD=1
PG_STATS=0
# What Chromium sends (it adds zstd, which newsdesk does not offer).
BROWSER_ENCODING="gzip, deflate, br"
# Targets from the issue, for 2 cores at 32 connections.
TARGET_INBOX_P99_MS=50
TARGET_INBOX_RPS=500
TARGET_SEARCH_P95_MS=100

usage() { sed -n '2,/^$/{s/^# \{0,1\}//;p}' "$0"; }
while [ $# -gt 0 ]; do
    case "$1" in
    --candidates) CANDIDATES="$2"; shift 2 ;;
    --feeds) FEEDS="$2"; shift 2 ;;
    --issues) ISSUES="$2"; shift 2 ;;
    --seed) SEED="$2"; shift 2 ;;
    --duration) DURATION="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    --connections) CONNECTIONS="$2"; shift 2 ;;
    --threads) THREADS="$2"; shift 2 ;;
    --tti-runs) TTI_RUNS="$2"; shift 2 ;;
    --keep) KEEP=1; shift ;;
    --reuse) REUSE=1; KEEP=1; shift ;;
    --pg-stats) PG_STATS=1; shift ;;
    --skip-build) BUILD=0; shift ;;
    -h | --help) usage; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
    esac
done
for n in "$CANDIDATES" "$FEEDS" "$ISSUES" "$CONNECTIONS" "$THREADS"; do
    [[ "$n" =~ ^[0-9]+$ && "$n" -ge 1 ]] || { echo "numbers must be positive integers: $n" >&2; exit 2; }
done
[[ "$TTI_RUNS" =~ ^[0-9]+$ ]] || { echo "--tti-runs: a number (0 skips the browser)" >&2; exit 2; }
[[ "$DURATION" =~ ^[0-9]+[smh]?$ && "$WARMUP" =~ ^[0-9]+[smh]?$ ]] || { echo "--duration/--warmup: e.g. 20s" >&2; exit 2; }
[[ "$SEED" =~ ^-?(0|1|0?\.[0-9]+)$ ]] || { echo "--seed: a number between -1 and 1 (PostgreSQL's setseed)" >&2; exit 2; }
[ "$THREADS" -le "$CONNECTIONS" ] || { echo "--threads: at most --connections" >&2; exit 2; }

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
HERE="$ROOT/bench/inbox"
BENCH="$ROOT/target/bench"
DATA="$BENCH/inbox-data"
# NEWSDESK_BIN: another build to measure (alternate runs of two builds).
BIN="${NEWSDESK_BIN:-$ROOT/target/release/newsdesk}"
SITE="$ROOT/target/site"
LAST="$BENCH/inbox-last"
mkdir -p "$BENCH"
rm -rf "$LAST"
mkdir -p "$LAST"
# The member the benchmark signs in as. The server listens on loopback only
# and the data is thrown away, so a fixed password is fine.
ADMIN=bench
ADMIN_PASSWORD="bench-inbox-not-a-secret"
STARTED_AT=$SECONDS

say() { printf '\n== %s\n' "$*"; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
# Our own tools must not pick up a DATABASE_URL from the caller's shell:
# everything here talks to the private cluster under $DATA.
newsdesk_private() { env -u DATABASE_URL -u NEWSDESK_DATABASE_URL "$BIN" --data-dir "$DATA" "$@"; }

SERVER_PID=""
cleanup() {
    local status=$?
    set +e
    if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
        # SIGTERM is newsdesk's orderly shutdown: it stops the HTTP server and
        # then the private PostgreSQL it started.
        kill -TERM "$SERVER_PID"
        for _ in $(seq 300); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
        if kill -0 "$SERVER_PID" 2>/dev/null; then
            echo "warning: newsdesk did not stop within 30 s; killing it" >&2
            kill -KILL "$SERVER_PID"
        fi
        wait "$SERVER_PID" 2>/dev/null
    fi
    # A cluster left behind (server killed, or started by `user add` alone).
    if [ -f "$DATA/postgres/postmaster.pid" ]; then
        newsdesk_private db stop >/dev/null 2>&1 || echo "warning: could not stop the database in $DATA" >&2
    fi
    if [ "$KEEP" = 1 ]; then
        [ -d "$DATA" ] && echo "kept the database in $DATA (reuse it with --reuse)"
    else
        rm -rf "$DATA"
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
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@" >/dev/null ||
        { $SUDO apt-get update >/dev/null && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@" >/dev/null; }
}
missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v psql >/dev/null || missing+=(postgresql-client)
command -v curl >/dev/null || missing+=(curl)
command -v python3 >/dev/null || missing+=(python3)
[ -x /usr/bin/time ] || missing+=(time)
# newsdesk runs its private PostgreSQL with the server binaries it finds.
if ! command -v initdb >/dev/null && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 &&
    ! { command -v pg_config >/dev/null && [ -x "$(pg_config --bindir)/initdb" ]; }; then
    missing+=(postgresql)
fi
if [ "$TTI_RUNS" -gt 0 ]; then
    [ -n "${CHROMIUM:-}" ] || [ -x /usr/bin/chromium ] || missing+=(chromium)
    command -v node >/dev/null || missing+=(nodejs npm)
fi
if [ ${#missing[@]} -gt 0 ]; then apt_install "${missing[@]}"; fi
if [ "$TTI_RUNS" -gt 0 ] && [ ! -d node_modules/playwright-core ]; then
    echo "installing playwright-core (npm ci)"
    npm ci --no-audit --no-fund --loglevel=error
fi
echo "$(wrk --version 2>&1 | head -1 | cut -d' ' -f1-2), $(psql --version)$( [ "$TTI_RUNS" -gt 0 ] && echo ", node $(node --version), $("${CHROMIUM:-/usr/bin/chromium}" --version 2>/dev/null | head -1)")"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), load average $(loadavg)"

if [ "$BUILD" = 1 ]; then
    say "build (release)"
    # The wasm and CSS the page loads (TTI and bytes depend on them), then the
    # server binary. Either waits on cargo's lock if someone else builds.
    scripts/build-site.sh
    cargo build --release -p newsdesk --bin newsdesk
fi
[ -x "$BIN" ] || { echo "$BIN is missing (drop --skip-build)" >&2; exit 1; }
[ -f "$SITE/manifest.json" ] || { echo "$SITE/manifest.json is missing: run scripts/build-site.sh (or drop --skip-build)" >&2; exit 1; }

# --------------------------------------------------------------- 2. server
say "server"
if [ "$REUSE" = 0 ] || [ ! -d "$DATA/postgres" ]; then
    newsdesk_private db stop >/dev/null 2>&1 || true # a cluster left by an interrupted run
    rm -rf "$DATA"
fi
PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
URL="http://127.0.0.1:$PORT"
start_server() {
    # In the background as our child, so that cleanup can stop it by its pid.
    env -u DATABASE_URL -u NEWSDESK_DATABASE_URL "$BIN" serve --addr "127.0.0.1:$PORT" --data-dir "$DATA" \
        --no-poller --site-root "$SITE" --log warn >>"$LAST/server.out" 2>>"$LAST/server.log" &
    SERVER_PID=$!
    # The first start runs initdb and the migrations: allow a few minutes.
    for _ in $(seq 1800); do
        kill -0 "$SERVER_PID" 2>/dev/null || { echo "newsdesk exited before it was ready:" >&2; tail -20 "$LAST/server.log" >&2; exit 1; }
        [ "$(curl -s -o /dev/null -w '%{http_code}' "$URL/healthz" || true)" = 200 ] && break
        sleep 0.1
    done
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$URL/healthz" || true)" = 200 ] || { echo "newsdesk did not answer /healthz in 3 minutes" >&2; exit 1; }
    echo "newsdesk (pid $SERVER_PID) at $URL"
}
stop_server() {
    kill -TERM "$SERVER_PID"
    wait "$SERVER_PID" || { echo "newsdesk did not stop cleanly; see $LAST/server.log" >&2; exit 1; }
    SERVER_PID=""
}
start_server
DATABASE_URL="$(newsdesk_private db info | awk '/^DATABASE_URL:/ { print $2 }')"
[ -n "$DATABASE_URL" ] || { echo "could not read the DATABASE_URL of the private cluster" >&2; exit 1; }
sql() { psql "$DATABASE_URL" -X -q -A -t -v ON_ERROR_STOP=1 -c "$1"; }
echo "PostgreSQL: $DATABASE_URL"
if [ "$(sql "SELECT count(*) FROM members WHERE name_key = '$ADMIN'")" = 0 ]; then
    NEWSDESK_PASSWORD="$ADMIN_PASSWORD" newsdesk_private --log warn user add "$ADMIN" --role admin
else
    NEWSDESK_PASSWORD="$ADMIN_PASSWORD" newsdesk_private --log warn user set-password "$ADMIN"
fi

# ----------------------------------------------------------------- 3. seed
say "seed"
SEED_SECONDS="-"
if [ "$REUSE" = 1 ] && [ "$(sql 'SELECT count(*) FROM candidates')" -ge "$CANDIDATES" ]; then
    echo "reusing the seeded database in $DATA"
    # A migration may have rewritten the table since (which clears the
    # visibility map that index-only scans rely on), and the last run's
    # state changes left dead rows: measure a vacuumed table, as after seeding.
    sql "VACUUM ANALYZE" >/dev/null
else
    [ "$(sql 'SELECT count(*) FROM candidates')" = 0 ] || { echo "$DATA holds other data; run without --reuse" >&2; exit 1; }
    seed_start=$(date +%s.%N)
    psql "$DATABASE_URL" -X -q -v ON_ERROR_STOP=1 -v n_candidates="$CANDIDATES" -v n_feeds="$FEEDS" \
        -v n_issues="$ISSUES" -v seed="$SEED" -f "$HERE/seed.sql" >"$LAST/seed.log" 2>&1 ||
        { echo "seeding failed:" >&2; tail -20 "$LAST/seed.log" >&2; exit 1; }
    SEED_SECONDS="$(awk -v a="$seed_start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')"
    echo "seeded in ${SEED_SECONDS}s (including VACUUM ANALYZE)"
fi
read -r N_CANDIDATES N_FEEDS N_SOURCES N_VOTES N_ISSUES N_PICKS N_OPEN DB_MB < <(sql "SELECT
    (SELECT count(*) FROM candidates), (SELECT count(*) FROM feeds), (SELECT count(*) FROM candidate_sources),
    (SELECT count(*) FROM candidate_votes), (SELECT count(*) FROM issues WHERE state = 'published'),
    (SELECT count(*) FROM picks),
    (SELECT count(*) FROM candidates c WHERE state IN ('new', 'seen')
        AND NOT EXISTS (SELECT 1 FROM picks p WHERE p.candidate_id = c.id)),
    pg_database_size(current_database()) / 1048576" | tr '|' ' ')
MAX_ID="$(sql 'SELECT max(id) FROM candidates')"
echo "candidates $N_CANDIDATES (open $N_OPEN), feeds $N_FEEDS, sources $N_SOURCES, +1s $N_VOTES," \
    "published issues $N_ISSUES, picks $N_PICKS; database $DB_MB MB"
if [ "$PG_STATS" = 1 ]; then
    # Loading a library into the postmaster needs a restart: postgresql.conf
    # is the file newsdesk leaves to its owner (it rewrites newsdesk.conf).
    if ! grep -q "^shared_preload_libraries = 'pg_stat_statements'" "$DATA/postgres/postgresql.conf"; then
        printf "\n# Added by bench/inbox/run.sh --pg-stats\nshared_preload_libraries = 'pg_stat_statements'\n" \
            >>"$DATA/postgres/postgresql.conf"
    fi
    echo "restarting with pg_stat_statements"
    stop_server
    start_server
    sql "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" >/dev/null
fi
PG_PID="$(head -1 "$DATA/postgres/postmaster.pid")"

# -------------------------------------------------------------- 4. sign in
say "sign in"
# The sign-in form posts to the sign_in server function; Origin is what a
# browser sends with it (newsdesk refuses cross-origin writes).
curl -sS -i -o "$LAST/sign-in.txt" -X POST -H "Origin: $URL" \
    --data-urlencode "name=$ADMIN" --data-urlencode "password=$ADMIN_PASSWORD" --data-urlencode "next=/" \
    "$URL/api/sign_in"
SESSION="$(tr -d '\r' <"$LAST/sign-in.txt" | sed -n 's/^[Ss]et-[Cc]ookie: newsdesk_session=\([^;]*\).*/\1/p' | head -1)"
[ -n "$SESSION" ] || { echo "signing in gave no session cookie:" >&2; head -20 "$LAST/sign-in.txt" >&2; exit 1; }
COOKIE="newsdesk_session=$SESSION"
status="$(curl -sS -o "$LAST/inbox.html" -w '%{http_code}' -H "Cookie: $COOKIE" "$URL/")"
rows="$(grep -o '<article' "$LAST/inbox.html" | wc -l || true)"
if [ "$status" != 200 ] || [ "$rows" -eq 0 ]; then
    echo "GET / with the session cookie answered $status with $rows article rows (see $LAST/inbox.html)" >&2
    exit 1
fi
HTML_BYTES="$(stat -c %s "$LAST/inbox.html")"
HTML_BR_BYTES="$(curl -sS -o /dev/null -w '%{size_download}' -H "Cookie: $COOKIE" -H "Accept-Encoding: $BROWSER_ENCODING" "$URL/")"
echo "signed in as $ADMIN; GET / answers 200 with $rows rows, $HTML_BYTES bytes of HTML ($HTML_BR_BYTES compressed)"
# Latency of one request at a time on the idle server, for comparison with
# the loaded figures (median of 21).
for _ in $(seq 21); do curl -sS -o /dev/null -w '%{time_total}\n' -H "Cookie: $COOKIE" -H "Accept-Encoding: $BROWSER_ENCODING" "$URL/"; done |
    sort -n | awk '{ t[NR] = $1 } END { printf "%.1f\n", t[int((NR + 1) / 2)] * 1000 }' >"$LAST/idle-inbox-ms"
IDLE_INBOX_MS="$(cat "$LAST/idle-inbox-ms")"
echo "one request at a time: GET / in $IDLE_INBOX_MS ms (median of 21)"

# ------------------------------------------------------------------ 5. wrk
declare -A R # results, by "run:field"
TICKS="$(getconf CLK_TCK)"
# CPU ticks so far of a process and its children, live and reaped (the pool's
# PostgreSQL backends are children of the postmaster).
tree_cpu() {
    local pid="$1" total=0 child
    for child in "$pid" $(pgrep -P "$pid" || true); do
        total=$((total + $(sed 's/.*) //' "/proc/$child/stat" 2>/dev/null | awk '{ print $12 + $13 + $14 + $15 }' || echo 0)))
    done
    echo "$total"
}
cpu_since() { awk -v a="$1" -v b="$2" -v hz="$TICKS" 'BEGIN { printf "%.1f", (b - a) / hz }'; }
# run_wrk NAME LABEL SCRIPT PATH [wrk -H arguments...]; environment for the
# Lua script (SEARCH_PATH, MAX_ID) is inherited.
run_wrk() {
    local name="$1" label="$2" script="$3" path="$4"
    shift 4
    say "$label (load average $(loadavg))"
    if [ "$WARMUP" != 0 ] && [ "$WARMUP" != 0s ]; then
        wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" "$@" -s "$HERE/$script" "$URL$path" >"$LAST/$name.warmup.txt" 2>&1 ||
            { echo "wrk failed:" >&2; cat "$LAST/$name.warmup.txt" >&2; exit 1; }
    fi
    [ "$PG_STATS" = 1 ] && sql "SELECT pg_stat_statements_reset()" >/dev/null
    local nd_before pg_before
    nd_before="$(tree_cpu "$SERVER_PID")"
    pg_before="$(tree_cpu "$PG_PID")"
    /usr/bin/time -f '%U %S' -o "$LAST/$name.time" \
        wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --timeout 10s "$@" -s "$HERE/$script" "$URL$path" \
        >"$LAST/$name.txt" 2>&1 || { echo "wrk failed:" >&2; cat "$LAST/$name.txt" >&2; exit 1; }
    R[$name:cpu_nd]="$(cpu_since "$nd_before" "$(tree_cpu "$SERVER_PID")")"
    R[$name:cpu_pg]="$(cpu_since "$pg_before" "$(tree_cpu "$PG_PID")")"
    R[$name:cpu_wrk]="$(awk '{ printf "%.1f", $1 + $2 }' "$LAST/$name.time")"
    local line field
    line="$(grep '^RESULT ' "$LAST/$name.txt" || true)"
    [ -n "$line" ] || { echo "wrk printed no RESULT line:" >&2; cat "$LAST/$name.txt" >&2; exit 1; }
    for field in ${line#RESULT }; do R[$name:${field%%=*}]="${field#*=}"; done
    # CPU per request: what bounds throughput when the cores are saturated.
    R[$name:nd_ms]="$(awk -v s="${R[$name:cpu_nd]}" -v n="${R[$name:requests]}" 'BEGIN { printf "%.2f", n ? s * 1000 / n : 0 }')"
    R[$name:pg_ms]="$(awk -v s="${R[$name:cpu_pg]}" -v n="${R[$name:requests]}" 'BEGIN { printf "%.2f", n ? s * 1000 / n : 0 }')"
    local bad socket
    bad=$((${R[$name:s3xx]} + ${R[$name:s4xx]} + ${R[$name:s5xx]} + ${R[$name:other]}))
    socket=$((${R[$name:connect_errors]} + ${R[$name:read_errors]} + ${R[$name:write_errors]} + ${R[$name:timeouts]}))
    R[$name:bad]=$((bad + socket))
    printf '%s requests, %s/s; latency ms p50 %s, p95 %s, p99 %s, max %s; non-2xx %s, socket errors %s\n' \
        "${R[$name:requests]}" "${R[$name:rps]}" "${R[$name:p50_ms]}" "${R[$name:p95_ms]}" "${R[$name:p99_ms]}" \
        "${R[$name:max_ms]}" "$bad" "$socket"
    printf 'CPU seconds over %s: newsdesk %s, PostgreSQL %s, wrk %s; per request: newsdesk %s ms, PostgreSQL %s ms\n' \
        "$DURATION" "${R[$name:cpu_nd]}" "${R[$name:cpu_pg]}" "${R[$name:cpu_wrk]}" "${R[$name:nd_ms]}" "${R[$name:pg_ms]}"
    if [ "$PG_STATS" = 1 ]; then
        # Time in PostgreSQL's executor by statement (planning not
        # included), per request of this run. It is wall time: under load it
        # includes waiting for a core, so compare shares, not sums with CPU.
        psql "$DATABASE_URL" -X -q -P pager=off -v ON_ERROR_STOP=1 -c "SELECT calls,
                round((total_exec_time / ${R[$name:requests]})::numeric, 3) AS ms_per_request,
                round(mean_exec_time::numeric, 3) AS ms_per_call,
                (shared_blks_hit + shared_blks_read) / greatest(calls, 1) AS blocks_per_call,
                left(regexp_replace(query, '\s+', ' ', 'g'), 100) AS statement
            FROM pg_stat_statements WHERE query NOT LIKE '%pg_stat_statements%'
            ORDER BY total_exec_time DESC LIMIT 8" >"$LAST/$name.sql.txt"
        head -7 "$LAST/$name.sql.txt"
        echo "(pg_stat_statements: executor wall time per request and per call; the whole list in $LAST/$name.sql.txt)"
    fi
    # Figures from a run where requests failed measure the failure: say so
    # loudly (more than 1 %), and make the whole run exit non-zero.
    if [ $((${R[$name:bad]} * 100)) -gt "${R[$name:requests]}" ]; then
        echo "ERROR: $label: ${R[$name:bad]} of ${R[$name:requests]} requests failed (non-2xx or socket errors); see $LAST/$name.txt and $LAST/server.log" >&2
        FAILED+=("$label")
    fi
}
FAILED=()
SESSION_HEADER=(-H "Cookie: $COOKIE")
BROWSER_HEADERS=(-H "Cookie: $COOKIE" -H "Accept-Encoding: $BROWSER_ENCODING")
run_wrk inbox "inbox: GET /, compressed as for a browser" inbox.lua / "${BROWSER_HEADERS[@]}"
run_wrk inbox_raw "inbox: GET /, uncompressed" inbox.lua / "${SESSION_HEADER[@]}"
SEARCH_PATH="/?q=" run_wrk search "search: GET /?q=… (page)" search.lua / "${BROWSER_HEADERS[@]}"
SEARCH_PATH="/api/v1/candidates?q=" run_wrk search_api "search: GET /api/v1/candidates?q=… (JSON)" search.lua / "${BROWSER_HEADERS[@]}"
MAX_ID="$MAX_ID" run_wrk state "set state: POST /api/set_state" state.lua / "${SESSION_HEADER[@]}" \
    -H "Origin: $URL" -H "Content-Type: application/x-www-form-urlencoded" -H "Accept: application/json"

# ------------------------------------------------------------------ 6. TTI
TTI_COLD="-"; TTI_WARM="-"; BYTES_COLD="-"; BYTES_WARM="-"; DECODED="-"
if [ "$TTI_RUNS" -gt 0 ]; then
    say "time to interactive in headless Chromium ($TTI_RUNS navigations; load average $(loadavg))"
    node "$HERE/tti.mjs" "$URL" "$SESSION" "$TTI_RUNS" >"$LAST/tti.jsonl" 2>"$LAST/tti.log" ||
        { echo "the browser run failed:" >&2; tail -20 "$LAST/tti.log" >&2; exit 1; }
    # Cold: the first navigation; warm: the median of the others.
    read -r TTI_COLD BYTES_COLD TTI_WARM BYTES_WARM DECODED < <(node -e '
        const runs = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map(JSON.parse);
        const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[Math.floor((s.length - 1) / 2)] : NaN; };
        const warm = runs.slice(1);
        const fmt = (x) => Number.isNaN(x) ? "-" : String(Math.round(x));
        console.log([runs[0].tti_ms, runs[0].transfer, median(warm.map((r) => r.tti_ms)),
                     median(warm.map((r) => r.transfer)), runs[0].decoded].map(fmt).join(" "));
    ' "$LAST/tti.jsonl")
    # shellcheck disable=SC2016 # JavaScript template literals, not shell
    node -e '
        for (const line of require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n")) {
            const r = JSON.parse(line);
            const parts = r.resources.map((x) => `${x.name.replace(/^.*\//, "")} ${x.transfer}`).join(", ");
            console.log(`run ${r.run} (${r.cache}): TTI ${Math.round(r.tti_ms)} ms (first byte ${Math.round(r.ttfb_ms)}, ` +
                `HTML done ${Math.round(r.html_ms)}, DOMContentLoaded ${Math.round(r.dcl_ms)}); ${r.articles} rows; ` +
                `transferred ${r.transfer} B: HTML ${r.html.transfer}${parts ? ", " + parts : ""}`);
        }' "$LAST/tti.jsonl"
fi

# ---------------------------------------------------------------- 7. table
verdict() { if awk -v a="$1" -v op="$2" -v b="$3" 'BEGIN { exit !(op == ">=" ? a >= b : a <= b) }'; then echo "met"; else echo "MISSED"; fi; }
kb() { if [ "$1" = "-" ]; then echo "-"; else awk -v b="$1" 'BEGIN { printf "%.1f", b / 1024 }'; fi; }

say "results: $N_CANDIDATES candidates, $N_FEEDS feeds, $N_ISSUES published issues; $(nproc) cores, load average $(loadavg)"
echo "wrk: $CONNECTIONS connections, $THREADS threads, $DURATION per run after a $WARMUP warm-up, loopback"
row='%-22s %9s %8s %8s %8s %8s %6s  %8s %8s %7s\n'
# shellcheck disable=SC2059
printf "$row" run "req/s" p50_ms p95_ms p99_ms max_ms failed nd_ms/rq pg_ms/rq wrk_cpu
for run in inbox inbox_raw search search_api state; do
    case $run in
    inbox) label="inbox (br)" ;;
    inbox_raw) label="inbox (uncompressed)" ;;
    search) label="search page" ;;
    search_api) label="search API (JSON)" ;;
    state) label="set state" ;;
    esac
    # shellcheck disable=SC2059
    printf "$row" "$label" "${R[$run:rps]}" "${R[$run:p50_ms]}" "${R[$run:p95_ms]}" "${R[$run:p99_ms]}" \
        "${R[$run:max_ms]}" "${R[$run:bad]}" "${R[$run:nd_ms]}" "${R[$run:pg_ms]}" "${R[$run:cpu_wrk]}"
done
echo "(failed: non-2xx answers and socket errors; nd_ms/rq, pg_ms/rq: CPU milliseconds of newsdesk and of"
echo " PostgreSQL per request; wrk_cpu: CPU seconds of wrk in the run. $(nproc) cores give $(nproc)000 CPU ms per second)"
echo
printf '%-40s %12s %12s  %s\n' target wanted measured verdict
printf '%-40s %12s %12s  %s\n' "inbox p99, ms" "<= $TARGET_INBOX_P99_MS" "${R[inbox:p99_ms]}" "$(verdict "${R[inbox:p99_ms]}" "<=" "$TARGET_INBOX_P99_MS")"
printf '%-40s %12s %12s  %s\n' "inbox pages/s" ">= $TARGET_INBOX_RPS" "${R[inbox:rps]}" "$(verdict "${R[inbox:rps]}" ">=" "$TARGET_INBOX_RPS")"
printf '%-40s %12s %12s  %s\n' "search p95, ms (page)" "<= $TARGET_SEARCH_P95_MS" "${R[search:p95_ms]}" "$(verdict "${R[search:p95_ms]}" "<=" "$TARGET_SEARCH_P95_MS")"
echo
printf '%-40s %12s %12s\n' figure cold warm
printf '%-40s %12s %12s\n' "time to interactive, ms" "$TTI_COLD" "$TTI_WARM"
printf '%-40s %12s %12s\n' "transferred, KiB (HTML + assets)" "$(kb "$BYTES_COLD")" "$(kb "$BYTES_WARM")"
printf '%-40s %12s\n' "unpacked, KiB (HTML + assets)" "$(kb "$DECODED")"
printf '%-40s %12s\n' "inbox HTML, KiB (uncompressed / br)" "$(kb "$HTML_BYTES") / $(kb "$HTML_BR_BYTES")"
printf '%-40s %12s\n' "inbox, one request at a time, ms" "$IDLE_INBOX_MS"
printf '%-40s %12s\n' "seeding, s" "$SEED_SECONDS"
printf '%-40s %12s\n' "database size, MB" "$DB_MB"
echo
echo "whole run: $((SECONDS - STARTED_AT)) s; logs and wrk output: $LAST"
if [ ${#FAILED[@]} -gt 0 ]; then
    echo "ERROR: too many failed requests in: ${FAILED[*]} (the figures of those runs are not valid)" >&2
    exit 1
fi
