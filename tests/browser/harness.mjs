// Shared helpers for the browser tests: a real newsdesk server (with its own
// private PostgreSQL in a temporary data directory) and headless Chromium.
import { execFileSync, spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { launchBrowser } from './chromium.mjs';

const root = resolve(import.meta.dirname, '../..');

/**
 * Starts `newsdesk serve` on a free port and resolves once it is ready.
 * `extraArgs` go to the command line (e.g. `--no-poller`, so that only the
 * test decides when feeds are fetched).
 */
export async function startServer(extraArgs = []) {
  const dataDir = mkdtempSync(join(tmpdir(), 'newsdesk-browser-'));
  const bin = process.env.NEWSDESK_BIN ?? join(root, 'target/debug/newsdesk');
  // The tests' feed server runs on 127.0.0.1, which newsdesk refuses unless told.
  const env = { ...process.env, NEWSDESK_ALLOW_PRIVATE_HOSTS: '127.0.0.1' };
  delete env.DATABASE_URL;
  delete env.NEWSDESK_DATABASE_URL;
  const child = spawn(bin, ['serve', '--addr', '127.0.0.1:0', '--log-format', 'json',
    '--data-dir', dataDir, '--site-root', join(root, 'target/site'), ...extraArgs], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  const log = [];
  let setupUrl;
  const exited = new Promise((done) => child.on('exit', (code, signal) => done({ code, signal })));
  const url = await new Promise((ready, fail) => {
    const lines = createInterface({ input: child.stderr });
    lines.on('line', (line) => {
      log.push(line);
      try {
        const event = JSON.parse(line);
        // Logged before "ready" when the database has no admin yet.
        if (event.setup_url) setupUrl = event.setup_url;
        if (event.url) ready(event.url.replace(/\/$/, ''));
      } catch { /* not JSON: keep it in the log */ }
    });
    exited.then(({ code }) => fail(new Error(`newsdesk exited (${code}) before it was ready:\n${log.join('\n')}`)));
  });
  return {
    url,
    log,
    /** The one-time first-run link from the log (a fresh server has no admin). */
    setupUrl,
    /**
     * Runs SQL on the server's private database, for fixtures the UI cannot
     * make yet; returns psql's unaligned output.
     */
    sql(statement) {
      return execFileSync('psql', ['-h', join(dataDir, 'run'), '-U', 'newsdesk', '-d', 'newsdesk',
        '-v', 'ON_ERROR_STOP=1', '-Atc', statement], { encoding: 'utf8' }).trim();
    },
    async stop() {
      child.kill('SIGTERM');
      const { code } = await exited;
      rmSync(dataDir, { recursive: true, force: true });
      if (code !== 0) throw new Error(`newsdesk exited with ${code}:\n${log.join('\n')}`);
    },
  };
}

export { launchBrowser };

/**
 * Records console errors, hydration warnings, CSP violations and uncaught
 * exceptions; `problems` must be empty at the end of every test.
 */
export function watchConsole(page) {
  const problems = [];
  page.on('console', (message) => {
    const text = message.text();
    if (message.type() === 'error' || /hydrat/i.test(text)) problems.push(`${message.type()}: ${text}`);
  });
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  return problems;
}

export async function waitForHydration(page) {
  await page.waitForSelector('html[data-hydrated="true"]', { timeout: 30_000 });
}

/** An RSS 2.0 document with one item per title. */
export function rss(title, items) {
  const entries = items.map((item, i) => `<item><guid>${title}-${i}</guid><title>${item}</title>
    <link>https://example.com/${encodeURIComponent(title)}/${i}</link><description>About ${item}</description></item>`);
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>${title}</title>
    <link>https://example.com/</link>${entries.join('')}</channel></rss>`;
}

/**
 * A feed server on 127.0.0.1: `pages` maps a path to [content type, body].
 * Returns its base URL and a close function.
 */
export async function startFeedServer(pages) {
  const server = createServer((request, response) => {
    const page = pages[new URL(request.url, 'http://x').pathname];
    if (!page) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': page[0] }).end(page[1]);
  });
  await new Promise((listening) => server.listen(0, '127.0.0.1', listening));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((closed) => server.close(closed)),
  };
}

export const PASSWORD = 'correct horse battery staple';

/**
 * Creates the first admin through the setup link, as a person would, and
 * returns the signed-in browser state for `browser.newContext({ storageState })`.
 */
export async function setUpAdmin(browser, server, name = 'Admin') {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(server.setupUrl);
  await page.fill('#invite-name', name);
  await page.fill('#invite-password', PASSWORD);
  await page.fill('#invite-confirm', PASSWORD);
  await Promise.all([
    page.waitForURL(`${server.url}/`),
    page.click('button:text("Create admin account")'),
  ]);
  const state = await context.storageState();
  await context.close();
  return state;
}

/**
 * For the describe block it is called in: before its tests, a server
 * without the poller, a browser and the first admin `name`; with `pages`,
 * a feed server serving them (see startFeedServer), each added as a feed
 * and fetched once; each of `members` ([name, role]) invited and joined.
 * After the tests, all of it stopped. The object it returns holds
 * `server`, `browser`, `admin` (the admin's storage state) and `feeds`
 * once the tests run.
 */
export function useNewsroom(name, { pages, members = [] } = {}) {
  const newsroom = {};
  before(async () => {
    if (pages) newsroom.feeds = await startFeedServer(pages);
    newsroom.server = await startServer(['--no-poller']);
    newsroom.browser = await launchBrowser();
    newsroom.admin = await setUpAdmin(newsroom.browser, newsroom.server, name);
    if (!pages && members.length === 0) return;
    const context = await newsroom.browser.newContext({ storageState: newsroom.admin });
    for (const path of Object.keys(pages ?? {})) {
      await addFeed(context, newsroom.server, `${newsroom.feeds.url}${path}`);
    }
    for (const [member, role] of members) {
      await addMember(context, newsroom.browser, newsroom.server, member, role);
    }
    await context.close();
  });
  after(async () => {
    await newsroom.browser?.close();
    await newsroom.server?.stop();
    await newsroom.feeds?.close();
  });
  return newsroom;
}

/** Calls a server function the way the app does, as `context`'s member; it must succeed. */
export async function callServerFunction(context, server, name, form) {
  const response = await context.request.post(`${server.url}/api/${name}`, {
    form, headers: { origin: server.url, accept: 'application/json' },
  });
  assert.ok(response.ok(), `${name}: ${response.status()} ${await response.text()}`);
  return response.json();
}

/** Adds the feed at `url` (exactly that address) as `context`'s member and fetches it once. */
export async function addFeed(context, server, url) {
  const added = await callServerFunction(context, server, 'add_feed', { url, title: '', exact: 'on' });
  await callServerFunction(context, server, 'refresh_feed', { id: String(added.Added.id) });
}

/**
 * Invites `name` as `role` (as `context`'s member), and the invitation is
 * accepted with PASSWORD from a fresh context, as the invited person would.
 */
export async function addMember(context, browser, server, name, role) {
  const invite = await callServerFunction(context, server, 'invite_member', { name, role });
  const guest = await browser.newContext();
  await guest.request.post(`${server.url}/api/accept_invite`, {
    form: { token: invite.url.split('/').pop(), password: PASSWORD, confirm: PASSWORD },
    headers: { origin: server.url, accept: 'application/json' },
  });
  await guest.close();
}

/** Signs in through the sign-in page in a fresh context; returns the page. */
export async function signIn(browser, server, name, password = PASSWORD, options = {}) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  await page.goto(`${server.url}/sign-in`);
  if (options.javaScriptEnabled !== false) await waitForHydration(page);
  await page.fill('#sign-in-name', name);
  await page.fill('#sign-in-password', password);
  await Promise.all([
    page.waitForURL(`${server.url}/`),
    page.click('button:text("Sign in")'),
  ]);
  return page;
}
