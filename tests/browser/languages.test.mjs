// The UI's language in a real browser: a Japanese browser gets Japanese
// pages; switching the language on the account page changes the page at
// once and the next page too, without reloading; times follow the zone.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { useNewsroom, waitForHydration, watchConsole } from './harness.mjs';

describe('languages', () => {
  const newsroom = useNewsroom('Hana');

  test('a Japanese browser gets Japanese pages; times in its own zone', async () => {
    const { server, browser, admin } = newsroom;
    const context = await browser.newContext({
      storageState: admin, locale: 'ja-JP', timezoneId: 'Asia/Tokyo',
    });
    const page = await context.newPage();
    const problems = watchConsole(page);
    await page.goto(`${server.url}/account`);
    await waitForHydration(page);
    assert.equal(await page.getAttribute('html', 'lang'), 'ja');
    await page.locator('h2', { hasText: '言語とタイムゾーン' }).waitFor();
    await page.locator('nav a', { hasText: '受信箱' }).waitFor();
    // After its first page the browser has told newsdesk its zone.
    const cookies = await context.cookies();
    assert.equal(cookies.find((c) => c.name === 'newsdesk_tz')?.value, 'Asia/Tokyo');
    await page.reload();
    await waitForHydration(page);
    assert.equal(await page.getAttribute('html', 'data-zone'), 'Asia/Tokyo');
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('switching to Japanese on the account page applies to the next page without a reload', async () => {
    const { server, browser, admin } = newsroom;
    const context = await browser.newContext({ storageState: admin, locale: 'en-US' });
    const page = await context.newPage();
    const problems = watchConsole(page);
    await page.goto(`${server.url}/account`);
    await waitForHydration(page);
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    await page.locator('nav a', { hasText: 'Inbox' }).waitFor();
    // A marker that a reload would wipe out.
    await page.evaluate(() => { window.sameDocument = true; });

    await page.selectOption('#language', 'ja');
    await page.click('#preferences-heading ~ form button[type=submit]');
    await page.locator('#preferences-heading', { hasText: '言語とタイムゾーン' }).waitFor();
    assert.equal(await page.getAttribute('html', 'lang'), 'ja');
    await page.locator('nav a', { hasText: '受信箱' }).waitFor();

    // The next page, reached by the navigation, is Japanese too.
    await page.click('nav a[href="/feeds"]');
    await page.waitForURL(`${server.url}/feeds`);
    await page.locator('h1', { hasText: 'フィード' }).waitFor();
    assert.equal(await page.evaluate(() => window.sameDocument), true);

    // And the choice is the member's: a fresh English browser gets Japanese.
    const other = await browser.newContext({ storageState: admin, locale: 'en-US' });
    const second = await other.newPage();
    await second.goto(`${server.url}/feeds`);
    assert.equal(await second.getAttribute('html', 'lang'), 'ja');
    await other.close();

    // Back to automatic: English, as the browser asks.
    await page.click('.account-menu a[href="/account"]');
    await page.locator('#language').waitFor();
    await page.selectOption('#language', '');
    await page.click('#preferences-heading ~ form button[type=submit]');
    await page.locator('#preferences-heading', { hasText: 'Language and time zone' }).waitFor();
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.deepEqual(problems, []);
    await context.close();
  });
});
