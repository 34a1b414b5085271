// Keyboard only: the shortcut sheet is a modal dialog that takes the focus,
// keeps Tab inside and gives the focus back to where it was; the focused
// control always shows a ring; the inbox's filters open and apply without a
// mouse.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { waitForHydration, watchConsole } from './harness.mjs';
import { startNewsroom } from './newsroom.mjs';

describe('keyboard', () => {
  let newsroom;

  before(async () => {
    newsroom = await startNewsroom();
  });
  after(async () => {
    await newsroom?.close();
  });

  async function inbox() {
    const { browser, server, states } = newsroom;
    const context = await browser.newContext({ storageState: states.admin });
    const page = await context.newPage();
    const problems = watchConsole(page);
    await page.goto(`${server.url}/`);
    await waitForHydration(page);
    await page.locator('.live-status.live').waitFor();
    return { context, page, problems };
  }

  const focusInDialog = (page) => page.evaluate(() => Boolean(document.activeElement?.closest('[role=dialog]')));

  test('the shortcut sheet traps the focus and returns it on close', async () => {
    const { context, page, problems } = await inbox();
    await page.keyboard.press('j');
    const row = await page.evaluate(() => document.activeElement?.id);
    assert.match(row, /./, 'j focuses a row');

    await page.keyboard.press('?');
    const dialog = page.locator('[role=dialog][aria-modal=true]', { hasText: 'Keyboard shortcuts' });
    await dialog.waitFor();
    await page.waitForFunction(() => document.activeElement?.closest('[role=dialog]'));
    // The sheet says where the keys work.
    for (const place of ['In the inbox list', 'In the issue editor', 'In meeting mode']) {
      assert.equal(await dialog.locator('h3', { hasText: place }).count(), 1, place);
    }
    for (let i = 0; i < 4; i += 1) {
      await page.keyboard.press('Tab');
      assert.ok(await focusInDialog(page), `Tab ${i + 1} stays in the dialog`);
    }
    for (let i = 0; i < 3; i += 1) {
      await page.keyboard.press('Shift+Tab');
      assert.ok(await focusInDialog(page), `Shift+Tab ${i + 1} stays in the dialog`);
    }
    // Keys meant for the list do nothing behind the open sheet.
    await page.keyboard.press('j');
    assert.ok(await focusInDialog(page));
    assert.equal(await page.locator('[aria-current=true]').getAttribute('id'), row);

    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await page.waitForFunction((id) => document.activeElement?.id === id, row);

    // Closed with its button (Enter on it), the focus comes back too.
    await page.keyboard.press('?');
    await dialog.waitFor();
    await page.waitForFunction(() => document.activeElement?.textContent === 'Close');
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    await page.waitForFunction((id) => document.activeElement?.id === id, row);
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('the focused control shows a ring, and the filters work from the keyboard', async () => {
    const { context, page, problems } = await inbox();
    await page.keyboard.press('/');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'inbox-search');
    // Search box, Apply, then the Filters disclosure.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    const summary = await page.evaluate(() => {
      const element = document.activeElement;
      const style = getComputedStyle(element);
      return { tag: element.tagName, text: element.textContent, outline: style.outlineStyle, width: parseFloat(style.outlineWidth) };
    });
    assert.equal(summary.tag, 'SUMMARY');
    assert.match(summary.text, /Filters/);
    assert.notEqual(summary.outline, 'none', 'the focus ring shows');
    assert.ok(summary.width >= 2, `the focus ring is ${summary.width}px wide`);

    await page.keyboard.press('Enter');
    await page.locator('details.filter-panel[open]').waitFor();
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'inbox-state');
    await page.selectOption('#inbox-state', 'all');
    await page.focus('#inbox-state');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    // From the "From" date field, Enter submits the form.
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'inbox-from');
    await Promise.all([page.waitForURL(/state=all/), page.keyboard.press('Enter')]);
    const chip = page.locator('.filter-chips a.filter-chip', { hasText: 'Show:' });
    await chip.waitFor();
    assert.equal(await page.locator('.filter-count').textContent(), '1 active');
    // A chip removes its filter.
    await chip.focus();
    await Promise.all([page.waitForURL((url) => !url.search.includes('state=')), page.keyboard.press('Enter')]);
    await chip.waitFor({ state: 'detached' });
    assert.equal(await page.locator('#inbox-state').inputValue(), 'open', 'the form shows the view in the URL');
    assert.deepEqual(problems, []);
    await context.close();
  });
});
