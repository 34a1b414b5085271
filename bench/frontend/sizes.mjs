// Bytes of JavaScript + wasm a page needs before it can be interactive, from
// a site built by scripts/build-site.sh (target/site, or an older build):
//
//   node bench/frontend/sizes.mjs SITE_DIR
//
// Prints one JSON line: for the inbox and the editor, the gzip and brotli
// sizes (bytes) of the files their pages load (site.mjs says which).
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { groupFiles } from './site.mjs';

const site = process.argv[2];
if (!site) {
  console.error('usage: node bench/frontend/sizes.mjs SITE_DIR');
  process.exit(2);
}
const total = (group) => {
  const { dir, files } = groupFiles(site, group);
  const size = (file, ext) => (existsSync(join(dir, file + ext)) ? statSync(join(dir, file + ext)).size : NaN);
  return {
    files: files.length,
    gzip: files.reduce((sum, file) => sum + size(file, '.gz'), 0),
    brotli: files.reduce((sum, file) => sum + size(file, '.br'), 0),
    raw: files.reduce((sum, file) => sum + size(file, ''), 0),
  };
};
console.log(JSON.stringify({ inbox: total('inbox_pages'), editor: total('editor_pages') }));
