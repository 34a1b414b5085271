// Titles and texts that decode to markup, in a real browser: a feed name,
// a headline and a commentary holding `</title>`, `</textarea>` and a meta
// refresh leave no element of their own in the DOM, `document.title` shows
// them literally, and the editor's textarea holds the commentary as typed.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { launchBrowser, setUpAdmin, startServer, waitForHydration, watchConsole } from './harness.mjs';

const INJECTION = '</title></textarea><meta http-equiv="refresh" content="0;url=https://evil.example/"><i id="injected">x</i>';
const sqlText = (text) => `'${text.replaceAll("'", "''")}'`;

describe('hostile titles', () => {
  let server;
  let browser;
  let admin;
  let feedId;

  before(async () => {
    server = await startServer(['--no-poller']);
    browser = await launchBrowser();
    admin = await setUpAdmin(browser, server, 'Ada');
    server.sql(`INSERT INTO feeds (url, title) VALUES ('https://example.com/feed.xml', ${sqlText(INJECTION)})`);
    feedId = server.sql('SELECT max(id) FROM feeds');
    // A new newsletter starts its first draft.
    const context = await browser.newContext({ storageState: admin });
    await context.request.post(`${server.url}/api/start_draft`, {
      headers: { origin: server.url, accept: 'application/json' },
    });
    await context.close();
    server.sql(`INSERT INTO picks (issue_id, section_id, position, url, title, commentary)
      SELECT i.id, (SELECT min(id) FROM sections), 1, 'https://example.com/a', ${sqlText(INJECTION)}, ${sqlText(`Before ${INJECTION} after & &amp;`)}
      FROM issues i WHERE i.number = 1`);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function open(path, { signedIn = true } = {}) {
    const context = await browser.newContext(signedIn ? { storageState: admin } : {});
    const page = await context.newPage();
    const problems = watchConsole(page);
    const response = await page.goto(`${server.url}${path}`);
    assert.equal(response.status(), 200, path);
    const html = await response.text();
    assert.doesNotMatch(html, /<i id="injected">|<meta http-equiv="refresh"/, `${path}: raw HTML`);
    await waitForHydration(page);
    assert.equal(await page.locator('#injected').count(), 0, `${path}: injected element in the DOM`);
    assert.equal(await page.locator('meta[http-equiv="refresh"]').count(), 0, `${path}: meta refresh in the DOM`);
    return { context, page, problems };
  }

  test('the feed page', async () => {
    const { context, page, problems } = await open(`/feeds/${feedId}`);
    assert.equal(await page.evaluate(() => document.title), `${INJECTION} · newsdesk`);
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('the editor, its preview and the issues list', async () => {
    const { context, page, problems } = await open('/edit/1');
    const commentary = page.locator('textarea[id^="pick-"][id$="-commentary"]');
    assert.equal(await commentary.inputValue(), `Before ${INJECTION} after & &amp;`);
    assert.deepEqual(problems, []);
    await context.close();
    for (const path of ['/edit/1/preview', '/edit', '/members', '/']) {
      const opened = await open(path);
      assert.deepEqual(opened.problems, [], path);
      await opened.context.close();
    }
  });

  test('the published issue, for readers', async () => {
    server.sql(`UPDATE issues SET headline = ${sqlText(INJECTION)} WHERE number = 1`);
    const context = await browser.newContext({ storageState: admin });
    const published = await context.request.post(`${server.url}/api/publish_issue`, {
      form: { number: '1', accept_warnings: 'true' }, headers: { origin: server.url, accept: 'application/json' },
    });
    assert.equal(published.status(), 200, await published.text());
    await context.close();
    const { context: reader, page, problems } = await open('/issues/1', { signedIn: false });
    const title = await page.evaluate(() => document.title);
    assert.ok(title.includes('<meta http-equiv="refresh"'), `the title is shown as text: ${title}`);
    assert.equal(await page.locator('meta[property="og:title"]').getAttribute('content'), title.replace(/ · newsdesk$/, ''));
    assert.deepEqual(problems, []);
    await reader.close();
    const archive = await open('/issues', { signedIn: false });
    await archive.context.close();
  });
});
