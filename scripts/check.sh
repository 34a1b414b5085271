#!/usr/bin/env bash
# `make check`: the fast loop while working. Formatting, clippy for both
# builds (server and browser), the unit tests and the architecture test:
# nothing that needs PostgreSQL, a browser or the wasm build. `make test`
# runs all of it and the rest.
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/bootstrap.sh

cargo fmt --all --check
cargo clippy --workspace --all-targets -- -D warnings
cargo clippy -p newsdesk-app --all-targets --target wasm32-unknown-unknown \
  --no-default-features --features hydrate -- -D warnings
cargo test --workspace --lib --bins
cargo test -p newsdesk --test architecture
