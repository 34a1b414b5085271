// Live events in a real browser when the event stream breaks: a stream the
// server refused (as while it restarts) is opened again, and every stream a
// page opened, also one opened by such a retry, is closed when the page goes.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { useNewsroom, waitForHydration, watchConsole } from './harness.mjs';

describe('live events', () => {
  const newsroom = useNewsroom('Ada');

  test('a refused stream is opened again, and closed with the page', async () => {
    const { server, browser, admin } = newsroom;
    const context = await browser.newContext({ storageState: admin });
    // Keep every EventSource the app makes, to look at their states. The
    // first one gets an answer that is no event stream, as from a server
    // that is restarting (`/healthz` answers text/plain): the browser gives
    // up on it, and the app starts over a little later.
    await context.addInitScript(() => {
      const Native = window.EventSource;
      window.streams = [];
      window.EventSource = class extends Native {
        constructor(url, options) {
          super(window.streams.length === 0 ? '/healthz' : url, options);
          window.streams.push(this);
        }
      };
    });
    const page = await context.newPage();
    const problems = watchConsole(page);
    await page.goto(`${server.url}/`);
    await waitForHydration(page);
    await page.locator('.live-status.live').waitFor({ timeout: 15_000 });
    const states = () => page.evaluate(() => window.streams.map((stream) => stream.readyState));
    assert.deepEqual(await states(), [EventSourceState.CLOSED, EventSourceState.OPEN],
      'the refused stream is closed, its replacement open');

    // Away from the inbox, within the app: no stream of it stays open.
    await page.locator('header a', { hasText: 'Feeds' }).click();
    await page.waitForURL(`${server.url}/feeds`);
    await page.locator('h1', { hasText: 'Feeds' }).waitFor();
    assert.deepEqual(await states(), [EventSourceState.CLOSED, EventSourceState.CLOSED],
      'the stream the retry opened is closed with the page (the same document: no reload)');

    // The refusal itself is logged by the browser; nothing else may be.
    const unexpected = problems.filter((problem) => !/EventSource|MIME type/.test(problem));
    assert.deepEqual(unexpected, []);
    await context.close();
  });
});

/** EventSource.readyState values. */
const EventSourceState = { CONNECTING: 0, OPEN: 1, CLOSED: 2 };
