#!/usr/bin/env bash
# Builds the browser half of newsdesk into target/site: the app compiled to
# wasm (feature `hydrate`), its wasm-bindgen JS glue, and the stylesheet, all
# under one content hash so they can be cached forever. The server reads the
# hashed name from target/site/manifest.json.
#
#   scripts/build-site.sh            release build, size-optimised with wasm-opt
#   scripts/build-site.sh --dev      faster debug build, no wasm-opt
set -euo pipefail
cd "$(dirname "$0")/.."

profile=wasm-release
[ "${1:-}" = "--dev" ] && profile=dev
profile_dir=$profile
[ "$profile" = dev ] && profile_dir=debug

cargo build --quiet -p newsdesk-app --lib --target wasm32-unknown-unknown \
  --no-default-features --features hydrate --profile "$profile"

site=target/site
staging=$site/.staging
wasm_in="target/wasm32-unknown-unknown/$profile_dir/newsdesk_app.wasm"

# Nothing changed since the last build: keep it (wasm-opt alone takes seconds).
inputs=$( { echo "$profile"; sha256sum "$wasm_in" style/main.css; } | sha256sum | cut -c1-16)
if [ -f "$site/manifest.json" ] && [ "$(cat "$site/.inputs" 2>/dev/null)" = "$inputs" ]; then
  echo "site up to date ($profile): $(cat "$site/manifest.json")"
  exit 0
fi

rm -rf "$staging"
mkdir -p "$staging" "$site/pkg"
wasm-bindgen --target web --no-typescript --out-dir "$staging" --out-name newsdesk \
  "$wasm_in"
if [ "$profile" = wasm-release ]; then
  # Keep in step with the wasm features rustc emits by default.
  node_modules/.bin/wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
    --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue \
    -o "$staging/newsdesk_bg.opt.wasm" "$staging/newsdesk_bg.wasm"
  mv "$staging/newsdesk_bg.opt.wasm" "$staging/newsdesk_bg.wasm"
fi
cp style/main.css "$staging/newsdesk.css"

hash=$(cat "$staging/newsdesk.js" "$staging/newsdesk_bg.wasm" "$staging/newsdesk.css" | sha256sum | cut -c1-16)
name="newsdesk-$hash"

# Replace the previous build: hashed files of other builds are not needed.
rm -rf "$site/pkg"
mkdir -p "$site/pkg"
mv "$staging/newsdesk.js" "$site/pkg/$name.js"
mv "$staging/newsdesk_bg.wasm" "$site/pkg/${name}_bg.wasm"
mv "$staging/newsdesk.css" "$site/pkg/$name.css"
[ -d "$staging/snippets" ] && mv "$staging/snippets" "$site/pkg/snippets"
find "$site/pkg" -type f \( -name '*.js' -o -name '*.wasm' -o -name '*.css' \) -exec gzip -9 -k -f {} +
printf '{"output_name": "%s"}\n' "$name" > "$site/manifest.json"
rm -rf "$staging"
echo "$inputs" > "$site/.inputs"

raw=$(stat -c %s "$site/pkg/${name}_bg.wasm")
gz=$(stat -c %s "$site/pkg/${name}_bg.wasm.gz")
echo "site built ($profile): $site/pkg/$name.* — wasm $((raw / 1024)) KiB, $((gz / 1024)) KiB gzipped"
