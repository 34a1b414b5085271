// Bringing a real series over, in a real browser:
// 1. a series that continues at #30 on Zenn: settings, the draft's own
//    sections, picks added without reading their pages, commentary with
//    line breaks, the closing part, publishing; then the archive page, the
//    Atom feed, and the Zenn export rendered by Zenn's own renderer, which
//    must show what newsdesk's page shows (plus, marked todo until the app
//    is fixed, a card line inside a paragraph standing on its own line);
// 2. the export's front matter passes Zenn's own validator;
// 3. back issues imported through the upload form (the three fixtures), the
//    export of an imported Zenn issue byte for byte, a repeated upload
//    changing nothing, and "covered in #N" from the imported history;
// 4. bad files in an upload fail one by one with a clear message while the
//    good one is imported.
// Screenshots of the new editor controls and of the import report (light,
// dark, phone) go to target/screenshots/series-*.png for a person to look at.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  addFeed, callServerFunction as call, launchBrowser, setUpAdmin, startFeedServer, startServer, useNewsroom,
  waitForHydration, watchConsole,
} from './harness.mjs';
import {
  outlineInPage, renderZenn, splitFrontMatter, validateZennArticle,
} from './zenn.mjs';

const root = resolve(import.meta.dirname, '../..');
const fixtures = join(root, 'tests/fixtures/issues');
const FIXTURES = ['2022-07-01-embed-style.md', '2023-04-14-zenn-card-style.md', '2023-04-21-linked-style.md'];
const shots = join(root, 'target/screenshots');
mkdirSync(shots, { recursive: true });

/** The three looks every screenshot is taken in. */
const LOOKS = {
  light: {},
  dark: { colorScheme: 'dark' },
  phone: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true },
};

async function open(browser, server, state, path, options = {}) {
  const context = await browser.newContext({ storageState: state, ...options });
  const page = await context.newPage();
  const problems = watchConsole(page);
  await page.goto(`${server.url}${path}`);
  await waitForHydration(page);
  return { context, page, problems };
}

/** Uploads back issues through the form on the Issues page, as `state`'s member; returns the report page once the import is done. */
async function uploadBackIssues(browser, server, state, files, look = {}) {
  const { context, page, problems } = await open(browser, server, state, '/edit', look);
  await page.locator('details.import-issues summary').click();
  await page.setInputFiles('#import-files', files);
  await Promise.all([
    page.waitForURL(/\/edit\/import\/\d+$/),
    page.click('form.import-issues-form button:text("Import")'),
  ]);
  // The page polls until the import is done.
  await page.locator('#import-summary', { hasText: 'Done:' }).waitFor({ timeout: 60_000 });
  return { context, page, problems };
}

/** The outline (see zenn.mjs) of an HTML fragment, parsed by Chromium. */
async function outline(browser, html) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const result = await page.evaluate(outlineInPage, html);
  await context.close();
  return result;
}

