// Screenshots of the main screens (inbox, editor, Settings) in the three
// looks a person meets them in: light, dark and a 390 px phone. They go to
// target/screenshots/ on every test run, for a person to look at;
// `scripts/screenshots.sh` writes them into docs/screenshots/ instead
// (NEWSDESK_SCREENSHOT_DIR), which README and the guide show.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { waitForHydration, watchConsole } from './harness.mjs';
import { startNewsroom } from './newsroom.mjs';

const root = resolve(import.meta.dirname, '../..');
const shots = resolve(root, process.env.NEWSDESK_SCREENSHOT_DIR ?? 'target/screenshots');

const LOOKS = {
  light: { viewport: { width: 1280, height: 800 } },
  dark: { viewport: { width: 1280, height: 800 }, colorScheme: 'dark' },
  phone: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 1 },
};

describe('screenshots', () => {
  let newsroom;

  before(async () => {
    mkdirSync(shots, { recursive: true });
    newsroom = await startNewsroom();
  });
  after(async () => {
    await newsroom?.close();
  });

  const SCREENS = {
    inbox: (paths) => ['/', (page) => page.locator('article.candidate').first().waitFor()],
    editor: (paths) => [paths.draft, (page) => page.locator('article.pick-card').first().waitFor()],
    settings: () => ['/settings', (page) => page.locator('form').first().waitFor()],
  };

  test('inbox with active filters, the panel open', async () => {
    const { browser, server, states } = newsroom;
    for (const [look, options] of Object.entries(LOOKS)) {
      const context = await browser.newContext({ storageState: states.admin, ...options });
      const page = await context.newPage();
      const problems = watchConsole(page);
      await page.goto(`${server.url}/?state=all&voted=1`);
      await waitForHydration(page);
      await page.locator('.filter-chips').waitFor();
      await page.click('details.filter-panel > summary');
      await page.locator('.filter-fields').waitFor();
      await page.screenshot({ path: join(shots, `inbox-filters-${look}.png`) });
      assert.deepEqual(problems, []);
      await context.close();
    }
  });

  test('inbox, editor and Settings in Japanese', async () => {
    const { browser, server, states, paths } = newsroom;
    for (const [screen, where] of Object.entries(SCREENS)) {
      const [path, ready] = where(paths);
      const context = await browser.newContext({
        storageState: states.admin, ...LOOKS.light, locale: 'ja-JP', timezoneId: 'Asia/Tokyo',
      });
      const page = await context.newPage();
      const problems = watchConsole(page);
      await page.goto(`${server.url}${path}`);
      await waitForHydration(page);
      await ready(page);
      assert.equal(await page.getAttribute('html', 'lang'), 'ja');
      await page.screenshot({ path: join(shots, `${screen}-ja.png`) });
      assert.deepEqual(problems, []);
      await context.close();
    }
  });

  for (const [screen, where] of Object.entries(SCREENS)) {
    test(`${screen}: light, dark and phone`, async () => {
      const { browser, server, states, paths } = newsroom;
      const [path, ready] = where(paths);
      for (const [look, options] of Object.entries(LOOKS)) {
        const context = await browser.newContext({ storageState: states.admin, ...options });
        const page = await context.newPage();
        const problems = watchConsole(page);
        await page.goto(`${server.url}${path}`);
        await waitForHydration(page);
        await ready(page);
        // The first screen, what a person sees on opening the page.
        await page.screenshot({ path: join(shots, `${screen}-${look}.png`) });
        assert.deepEqual(problems, []);
        await context.close();
      }
    });
  }
});
