// The Feeds page in a real browser: hydration, adding without reload,
// validation messages, and the same flows with JavaScript disabled.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { launchBrowser, startServer, waitForHydration, watchConsole } from './harness.mjs';

describe('feeds page', () => {
  let server;
  let browser;
  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('adds a feed without a reload once hydrated, and it survives a reload', async () => {
    const page = await browser.newPage();
    const problems = watchConsole(page);
    await page.goto(`${server.url}/feeds`);
    await waitForHydration(page);
    // A full page load would wipe this marker.
    await page.evaluate(() => { window.__sameDocument = true; });
    let navigations = 0;
    page.on('framenavigated', (frame) => { if (frame === page.mainFrame()) navigations += 1; });

    await page.fill('#feed-url', 'https://kubernetes.io/feed.xml');
    await page.fill('#feed-title', 'Kubernetes Blog');
    await page.click('button[type=submit]');
    await page.locator('#feeds td', { hasText: 'Kubernetes Blog' }).waitFor();
    await page.locator('[role=status]', { hasText: 'Added “Kubernetes Blog”.' }).waitFor();

    assert.equal(await page.evaluate(() => window.__sameDocument), true, 'no full page reload');
    assert.equal(navigations, 0);
    assert.equal(await page.inputValue('#feed-url'), '', 'form cleared after success');

    await page.reload();
    await waitForHydration(page);
    assert.equal(await page.locator('#feeds tbody tr', { hasText: 'https://kubernetes.io/feed.xml' }).count(), 1);
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('shows validation errors next to the field, without losing the input', async () => {
    const page = await browser.newPage();
    const problems = watchConsole(page);
    await page.goto(`${server.url}/feeds`);
    await waitForHydration(page);

    await page.click('button[type=submit]');
    await page.locator('#feed-url-error', { hasText: "Enter the feed's URL." }).waitFor();
    assert.equal(await page.getAttribute('#feed-url', 'aria-invalid'), 'true');

    await page.fill('#feed-url', 'ftp://example.com/feed');
    await page.click('button[type=submit]');
    await page.locator('#feed-url-error', { hasText: 'Only http and https' }).waitFor();
    assert.equal(await page.inputValue('#feed-url'), 'ftp://example.com/feed', 'input kept after an error');

    await page.fill('#feed-url', 'https://kubernetes.io/feed.xml'); // added by the previous test
    await page.click('button[type=submit]');
    await page.locator('#feed-url-error', { hasText: 'already in the list' }).waitFor();
    // Chromium logs each rejected request; exactly those three may appear.
    const seen = problems.splice(0);
    assert.deepEqual(seen.filter((p) => !p.includes('status of 422')), []);
    assert.equal(seen.length, 3, 'three 422 answers');

    await page.fill('#feed-url', 'https://www.cncf.io/feed/');
    await page.click('button[type=submit]');
    await page.locator('#feeds td', { hasText: 'https://www.cncf.io/feed/' }).waitFor();
    assert.equal(await page.locator('#feed-url-error').innerText(), '', 'error cleared after success');
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('works with JavaScript disabled (plain form posts)', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${server.url}/feeds`);

    await page.fill('#feed-url', 'https://go.dev/blog/feed.atom');
    await page.fill('#feed-title', 'The Go Blog');
    await Promise.all([page.waitForURL(/\/feeds/), page.click('button[type=submit]')]);
    assert.equal(await page.locator('#feeds td', { hasText: 'The Go Blog' }).count(), 1);

    await page.fill('#feed-url', 'mailto:someone@example.com');
    await Promise.all([page.waitForURL(/__err=/), page.click('button[type=submit]')]);
    assert.match(await page.locator('#feed-url-error').innerText(), /Only http and https/);
    await context.close();
  });

  test('other pages say they are not built yet, unknown pages are 404', async () => {
    const page = await browser.newPage();
    const problems = watchConsole(page);
    await page.goto(`${server.url}/`);
    await waitForHydration(page);
    await page.locator('h1', { hasText: 'Inbox' }).waitFor();
    // Client-side navigation through the header works after hydration.
    await page.click('nav >> text=Feeds');
    await page.locator('h1', { hasText: 'Feeds' }).waitFor();
    assert.equal(await page.getAttribute('nav a[href="/feeds"]', 'aria-current'), 'page');

    const response = await page.goto(`${server.url}/no-such-page`);
    assert.equal(response.status(), 404);
    await page.locator('h1', { hasText: 'Page not found' }).waitFor();
    // The 404 itself logs a console error in Chromium ("Failed to load resource"); nothing else may.
    assert.deepEqual(problems.filter((p) => !p.includes('404')), []);
    await page.close();
  });
});
