// The inbox in a real browser: the keyboard flow (j/k/d/u/+/p), search in
// Japanese, two members seeing each other's actions and new arrivals live,
// the bookmarklet's prefilled form, and "covered in #N".
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import {
  callServerFunction, signIn, useNewsroom, waitForHydration, watchConsole,
} from './harness.mjs';

const RSS = 'application/rss+xml; charset=utf-8';

/** RSS with items given as [guid, title, day of November 2026]. */
function feed(title, items) {
  const entries = items.map(([guid, itemTitle, day]) => `<item><guid>${guid}</guid><title>${itemTitle}</title>
    <link>https://news.example.com/${guid}</link><description>About ${itemTitle}</description>
    <pubDate>${new Date(Date.UTC(2026, 10, day, 9)).toUTCString()}</pubDate></item>`);
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>${title}</title>
    <link>https://news.example.com/</link>${entries.join('')}</channel></rss>`;
}

const FIRST = [
  ['k8s', 'Kubernetes v1.35 released', 20],
  ['jp1', 'クラスタ管理の新しい仕組み', 19],
  ['gw', 'Gateway API 1.4 is GA', 18],
  ['jp2', 'コンテナランタイムの比較', 17],
  ['old', 'An older post about etcd', 16],
];

describe('inbox', () => {
  let server;
  let browser;
  let feeds;
  let admin;
  const pages = { '/team.xml': [RSS, feed('Team Feed', FIRST)] };

  /** Server functions called the way the app calls them, as the admin. */
  const call = (context, name, form) => callServerFunction(context, server, name, form);

  const newsroom = useNewsroom('Ada', { pages, members: [['Ben', 'editor']] });
  before(() => ({ server, browser, feeds, admin } = newsroom));

  const rowOf = (page, title) => page.locator('article.candidate', { hasText: title });

  test('keyboard: j/k move, d dismisses, u undoes, + votes, p picks', async () => {
    const context = await browser.newContext({ storageState: admin });
    const page = await context.newPage();
    const problems = watchConsole(page);
    await page.goto(`${server.url}/`);
    await waitForHydration(page);
    await page.locator('.live-status.live').waitFor();
    const titles = await page.locator('article.candidate h2').allInnerTexts();
    assert.deepEqual(titles, FIRST.map(([, title]) => title), 'newest first');

    await page.keyboard.press('j');
    await page.keyboard.press('j');
    await page.keyboard.press('k');
    await page.keyboard.press('j');
    const second = rowOf(page, 'クラスタ管理');
    assert.equal(await second.getAttribute('aria-current'), 'true');
    assert.equal(await page.evaluate(() => document.activeElement?.id), await second.getAttribute('id'));

    await page.keyboard.press('d');
    await second.locator('.state-dismissed').waitFor();
    await page.locator('[role=status]', { hasText: 'Press u to undo' }).waitFor();
    assert.equal(server.sql("SELECT state FROM candidates WHERE title LIKE 'クラスタ%'"), 'dismissed');
    await page.keyboard.press('u');
    await page.locator('[role=status]', { hasText: 'Undone.' }).waitFor();
    await second.locator('.state-new').waitFor();
    assert.equal(server.sql("SELECT state FROM candidates WHERE title LIKE 'クラスタ%'"), 'new');

    await page.keyboard.press('+');
    await second.locator('.signals .votes', { hasText: '+1 by Ada' }).waitFor();

    await page.keyboard.press('p');
    await second.locator('.pick-form select').waitFor();
    // The form opens on the next render, and its section menu takes the focus.
    await page.waitForFunction(() => document.activeElement?.tagName === 'SELECT');
    await page.selectOption(`#${await second.getAttribute('id')} select`, { label: '🛠️ Tools, Frameworks, Libraries' });
    await page.keyboard.press('Enter');
    await second.locator('.signals .picked', { hasText: 'Picked into #1 (🛠️ Tools, Frameworks, Libraries) by Ada' }).waitFor();
    // The pick form remembers the section for next time.
    await page.keyboard.press('j');
    await page.keyboard.press('p');
    const third = rowOf(page, 'Gateway API');
    await third.locator('.pick-form select').waitFor();
    assert.equal(await third.locator('select option:checked').innerText(), '🛠️ Tools, Frameworks, Libraries');
    await page.keyboard.press('Escape');

    await page.keyboard.press('?');
    await page.locator('[role=dialog]', { hasText: 'Keyboard shortcuts' }).waitFor();
    await page.keyboard.press('?');
    assert.equal(await page.locator('[role=dialog]').count(), 0);
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('search finds Japanese and English words, and lives in the URL', async () => {
    const context = await browser.newContext({ storageState: admin });
    const page = await context.newPage();
    await page.goto(`${server.url}/`);
    await waitForHydration(page);
    await page.keyboard.press('/');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'inbox-search');
    await page.keyboard.type('ランタイム');
    await Promise.all([page.waitForURL(/q=/), page.keyboard.press('Enter')]);
    assert.equal(new URL(page.url()).searchParams.get('q'), 'ランタイム');
    assert.deepEqual(await page.locator('article.candidate h2').allInnerTexts(), ['コンテナランタイムの比較']);

    // A shared link opens the same view, before any JavaScript runs.
    const plain = await browser.newContext({ storageState: admin, javaScriptEnabled: false });
    const shared = await plain.newPage();
    await shared.goto(`${server.url}/?q=${encodeURIComponent('gateway')}`);
    assert.deepEqual(await shared.locator('article.candidate h2').allInnerTexts(), ['Gateway API 1.4 is GA']);
    await plain.close();
    await context.close();
  });

  test('two members see each other’s +1 and dismiss, and new arrivals, live', async () => {
    const adminContext = await browser.newContext({ storageState: admin });
    const ada = await adminContext.newPage();
    const ben = await signIn(browser, server, 'Ben');
    const benProblems = watchConsole(ben);
    for (const page of [ada, ben]) {
      await page.goto(`${server.url}/?state=all`);
      await waitForHydration(page);
      await page.locator('.live-status.live').waitFor();
    }
    // Ben +1s with the mouse; Ada sees it without reloading.
    await rowOf(ben, 'Kubernetes v1.35').locator('button', { hasText: '+1' }).click();
    await rowOf(ada, 'Kubernetes v1.35').locator('.signals .votes', { hasText: 'Ben' }).waitFor();
    // Ada dismisses; Ben sees it.
    await rowOf(ada, 'An older post').locator('button', { hasText: 'Dismiss' }).click();
    await rowOf(ben, 'An older post').locator('.state-dismissed').waitFor();

    // A new article is ingested while both pages are open.
    pages['/team.xml'][1] = feed('Team Feed', [...FIRST, ['new', 'Brand new: Envoy 1.37', 21]]);
    // "Refresh now" is allowed once a minute per feed.
    server.sql("UPDATE feeds SET last_attempt_at = now() - interval '2 minutes'");
    await call(adminContext, 'refresh_feed', { id: server.sql('SELECT id FROM feeds LIMIT 1') });
    const bar = ben.locator('.arrivals button', { hasText: '1 new — show' });
    await bar.waitFor();
    assert.equal(await rowOf(ben, 'Brand new').count(), 0, 'the list does not move by itself');
    await bar.click();
    await rowOf(ben, 'Brand new').waitFor();
    assert.equal(await ben.locator('article.candidate h2').first().innerText(), 'Brand new: Envoy 1.37');
    assert.deepEqual(benProblems, []);
    await adminContext.close();
    await ben.context().close();
  });

  test('the bookmarklet opens a prefilled form', async () => {
    const context = await browser.newContext({ storageState: admin });
    const page = await context.newPage();
    await page.goto(`${server.url}/add`);
    await waitForHydration(page);
    const code = await page.locator('a.bookmarklet').getAttribute('href');
    assert.ok(code.startsWith(`javascript:location.href='${server.url}/add?url='`), code);
    // Run the bookmarklet on "another page": the code navigates here.
    await page.goto(`${server.url}/sign-in`);
    await page.evaluate((js) => { window.eval(decodeURIComponent(js.slice('javascript:'.length))); }, code)
      .catch(() => { /* navigation interrupts evaluate */ });
    await page.waitForURL(/\/add\?url=/);
    assert.equal(await page.inputValue('#add-url'), `${server.url}/sign-in`);
    assert.equal(await page.inputValue('#add-title'), 'Sign in · newsdesk');
    await context.close();
  });

  test('a link covered by a published issue says so, and picking it asks first', async () => {
    // Publishing arrives with the issue editor; a published issue #1 with
    // this link stands in for it here.
    server.sql(`UPDATE issues SET state = 'published', published_at = now(), issue_date = '2026-11-20'
                WHERE number = 1`);
    server.sql(`INSERT INTO candidates (url, url_key, title, published_at)
                VALUES ('https://news.example.com/gw?utm_source=x', '//news.example.com/gw-again', 'Gateway API, again', now())`);
    server.sql(`INSERT INTO picks (issue_id, section_id, position, url, url_key, title)
                SELECT i.id, s.id, 9, 'https://news.example.com/gw-again', '//news.example.com/gw-again', 'GW'
                FROM issues i, sections s WHERE i.number = 1 ORDER BY s.position LIMIT 1`);
    const context = await browser.newContext({ storageState: admin });
    const page = await context.newPage();
    const problems = watchConsole(page);
    await page.goto(`${server.url}/`);
    await waitForHydration(page);
    const row = rowOf(page, 'Gateway API, again');
    await row.locator('.signals .covered', { hasText: 'Covered in #1 (2026-11-20)' }).waitFor();
    await row.locator('a', { hasText: 'Pick…' }).click();
    await row.locator('button', { hasText: /^Pick$/ }).click();
    await row.locator('[role=alert]', { hasText: 'Already covered in #1' }).waitFor();
    await row.locator('button', { hasText: 'Pick anyway' }).click();
    await row.locator('.signals .picked', { hasText: 'Picked into #2' }).waitFor();
    assert.deepEqual(problems.filter((p) => !p.includes('422')), []);
    await context.close();
  });

  test('without JavaScript, +1 and "Pick…" still work (plain forms and links)', async () => {
    server.sql(`INSERT INTO candidates (url, url_key, title, published_at)
                VALUES ('https://news.example.com/plain', '//news.example.com/plain', 'Plain HTML works', now())`);
    const plain = await browser.newContext({ storageState: admin, javaScriptEnabled: false });
    const page = await plain.newPage();
    await page.goto(`${server.url}/?q=plain+html`);
    const row = rowOf(page, 'Plain HTML works');
    assert.equal(await row.locator('.pick-form').count(), 0, 'no pick form until asked for');
    await Promise.all([page.waitForNavigation(), row.getByRole('button', { name: '+1 Plain HTML works' }).click()]);
    await row.locator('.signals .votes', { hasText: '+1 by Ada' }).waitFor();
    await Promise.all([page.waitForNavigation(), row.getByRole('link', { name: 'Pick… Plain HTML works' }).click()]);
    assert.match(page.url(), /[?&]pick=\d+#c-\d+$/);
    assert.equal(new URL(page.url()).searchParams.get('q'), 'plain html', 'the view is kept');
    await row.locator('.pick-form select').selectOption({ label: '🤝 Events' });
    await Promise.all([page.waitForNavigation(), row.locator('.pick-form button', { hasText: 'Pick' }).click()]);
    assert.equal(await row.count(), 0, 'a picked candidate leaves the open view');
    assert.equal(server.sql(`SELECT count(*) FROM picks WHERE url_key = '//news.example.com/plain'`), '1');
    await page.goto(`${server.url}/?q=plain+html&state=picked`);
    await row.locator('.signals .picked', { hasText: '(🤝 Events) by Ada' }).waitFor();
    await plain.close();
  });
});
