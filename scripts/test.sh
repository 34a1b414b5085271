#!/usr/bin/env bash
# `make test`: every check CI runs, ending with one line "N passed, N failed".
# Runs against a private PostgreSQL cluster started here and removed at exit.
set -uo pipefail
cd "$(dirname "$0")/.."

./scripts/bootstrap.sh --test || { echo "0 passed, 1 failed"; exit 1; }

passed=0
failed=0
log_dir=target/test-logs
mkdir -p "$log_dir"

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

# A check that is one pass or one failure (formatting, lints, builds).
check() {
  local name=$1; shift
  say "$name"
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAILED: $name"; fi
}

check "cargo fmt --check" cargo fmt --all --check
check "clippy (server, ssr)" cargo clippy --workspace --all-targets -- -D warnings
check "clippy (browser, hydrate)" cargo clippy -p newsdesk-app --all-targets --target wasm32-unknown-unknown \
  --no-default-features --features hydrate -- -D warnings
check "build browser assets" ./scripts/build-site.sh
check "build newsdesk" cargo build -p newsdesk

say "start the test PostgreSQL cluster"
# In the system temp directory, not under target/: as root, PostgreSQL runs
# as the postgres user, who may not be able to enter the checkout's parents.
test_db=$(mktemp -d "${TMPDIR:-/tmp}/newsdesk-test-db.XXXXXX")
stop_test_db() {
  target/debug/newsdesk db stop --data-dir "$test_db" >/dev/null 2>&1
  rm -rf "$test_db"
}
trap stop_test_db EXIT
if ! NEWSDESK_TEST_DATABASE_URL=$(env -u DATABASE_URL -u NEWSDESK_DATABASE_URL \
      target/debug/newsdesk db start --data-dir "$test_db"); then
  echo "cannot start the test database"
  echo "$passed passed, $((failed + 1)) failed"
  exit 1
fi
export NEWSDESK_TEST_DATABASE_URL
echo "$NEWSDESK_TEST_DATABASE_URL"

say "Rust tests"
cargo test --workspace 2>&1 | tee "$log_dir/cargo-test.log"
cargo_status=${PIPESTATUS[0]}
read -r rust_passed rust_failed < <(awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } } END { print p + 0, f + 0 }' "$log_dir/cargo-test.log")
passed=$((passed + rust_passed))
failed=$((failed + rust_failed))
# A build failure or crash produces no result line: count it.
if [ "$cargo_status" -ne 0 ] && [ "$rust_failed" -eq 0 ]; then failed=$((failed + 1)); fi

say "Browser tests (headless Chromium)"
node --test --test-reporter=spec --test-concurrency=1 tests/browser/ 2>&1 | tee "$log_dir/browser.log"
node_status=${PIPESTATUS[0]}
browser_passed=$(awk '/^ℹ pass / { print $3 }' "$log_dir/browser.log" | tail -n 1)
browser_failed=$(awk '/^ℹ (fail|cancelled) / { s += $3 } END { print s + 0 }' "$log_dir/browser.log")
passed=$((passed + ${browser_passed:-0}))
failed=$((failed + browser_failed))
if [ "$node_status" -ne 0 ] && [ "$browser_failed" -eq 0 ]; then failed=$((failed + 1)); fi

echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
