// The browser the tests and the front-end benchmarks drive (chromium.mjs)
// runs the pages under test and nothing of its own interface that would
// compete with them for the CPU while they load.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { launchBrowser } from './chromium.mjs';

test('a new tab brings no page of the browser\'s own interface with it', async () => {
  const browser = await launchBrowser();
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto('data:text/html,<title>t</title><p>a page under test</p>');
    const cdp = await browser.newBrowserCDPSession();
    const { targetInfos } = await cdp.send('Target.getTargets', { filter: [{}] });
    const own = targetInfos.filter((target) => target.type === 'browser_ui').map((target) => target.url);
    assert.deepEqual(own, [], 'pages of Chromium\'s own interface run beside the page: switch them off in chromium.mjs');
    // The listing does show the page itself, so an empty result above is not
    // an empty listing.
    assert.ok(targetInfos.some((target) => target.type === 'page' && target.url.startsWith('data:')));
  } finally {
    await browser.close();
  }
});
