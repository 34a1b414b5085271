#!/usr/bin/env bash
# Refreshes the committed query data in .sqlx/ (used by the sqlx macros so
# that builds need no database). Run after changing a query or a migration.
#
# It starts a throwaway cluster with an already-built newsdesk (the sources
# being prepared may not compile offline yet), applies migrations/ with psql
# and re-runs the macros against it.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x target/debug/newsdesk ] || cargo build --quiet -p newsdesk
dir=$(mktemp -d "${TMPDIR:-/tmp}/newsdesk-sqlx-prepare.XXXXXX")
trap 'target/debug/newsdesk db stop --data-dir "$dir" >/dev/null 2>&1; rm -rf "$dir"' EXIT
url=$(env -u DATABASE_URL target/debug/newsdesk db start --data-dir "$dir")
for migration in migrations/*.sql; do
  psql -q -v ON_ERROR_STOP=1 "$url" -f "$migration"
done
rm -rf .sqlx && mkdir .sqlx
# Touch the crates so the macros run again, writing their data to .sqlx/.
touch app/src/lib.rs server/src/lib.rs
SQLX_OFFLINE=false SQLX_OFFLINE_DIR="$PWD/.sqlx" DATABASE_URL=$url \
  cargo check --quiet --workspace --all-targets
echo "query data in .sqlx/: $(ls .sqlx | wc -l) files"
