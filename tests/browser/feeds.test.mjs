// The Feeds pages in a real browser: hydration, adding without reload,
// discovery with a choice, validation messages, a feed's page, and the same
// core flows with JavaScript disabled.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  launchBrowser, rss, setUpAdmin, startFeedServer, startServer, waitForHydration, watchConsole,
} from './harness.mjs';

const RSS = 'application/rss+xml; charset=utf-8';

describe('feeds page', () => {
  let server;
  let browser;
  let feeds;
  let admin;
  // Every test works as the admin, each in a fresh browser context.
  const newPage = async (options = {}) => {
    const context = await browser.newContext({ storageState: admin, ...options });
    return context.newPage();
  };
  before(async () => {
    feeds = await startFeedServer({
      '/k8s.xml': [RSS, rss('Kubernetes Blog', ['Kubernetes v1.35', 'Gateway API 1.4'])],
      '/cncf.xml': [RSS, rss('CNCF Blog', ['KubeCon Japan'])],
      '/go.xml': [RSS, rss('The Go Blog', ['Go 1.26'])],
      '/detail.xml': [RSS, rss('Detail feed', ['One', 'Two', 'Three'])],
      '/site': ['text/html; charset=utf-8', `<!DOCTYPE html><html><head><title>Site</title>
        <link rel="alternate" type="application/rss+xml" title="Posts" href="/cncf.xml">
        <link rel="alternate" type="application/rss+xml" title="Releases" href="/go.xml">
        </head><body>A site with two feeds</body></html>`],
    });
    // No poller: the tests decide when a feed is fetched ("Refresh now").
    server = await startServer(['--no-poller']);
    browser = await launchBrowser();
    admin = await setUpAdmin(browser, server);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
    await feeds?.close();
  });

  test('adds a feed without a reload once hydrated, and it survives a reload', async () => {
    const page = await newPage();
    const problems = watchConsole(page);
    await page.goto(`${server.url}/feeds`);
    await waitForHydration(page);
    // A full page load would wipe this marker.
    await page.evaluate(() => { window.__sameDocument = true; });
    let navigations = 0;
    page.on('framenavigated', (frame) => { if (frame === page.mainFrame()) navigations += 1; });

    await page.fill('#feed-url', `${feeds.url}/k8s.xml`);
    await page.click('button:text("Add feed")');
    await page.locator('#feeds a.feed-name', { hasText: 'Kubernetes Blog' }).waitFor();
    await page.locator('[role=status]', { hasText: 'Added “Kubernetes Blog”.' }).waitFor();

    assert.equal(await page.evaluate(() => window.__sameDocument), true, 'no full page reload');
    assert.equal(navigations, 0);
    assert.equal(await page.inputValue('#feed-url'), '', 'form cleared after success');

    await page.reload();
    await waitForHydration(page);
    assert.equal(await page.locator('#feeds tbody tr', { hasText: `${feeds.url}/k8s.xml` }).count(), 1);
    assert.deepEqual(problems, []);
    await page.context().close();
  });

  test('a site with several feeds lets the user choose', async () => {
    const page = await newPage();
    const problems = watchConsole(page);
    await page.goto(`${server.url}/feeds`);
    await waitForHydration(page);
    await page.fill('#feed-url', `${feeds.url}/site`);
    await page.click('button:text("Add feed")');
    await page.locator('.choices', { hasText: 'This site has several feeds' }).waitFor();
    assert.equal(await page.locator('.choices li').count(), 2);
    await page.click('.choices button:text("Add Releases")');
    await page.locator('#feeds tbody tr', { hasText: `${feeds.url}/go.xml` }).waitFor();
    assert.equal(await page.locator('#feeds tbody tr', { hasText: `${feeds.url}/cncf.xml` }).count(), 0, 'only the chosen one');
    assert.deepEqual(problems, []);
    await page.context().close();
  });

  test('shows validation errors next to the field, without losing the input', async () => {
    const page = await newPage();
    const problems = watchConsole(page);
    await page.goto(`${server.url}/feeds`);
    await waitForHydration(page);

    await page.click('button:text("Add feed")');
    await page.locator('#feed-url-error', { hasText: "Enter the feed's URL." }).waitFor();
    assert.equal(await page.getAttribute('#feed-url', 'aria-invalid'), 'true');

    await page.fill('#feed-url', 'ftp://example.com/feed');
    await page.click('button:text("Add feed")');
    await page.locator('#feed-url-error', { hasText: 'Only http and https' }).waitFor();
    assert.equal(await page.inputValue('#feed-url'), 'ftp://example.com/feed', 'input kept after an error');

    await page.fill('#feed-url', `${feeds.url}/k8s.xml`); // added by the first test
    await page.click('button:text("Add feed")');
    await page.locator('#feed-url-error', { hasText: 'already in the list' }).waitFor();
    // Chromium logs each rejected request; exactly those three may appear.
    const seen = problems.splice(0);
    assert.deepEqual(seen.filter((p) => !p.includes('status of 422')), []);
    assert.equal(seen.length, 3, 'three 422 answers');

    await page.fill('#feed-url', `${feeds.url}/cncf.xml`);
    await page.click('button:text("Add feed")');
    await page.locator('#feeds tbody tr', { hasText: `${feeds.url}/cncf.xml` }).waitFor();
    assert.equal(await page.locator('#feed-url-error').innerText(), '', 'error cleared after success');
    assert.deepEqual(problems, []);
    await page.context().close();
  });

  test("a feed's page: settings, refresh now, delete", async () => {
    const page = await newPage();
    const problems = watchConsole(page);
    await page.goto(`${server.url}/feeds`);
    await waitForHydration(page);
    await page.fill('#feed-url', `${feeds.url}/detail.xml`);
    await page.click('button:text("Add feed")');
    await page.click('#feeds a.feed-name:text("Detail feed")');
    await page.locator('h1', { hasText: 'Detail feed' }).waitFor();

    await page.fill('#feed-interval', '3');
    await page.click('button:text("Save settings")');
    await page.locator('.field-error', { hasText: 'between 5 minutes' }).waitFor();
    await page.fill('#feed-interval', '30');
    await page.fill('#feed-category', 'Testing');
    await page.click('button:text("Save settings")');
    await page.locator('[role=status]', { hasText: 'Saved.' }).waitFor();

    await page.click('button:text("Refresh now")');
    await page.locator('[role=status]', { hasText: 'Refreshed: 3 new, 0 updated.' }).waitFor();
    await page.locator('.facts dd', { hasText: 'HTTP 200' }).waitFor();

    await page.click('summary:text("Delete this feed…")');
    await page.click('button:text("Delete feed")');
    await page.waitForURL(`${server.url}/feeds`);
    await page.locator('h1', { hasText: 'Feeds' }).waitFor();
    assert.equal(await page.locator('#feeds a.feed-name:text("Detail feed")').count(), 0);
    const seen = problems.splice(0);
    assert.deepEqual(seen.filter((p) => !p.includes('status of 422')), []);
    assert.equal(seen.length, 1, 'one rejected save');
    await page.context().close();
  });

  test('imports an OPML file and shows the outcome', async () => {
    const page = await newPage();
    const problems = watchConsole(page);
    await page.goto(`${server.url}/feeds`);
    await waitForHydration(page);
    await page.click('summary:text("Import feeds from OPML")');
    await page.setInputFiles('#opml-file', new URL('../fixtures/opml/feedly-style.opml', import.meta.url).pathname);
    await Promise.all([page.waitForURL(/\/feeds\/import\//), page.click('button:text("Import")')]);
    await page.locator('#import-summary', { hasText: 'Done: 3 added, 0 duplicates skipped, 0 refused.' }).waitFor();
    await page.click('a:text("Back to the feeds")');
    await page.locator('#feeds a.feed-name', { hasText: 'Cilium releases' }).waitFor();
    assert.equal(await page.locator('#feeds .chip.category', { hasText: 'k8s' }).count(), 2, 'categories kept');
    assert.deepEqual(problems, []);
    await page.context().close();
  });

  test('works with JavaScript disabled (plain form posts)', async () => {
    const page = await newPage({ javaScriptEnabled: false });
    await page.goto(`${server.url}/feeds`);

    await page.fill('#feed-url', `${feeds.url}/go.xml`);
    await page.fill('#feed-title', 'Go, by form post');
    await page.check('input[name=exact]');
    await Promise.all([page.waitForURL(/\/feeds/), page.click('button:text("Add feed")')]);
    await page.locator('#feed-url-error', { hasText: 'already in the list' }).waitFor();

    await page.fill('#feed-url', 'mailto:someone@example.com');
    await Promise.all([page.waitForURL(/__err=/), page.click('button:text("Add feed")')]);
    assert.match(await page.locator('#feed-url-error').innerText(), /Only http and https/);
    await page.context().close();
  });

  test('the header navigates client-side, unknown pages are 404', async () => {
    const page = await newPage();
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
    await page.context().close();
  });
});
