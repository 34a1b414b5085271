// A newsroom with something on every page, for the tests that look at all
// of them (accessibility, screenshots): two feeds with entries (English and
// Japanese), a member of every role, a published issue with picks and a
// draft with picks and commentary, an OPML import and a pending invitation.
// Empty pages would hide most of what those tests are there to check.
import assert from 'node:assert/strict';
import {
  PASSWORD, launchBrowser, setUpAdmin, startFeedServer, startServer, waitForHydration,
} from './harness.mjs';

const RSS = 'application/rss+xml; charset=utf-8';

/** RSS with items given as [guid, title, day of November 2026]. */
function feed(title, items) {
  const entries = items.map(([guid, itemTitle, day]) => `<item><guid>${guid}</guid><title>${itemTitle}</title>
    <link>https://news.example.com/${guid}</link><description>About ${itemTitle}: what changed, why it matters and
    what to try first.</description><category>kubernetes</category>
    <pubDate>${new Date(Date.UTC(2026, 10, day, 9)).toUTCString()}</pubDate></item>`);
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>${title}</title>
    <link>https://news.example.com/</link>${entries.join('')}</channel></rss>`;
}

const TEAM = [
  ['k8s', 'Kubernetes v1.35 released', 20],
  ['jp1', 'クラスタ管理の新しい仕組み', 19],
  ['gw', 'Gateway API 1.4 is GA', 18],
  ['jp2', 'コンテナランタイムの比較', 17],
  ['etcd', 'An older post about etcd', 16],
  ['cilium', 'Cilium 1.19: what is new in networking', 15],
];
const RELEASES = [
  ['argo', 'Argo CD 3.2 release notes', 21],
  ['helm', 'Helm 4.1 brings OCI by default', 14],
  ['otel', 'OpenTelemetry collector 0.140', 13],
];

/** The roles below admin, each with the member the newsroom invites. */
export const MEMBERS = { editor: 'Ben', publisher: 'Pat', viewer: 'Vic' };

/**
 * Starts a server and a browser and fills the newsroom. Returns
 * `{ server, browser, feeds, states, paths, close }`: `states` maps each
 * role to its signed-in storage state, `paths` names the pages that need
 * an id (`importReport`, `invitation`, `draft`, `published`).
 */
export async function startNewsroom() {
  const feeds = await startFeedServer({
    '/team.xml': [RSS, feed('Team Feed', TEAM)],
    '/releases.xml': [RSS, feed('Release Notes', RELEASES)],
  });
  const server = await startServer(['--no-poller']);
  const browser = await launchBrowser();
  try {
    return await fill(feeds, server, browser);
  } catch (error) {
    // Left running, the server and browser would keep the test process alive.
    await browser.close();
    await server.stop().catch(() => {});
    await feeds.close();
    throw error;
  }
}

async function fill(feeds, server, browser) {
  const admin = await setUpAdmin(browser, server, 'Ada');
  const states = { admin };

  async function call(state, name, form) {
    const context = await browser.newContext({ storageState: state });
    const response = await context.request.post(`${server.url}/api/${name}`, {
      form, headers: { origin: server.url, accept: 'application/json' },
    });
    const text = await response.text();
    await context.close();
    assert.ok(response.ok(), `${name}: ${response.status()} ${text}`);
    return text ? JSON.parse(text) : null;
  }

  server.sql("UPDATE newsletter SET name = 'Neco Weekly', title_template = '{headline}: {name} ({date}号)'");
  for (const path of ['/team.xml', '/releases.xml']) {
    const added = await call(admin, 'add_feed', { url: `${feeds.url}${path}`, title: '', exact: 'on' });
    await call(admin, 'refresh_feed', { id: String(added.Added.id) });
  }
  for (const [role, name] of Object.entries(MEMBERS)) {
    const invite = await call(admin, 'invite_member', { name, role });
    const guest = await browser.newContext();
    const accepted = await guest.request.post(`${server.url}/api/accept_invite`, {
      form: { token: invite.url.split('/').pop(), password: PASSWORD, confirm: PASSWORD },
      headers: { origin: server.url, accept: 'application/json' },
    });
    assert.ok(accepted.ok(), `accept_invite: ${accepted.status()}`);
    states[role] = await guest.storageState();
    await guest.close();
  }
  // Left pending, for the invitation page.
  const pending = await call(admin, 'invite_member', { name: 'Nia', role: 'editor' });

  const candidate = (guid) => server.sql(`SELECT id FROM candidates WHERE url = 'https://news.example.com/${guid}'`);
  const sections = server.sql('SELECT id FROM sections ORDER BY position').split('\n');
  const first = await call(admin, 'start_draft', {});
  server.sql(`UPDATE issues SET headline = 'Kubernetes 1.35 and Gateway API' WHERE number = ${first.number}`);
  await call(admin, 'pick', { candidate_id: candidate('k8s'), section_id: sections[0] });
  await call(admin, 'pick', { candidate_id: candidate('gw'), section_id: sections[1] });
  server.sql(`UPDATE picks SET commentary = E'Sidecars are stable now.\\nRead the notes before upgrading.'
    WHERE url = 'https://news.example.com/k8s'`);
  await call(admin, 'publish_issue', { number: String(first.number), accept_warnings: 'true' });
  const draft = server.sql("SELECT number FROM issues WHERE state = 'draft' ORDER BY number DESC LIMIT 1");
  server.sql(`UPDATE issues SET headline = 'Argo CD 3.2' WHERE number = ${draft}`);
  await call(admin, 'pick', { candidate_id: candidate('argo'), section_id: sections[0] });
  await call(admin, 'pick', { candidate_id: candidate('jp1'), section_id: sections[0] });
  await call(admin, 'pick', { candidate_id: candidate('helm'), section_id: sections[1] });
  server.sql(`UPDATE picks SET commentary = E'GitOps の定番。\\n**Multi-source apps** are GA.'
    WHERE url = 'https://news.example.com/argo'`);
  await call(states.editor, 'vote', { 'ids[0]': candidate('cilium'), on: 'true' });

  // An OPML import, through the page a person uses, for its report page.
  const context = await browser.newContext({ storageState: admin });
  const page = await context.newPage();
  await page.goto(`${server.url}/feeds`);
  await waitForHydration(page);
  await page.click('summary:text("Import feeds from OPML")');
  await page.setInputFiles('#opml-file', new URL('../fixtures/opml/feedly-style.opml', import.meta.url).pathname);
  await Promise.all([page.waitForURL(/\/feeds\/import\/[^/]+$/), page.click('button:text("Import")')]);
  const importReport = new URL(page.url()).pathname;
  await page.locator('#import-summary', { hasText: 'Done:' }).waitFor();
  await context.close();

  const feedId = server.sql("SELECT id FROM feeds WHERE url LIKE '%/team.xml'");
  return {
    server,
    browser,
    feeds,
    states,
    paths: {
      importReport,
      invitation: new URL(pending.url).pathname,
      draft: `/edit/${draft}`,
      published: `/issues/${first.number}`,
      feed: `/feeds/${feedId}`,
    },
    async close() {
      await browser.close();
      await server.stop();
      await feeds.close();
    },
  };
}
