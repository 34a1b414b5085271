#!/usr/bin/env bash
# Takes the screenshots of the main screens (inbox, editor, Settings; light,
# dark and a 390 px phone) into docs/screenshots/, or into the folder given,
# e.g. docs/screenshots/before. Needs the site and the server built
# (scripts/build-site.sh, cargo build -p newsdesk) and, like the browser
# tests, PostgreSQL server binaries and Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
NEWSDESK_SCREENSHOT_DIR=${1:-docs/screenshots} \
  node --test --test-reporter=spec tests/browser/screenshots.test.mjs
