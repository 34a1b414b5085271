#!/usr/bin/env bash
# `make run`: install what is missing, build in release mode, start newsdesk
# with its private PostgreSQL under ./data. Extra flags and NEWSDESK_*
# variables pass through, e.g. `NEWSDESK_ADDR=0.0.0.0:3000 make run`.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/bootstrap.sh --no-build-tools
# On a fresh machine the build tools (wasm-bindgen-cli, the wasm splitter)
# compile for minutes: let them, while cargo builds the server and the wasm.
tools_log=$(mktemp)
./scripts/bootstrap.sh --build-tools-only >"$tools_log" 2>&1 &
tools_pid=$!
cargo build --quiet --release -p newsdesk
./scripts/build-site.sh --compile-only
if ! wait "$tools_pid"; then
  cat "$tools_log" >&2
  rm -f "$tools_log"
  exit 1
fi
cat "$tools_log"
rm -f "$tools_log"
./scripts/build-site.sh

# As root, PostgreSQL runs as the postgres user, who cannot reach ./data in
# a checkout under a private directory such as /root: keep data in
# /var/lib/newsdesk then (unless a data directory was chosen).
if [ -z "${NEWSDESK_DATA_DIR:-}" ] && [ "$(id -u)" -eq 0 ] && id postgres >/dev/null 2>&1 \
   && ! runuser -u postgres -- test -x "$PWD"; then
  export NEWSDESK_DATA_DIR=/var/lib/newsdesk
  echo "run: the postgres user cannot enter $PWD, so data goes to $NEWSDESK_DATA_DIR"
fi
exec target/release/newsdesk serve "$@"
