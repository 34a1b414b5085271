// A 390 px wide phone: triage in the inbox and reading an issue work with
// no horizontal scrolling, and the inbox's action buttons are touch
// targets of at least 44 px.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { waitForHydration, watchConsole } from './harness.mjs';
import { startNewsroom } from './newsroom.mjs';

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

describe('phone (390 px)', () => {
  let newsroom;

  before(async () => {
    newsroom = await startNewsroom();
  });
  after(async () => {
    await newsroom?.close();
  });

  async function open(path, storageState) {
    const { browser, server } = newsroom;
    const context = await browser.newContext({ storageState, ...PHONE });
    const page = await context.newPage();
    const problems = watchConsole(page);
    await page.goto(`${server.url}${path}`);
    await waitForHydration(page);
    return { context, page, problems };
  }

  const scrollWidth = (page) => page.evaluate(() => document.documentElement.scrollWidth);

  test('the inbox: no horizontal scrolling, 44 px targets, triage by touch', async () => {
    const { context, page, problems } = await open('/', newsroom.states.editor);
    await page.locator('article.candidate').first().waitFor();
    assert.ok(await scrollWidth(page) <= 390, `scrollWidth ${await scrollWidth(page)}`);

    const targets = await page.locator('article.candidate .actions button, article.candidate .actions a.button')
      .evaluateAll((elements) => elements.map((element) => {
        const box = element.getBoundingClientRect();
        return { text: element.textContent.trim(), height: box.height, width: box.width };
      }));
    assert.ok(targets.length >= 3, 'the rows have their actions');
    for (const target of targets) {
      assert.ok(target.height >= 44 && target.width >= 44, `${target.text}: ${target.width}×${target.height}`);
    }
    const search = await page.locator('#inbox-search').boundingBox();
    assert.ok(search.height >= 44, `the search box is ${search.height}px tall`);

    // The filters open over the list, still inside the screen.
    await page.locator('details.filter-panel > summary').tap();
    await page.locator('.filter-fields').waitFor();
    assert.ok(await scrollWidth(page) <= 390, `with the filters open: ${await scrollWidth(page)}`);
    const panel = await page.locator('.filter-fields').boundingBox();
    assert.ok(panel.x >= 0 && panel.x + panel.width <= 390, `the panel is on screen: ${panel.x}+${panel.width}`);
    await page.locator('details.filter-panel > summary').tap();

    // Triage by touch: dismiss the first candidate.
    const row = page.locator('article.candidate').first();
    const title = await row.locator('h2').innerText();
    await row.locator('.actions button', { hasText: 'Dismiss' }).tap();
    await row.locator('.state-dismissed').waitFor();
    assert.equal(newsroom.server.sql(`SELECT state FROM candidates WHERE title = '${title.replaceAll("'", "''")}'`), 'dismissed');
    assert.ok(await scrollWidth(page) <= 390);
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('reading an issue: no horizontal scrolling', async () => {
    for (const [path, state] of [[newsroom.paths.published, undefined], [newsroom.paths.draft, newsroom.states.editor],
      [`${newsroom.paths.draft}/preview`, newsroom.states.editor]]) {
      const { context, page, problems } = await open(path, state);
      assert.ok(await scrollWidth(page) <= 390, `${path}: scrollWidth ${await scrollWidth(page)}`);
      assert.deepEqual(problems, []);
      await context.close();
    }
  });
});
