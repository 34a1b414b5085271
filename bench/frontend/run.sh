#!/usr/bin/env bash
# The front-end benchmark: how much JavaScript + wasm the inbox and the
# editor need before they are interactive, and how long the inbox takes to
# become interactive on a real-world network, for this build and for an
# older one side by side. It prints figures next to the targets; it passes
# or fails nothing (it exits non-zero only when it could not measure).
#
#   bench/frontend/run.sh [--base REV] [--runs 5] [--candidates 5000] [--skip-build]
#
# Run from anywhere in the repository. It
#   1. builds the release browser assets of this checkout
#      (scripts/build-site.sh) and `newsdesk` in release mode, and the
#      browser assets and the server of REV (default: where this branch
#      left main, `git merge-base HEAD main`) in a temporary git worktree,
#      with its own scripts/build-site.sh, into target/bench/frontend/base-REV
#      (kept: built once per REV; its cargo target directory is
#      target/bench/frontend/base-target; NEWSDESK_BASE_BIN=path gives a
#      server of REV already built);
#   2. prints the gzip (and brotli) sizes of the JS + wasm the inbox and the
#      editor load (bench/frontend/sizes.mjs): targets <= 350 KiB and <= 600 KiB
#      gzipped, and how much of the inbox's are the UI languages' catalogue
#      strings (bench/frontend/catalogue_cost.mjs);
#   3. for each build in turn, starts its own `newsdesk serve --no-poller`
#      with a fresh private PostgreSQL under target/bench/frontend-data,
#      seeds CANDIDATES candidates
#      (bench/inbox/seed.sql), signs in, and measures the inbox's time to
#      interactive (a keyboard shortcut works) in headless Chromium with the
#      network emulated at 10 Mbit/s and 40 ms latency (bench/frontend/tti.mjs),
#      RUNS cold navigations (empty cache) and RUNS warm ones:
#      targets: median cold <= 1000 ms, median warm <= 400 ms;
#   4. stops the server and removes the data.
# Each build is served by its own server: a wasm hydrates only the HTML its
# own components render.
set -euo pipefail

BASE=""
RUNS=5
CANDIDATES=5000
BUILD=1
usage() { sed -n '2,/^$/{s/^# \{0,1\}//;p}' "$0"; }
while [ $# -gt 0 ]; do
    case "$1" in
    --base) BASE="$2"; shift 2 ;;
    --runs) RUNS="$2"; shift 2 ;;
    --candidates) CANDIDATES="$2"; shift 2 ;;
    --skip-build) BUILD=0; shift ;;
    -h | --help) usage; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
    esac
done
[[ "$RUNS" =~ ^[0-9]+$ && "$RUNS" -ge 1 ]] || { echo "--runs: a positive number" >&2; exit 2; }
[[ "$CANDIDATES" =~ ^[0-9]+$ && "$CANDIDATES" -ge 100 ]] || { echo "--candidates: at least 100" >&2; exit 2; }

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
HERE="$ROOT/bench/frontend"
BENCH="$ROOT/target/bench/frontend"
DATA="$ROOT/target/bench/frontend-data"
BIN="$ROOT/target/release/newsdesk"
SITE="$ROOT/target/site"
mkdir -p "$BENCH"
ADMIN=bench
ADMIN_PASSWORD="bench-frontend-not-a-secret"
[ -n "$BASE" ] || BASE="$(git merge-base HEAD main)"
BASE="$(git rev-parse --short=12 "$BASE^{commit}")"
BASE_SITE="$BENCH/base-$BASE/site"

