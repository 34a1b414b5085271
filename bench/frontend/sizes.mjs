// Bytes of JavaScript + wasm a page needs before it can be interactive, from
// a site built by scripts/build-site.sh (target/site, or an older build):
//
//   node bench/frontend/sizes.mjs SITE_DIR
//
// Prints one JSON line: for the inbox and the editor, the gzip and brotli
// sizes (bytes) of the files their pages load: the main JS and wasm, and
// with a split build the chunk loader and the chunks of the page's group
// (listed in __wasm_split_manifest.json, which the server also uses for its
// preload hints). A build without splitting loads its one wasm everywhere.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const site = process.argv[2];
if (!site) {
  console.error('usage: node bench/frontend/sizes.mjs SITE_DIR');
  process.exit(2);
}
const manifest = JSON.parse(readFileSync(join(site, 'manifest.json'), 'utf8'));
const dir = join(site, manifest.pkg_dir ?? 'pkg');
const name = manifest.output_name;
const size = (file, ext) => (existsSync(join(dir, file + ext)) ? statSync(join(dir, file + ext)).size : NaN);
const total = (files) => ({
  files: files.length,
  gzip: files.reduce((sum, file) => sum + size(file, '.gz'), 0),
  brotli: files.reduce((sum, file) => sum + size(file, '.br'), 0),
  raw: files.reduce((sum, file) => sum + size(file, ''), 0),
});
const main = [`${name}.js`, `${name}_bg.wasm`];
const splitManifest = join(dir, '__wasm_split_manifest.json');
const result = {};
if (existsSync(splitManifest)) {
  const chunks = JSON.parse(readFileSync(splitManifest, 'utf8'));
  const group = (prefix) => {
    const key = Object.keys(chunks).find((k) => k.startsWith(`${prefix}_`));
    if (!key) throw new Error(`no split point ${prefix}_* in ${splitManifest}`);
    return chunks[key].map((chunk) => `${chunk}.wasm`);
  };
  const loader = '__wasm_split.______________________.js';
  result.inbox = total([...main, loader, ...group('inbox_pages')]);
  result.editor = total([...main, loader, ...group('editor_pages')]);
} else {
  result.inbox = total(main);
  result.editor = total(main);
}
console.log(JSON.stringify(result));
