#!/usr/bin/env bash
# Installs what building (and, with --test, testing) newsdesk needs on a fresh
# Debian/Ubuntu machine that has rustup, cargo and npm. Idempotent: each step
# checks first, so a warm machine spends well under a second here.
#
#   scripts/bootstrap.sh [--test] [--no-build-tools | --build-tools-only]
#
# The build tools compiled from the crate registry (wasm-bindgen-cli, the
# wasm splitter) take minutes on a fresh machine: scripts/run.sh installs
# the rest first (--no-build-tools), then these (--build-tools-only) while
# the first cargo build runs.
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
build_tools=1
other_steps=1
for arg in "$@"; do
  case "$arg" in
  --test) want_test=1 ;;
  --no-build-tools) build_tools=0 ;;
  --build-tools-only) other_steps=0 ;;
  *) echo "bootstrap: unknown argument $arg" >&2; exit 2 ;;
  esac
done

say() { printf '\033[1mbootstrap:\033[0m %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    say "need root for: $*"; exit 1; fi
}

apt_updated=0
apt_install() {
  if [ $apt_updated -eq 0 ]; then as_root apt-get update -qq; apt_updated=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
}

if [ $other_steps -eq 1 ]; then
  # 1. wasm target for the browser half of the app.
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
fi

if [ $build_tools -eq 1 ]; then
  # 2. wasm-bindgen CLI: must equal the wasm-bindgen crate in Cargo.lock exactly.
  wb_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
  if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$wb_version" ]; then
    say "installing wasm-bindgen-cli $wb_version (a few minutes, once)"
    # Not --locked: the crate index this machine reaches lags behind crates.io,
    # and the CLI's own lock file names versions it does not have yet.
    cargo install --quiet --force wasm-bindgen-cli --version "$wb_version"
  fi

  # 2b. The wasm splitter of scripts/build-site.sh (scripts/wasm-split, a thin
  #     wrapper around the wasm_split_cli_support crate), into target/tools.
  #     Rebuilt when its source changes; cargo answers in a moment otherwise.
  split_tool=target/tools/release/newsdesk-wasm-split
  if [ ! -x "$split_tool" ] || [ -n "$(find scripts/wasm-split -newer "$split_tool" -type f -print -quit)" ]; then
    say "building the wasm splitter (about a minute, once)"
    cargo build --quiet --release --manifest-path scripts/wasm-split/Cargo.toml --target-dir target/tools
  fi
fi

if [ $other_steps -eq 1 ]; then
  # 3. npm tools: wasm-opt (binaryen; Debian's is too old) and, for tests,
  #    playwright-core and axe-core (the accessibility checks of every page).
  if [ ! -x node_modules/.bin/wasm-opt ] || [ ! -d node_modules/playwright-core ] \
     || [ ! -d node_modules/commonmark ] || [ ! -d node_modules/axe-core ] \
     || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    say "installing npm tools (binaryen, playwright-core, commonmark, axe-core)"
    npm ci --no-audit --no-fund --loglevel=error
  fi

  # 4. PostgreSQL server binaries for the private database.
  pg_bindir() {
    for d in "$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/x)")" \
             "$(pg_config --bindir 2>/dev/null || true)" /usr/lib/postgresql/*/bin; do
      [ -n "$d" ] && [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && { echo "$d"; return 0; }
    done
    return 1
  }
  if ! pg_bindir >/dev/null; then
    say "installing PostgreSQL server binaries"
    apt_install postgresql
  fi

  # 5. git: publishing delivers issues into a git repository with it (and
  #    its tests use real repositories).
  if ! command -v git >/dev/null; then
    say "installing git"
    apt_install git
  fi

  # 6. Headless Chromium for the browser tests.
  if [ $want_test -eq 1 ] && [ ! -x /usr/bin/chromium ]; then
    say "installing Chromium"
    apt_install chromium
  fi

  # 7. Independent checks of the published feeds, for the tests: jing (RELAX NG
  #    validation of Atom against the schema of RFC 4287) and Python's
  #    feedparser, in a virtual environment of its own.
  if [ $want_test -eq 1 ]; then
    if ! command -v jing >/dev/null; then
      say "installing jing"
      apt_install jing
    fi
    venv=target/test-tools/venv
    if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import feedparser' 2>/dev/null; then
      say "installing feedparser (Python)"
      python3 -m venv "$venv" 2>/dev/null || { apt_install python3-venv; python3 -m venv "$venv"; }
      "$venv/bin/pip" install --quiet --disable-pip-version-check "feedparser==6.0.14"
    fi
  fi

  # 7. feedparser's test corpus (about 2,200 small feeds with their expected
  #    values), which tests/ingest/corpus.rs serves through the poller. It
  #    ships in feedparser's source distribution; fetched once, never
  #    committed.
  corpus=target/test-tools/feedparser-corpus
  if [ $want_test -eq 1 ] && [ ! -d "$corpus/wellformed" ]; then
    say "fetching feedparser's test corpus"
    download=$(mktemp -d)
    "$venv/bin/pip" download --quiet --disable-pip-version-check --no-deps \
      --no-binary :all: feedparser==6.0.12 -d "$download"
    rm -rf "$corpus.partial"
    mkdir -p "$corpus.partial"
    tar -xzf "$download/feedparser-6.0.12.tar.gz" -C "$corpus.partial" \
      --strip-components=2 feedparser-6.0.12/tests
    rm -rf "$download" "$corpus"
    mv "$corpus.partial" "$corpus"
  fi
fi
exit 0
