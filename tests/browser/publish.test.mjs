// Publishing in a real browser: a publisher reviews the checks and
// publishes; the archive (without JavaScript) shows the issue; the feeds
// list it and pass independent checks (Atom against the RELAX NG schema of
// RFC 4287 with jing; Atom and RSS through Python's feedparser with no
// "bozo" flag, ids, titles, links, dates and content round-tripped); the
// next draft exists; a viewer cannot publish.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  PASSWORD, launchBrowser, setUpAdmin, startServer, waitForHydration, watchConsole,
} from './harness.mjs';

const root = resolve(import.meta.dirname, '../..');
const python = join(root, 'target/test-tools/venv/bin/python');
const FEEDPARSER = `
import feedparser, json, sys
d = feedparser.parse(sys.stdin.buffer.read())
print(json.dumps({
  "bozo": int(bool(d.bozo)), "problem": str(d.get("bozo_exception", "")), "version": d.version,
  "title": d.feed.get("title"),
  "entries": [{
    "id": e.get("id"), "title": e.get("title"), "link": e.get("link"),
    "published": e.get("published_parsed") and list(e.published_parsed)[:6],
    "updated": e.get("updated_parsed") and list(e.updated_parsed)[:6],
    "content": (e.get("content") or [{"value": e.get("summary", "")}])[0]["value"],
  } for e in d.entries]}))
`;

function feedparser(xml) {
  const out = execFileSync(python, ['-c', FEEDPARSER], { input: xml, encoding: 'utf8' });
  return JSON.parse(out);
}

