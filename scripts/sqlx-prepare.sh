#!/usr/bin/env bash
# Refreshes the committed query data in .sqlx/ (used by the sqlx macros so
# that builds need no database). Run after changing a query or a migration.
#
# It starts a throwaway cluster with an already-built newsdesk (the sources
# being prepared may not compile offline yet), applies migrations/ with psql
# and re-runs the macros against it. The macros write into a scratch
# directory that replaces .sqlx/ only once the whole check has passed: a
# failing query or migration leaves the previous data, and offline builds,
# as they were.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x target/debug/newsdesk ] || cargo build --quiet -p newsdesk
dir=$(mktemp -d "${TMPDIR:-/tmp}/newsdesk-sqlx-prepare.XXXXXX")
scratch=$(mktemp -d "${TMPDIR:-/tmp}/newsdesk-sqlx-data.XXXXXX")
cleanup() {
  target/debug/newsdesk db stop --data-dir "$dir" >/dev/null 2>&1
  rm -rf "$dir" "$scratch" .sqlx.new
}
trap cleanup EXIT
url=$(env -u DATABASE_URL target/debug/newsdesk db start --data-dir "$dir")
for migration in migrations/*.sql; do
  psql -q -v ON_ERROR_STOP=1 "$url" -f "$migration"
done
# Touch the crates so the macros run again, writing their data to $scratch.
touch app/src/lib.rs server/src/lib.rs
SQLX_OFFLINE=false SQLX_OFFLINE_DIR="$scratch" DATABASE_URL=$url \
  cargo check --quiet --workspace --all-targets
# Copy next to .sqlx first, so that the swap is two renames on one file system.
cp -r "$scratch" .sqlx.new
rm -rf .sqlx
mv .sqlx.new .sqlx
echo "query data in .sqlx/: $(ls .sqlx | wc -l) files"
