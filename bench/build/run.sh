#!/usr/bin/env bash
# How long `make run` takes from a fresh clone until newsdesk answers, cold
# (nothing built, no crate or npm cache, no build tools) and warm (the same
# clone again, nothing changed). A benchmark: it prints the figures next to
# the targets (cold <= 14 min, warm <= 30 s) and passes or fails nothing.
#
#   bench/build/run.sh [--rev REV] [--keep]
#
# It clones REV (default HEAD) of this repository into a scratch directory
# and runs `make run` there with
#   - an empty CARGO_HOME (crates are downloaded from the registry, and
#     wasm-bindgen-cli is compiled, as on a fresh machine),
#   - an empty npm cache,
#   - a PATH holding only the system's directories and rustup's cargo and
#     rustc (no tool this machine installed earlier, e.g. wasm-bindgen),
# NEWSDESK_ADDR set to a free loopback port and its own data directory, and
# stops it once /healthz answers 200. What it cannot make fresh: the Rust
# toolchain (rustup's, with its wasm target), Node, and the Debian packages
# (PostgreSQL, git): a fresh machine spends about a minute more on those.
# The scratch directory (several GB) is removed unless --keep.
set -euo pipefail

REV=HEAD
KEEP=0
while [ $# -gt 0 ]; do
    case "$1" in
    --rev) REV="$2"; shift 2 ;;
    --keep) KEEP=1; shift ;;
    -h | --help) sed -n '2,/^$/{s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
    esac
done

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
REV="$(git -C "$ROOT" rev-parse --short=12 "$REV^{commit}")"
SCRATCH="$(mktemp -d "${TMPDIR:-/tmp}/newsdesk-bench-build.XXXXXX")"
# As root, PostgreSQL runs as the postgres user: it must reach the data.
chmod 755 "$SCRATCH"
SERVER_PID=""
# `make run` ends in `exec newsdesk serve`, under make: the whole process
# group is stopped (job control gives each background job its own).
set -m
stop() {
    if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM -- "-$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    SERVER_PID=""
}
cleanup() {
    stop
    [ $KEEP -eq 1 ] && echo "kept: $SCRATCH" || rm -rf "$SCRATCH"
}
trap cleanup EXIT

git clone --quiet --no-local "$ROOT" "$SCRATCH/clone"
git -C "$SCRATCH/clone" checkout --quiet "$REV"
# Only rustup's proxies from ~/.cargo/bin: cargo-installed tools stay out.
mkdir -p "$SCRATCH/bin" "$SCRATCH/cargo-home/bin"
for tool in cargo rustc rustup; do
    ln -s "$(command -v "$tool")" "$SCRATCH/bin/$tool"
done
# rustup's proxies find the toolchain through RUSTUP_HOME, not CARGO_HOME.
export RUSTUP_HOME="${RUSTUP_HOME:-$HOME/.rustup}"
export CARGO_HOME="$SCRATCH/cargo-home"
export npm_config_cache="$SCRATCH/npm-cache"
export PATH="$CARGO_HOME/bin:$SCRATCH/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
export NEWSDESK_DATA_DIR="$SCRATCH/data"
unset DATABASE_URL NEWSDESK_DATABASE_URL CARGO_TARGET_DIR
PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
export NEWSDESK_ADDR="127.0.0.1:$PORT"

# One `make run`: seconds until /healthz answers 200 (into RESULT), then
# stopped.
RESULT=""
run_once() {
    local log="$1" start now
    start=$(date +%s.%N)
    (cd "$SCRATCH/clone" && exec make run) >"$log" 2>&1 &
    SERVER_PID=$!
    until curl -fsS -o /dev/null "http://$NEWSDESK_ADDR/healthz" 2>/dev/null; do
        if ! kill -0 "$SERVER_PID" 2>/dev/null; then
            echo "make run ended before newsdesk answered; its log:" >&2
            tail -40 "$log" >&2
            exit 1
        fi
        sleep 1
    done
    now=$(date +%s.%N)
    stop
    RESULT=$(python3 -c "print(f'{$now - $start:.1f}')")
}

echo "== make run from a fresh clone of $REV (load average $(cut -d' ' -f1-3 /proc/loadavg))"
run_once "$SCRATCH/cold.log"
cold=$RESULT
echo "cold: $cold s"
run_once "$SCRATCH/warm.log"
warm=$RESULT
echo "warm: $warm s"
python3 - "$cold" "$warm" <<'EOF'
import sys
cold, warm = map(float, sys.argv[1:])
print(f"{'figure':<28}{'target':>10}{'measured':>12}  verdict")
for name, target, value in (("make run, cold, min", 14, cold / 60), ("make run, warm, s", 30, warm)):
    print(f"{name:<28}{'<= ' + str(target):>10}{value:>12.1f}  {'met' if value <= target else 'missed'}")
EOF