describe('publishing', () => {
  let server;
  let browser;
  let ada;
  let vic;
  let work;

  async function call(state, name, form) {
    const context = await browser.newContext({ storageState: state });
    const response = await context.request.post(`${server.url}/api/${name}`, {
      form, headers: { origin: server.url, accept: 'application/json' },
    });
    const result = { status: response.status(), body: await response.json() };
    await context.close();
    return result;
  }

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'newsdesk-feeds-'));
    server = await startServer(['--no-poller']);
    browser = await launchBrowser();
    ada = await setUpAdmin(browser, server, 'Ada');
    server.sql("UPDATE newsletter SET name = 'Neco Weekly', title_template = '{headline}: {name} ({date}号)'");
    const invite = await call(ada, 'invite_member', { name: 'Vic', role: 'viewer' });
    const guest = await browser.newContext();
    await guest.request.post(`${server.url}/api/accept_invite`, {
      form: { token: invite.body.url.split('/').pop(), password: PASSWORD, confirm: PASSWORD },
      headers: { origin: server.url, accept: 'application/json' },
    });
    vic = await guest.storageState();
    await guest.close();
    const draft = await call(ada, 'start_draft', {});
    server.sql(`UPDATE issues SET headline = 'Gateway API & <friends>' WHERE number = ${draft.body.number}`);
    server.sql(`INSERT INTO picks (issue_id, section_id, position, url, title, commentary)
      SELECT i.id, (SELECT min(id) FROM sections), 1, 'https://gateway-api.sigs.k8s.io/?a=1&b=2',
        'Gateway API 1.4: 日本語 & "quotes"', E'GA at last.\\n\\nSee [the guide](https://gateway-api.sigs.k8s.io/guides/).'
      FROM issues i WHERE i.number = ${draft.body.number}`);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  test('a viewer cannot publish', async () => {
    const context = await browser.newContext({ storageState: vic });
    const page = await context.newPage();
    await page.goto(`${server.url}/edit/1`);
    await waitForHydration(page);
    await page.locator('h1.issue-title').waitFor();
    assert.equal(await page.locator('button.publish-review').count(), 0);
    await context.close();
    const refused = await call(vic, 'publish_issue', { number: '1', accept_warnings: 'true' });
    assert.equal(refused.status, 403);
    assert.equal(server.sql("SELECT state FROM issues WHERE number = 1"), 'draft');
  });

  test('the publisher publishes; archive, feeds and the next draft follow', async () => {
    const context = await browser.newContext({ storageState: ada });
    const page = await context.newPage();
    const problems = watchConsole(page);
    await page.goto(`${server.url}/edit/1`);
    await waitForHydration(page);
    await page.click('button.publish-review');
    await page.locator('.publish-check', { hasText: 'All checks passed.' }).waitFor();
    await page.click('button.publish-confirm');
    await page.locator('.form-ok', { hasText: 'Published. The next draft is #2.' }).waitFor();
    await page.locator('.published-note').waitFor();
    assert.deepEqual(problems, []);
    await page.goto(`${server.url}/edit`);
    await page.locator('.issue-item.draft[data-number="2"]').waitFor();
    await context.close();

    // The archive works without JavaScript.
    const reader = await browser.newContext({ javaScriptEnabled: false });
    const archive = await reader.newPage();
    await archive.goto(`${server.url}/issues`);
    const entry = archive.locator('.archive-entry[data-number="1"]');
    assert.match(await entry.locator('h2').innerText(), /^Gateway API & <friends>: Neco Weekly \(\d{4}-\d{2}-\d{2}号\)$/);
    assert.match(await entry.locator('.headlines').innerText(), /Gateway API 1\.4: 日本語 & "quotes"/);
    await entry.locator('h2 a').click();
    await archive.waitForURL(`${server.url}/issues/1`);
    const body = archive.locator('article.issue-article');
    await body.locator('h2#notable-articles').waitFor();
    assert.equal(await body.locator('h3 a').getAttribute('href'), 'https://gateway-api.sigs.k8s.io/?a=1&b=2');
    assert.equal(await archive.locator('meta[property="og:title"]').getAttribute('content'),
      await archive.locator('h1').innerText());
    await reader.close();

    // The feeds: valid Atom (RELAX NG), and both read back by feedparser.
    const request = (await browser.newContext()).request;
    const atom = await (await request.get(`${server.url}/feed.atom`)).text();
    const rss = await (await request.get(`${server.url}/feed.xml`)).text();
    writeFileSync(join(work, 'feed.atom'), atom);
    const jing = spawnSync('jing', ['-c', join(root, 'tests/fixtures/atom.rnc'), join(work, 'feed.atom')], { encoding: 'utf8' });
    assert.equal(jing.status, 0, `jing: ${jing.stdout}${jing.stderr}\n${atom}`);
    // The schema check can fail: an entry without its required title.
    writeFileSync(join(work, 'broken.atom'), atom.replace(/<title>[^<]*<\/title>\n<link rel="alternate"/, '<link rel="alternate"'));
    const broken = spawnSync('jing', ['-c', join(root, 'tests/fixtures/atom.rnc'), join(work, 'broken.atom')], { encoding: 'utf8' });
    assert.notEqual(broken.status, 0, 'jing rejects an entry without a title');

    const published = server.sql("SELECT to_char(published_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') FROM issues WHERE number = 1");
    for (const [name, xml, version] of [['atom', atom, 'atom10'], ['rss', rss, 'rss20']]) {
      const feed = feedparser(xml);
      assert.equal(feed.bozo, 0, `${name}: ${feed.problem}`);
      assert.equal(feed.version, version);
      assert.equal(feed.title, 'Neco Weekly');
      assert.equal(feed.entries.length, 1);
      const [item] = feed.entries;
      assert.match(item.id, new RegExp(`^tag:127\\.0\\.0\\.1,${published}:issue-1$`));
      assert.match(item.title, /^Gateway API & <friends>: Neco Weekly/);
      assert.equal(item.link, `${server.url}/issues/1`);
      assert.deepEqual(item.published.slice(0, 3), published.split('-').map(Number));
      assert.ok(item.content.includes('<a href="https://gateway-api.sigs.k8s.io/?a=1&amp;b=2">Gateway API 1.4: 日本語 &amp; "quotes"</a>'), item.content);
      assert.ok(item.content.includes('<a href="https://gateway-api.sigs.k8s.io/guides/">the guide</a>'), item.content);
    }
  });
});
