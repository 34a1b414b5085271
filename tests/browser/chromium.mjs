// The headless Chromium that the browser tests and the front-end benchmarks
// drive. One launcher, so that what the tests see and what the benchmarks
// time is the same browser.
import { chromium } from 'playwright-core';

// Chromium 156 builds its address bar's suggestion popup (a page of its own,
// chrome://omnibox-popup.top-chrome, in a renderer of its own) for every new
// tab, headless too: about 400 ms of CPU while the tab loads the page under
// test, on a two-core machine as much as the page itself. It is the
// browser's own interface, not newsdesk, and nothing here types into an
// address bar, so it is switched off like the background networking,
// component updates and sync below. browser.test.mjs fails when a Chromium
// update brings such a target back under another name.
const NO_BROWSER_UI = '--disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup';

const BROWSER_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--no-first-run', NO_BROWSER_UI];

export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: BROWSER_ARGS,
  });
}
