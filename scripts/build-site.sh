#!/usr/bin/env bash
# Builds the browser half of newsdesk into target/site: the app compiled to
# wasm (feature `hydrate`) and split into a main module and one lazily
# loaded chunk per page (the lazy routes in app/src/shell.rs), its
# wasm-bindgen JS glue, and the stylesheet. All of it goes into one folder
# named by the content hash, target/site/pkg/newsdesk-HASH/, so it can be
# cached forever; each file also gzip- and brotli-compressed. The server
# reads the folder from target/site/manifest.json.
#
#   scripts/build-site.sh            release build, size-optimised with wasm-opt
#   scripts/build-site.sh --dev      faster debug build, no wasm-opt
#   scripts/build-site.sh [--dev] --compile-only   only the cargo build (no tools needed)
#
# Tools: wasm-bindgen (exactly the version in Cargo.lock), wasm-opt (npm
# binaryen) and newsdesk-wasm-split (scripts/wasm-split, built into
# target/tools), all installed by scripts/bootstrap.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

profile=wasm-release
compile_only=0
for arg in "$@"; do
  case "$arg" in
  --dev) profile=dev ;;
  --compile-only) compile_only=1 ;;
  *) echo "build-site: unknown argument $arg" >&2; exit 2 ;;
  esac
done
profile_dir=$profile
[ "$profile" = dev ] && profile_dir=debug
split_tool=target/tools/release/newsdesk-wasm-split

# The splitter needs the linker's relocations. Passed to the app crate only
# (cargo rustc), so the dependencies' build stays the one cargo clippy and
# earlier builds made.
cargo rustc --quiet -p newsdesk-app --lib --crate-type cdylib --target wasm32-unknown-unknown \
  --no-default-features --features hydrate --profile "$profile" -- -C link-arg=--emit-relocs
[ $compile_only -eq 1 ] && exit 0

site=target/site
staging=$site/.staging
wasm_in="target/wasm32-unknown-unknown/$profile_dir/newsdesk_app.wasm"

# Nothing changed since the last build: keep it (splitting, wasm-opt and
# compressing take a minute or two). Contents only: sha256sum also prints
# the names, and "$0" is spelt differently by different callers.
inputs=$( { echo "$profile"; sha256sum "$wasm_in" style/main.css "$split_tool" "$0" | cut -d' ' -f1; } | sha256sum | cut -c1-16)
if [ -f "$site/manifest.json" ] && [ "$(cat "$site/.inputs" 2>/dev/null)" = "$inputs" ]; then
  echo "site up to date ($profile): $(cat "$site/manifest.json")"
  exit 0
fi

rm -rf "$staging"
mkdir -p "$staging/split" "$staging/out"
# 1. Split: newsdesk.wasm (the main module), the chunks, their loader
#    __wasm_split.*.js and __wasm_split_manifest.json (split point -> chunks,
#    which the server reads to preload the chunks of the page it renders).
"$split_tool" "$wasm_in" "$staging/split" newsdesk >/dev/null
# 2. The JS glue for the main module (the chunks import it by name).
#    --keep-lld-exports: the chunks link against the main module's exports.
wasm-bindgen --target web --no-typescript --keep-lld-exports --out-dir "$staging/out" \
  --out-name newsdesk "$staging/split/newsdesk.wasm"
rm "$staging/split/newsdesk.wasm"
mv "$staging/split/"* "$staging/out/"
# 3. Size: every module, main and chunks.
if [ "$profile" = wasm-release ]; then
  # Two at a time: a 2-core machine, and wasm-opt takes memory.
  # Keep in step with the wasm features rustc emits by default.
  find "$staging/out" -name '*.wasm' -print0 | xargs -0 -n 1 -P 2 sh -c '
    node_modules/.bin/wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
      --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue \
      -o "$0.opt" "$0" 2>&1 | grep -v "unknown name subsection" >&2; mv "$0.opt" "$0"'
fi
cp style/main.css "$staging/out/newsdesk.css"

hash=$(cd "$staging/out" && find . -type f | LC_ALL=C sort | xargs cat | sha256sum | cut -c1-16)
name="newsdesk-$hash"

# 4. Precompress (gzip and brotli, best) with Node's zlib: no other tool needed.
node -e '
  const fs = require("fs"), zlib = require("zlib"), path = require("path");
  const walk = (dir) => fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]);
  for (const file of walk(process.argv[1]).filter((f) => /\.(js|wasm|css|json)$/.test(f))) {
    const body = fs.readFileSync(file);
    fs.writeFileSync(file + ".gz", zlib.gzipSync(body, { level: 9 }));
    fs.writeFileSync(file + ".br", zlib.brotliCompressSync(body, { params: {
      [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length } }));
  }' "$staging/out"

# Keep the two builds before this one: a page opened before a restart on a
# new build loads the chunks of the other pages later, from its own build's
# folder. Older folders, and files of builds before the folders, go.
mkdir -p "$site/pkg"
rm -rf "${site:?}/pkg/$name"
mv "$staging/out" "$site/pkg/$name"
touch "$site/pkg/$name"
find "$site/pkg" -maxdepth 1 -type f -delete
ls -1dt "$site/pkg"/newsdesk-*/ | tail -n +4 | xargs -r rm -rf
printf '{"output_name": "newsdesk", "pkg_dir": "pkg/%s"}\n' "$name" > "$site/manifest.json"
rm -rf "$staging"
echo "$inputs" > "$site/.inputs"

dir=$site/pkg/$name
size() { stat -c %s "$@" | awk '{ s += $1 } END { printf "%d", s / 1024 }'; }
chunks=$(find "$dir" -name '*.wasm' ! -name newsdesk_bg.wasm | wc -l)
echo "site built ($profile): $dir — main wasm $(size "$dir/newsdesk_bg.wasm") KiB" \
  "($(size "$dir/newsdesk_bg.wasm.gz") KiB gzipped), $chunks chunks" \
  "$(size $(find "$dir" -name '*.wasm' ! -name newsdesk_bg.wasm)) KiB" \
  "($(size $(find "$dir" -name '*.wasm.gz' ! -name newsdesk_bg.wasm.gz)) KiB gzipped)"
