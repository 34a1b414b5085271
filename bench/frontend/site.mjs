// The files of a site built by scripts/build-site.sh (target/site, or an
// older build) that a page group needs before it is interactive: the main
// JS and wasm, and with a split build the chunk loader and the chunks of
// the group's split point (listed in __wasm_split_manifest.json, which the
// server also uses for its preload hints). A build without splitting loads
// its one wasm everywhere. Shared by sizes.mjs and catalogue_cost.mjs.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** `{ dir, files }`: the folder of the build and the file names `group` (e.g. `inbox_pages`) loads. */
export function groupFiles(site, group) {
  const manifest = JSON.parse(readFileSync(join(site, 'manifest.json'), 'utf8'));
  const dir = join(site, manifest.pkg_dir ?? 'pkg');
  const main = [`${manifest.output_name}.js`, `${manifest.output_name}_bg.wasm`];
  const splitManifest = join(dir, '__wasm_split_manifest.json');
  if (!existsSync(splitManifest)) return { dir, files: main };
  const chunks = JSON.parse(readFileSync(splitManifest, 'utf8'));
  const key = Object.keys(chunks).find((k) => k.startsWith(`${group}_`));
  if (!key) throw new Error(`no split point ${group}_* in ${splitManifest}`);
  const loader = '__wasm_split.______________________.js';
  return { dir, files: [...main, loader, ...chunks[key].map((chunk) => `${chunk}.wasm`)] };
}