say() { printf '\n== %s\n' "$*"; }
BASE_BIN="$BENCH/base-$BASE/newsdesk"
# The build being measured: its server, which serves its own site.
CURRENT_BIN="$BIN"
newsdesk_private() { env -u DATABASE_URL -u NEWSDESK_DATABASE_URL "$CURRENT_BIN" --data-dir "$DATA" "$@"; }
SERVER_PID=""
WORKTREE=""
stop_server() {
    if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID"
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    SERVER_PID=""
}
cleanup() {
    local status=$?
    set +e
    stop_server
    [ -f "$DATA/postgres/postmaster.pid" ] && newsdesk_private db stop >/dev/null 2>&1
    rm -rf "$DATA"
    if [ -n "$WORKTREE" ]; then git worktree remove --force "$WORKTREE" >/dev/null 2>&1; rm -rf "$WORKTREE"; fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------- 1. build
if [ "$BUILD" = 1 ]; then
    say "build this checkout (release)"
    scripts/bootstrap.sh
    scripts/build-site.sh
    cargo build --release -p newsdesk --bin newsdesk
fi
[ -x "$BIN" ] || { echo "$BIN is missing (drop --skip-build)" >&2; exit 1; }
[ -f "$SITE/manifest.json" ] || { echo "$SITE/manifest.json is missing (drop --skip-build)" >&2; exit 1; }
if [ ! -f "$BASE_SITE/manifest.json" ]; then
    say "build the browser assets of $BASE (once)"
    WORKTREE="$(mktemp -d "${TMPDIR:-/tmp}/newsdesk-bench-base.XXXXXX")"
    git worktree add --detach "$WORKTREE" "$BASE" >/dev/null
    ln -s "$ROOT/node_modules" "$WORKTREE/node_modules"
    # Its own target directory (the dependencies compile once), seen from the
    # worktree as target/ so that its build script finds its output.
    mkdir -p "$BENCH/base-target"
    ln -s "$BENCH/base-target" "$WORKTREE/target"
    rm -rf "$BENCH/base-target/site"
    (cd "$WORKTREE" && scripts/build-site.sh)
    rm -rf "$BASE_SITE"
    mkdir -p "$(dirname "$BASE_SITE")"
    cp -a "$BENCH/base-target/site" "$BASE_SITE"
    git worktree remove --force "$WORKTREE"
    WORKTREE=""
fi
# The base build's own server: the HTML its wasm hydrates must be the one
# its components render (a newer server's pages differ, and hydration then
# stops). NEWSDESK_BASE_BIN names one already built.
if [ -n "${NEWSDESK_BASE_BIN:-}" ]; then
    mkdir -p "$(dirname "$BASE_BIN")"
    cp "$NEWSDESK_BASE_BIN" "$BASE_BIN"
fi
if [ ! -x "$BASE_BIN" ]; then
    say "build the server of $BASE (once)"
    WORKTREE="$(mktemp -d "${TMPDIR:-/tmp}/newsdesk-bench-base.XXXXXX")"
    git worktree add --detach "$WORKTREE" "$BASE" >/dev/null
    (cd "$WORKTREE" && SQLX_OFFLINE=true cargo build --release -p newsdesk --bin newsdesk \
        --target-dir "$BENCH/base-target")
    mkdir -p "$(dirname "$BASE_BIN")"
    cp "$BENCH/base-target/release/newsdesk" "$BASE_BIN"
    git worktree remove --force "$WORKTREE"
    WORKTREE=""
fi

# ---------------------------------------------------------------- 2. sizes
say "JS + wasm needed (sizes.mjs)"
node "$HERE/sizes.mjs" "$BASE_SITE" >"$BENCH/sizes-base.json"
node "$HERE/sizes.mjs" "$SITE" >"$BENCH/sizes-new.json"
node "$HERE/catalogue_cost.mjs" "$BASE_SITE" >"$BENCH/catalogue-base.json"
node "$HERE/catalogue_cost.mjs" "$SITE" >"$BENCH/catalogue-new.json"
kib() { node -e 'const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); const v = r[process.argv[2]][process.argv[3]]; console.log(v ? Math.round(v / 1024) : "-")' "$@"; }
files() { node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))[process.argv[2]].files)' "$@"; }

