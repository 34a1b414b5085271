// What the UI languages (app/locales/, issue 22) add to what the inbox
// loads: the catalogue strings of both languages found in the files the
// inbox needs (the main module and its group's chunks), raw and gzipped.
//
//   node bench/frontend/catalogue_cost.mjs SITE_DIR
//
// Prints one JSON line. A string counts when one of its pieces between
// placeholders (`{{ name }}`) and tags, of four characters or more, is in
// those files; shorter pieces are too common to attribute.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { groupFiles } from './site.mjs';

const site = process.argv[2];
if (!site) {
  console.error('usage: node bench/frontend/catalogue_cost.mjs SITE_DIR');
  process.exit(2);
}
const root = join(import.meta.dirname, '../..');
const { dir, files } = groupFiles(site, 'inbox_pages');
const loaded = Buffer.concat(files.filter((file) => file.endsWith('.wasm')).map((file) => readFileSync(join(dir, file))));

const values = (node) => (typeof node === 'string' ? [node]
  : Object.values(node).flatMap(values));
const result = {};
const all = [];
for (const lang of readdirSync(join(root, 'app/locales'))) {
  const found = readdirSync(join(root, 'app/locales', lang))
    .flatMap((file) => values(JSON.parse(readFileSync(join(root, 'app/locales', lang, file), 'utf8'))))
    .flatMap((value) => value.split(/\{\{[^}]*\}\}|<[^>]*>/))
    .filter((piece) => piece.length >= 4 && loaded.includes(Buffer.from(piece)));
  const bytes = Buffer.from(found.join('\n'));
  result[lang] = { strings: found.length, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  all.push(...found);
}
const bytes = Buffer.from(all.join('\n'));
result.both = { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
console.log(JSON.stringify(result));
