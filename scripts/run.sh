#!/usr/bin/env bash
# `make run`: install what is missing, build in release mode, start newsdesk
# with its private PostgreSQL under ./data. Extra flags and NEWSDESK_*
# variables pass through, e.g. `NEWSDESK_ADDR=0.0.0.0:3000 make run`.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/bootstrap.sh
./scripts/build-site.sh
cargo build --quiet --release -p newsdesk
exec target/release/newsdesk serve "$@"
