// Time to interactive of the inbox in headless Chromium, and the bytes it
// transfers. Part of bench/inbox/run.sh, which passes the server and a
// session cookie:
//
//   node bench/inbox/tti.mjs URL SESSION_COOKIE_VALUE [RUNS]
//
// One browser context (one HTTP cache) and RUNS navigations to `/`, each in
// a new page: the first is cold (empty cache), the others warm (the hashed
// JS, wasm and CSS come from the cache; the HTML never does). For each it
// prints one JSON line:
//   tti_ms       performance.now() when <html data-hydrated="true"> was set
//                (the app's "live" mark, see app/src/lib.rs), i.e. time
//                since navigation start (performance.timeOrigin);
//   ttfb_ms, html_ms, dcl_ms   response start, response end and
//                DOMContentLoaded of the document, for context;
//   transfer     bytes over the wire up to that moment: the navigation's
//                transferSize (headers + encoded body) plus every resource
//                entry's; encoded and decoded: the bodies alone, as sent
//                (compressed) and unpacked;
//   resources    the resources that were loaded, with their sizes.
// Chromium is launched as the browser tests launch it (tests/browser/chromium.mjs):
// $CHROMIUM, else /usr/bin/chromium; playwright-core comes from the
// repository's node_modules.
import { launchBrowser } from '../../tests/browser/chromium.mjs';

const [url, cookie, runsArg] = process.argv.slice(2);
if (!url || !cookie) {
  console.error('usage: node bench/inbox/tti.mjs URL SESSION_COOKIE_VALUE [RUNS]');
  process.exit(2);
}
const runs = Number(runsArg ?? 5);

const browser = await launchBrowser();
try {
  const context = await browser.newContext();
  await context.addCookies([{ name: 'newsdesk_session', value: cookie, url }]);
  // Runs in every page before its own scripts: notes the moment the
  // hydration mark appears (a mutation observer's callback runs in the same
  // task as the change, so the time is that of the change).
  await context.addInitScript(() => {
    const note = () => {
      if (window.__hydratedAt === undefined && document.documentElement?.dataset.hydrated === 'true') {
        window.__hydratedAt = performance.now();
      }
    };
    new MutationObserver(note).observe(document, { attributes: true, subtree: true, attributeFilter: ['data-hydrated'] });
  });
  for (let run = 1; run <= runs; run++) {
    const page = await context.newPage();
    const problems = [];
    page.on('pageerror', (error) => problems.push(error.message));
    const response = await page.goto(`${url}/`, { waitUntil: 'commit' });
    if (response.status() !== 200 || new URL(page.url()).pathname !== '/') {
      throw new Error(`GET / answered ${response.status()} at ${page.url()}: is the cookie valid?`);
    }
    await page.waitForFunction(() => window.__hydratedAt !== undefined, null, { timeout: 60_000 });
    const figures = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0];
      const resources = performance.getEntriesByType('resource')
        .filter((entry) => entry.responseEnd <= window.__hydratedAt)
        .map((entry) => ({
          name: new URL(entry.name).pathname,
          transfer: entry.transferSize,
          encoded: entry.encodedBodySize,
          decoded: entry.decodedBodySize,
        }));
      // The document plus the resources, for one of transfer/encoded/decoded.
      const sum = (field, navField) => nav[navField] + resources.reduce((total, entry) => total + entry[field], 0);
      return {
        tti_ms: window.__hydratedAt,
        ttfb_ms: nav.responseStart,
        html_ms: nav.responseEnd,
        dcl_ms: nav.domContentLoadedEventEnd,
        articles: document.querySelectorAll('article').length,
        transfer: sum('transfer', 'transferSize'),
        encoded: sum('encoded', 'encodedBodySize'),
        decoded: sum('decoded', 'decodedBodySize'),
        html: { transfer: nav.transferSize, encoded: nav.encodedBodySize, decoded: nav.decodedBodySize },
        resources,
      };
    });
    if (problems.length) throw new Error(`page errors: ${problems.join('; ')}`);
    console.log(JSON.stringify({ run, cache: run === 1 ? 'cold' : 'warm', ...figures }));
    await page.close();
  }
} finally {
  await browser.close();
}
