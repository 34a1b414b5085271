// The export is CommonMark that any implementation reads the same way:
// the golden exports rendered by commonmark.js (the reference
// implementation in JavaScript) give exactly the HTML pulldown-cmark
// gives (written next to them by the Rust test
// `plain_commonmark_html_of_the_exports`).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { HtmlRenderer, Parser } from 'commonmark';

const golden = resolve(import.meta.dirname, '../../app/src/render/golden');

function withoutFrontMatter(markdown) {
  if (!markdown.startsWith('---\n')) return markdown;
  const end = markdown.indexOf('\n---\n', 4);
  return end === -1 ? markdown : markdown.slice(end + 5);
}

for (const name of ['plain', 'hugo', 'zenn']) {
  test(`${name}.md renders the same in commonmark.js and pulldown-cmark`, () => {
    const markdown = withoutFrontMatter(readFileSync(join(golden, `${name}.md`), 'utf8'));
    const html = new HtmlRenderer().render(new Parser().parse(markdown));
    const expected = readFileSync(join(golden, `${name}.cmark.html`), 'utf8');
    assert.ok(expected.includes('<h3><a href='), 'the expected HTML has linked picks');
    assert.equal(html, expected);
  });
}