describe('a new series starting at #30, published for Zenn', () => {
  const newsroom = useNewsroom('Ada');
  const NUMBER = 30;
  // What goes into the issue, and where.
  const RENAMED = '👀 今週の話題';
  const BOOK = {
    title: 'Operating Distributed Storage, 3rd Edition',
    url: 'https://books.example.com/ods3',
    section: '📘 Books',
    // One sentence per line: Zenn shows each line on its own (a <br>).
    commentary: '分散ストレージの運用本の第3版が出ました。\n章ごとに演習が付いています。',
  };
  const TOPIC = {
    title: 'インターンシップ',
    url: '',
    section: RENAMED,
    // A topic has no link of its own: its links are in the commentary, one
    // as a bare URL line (a card on Zenn) and one as a Markdown link.
    commentary: 'ふたつの会社のインターンシップの成果報告です。\nhttps://tech.example.com/intern/container-startup\n'
      + '[脅威モデルを作り直す](https://eng.example.org/intern/threat-model) も実践的でした。',
  };
  const LINKED = {
    title: 'Gateway API v10 is out',
    url: 'https://gateway.example.org/blog/v10',
    section: RENAMED,
    layout: 'linked_heading',
    commentary: 'ルーティングの機能が増えました。\n移行ガイドもあります。',
  };
  const QUOTED = {
    title: 'kubectl-example v1.3.0',
    url: 'https://github.com/example-org/kubectl-example/releases/tag/v1.3.0',
    section: '🛠️ Tools, Frameworks, Libraries',
    layout: 'heading_quote',
    commentary: '出力を YAML でも得られるようになりました。',
  };
  const PICKS = [BOOK, TOPIC, LINKED, QUOTED];
  const CLOSING = '今回から Zenn のパブリケーションで公開しています。\n来週もお楽しみに。';

  test('settings, a draft at #30 with its own sections and picks, published; archive, feed and Zenn agree', async () => {
    const { server, browser, admin: ada } = newsroom;
    // --- Settings, as an admin fills them in.
    const s = await open(browser, server, ada, '/settings');
    await s.page.fill('#name', 'Cloud Notes Weekly');
    await s.page.fill('#intro_template', '今回は第{number}回目の記事となります。');
    await s.page.fill('#closing_heading_template', 'あとがき');
    await s.page.fill('#closing_template', '来週もお楽しみに。');
    await s.page.fill('#next_number', String(NUMBER));
    await s.page.selectOption('#pick_layout', ''); // as the front matter suggests: a card for Zenn
    await s.page.selectOption('#line_breaks', ''); // kept for Zenn
    await s.page.selectOption('#front_matter', 'zenn');
    await s.page.fill('#zenn_emoji', '🐱');
    await s.page.selectOption('#zenn_type', 'idea');
    await s.page.fill('#zenn_topics', 'kubernetes, cloudnative');
    await s.page.fill('#zenn_publication', 'example_team');
    await s.page.fill('#zenn_publish_time', '09:00');
    await s.page.click('button:text("Save settings")');
    await s.page.locator('.form-ok', { hasText: 'Saved.' }).waitFor();
    const { settings } = await (await s.context.request.get(`${server.url}/api/v1/settings`)).json();
    assert.equal(settings.next_number, NUMBER);
    assert.equal(settings.front_matter, 'zenn');
    assert.equal(settings.zenn_publication, 'example_team');
    assert.equal(settings.closing_heading_template, 'あとがき');
    assert.deepEqual(s.problems, []);
    await s.context.close();

    // --- The draft, started from the Issues page, gets the number.
    const list = await open(browser, server, ada, '/edit');
    await list.page.click('form.start-draft button:text("Start the next issue")');
    await list.page.locator(`.issue-item.draft[data-number="${NUMBER}"]`).waitFor();
    assert.deepEqual(list.problems, []);
    await list.context.close();

    const e = await open(browser, server, ada, `/edit/${NUMBER}`);
    const { page } = e;
    await page.locator('.live-status.live').waitFor();
    assert.equal(await page.inputValue('#issue-number'), String(NUMBER));
    assert.equal(await page.locator('.text-editor[data-field="intro"] textarea').inputValue(), `今回は第${NUMBER}回目の記事となります。`);
    // The closing part starts from its templates.
    const closingHeading = page.locator('.closing-part .text-editor[data-field="closing_heading"] input');
    const closing = page.locator('.closing-part .text-editor[data-field="closing"]');
    assert.equal(await closingHeading.inputValue(), 'あとがき');
    assert.equal(await closing.locator('textarea').inputValue(), '来週もお楽しみに。');

    // A section for this issue only, from the add-section form.
    await page.selectOption('#add-section-saved', '');
    await page.fill('#add-section-title', '📘 Books');
    await page.click('form.add-section button:text("Add section")');
    await page.locator('h2.section-title', { hasText: '📘 Books' }).waitFor();
    // A default section renamed in this issue only.
    const notable = page.locator('.section-head', { has: page.locator('h2', { hasText: '👀 Notable Articles' }) });
    await notable.locator('button.section-rename').click();
    const renameForm = page.locator('form.section-rename-form');
    await renameForm.getByLabel('Title in this issue').fill(RENAMED);
    await renameForm.locator('button:text("Save")').click();
    await page.locator('h2.section-title', { hasText: RENAMED }).waitFor();
    assert.equal(await page.locator('h2.section-title', { hasText: '👀 Notable Articles' }).count(), 0);

    // Picks typed in, without reading their pages (these hosts do not exist).
    const manual = page.locator('details.add-manual-pick');
    await manual.locator('summary').click();
    for (const pick of PICKS) {
      await page.fill('#manual-pick-title', pick.title);
      await page.fill('#manual-pick-url', pick.url);
      await page.selectOption('#manual-pick-section', { label: pick.section });
      await manual.locator('button:text("Add pick")').click();
      await page.locator(`article.pick-card[aria-label="${pick.title}"]`).waitFor();
      // The form empties itself once the pick is in.
      await page.waitForFunction(() => document.querySelector('#manual-pick-title').value === '');
    }
    const card = (pick) => page.locator(`article.pick-card[aria-label="${pick.title}"]`);
    await card(TOPIC).locator('.pick-url', { hasText: 'No link of its own' }).waitFor();
    // Each pick sits under its section's heading.
    for (const pick of PICKS) {
      const heading = await page.locator('h2.section-title', { hasText: pick.section }).getAttribute('data-section');
      assert.equal(await card(pick).evaluate((el, id) => {
        let at = el.previousElementSibling;
        while (at && !at.matches('.section-head')) at = at.previousElementSibling;
        return at?.querySelector('h2')?.dataset.section === id;
      }, heading), true, `${pick.title} is in ${pick.section}`);
    }

    // Layouts of their own for two picks; the others follow Settings.
    for (const pick of [LINKED, QUOTED]) {
      await card(pick).locator('details.pick-link-layout summary').click();
      // The choice shows no "saved" of its own: wait for its server call.
      const saved = page.waitForResponse((r) => r.url().endsWith('/api/set_pick_layout') && r.request().method() === 'POST');
      await card(pick).locator('select.layout-select').selectOption(pick.layout);
      assert.equal((await saved).status(), 200);
    }
    assert.equal(await card(BOOK).locator('select.layout-select').inputValue(), '', 'as in Settings');

    // Commentary, the headline and the closing text, each saved before the next.
    for (const pick of PICKS) {
      const editor = card(pick).locator('.text-editor[data-field="commentary"]');
      await editor.locator('textarea.markdown-input').fill(pick.commentary);
      await editor.locator('.save-status', { hasText: 'Saved' }).waitFor();
    }
    // The live preview already breaks the lines, as Zenn will.
    await card(BOOK).locator('.text-editor[data-field="commentary"] .preview p br').waitFor({ state: 'attached' });
    const headline = page.locator('.text-editor[data-field="headline"]');
    await headline.locator('input').fill('運用本の新版など');
    await headline.locator('.save-status', { hasText: 'Saved' }).waitFor();
    await closing.locator('textarea').fill(CLOSING);
    await closing.locator('.save-status', { hasText: 'Saved' }).waitFor();

    // Screenshots of the editor with the new controls open: the manual
    // pick form, a pick's link and layout, a section's rename form.
    for (const [look, options] of Object.entries(LOOKS)) {
      const other = await open(browser, server, ada, `/edit/${NUMBER}`, options);
      await other.page.locator('.live-status.live').waitFor();
      await other.page.locator('details.add-manual-pick summary').click();
      await other.page.locator(`article.pick-card[aria-label="${BOOK.title}"] details.pick-link-layout summary`).click();
      await other.page.locator('.section-head', { hasText: '📘 Books' }).locator('button.section-rename').click();
      await other.page.locator('form.section-rename-form').waitFor();
      await other.page.screenshot({ path: join(shots, `series-editor-${look}.png`), fullPage: true });
      assert.deepEqual(other.problems, []);
      await other.context.close();
    }

    // --- Publish through the UI.
    await page.click('button.publish-review');
    await page.locator('.publish-check', { hasText: 'All checks passed.' }).waitFor();
    await page.click('button.publish-confirm');
    await page.locator('.form-ok', { hasText: `Published. The next draft is #${NUMBER + 1}.` }).waitFor();
    assert.deepEqual(e.problems, []);
    await e.context.close();

    // --- The archive page, as a reader without JavaScript gets it.
    const reader = await browser.newContext({ javaScriptEnabled: false });
    const archive = await reader.newPage();
    await archive.goto(`${server.url}/issues/${NUMBER}`);
    const title = await archive.locator('article.issue-article h1').innerText();
    assert.match(title, /^運用本の新版など: Cloud Notes Weekly \(\d{4}-\d{2}-\d{2}号\)$/);
    const body = archive.locator('article.issue-article .issue-body');
    const sections = await body.locator('h2').allInnerTexts();
    assert.deepEqual(sections, [RENAMED, '🛠️ Tools, Frameworks, Libraries', '📘 Books', 'あとがき']);
    const pageHtml = await body.innerHTML();
    await reader.close();

    // --- The Atom feed carries the same issue.
    const feedContext = await browser.newContext();
    const atom = await (await feedContext.request.get(`${server.url}/feed.atom`)).text();
    const feedPage = await feedContext.newPage();
    const entry = await feedPage.evaluate(([xml, number]) => {
      const doc = new DOMParser().parseFromString(xml, 'application/xml');
      const found = [...doc.querySelectorAll('entry')].find((e) => e.querySelector('id').textContent.endsWith(`:issue-${number}`));
      return found && { title: found.querySelector('title').textContent, content: found.querySelector('content').textContent };
    }, [atom, NUMBER]);
    await feedContext.close();
    assert.ok(entry, `issue ${NUMBER} in the feed:\n${atom}`);
    assert.equal(entry.title, title);
    for (const text of ['📘 Books', 'あとがき', BOOK.url, '章ごとに演習が付いています。']) {
      assert.ok(entry.content.includes(text), `${text} in the feed entry:\n${entry.content}`);
    }

    // --- The Zenn export, rendered by Zenn, shows what newsdesk's page shows.
    const api = await browser.newContext({ storageState: ada });
    const exported = await (await api.request.get(`${server.url}/api/v1/issues/${NUMBER}/markdown`)).text();
    await api.close();
    const { meta, body: markdown } = splitFrontMatter(exported);
    assert.ok(meta, `front matter:\n${exported}`);
    assert.equal(meta.title, title);
    assert.equal(meta.publication_name, 'example_team');
    assert.deepEqual(meta.topics, ['kubernetes', 'cloudnative']);
    // The picks in their layouts: cards (Settings' default for Zenn) for
    // the book, a linked heading, a quote.
    assert.ok(markdown.includes(`### ${BOOK.title}\n\n${BOOK.url}\n\n`), markdown);
    assert.ok(markdown.includes(`### [${LINKED.title}](${LINKED.url})\n`), markdown);
    assert.ok(markdown.includes(`### ${QUOTED.title}\n\n> [${QUOTED.title}](${QUOTED.url})\n`), markdown);
    assert.ok(markdown.includes(`## あとがき\n\n${CLOSING}\n`), markdown);

    const zenn = await outline(browser, await renderZenn(markdown));
    const ours = await outline(browser, pageHtml);
    assert.deepEqual(ours, zenn, `newsdesk's page and Zenn's rendering differ.\nexport:\n${exported}`);
    // And what they agree on is what was written (an empty or broken
    // rendering on both sides would agree too).
    const headings = zenn.filter((line) => /^h[23] /.test(line));
    assert.deepEqual(headings, [
      `h2 ${RENAMED}`, `h3 ${TOPIC.title}`, `h3 ${LINKED.title}`,
      'h2 🛠️ Tools, Frameworks, Libraries', `h3 ${QUOTED.title}`,
      'h2 📘 Books', `h3 ${BOOK.title}`,
      'h2 あとがき',
    ]);
    assert.ok(zenn.includes(`card ${BOOK.url}`), `the card-layout pick is a Zenn link card:\n${zenn.join('\n')}`);
    assert.ok(zenn.includes('p 分散ストレージの運用本の第3版が出ました。⏎章ごとに演習が付いています。'), zenn.join('\n'));
    assert.ok(zenn.includes('p 今回から Zenn のパブリケーションで公開しています。⏎来週もお楽しみに。'), zenn.join('\n'));
    // The bare URL line inside the topic's commentary is a card within its paragraph.
    assert.ok(zenn.some((line) => line.startsWith('p ふたつの会社のインターンシップの成果報告です。⟦https://tech.example.com/intern/container-startup⟧')),
      zenn.join('\n'));
    for (const href of [LINKED.url, QUOTED.url, 'https://eng.example.org/intern/threat-model']) {
      assert.ok(zenn.includes(`link ${href}`), `${href} in\n${zenn.join('\n')}`);
    }
    // newsdesk's own markup for a card: the link inside span.link-card.
    assert.ok(pageHtml.includes(`<span class="link-card"><a href="${BOOK.url}">${BOOK.url}</a></span>`), pageHtml);

    // Renaming in the issue left the saved sections alone.
    const defaults = await open(browser, server, ada, '/settings');
    await defaults.page.locator('.section-setting input[value="👀 Notable Articles"]').waitFor();
    const saved = await defaults.page.locator('.section-setting input[name="title"]').evaluateAll((inputs) => inputs.map((i) => i.value));
    assert.deepEqual(saved, ['👀 Notable Articles', '🛠️ Tools, Frameworks, Libraries', '🤝 Events']);
    await defaults.context.close();
  });

  // Zenn shows a URL line inside a paragraph as a block card between the
  // lines around it; newsdesk's card must not run into the text before and
  // after it on the archive page either.
  test('a card line inside commentary stands on a line of its own on the archive page', async () => {
    const { server, browser } = newsroom;
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/issues/${NUMBER}`);
    await page.screenshot({ path: join(shots, 'series-archive-light.png'), fullPage: true });
    const lines = await page.evaluate((url) => {
      const card = [...document.querySelectorAll('.issue-body span.link-card')]
        .find((c) => c.querySelector(`a[href="${url}"]`));
      if (!card) return null;
      const box = (node) => {
        const range = document.createRange();
        range.selectNodeContents(node);
        const rects = [...range.getClientRects()];
        return { top: rects[0].top, bottom: rects.at(-1).bottom };
      };
      const around = (node, step) => {
        let at = node[step];
        while (at && !at.textContent.trim()) at = at[step];
        return at;
      };
      return {
        before: box(around(card, 'previousSibling')).bottom,
        card: box(card),
        after: box(around(card, 'nextSibling')).top,
      };
    }, 'https://tech.example.com/intern/container-startup');
    await context.close();
    assert.ok(lines, 'the card is on the page');
    assert.ok(lines.before <= lines.card.top && lines.card.bottom <= lines.after,
      `the card shares a line with the text around it: ${JSON.stringify(lines)}`);
  });

  test('the Zenn export passes Zenn\'s own front matter validator', async () => {
    const { server, browser, admin: ada } = newsroom;
    const api = await browser.newContext({ storageState: ada });
    const response = await api.request.get(`${server.url}/api/v1/issues/${NUMBER}/markdown`);
    assert.equal(response.status(), 200);
    const exported = await response.text();
    await api.close();
    const { meta } = splitFrontMatter(exported);
    assert.ok(meta, exported);
    // The slug is the file name the article would have in a Zenn repository.
    const slug = `cloud-notes-weekly-${NUMBER}`;
    assert.deepEqual(validateZennArticle(meta, slug), [], exported);
    assert.equal(meta.emoji, '🐱');
    assert.equal(meta.type, 'idea');
    assert.equal(meta.published, true);
    // Zenn reads `published_at` as text in one of its two forms.
    assert.match(meta.published_at, /^\d{4}-\d{2}-\d{2} 09:00$/);
    // The validator does refuse what Zenn refuses.
    const refused = validateZennArticle({ ...meta, publication_name: 'Example-Team', topics: [...meta.topics, 'a', 'b', 'c', 'd'] }, slug);
    assert.deepEqual(refused.map((error) => error.type).sort(), ['publication-name', 'too-many-topics']);
  });
});

describe('importing back issues', () => {
  let server;
  let browser;
  let ada;
  let feeds;
  const BATCH_LINK = 'https://blog.example.org/2022/06/batch-scheduling';

  before(async () => {
    // A feed that brings the link two imported issues covered.
    feeds = await startFeedServer({
      '/blog.xml': ['application/rss+xml; charset=utf-8', `<?xml version="1.0" encoding="UTF-8"?>
        <rss version="2.0"><channel><title>Example Blog</title><link>https://blog.example.org/</link>
        <item><guid>batch-again</guid><title>Scheduling batch jobs without tears (updated)</title>
        <link>${BATCH_LINK}</link><description>Revisited.</description></item></channel></rss>`],
    });
    server = await startServer(['--no-poller']);
    browser = await launchBrowser();
    ada = await setUpAdmin(browser, server, 'Ada');
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
    await feeds?.close();
  });

  const upload = (files, look) => uploadBackIssues(browser, server, ada, files, look);

  test('three fixtures imported; #28 exports byte for byte; again changes nothing; covered in #29', async () => {
    const paths = FIXTURES.map((name) => join(fixtures, name));
    const first = await upload(paths);
    assert.equal(await first.page.locator('#import-summary').innerText(), 'Done: 3 imported, 0 unchanged, 0 not imported.');
    const reports = await first.page.locator('li.import-report.ok > span').allInnerTexts();
    assert.deepEqual(reports.map((r) => r.replace(/ “.*$/, '')).sort(), [
      '2022-07-01-embed-style.md: imported as #4',
      '2023-04-14-zenn-card-style.md: imported as #28',
      '2023-04-21-linked-style.md: imported as #29',
    ]);
    assert.deepEqual(first.problems, []);
    await first.context.close();

    const reader = await browser.newContext({ javaScriptEnabled: false });
    const archive = await reader.newPage();
    await archive.goto(`${server.url}/issues`);
    const numbers = await archive.locator('.archive-entry').evaluateAll((rows) => rows.map((r) => r.dataset.number));
    assert.deepEqual(numbers, ['29', '28', '4']);
    await reader.close();

    // The Zenn issue comes back out exactly as it went in.
    const api = await browser.newContext({ storageState: ada });
    const exported = await api.request.get(`${server.url}/api/v1/issues/28/markdown`);
    assert.equal(exported.status(), 200);
    const expected = readFileSync(join(fixtures, '2023-04-14-zenn-card-style.md'));
    assert.equal((await exported.body()).toString('utf8'), expected.toString('utf8'));
    assert.ok((await exported.body()).equals(expected), 'byte for byte');

    // The same files again: nothing changes.
    const again = await upload(paths);
    assert.equal(await again.page.locator('#import-summary').innerText(), 'Done: 0 imported, 3 unchanged, 0 not imported.');
    assert.equal(await again.page.locator('li.import-report.unchanged').count(), 3);
    await again.context.close();
    assert.equal(server.sql('SELECT count(*) FROM issues'), '3');

    // A feed brings a link that #4 and #29 covered; it is picked into a new
    // draft. The inbox and the editor name the latest issue that had it.
    await call(api, server, 'start_draft', {});
    await addFeed(api, server, `${feeds.url}/blog.xml`);
    await api.close();

    // The link is the candidate the import made (one candidate per link),
    // picked in #4 and #29: so it is not in the open inbox, and "all" shows it.
    const inbox = await open(browser, server, ada, '/?state=all');
    const row = inbox.page.locator('article.candidate', { has: inbox.page.locator(`a[href="${BATCH_LINK}"]`) });
    await row.locator('.signals .covered', { hasText: /^Covered in #29 \(2023-04-21\)$/ }).waitFor();
    // Picked only into published issues, it can be picked again from its
    // row; picking asks first, as for any covered link.
    await row.locator('a', { hasText: 'Pick…' }).click();
    await row.locator('button', { hasText: /^Pick$/ }).click();
    await row.locator('[role=alert]', { hasText: /^Already covered in #29 \(2023-04-21\)/ }).waitFor();
    await row.locator('button', { hasText: 'Pick anyway' }).click();
    await row.locator('.signals .picked', { hasText: 'Picked into #30' }).waitFor();
    await row.locator('.signals .covered', { hasText: 'Covered in #29' }).waitFor();
    // The refused first try is a 422 in the console, which is expected.
    assert.deepEqual(inbox.problems.filter((p) => !p.includes('422')), []);
    await inbox.context.close();

    const editor = await open(browser, server, ada, '/edit/30');
    const pick = editor.page.locator('article.pick-card', { has: editor.page.locator(`a.pick-url[href="${BATCH_LINK}"]`) });
    await pick.locator('.warning.covered', { hasText: /^Already covered in #29 \(2023-04-21\)$/ }).waitFor();
    assert.deepEqual(editor.problems, []);
    await editor.context.close();
  });
});

describe('importing bad files', () => {
  const newsroom = useNewsroom('Ada');

  test('each bad file is reported with its reason; the good one is imported', async () => {
    const { server, browser, admin: ada } = newsroom;
    const noSections = '# Cloud Notes Weekly (2023-05-05号)\n\n今回は第30回目の記事となります。\n\nただの文章です。\n';
    // Random bytes with NULs in them, as a binary file would have.
    const binary = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d]), randomBytes(4096)]);
    const huge = Buffer.alloc(20 * 1024 * 1024, '今回は第31回目\n'.repeat(64));
    const brokenFront = '---\ntitle: [unclosed\n---\n\n今回は第32回目の記事となります。\n\n## 👀 Notable Articles\n\n### [A](https://a.example.com/)\n\nok\n';
    const files = [
      { name: 'no-sections.md', mimeType: 'text/markdown', buffer: Buffer.from(noSections) },
      { name: 'photo.md', mimeType: 'text/markdown', buffer: binary },
      { name: 'huge.md', mimeType: 'text/markdown', buffer: huge },
      { name: 'broken-front-matter.md', mimeType: 'text/markdown', buffer: Buffer.from(brokenFront) },
      { name: '2023-04-21-linked-style.md', mimeType: 'text/markdown', buffer: readFileSync(join(fixtures, '2023-04-21-linked-style.md')) },
    ];
    const { context, page, problems } = await uploadBackIssues(browser, server, ada, files);
    assert.equal(await page.locator('#import-summary').innerText(), 'Done: 1 imported, 0 unchanged, 4 not imported.');
    const failed = Object.fromEntries(await page.locator('li.import-report.failed > span').evaluateAll(
      (items) => items.map((item) => item.textContent.split(': not imported: ')),
    ));
    assert.deepEqual(Object.keys(failed).sort(), ['broken-front-matter.md', 'huge.md', 'no-sections.md', 'photo.md']);
    // Each says what is wrong in words a person can act on.
    assert.match(failed['no-sections.md'], /section/i);
    assert.match(failed['photo.md'], /binary/i);
    assert.match(failed['huge.md'], /20 MB.*2 MB|too large/i);
    assert.match(failed['broken-front-matter.md'], /front matter/i);
    await page.locator('li.import-report.ok', { hasText: '2023-04-21-linked-style.md: imported as #29' }).waitFor();
    assert.deepEqual(problems, []);
    await page.screenshot({ path: join(shots, 'series-import-light.png'), fullPage: true });
    const reportPath = new URL(page.url()).pathname;
    await context.close();
    for (const look of ['dark', 'phone']) {
      const other = await open(browser, server, ada, reportPath, LOOKS[look]);
      await other.page.locator('#import-summary', { hasText: 'Done:' }).waitFor();
      await other.page.screenshot({ path: join(shots, `series-import-${look}.png`), fullPage: true });
      assert.deepEqual(other.problems, []);
      await other.context.close();
    }
    // Only the good file became an issue.
    assert.equal(server.sql('SELECT string_agg(number::text, \',\') FROM issues'), '29');
  });
});
