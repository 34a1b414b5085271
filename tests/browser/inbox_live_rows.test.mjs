// An open inbox follows changes to the rows it shows, without a reload:
// an entry edited at its source (title, excerpt), a second feed carrying
// the same link (sources), an edited near-duplicate, a pick moved between
// two sections whose titles have the same length, and "covered in" once
// the issue is published. The changes are made by another member (and the
// feeds they refresh), as in a real week.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import {
  callServerFunction, signIn, useNewsroom, waitForHydration, watchConsole,
} from './harness.mjs';

const RSS = 'application/rss+xml; charset=utf-8';

function feed(title, items) {
  const entries = items.map(([link, itemTitle, about]) => `<item><guid>${link}</guid><title>${itemTitle}</title>
    <link>https://news.example.com/${link}</link><description>${about}</description>
    <pubDate>${new Date(Date.UTC(2026, 10, 20, 9)).toUTCString()}</pubDate></item>`);
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>${title}</title>
    <link>https://news.example.com/</link>${entries.join('')}</channel></rss>`;
}

describe('inbox rows follow live changes', () => {
  let server;
  let browser;
  let feeds;
  let admin;
  const pages = {
    '/a.xml': [RSS, feed('Feed A', [['cilium', 'Cilium 1.17 released', 'About Cilium']])],
    '/b.xml': [RSS, feed('Feed B', [['cilium-b', 'Cilium 1.17 released today', 'Also Cilium']])],
  };

  const call = (context, name, form) => callServerFunction(context, server, name, form);

  const newsroom = useNewsroom('Ada', { pages, members: [['Ben', 'editor']] });
  before(() => {
    ({ server, browser, feeds, admin } = newsroom);
    server.sql("INSERT INTO sections (title, position) VALUES ('Alpha', 100), ('Bravo', 101)");
  });

  const rowOf = (page, link) => page.locator(`article.candidate[data-id="${server.sql(
    `SELECT id FROM candidates WHERE url = 'https://news.example.com/${link}'`)}"]`);

  async function refresh(context, name) {
    // "Refresh now" is allowed once a minute per feed.
    server.sql("UPDATE feeds SET last_attempt_at = now() - interval '2 minutes'");
    await call(context, 'refresh_feed', { id: server.sql(`SELECT id FROM feeds WHERE title = '${name}'`) });
  }

  test('title, excerpt, sources, near-duplicates, section and "covered in"', async () => {
    const adaContext = await browser.newContext({ storageState: admin });
    const ada = await adaContext.newPage();
    const problems = watchConsole(ada);
    await ada.goto(`${server.url}/?state=all`);
    await waitForHydration(ada);
    await ada.locator('.live-status.live').waitFor();
    const ben = await signIn(browser, server, 'Ben');
    const cilium = rowOf(ada, 'cilium');
    const similar = rowOf(ada, 'cilium-b');
    await similar.locator('.signals .similar', { hasText: 'Cilium 1.17 released' }).waitFor();

    // The entry is edited at its source; Ben refreshes the feed.
    pages['/a.xml'][1] = feed('Feed A', [['cilium', 'Cilium 1.17.1 released', 'Patched: CVE fixes']]);
    await refresh(ben.context(), 'Feed A');
    await cilium.locator('.candidate-title', { hasText: 'Cilium 1.17.1 released' }).waitFor();
    await cilium.locator('.excerpt', { hasText: 'Patched: CVE fixes' }).waitFor();
    await similar.locator('.signals .similar', { hasText: 'Cilium 1.17.1 released' }).waitFor();

    // A second feed carries the same link.
    pages['/b.xml'][1] = feed('Feed B', [['cilium-b', 'Cilium 1.17 released today', 'Also Cilium'],
      ['cilium', 'Cilium 1.17.1 released', 'From B']]);
    await refresh(ben.context(), 'Feed B');
    await cilium.locator('.sources', { hasText: 'Feed B' }).waitFor();

    // Ben picks it into Alpha, then moves the pick to Bravo (same length).
    const candidate = server.sql("SELECT id FROM candidates WHERE url = 'https://news.example.com/cilium'");
    const alpha = server.sql("SELECT id FROM sections WHERE title = 'Alpha'");
    const bravo = server.sql("SELECT id FROM sections WHERE title = 'Bravo'");
    await call(ben.context(), 'pick', { candidate_id: candidate, section_id: alpha });
    await cilium.locator('.signals .picked', { hasText: '(Alpha)' }).waitFor();
    const pick = server.sql(`SELECT id FROM picks WHERE candidate_id = ${candidate}`);
    await call(ben.context(), 'move_pick', { pick, section: bravo, index: '0' });
    await cilium.locator('.signals .picked', { hasText: '(Bravo)' }).waitFor();

    // Ada publishes; the row says it is covered.
    await call(adaContext, 'publish_issue', { number: '1', accept_warnings: 'true' });
    await cilium.locator('.signals .covered', { hasText: 'Covered in #1' }).waitFor();
    assert.deepEqual(problems, []);
    await ben.context().close();
    await adaContext.close();
  });
});
