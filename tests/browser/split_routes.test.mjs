// Every page group is its own lazily loaded wasm chunk (app/src/shell.rs):
// the header must reach each group client-side, loading its chunk, without
// a full page load, and back and forward must work across them.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { useNewsroom, waitForHydration, watchConsole } from './harness.mjs';

describe('lazily loaded page groups', () => {
  const newsroom = useNewsroom('Ada');

  test('the header reaches every group client-side, and history goes back across them', async () => {
    const { server, browser, admin } = newsroom;
    const context = await browser.newContext({ storageState: admin });
    const page = await context.newPage();
    const problems = watchConsole(page);
    const chunks = new Set();
    page.on('request', (request) => {
      const name = new URL(request.url()).pathname.split('/').pop();
      if (name.endsWith('.wasm')) chunks.add(name);
    });
    await page.goto(`${server.url}/`);
    await waitForHydration(page);
    await page.locator('h1', { hasText: 'Inbox' }).waitFor();
    // Survives client-side navigation only: a full page load would drop it.
    await page.evaluate(() => { window.__sameDocument = true; });
    const loadedAtStart = chunks.size;

    const visits = [
      ['nav >> text=Issues', '/edit', 'Issues'], // editor group
      ['nav >> text=Feeds', '/feeds', 'Feeds'], // feeds group
      ['nav >> text=Settings', '/settings', 'Newsletter settings'], // admin group
      ['nav >> text=Members', '/members', 'Members'], // admin group
      ['nav >> text=Archive', '/issues', 'Archive'], // publish group
      ['a.member-name', '/account', 'Ada'], // accounts group
      ['nav >> text=Inbox', '/', 'Inbox'], // back to the inbox group
    ];
    for (const [link, path, heading] of visits) {
      await page.click(link);
      await page.waitForURL(`${server.url}${path}`);
      await page.locator('h1', { hasText: heading }).waitFor();
      assert.equal(await page.evaluate(() => window.__sameDocument), true, `${path}: no full page load`);
    }
    assert.ok(chunks.size > loadedAtStart, 'the other groups loaded chunks of their own');

    await page.goBack();
    await page.waitForURL(`${server.url}/account`);
    await page.locator('h1', { hasText: 'Ada' }).waitFor();
    await page.goBack();
    await page.waitForURL(`${server.url}/issues`);
    await page.locator('h1', { hasText: 'Archive' }).waitFor();
    await page.goForward();
    await page.waitForURL(`${server.url}/account`);
    await page.locator('h1', { hasText: 'Ada' }).waitFor();
    assert.equal(await page.evaluate(() => window.__sameDocument), true, 'history: no full page load');

    assert.deepEqual(problems, []);
    await context.close();
  });

  // Leptos adds these hints itself, but on pages rendered with
  // SsrMode::Async only about half the time (app/src/layout/chunk_preloads.rs),
  // so each page is asked for several times.
  test('every page names its own chunks for preloading, every time', async () => {
    const { server, browser, admin } = newsroom;
    const site = join(import.meta.dirname, '../../target/site');
    const { pkg_dir: pkgDir } = JSON.parse(readFileSync(join(site, 'manifest.json'), 'utf8'));
    const splits = JSON.parse(readFileSync(join(site, pkgDir, '__wasm_split_manifest.json'), 'utf8'));
    const chunksOf = (group) => splits[Object.keys(splits).find((name) => name.startsWith(`${group}_`))];
    const context = await browser.newContext({ storageState: admin });
    // Async pages (the inbox, settings, members) and an in-order one (feeds).
    for (const [path, group] of [['/', 'inbox_pages'], ['/settings', 'admin_pages'],
      ['/members', 'admin_pages'], ['/feeds', 'feeds_pages']]) {
      const chunks = chunksOf(group);
      assert.ok(chunks.length > 1, `${group} has chunks`);
      for (let attempt = 0; attempt < 8; attempt++) {
        const html = await (await context.request.get(`${server.url}${path}`)).text();
        const head = html.slice(0, html.indexOf('</head>'));
        const missing = chunks.filter((chunk) => !head.includes(`/${pkgDir}/${chunk}.wasm"`));
        assert.deepEqual(missing, [], `${path}, request ${attempt + 1}: chunks without a preload hint`);
        assert.ok(head.includes('__wasm_split.______________________.js'), `${path}: the chunk loader is preloaded`);
      }
    }
    await context.close();
  });

  test('a page opened directly hydrates with its own group and can leave it', async () => {
    const { server, browser, admin } = newsroom;
    const context = await browser.newContext({ storageState: admin });
    const page = await context.newPage();
    const problems = watchConsole(page);
    await page.goto(`${server.url}/feeds`);
    await waitForHydration(page);
    await page.locator('h1', { hasText: 'Feeds' }).waitFor();
    await page.evaluate(() => { window.__sameDocument = true; });
    await page.click('nav >> text=Inbox');
    await page.waitForURL(`${server.url}/`);
    await page.locator('h1', { hasText: 'Inbox' }).waitFor();
    assert.equal(await page.evaluate(() => window.__sameDocument), true);
    assert.deepEqual(problems, []);
    await context.close();
  });
});
