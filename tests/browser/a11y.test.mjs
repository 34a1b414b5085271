// Accessibility: axe-core on every page of the route table (app/src/shell.rs),
// signed out and as each role, in light and dark colour schemes, with the
// browser asking for Japanese and for English (Accept-Language). A page
// passes when axe finds no violation of impact "serious" or "critical".
// The newsroom is filled first (tests/browser/newsroom.mjs): an empty page
// would hide most of what there is to check.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';
import { waitForHydration, watchConsole } from './harness.mjs';
import { startNewsroom } from './newsroom.mjs';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Every page a member can open, by path; the ones with ids come from the newsroom. */
function memberPages(paths) {
  return [
    '/', '/add', '/edit', paths.draft, `${paths.draft}/preview`, `${paths.draft}/meeting`,
    '/feeds', '/feeds/filters', paths.feed, paths.importReport,
    '/settings', '/settings/delivery', '/settings/webhooks', '/members', '/members/audit', '/account',
    '/issues', paths.published, '/no-such-page',
  ];
}

/** What anyone may open without signing in. */
function publicPages(paths) {
  return ['/sign-in', paths.invitation, '/issues', paths.published, '/no-such-page'];
}

const LANGUAGES = ['ja', 'en'];
const SCHEMES = ['light', 'dark'];

/**
 * Loads each page and runs axe on it in both colour schemes; returns the
 * serious and critical violations, one line each, naming page, scheme and
 * the elements.
 */
async function check(browser, server, storageState, language, pages) {
  const found = [];
  const context = await browser.newContext({
    storageState,
    locale: language,
    extraHTTPHeaders: { 'accept-language': language },
  });
  const page = await context.newPage();
  const problems = watchConsole(page);
  for (const path of pages) {
    await page.emulateMedia({ colorScheme: 'light' });
    await page.goto(`${server.url}${path}`);
    await waitForHydration(page);
    found.push(...await axeBothSchemes(page, `${path} [${language}]`));
  }
  await context.close();
  // The 403 and 404 pages are meant to answer so; Chromium logs each such answer.
  const expected = /Failed to load resource: the server responded with a status of (403|404)/;
  return { found, problems: problems.filter((problem) => !expected.test(problem)) };
}

/** Runs axe on the page as it is, in light and in dark; one line per violation. */
async function axeBothSchemes(page, where) {
  const found = [];
  for (const scheme of SCHEMES) {
    await page.emulateMedia({ colorScheme: scheme });
    // Evaluated, not added as a <script>: the page's CSP allows no inline script.
    if (!(await page.evaluate(() => typeof window.axe !== 'undefined'))) await page.evaluate(axeSource);
    const violations = await page.evaluate(async () => {
      const result = await window.axe.run(document, { resultTypes: ['violations'] });
      return result.violations
        .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
        .map((violation) => ({
          id: violation.id,
          impact: violation.impact,
          help: violation.help,
          targets: violation.nodes.slice(0, 5).map((node) => `${node.target.join(' ')} (${node.failureSummary.split('\n').slice(1, 2).join('').trim()})`),
        }));
    });
    for (const v of violations) {
      found.push(`${where} ${scheme}: ${v.impact} ${v.id}: ${v.help}\n    ${v.targets.join('\n    ')}`);
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  return found;
}

describe('accessibility (axe-core)', () => {
  let newsroom;

  before(async () => {
    newsroom = await startNewsroom();
  });
  after(async () => {
    await newsroom?.close();
  });

  test('signed out: no serious or critical violations', async () => {
    const { browser, server, paths } = newsroom;
    const runs = await Promise.all(LANGUAGES.map((language) => check(browser, server, undefined, language, publicPages(paths))));
    const found = runs.flatMap((run) => run.found);
    assert.deepEqual(found, [], found.join('\n'));
    assert.deepEqual(runs.flatMap((run) => run.problems), []);
  });

  for (const role of ['viewer', 'editor', 'publisher', 'admin']) {
    test(`as ${role}: no serious or critical violations`, async () => {
      const { browser, server, states, paths } = newsroom;
      const runs = [];
      for (const language of LANGUAGES) runs.push(await check(browser, server, states[role], language, memberPages(paths)));
      const found = runs.flatMap((run) => run.found);
      assert.deepEqual(found, [], found.join('\n'));
      assert.deepEqual(runs.flatMap((run) => run.problems), []);
    });
  }

  test('open panels and dialogs: no serious or critical violations', async () => {
    const { browser, server, states, paths } = newsroom;
    const context = await browser.newContext({ storageState: states.admin });
    const page = await context.newPage();
    const problems = watchConsole(page);
    const found = [];
    await page.goto(`${server.url}/?state=all&mine=1`);
    await waitForHydration(page);
    await page.locator('.filter-chips').waitFor();
    await page.click('details.filter-panel > summary');
    await page.locator('.filter-fields').waitFor();
    found.push(...await axeBothSchemes(page, 'inbox, filters open'));
    await page.click('details.filter-panel > summary');

    await page.goto(`${server.url}/`);
    await waitForHydration(page);
    await page.keyboard.press('j');
    await page.keyboard.press('?');
    await page.locator('[role=dialog]').waitFor();
    found.push(...await axeBothSchemes(page, 'inbox, shortcut sheet'));
    await page.keyboard.press('Escape');
    await page.keyboard.press('p');
    await page.locator('.pick-form select').waitFor();
    found.push(...await axeBothSchemes(page, 'inbox, pick form'));

    await page.goto(`${server.url}${paths.draft}`);
    await waitForHydration(page);
    await page.click('button.publish-review');
    await page.locator('.publish-check').waitFor();
    found.push(...await axeBothSchemes(page, 'editor, publish checks'));
    assert.deepEqual(found, [], found.join('\n'));
    assert.deepEqual(problems, []);
    await context.close();
  });
});
