#!/usr/bin/env bash
# `make run`: install what is missing, build in release mode, start newsdesk
# with its private PostgreSQL under ./data. Extra flags and NEWSDESK_*
# variables pass through, e.g. `NEWSDESK_ADDR=0.0.0.0:3000 make run`.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/bootstrap.sh --no-build-tools
# On a fresh machine three builds take minutes each: the build tools
# (wasm-bindgen-cli, the wasm splitter), the server and the wasm. They run
# side by side: each ends in long single-threaded steps (the wasm's one
# codegen unit and LTO, the app and server crates), which would leave a
# core idle if they ran one after the other. The server and the wasm have
# their own profile directories, so cargo does not make one wait for the
# other.
tools_log=$(mktemp)
wasm_log=$(mktemp)
trap 'rm -f "$tools_log" "$wasm_log"' EXIT
./scripts/bootstrap.sh --build-tools-only >"$tools_log" 2>&1 &
tools_pid=$!
./scripts/build-site.sh --compile-only >"$wasm_log" 2>&1 &
wasm_pid=$!
cargo build --quiet --release -p newsdesk
for job in "tools:$tools_pid:$tools_log" "wasm:$wasm_pid:$wasm_log"; do
  IFS=: read -r name pid log <<<"$job"
  if ! wait "$pid"; then
    echo "run: the $name build failed:" >&2
    cat "$log" >&2
    exit 1
  fi
  cat "$log"
done
rm -f "$tools_log" "$wasm_log"
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