# ------------------------------------------------------- 3. server and TTI
PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
URL="http://127.0.0.1:$PORT"
start_server() {
    env -u DATABASE_URL -u NEWSDESK_DATABASE_URL "$CURRENT_BIN" serve --addr "127.0.0.1:$PORT" --data-dir "$DATA" \
        --no-poller --site-root "$1" --log warn >>"$BENCH/server.log" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 1800); do
        kill -0 "$SERVER_PID" 2>/dev/null || { echo "newsdesk exited before it was ready:" >&2; tail -20 "$BENCH/server.log" >&2; exit 1; }
        [ "$(curl -s -o /dev/null -w '%{http_code}' "$URL/healthz" || true)" = 200 ] && return 0
        sleep 0.1
    done
    echo "newsdesk did not answer /healthz in 3 minutes" >&2
    exit 1
}
# A fresh database for each build (each migrates its own schema): an admin
# and CANDIDATES candidates from the inbox benchmark's seed, up to its
# published issues (the inbox needs the candidates alone, and the issues'
# tables differ between builds).
sed -n '1,/^-- -* issues$/p' "$ROOT/bench/inbox/seed.sql" >"$BENCH/seed.sql"
echo "COMMIT;" >>"$BENCH/seed.sql"
seed() {
    local database_url seeded
    database_url="$(newsdesk_private db info | awk '/^DATABASE_URL:/ { print $2 }')"
    NEWSDESK_PASSWORD="$ADMIN_PASSWORD" newsdesk_private --log warn user add "$ADMIN" --role admin
    psql "$database_url" -X -q -v ON_ERROR_STOP=1 -v n_candidates="$CANDIDATES" -v n_feeds=1000 \
        -v n_issues=0 -v seed=0.42 -f "$BENCH/seed.sql" >"$BENCH/seed.log" 2>&1 ||
        { echo "seeding failed:" >&2; tail -20 "$BENCH/seed.log" >&2; exit 1; }
    seeded="$(psql "$database_url" -X -q -A -t -c 'SELECT count(*) FROM candidates')"
    psql "$database_url" -X -q -c 'VACUUM ANALYZE' >/dev/null
    echo "$seeded candidates"
}
sign_in() {
    curl -sS -i -X POST -H "Origin: $URL" --data-urlencode "name=$ADMIN" \
        --data-urlencode "password=$ADMIN_PASSWORD" --data-urlencode "next=/" "$URL/api/sign_in" |
        tr -d '\r' | sed -n 's/^[Ss]et-[Cc]ookie: newsdesk_session=\([^;]*\).*/\1/p' | head -1
}
: >"$BENCH/server.log"
declare -A TTI
for build in base new; do
    site="$SITE"
    CURRENT_BIN="$BIN"
    if [ "$build" = base ]; then site="$BASE_SITE"; CURRENT_BIN="$BASE_BIN"; fi
    say "server of the $build build"
    stop_server
    [ -f "$DATA/postgres/postmaster.pid" ] && newsdesk_private db stop >/dev/null 2>&1
    rm -rf "$DATA"
    start_server "$site"
    seed
    session="$(sign_in)"
    [ -n "$session" ] || { echo "signing in gave no session cookie" >&2; exit 1; }
    say "time to interactive, $build build ($RUNS cold, $RUNS warm)"
    node "$HERE/tti.mjs" "$URL" "$session" "$RUNS" | tee "$BENCH/tti-$build.jsonl"
    last="$(tail -1 "$BENCH/tti-$build.jsonl")"
    TTI[$build:cold]="$(node -e 'console.log(JSON.parse(process.argv[1]).median_cold_ms)' "$last")"
    TTI[$build:warm]="$(node -e 'console.log(JSON.parse(process.argv[1]).median_warm_ms)' "$last")"
done
stop_server

# ---------------------------------------------------------------- 5. table
verdict() { if [ "$1" = - ]; then echo "-"; elif [ "$1" -le "$2" ]; then echo "met"; else echo "MISSED"; fi; }
say "results: $BASE (base) -> $(git rev-parse --short=12 HEAD)$(git diff --quiet HEAD || echo '+changes') (new)"
printf '%-52s %10s %10s %8s %s\n' "figure" "base" "new" "target" ""
row() { printf '%-52s %10s %10s %8s %s\n' "$1" "$2" "$3" "${4:--}" "$( [ -n "${4:-}" ] && verdict "$3" "$4")"; }
row "inbox: JS + wasm to interactive, KiB gzip" "$(kib "$BENCH/sizes-base.json" inbox gzip)" "$(kib "$BENCH/sizes-new.json" inbox gzip)" 350
row "inbox: the same, KiB brotli (what Chromium gets)" "$(kib "$BENCH/sizes-base.json" inbox brotli)" "$(kib "$BENCH/sizes-new.json" inbox brotli)"
row "inbox: of it, UI strings (en + ja), KiB gzip" "$(kib "$BENCH/catalogue-base.json" both gzip)" "$(kib "$BENCH/catalogue-new.json" both gzip)"
row "inbox: files" "$(files "$BENCH/sizes-base.json" inbox)" "$(files "$BENCH/sizes-new.json" inbox)"
row "editor: JS + wasm to interactive, KiB gzip" "$(kib "$BENCH/sizes-base.json" editor gzip)" "$(kib "$BENCH/sizes-new.json" editor gzip)" 600
row "editor: the same, KiB brotli" "$(kib "$BENCH/sizes-base.json" editor brotli)" "$(kib "$BENCH/sizes-new.json" editor brotli)"
row "inbox TTI, 10 Mbit/s 40 ms, cold cache, median ms" "${TTI[base:cold]}" "${TTI[new:cold]}" 1000
row "inbox TTI, 10 Mbit/s 40 ms, warm cache, median ms" "${TTI[base:warm]}" "${TTI[new:warm]}" 400
echo "(medians of $RUNS; every navigation in $BENCH/tti-*.jsonl; machine load average $(cut -d' ' -f1-3 /proc/loadavg))"
