// Time to interactive of the inbox in headless Chromium on an emulated
// network (10 Mbit/s down, 40 ms latency: Chrome DevTools Protocol
// Network.emulateNetworkConditions). Part of bench/frontend/run.sh:
//
//   node bench/frontend/tti.mjs URL SESSION_COOKIE_VALUE RUNS
//
// Interactive means a keyboard shortcut works: from navigation start the
// page is sent `j` (move to the next row) every 10 ms until a row is marked
// current (aria-current="true"); the time is performance.now() when the mark
// appeared (a mutation observer notes it), i.e. since navigation start.
//   cold: RUNS navigations, each in a new browser context (empty cache);
//   warm: one context, one navigation to fill its cache, then RUNS more
//         (the HTML is never cached; the hashed JS, wasm and CSS are).
// Prints one JSON line per navigation and a last line with the medians.
import { launchBrowser } from '../../tests/browser/chromium.mjs';

const [url, cookie, runsArg] = process.argv.slice(2);
if (!url || !cookie) {
  console.error('usage: node bench/frontend/tti.mjs URL SESSION_COOKIE_VALUE [RUNS]');
  process.exit(2);
}
const runs = Number(runsArg ?? 5);
const NETWORK = { offline: false, latency: 40, downloadThroughput: (10e6 / 8), uploadThroughput: (10e6 / 8) };

const browser = await launchBrowser();

async function newContext() {
  const context = await browser.newContext();
  await context.addCookies([{ name: 'newsdesk_session', value: cookie, url }]);
  await context.addInitScript(() => {
    new MutationObserver(() => {
      if (window.__interactiveAt === undefined && document.querySelector('article[aria-current="true"]')) {
        window.__interactiveAt = performance.now();
      }
    }).observe(document, { attributes: true, subtree: true, attributeFilter: ['aria-current'] });
  });
  return context;
}

async function navigate(context, label) {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', NETWORK);
  const problems = [];
  page.on('pageerror', (error) => problems.push(error.message));
  const response = await page.goto(`${url}/`, { waitUntil: 'commit' });
  if (response.status() !== 200 || new URL(page.url()).pathname !== '/') {
    throw new Error(`GET / answered ${response.status()} at ${page.url()}: is the cookie valid?`);
  }
  const deadline = Date.now() + 60_000;
  // Pressing keys is the measurement's probe, not a synchronisation: the
  // figure is the page's own timestamp of the first effect.
  while (!(await page.evaluate(() => window.__interactiveAt !== undefined))) {
    if (Date.now() > deadline) throw new Error('the inbox did not react to j within 60 s');
    await page.keyboard.press('j');
    await page.waitForTimeout(10);
  }
  const figures = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const resources = performance.getEntriesByType('resource')
      .filter((entry) => entry.startTime <= window.__interactiveAt && /\.(js|wasm)$/.test(entry.name));
    return {
      tti_ms: Math.round(window.__interactiveAt),
      html_ms: Math.round(nav.responseEnd),
      script_files: resources.length,
      script_transfer: resources.reduce((sum, entry) => sum + entry.transferSize, 0),
    };
  });
  if (problems.length) throw new Error(`page errors: ${problems.join('; ')}`);
  console.log(JSON.stringify({ cache: label, ...figures }));
  await page.close();
  return figures.tti_ms;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
try {
  const cold = [];
  for (let run = 0; run < runs; run++) {
    const context = await newContext();
    cold.push(await navigate(context, 'cold'));
    await context.close();
  }
  const context = await newContext();
  await navigate(context, 'prime');
  const warm = [];
  for (let run = 0; run < runs; run++) warm.push(await navigate(context, 'warm'));
  await context.close();
  console.log(JSON.stringify({ median_cold_ms: median(cold), median_warm_ms: median(warm) }));
} finally {
  await browser.close();
}
