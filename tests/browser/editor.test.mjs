// The issue editor in a real browser, with two members in two contexts:
// live propagation of added, moved and edited picks and of notes, presence,
// the merge dialog after a conflicting save, keyboard reordering, Markdown
// shortcuts with the live preview, preview = export, meeting mode, and the
// settings page.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  PASSWORD, callServerFunction, launchBrowser, setUpAdmin, startFeedServer, startServer, waitForHydration, watchConsole,
} from './harness.mjs';

describe('issue editor', () => {
  let server;
  let browser;
  let pages;
  let ada;
  let ben;
  let number;

  const call = (context, name, form) => callServerFunction(context, server, name, form);

  /** Picks a new candidate into the first section; returns the pick id. */
  function addPick(title, section = 'min(id)') {
    const slug = Math.random().toString(36).slice(2);
    const candidate = firstLine(server.sql(`INSERT INTO candidates (url, url_key, title, published_at)
      VALUES ('https://example.com/${slug}', '//example.com/${slug}', '${title}', now()) RETURNING id`));
    return firstLine(server.sql(`INSERT INTO picks (issue_id, section_id, position, candidate_id, url, url_key, title)
      SELECT i.id, (SELECT ${section} FROM sections), coalesce((SELECT max(position) FROM picks p
        WHERE p.issue_id = i.id AND p.section_id = (SELECT ${section} FROM sections)), 0) + 1,
        ${candidate}, 'https://example.com/${slug}', '//example.com/${slug}', '${title}'
      FROM issues i WHERE i.number = ${number} RETURNING id`));
  }

  /** psql prints the command tag after a RETURNING row. */
  const firstLine = (output) => output.split('\n')[0];

  async function open(state, path = `/edit/${number}`, { live = true, viewport } = {}) {
    const context = await browser.newContext({ storageState: state, ...(viewport ? { viewport } : {}) });
    const page = await context.newPage();
    const problems = watchConsole(page);
    await page.goto(`${server.url}${path}`);
    await waitForHydration(page);
    if (live) await page.locator('.live-status.live').waitFor();
    return { context, page, problems };
  }

  const card = (page, id) => page.locator(`article.pick-card[data-pick="${id}"]`);
  const order = (page) => page.locator('article.pick-card').evaluateAll(
    (cards) => cards.map((c) => c.dataset.pick),
  );

  before(async () => {
    pages = await startFeedServer({
      '/article.html': ['text/html; charset=utf-8',
        '<html><head><title>Cilium 1.17 released</title><meta property="og:title" content="Cilium 1.17: faster eBPF"></head><body>Hi</body></html>'],
    });
    server = await startServer(['--no-poller']);
    browser = await launchBrowser();
    ada = await setUpAdmin(browser, server, 'Ada');
    const context = await browser.newContext({ storageState: ada });
    const draft = await call(context, 'start_draft', {});
    number = draft.number;
    const invite = await call(context, 'invite_member', { name: 'Ben', role: 'editor' });
    const guest = await browser.newContext();
    const accepted = await guest.request.post(`${server.url}/api/accept_invite`, {
      form: { token: invite.url.split('/').pop(), password: PASSWORD, confirm: PASSWORD },
      headers: { origin: server.url, accept: 'application/json' },
    });
    assert.ok(accepted.ok());
    ben = await guest.storageState();
    await guest.close();
    await context.close();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
    await pages?.close();
  });

  test('two members see each other: presence, edits, notes, added and moved picks', async () => {
    const first = addPick('Kubernetes 1.35');
    const second = addPick('etcd 3.6');
    const a = await open(ada);
    const b = await open(ben);

    // Presence: each sees the other.
    await a.page.locator('.presence .avatar[data-member="Ben"]').waitFor();
    await b.page.locator('.presence .avatar[data-member="Ada"]').waitFor();

    // Ben focuses the commentary of the first pick: Ada sees who edits it.
    const benCommentary = card(b.page, first).locator('textarea.markdown-input');
    await benCommentary.focus();
    await card(a.page, first).locator('.pick-editors .avatar[data-member="Ben"]').waitFor();
    await benCommentary.fill('Sidecars are **GA**.');
    await card(b.page, first).locator('.save-status', { hasText: 'Saved' }).first().waitFor();
    await benCommentary.blur();
    // Ada's editor shows Ben's text, and its preview the rendered Markdown.
    await a.page.waitForFunction((id) => document.querySelector(
      `article.pick-card[data-pick="${id}"] textarea.markdown-input`,
    )?.value === 'Sidecars are **GA**.', first);
    await card(a.page, first).locator('.preview strong', { hasText: 'GA' }).waitFor();
    await card(a.page, first).locator('.pick-editors .avatar').waitFor({ state: 'detached' });

    // A note from Ada reaches Ben.
    await card(a.page, second).locator('.note-form textarea').fill('Worth a word on the new defrag.');
    await card(a.page, second).locator('.note-form button').click();
    await card(b.page, second).locator('.note-body', { hasText: 'new defrag' }).waitFor();
    assert.equal(await card(b.page, second).locator('.note-meta strong').innerText(), 'Ada');

    // Ben adds a link by URL; Ada sees the new pick with the page's title.
    await b.page.fill('#add-pick-url', `${pages.url}/article.html`);
    await b.page.click('form.add-pick button[type=submit]');
    // (The title is in an input: the card's label carries it.)
    await a.page.locator('article.pick-card[aria-label="Cilium 1.17: faster eBPF"]').waitFor();

    // Ada moves the second pick up with the button; Ben sees the new order.
    await card(a.page, second).locator('button.move-up').click();
    await b.page.waitForFunction(([one, two]) => {
      const ids = [...document.querySelectorAll('article.pick-card')].map((c) => c.dataset.pick);
      return ids.indexOf(two) < ids.indexOf(one);
    }, [first, second]);
    // Ada's own page reloads the issue after her move: wait for it too
    // (under load Ben's page can be first).
    await a.page.waitForFunction(([one, two]) => {
      const ids = [...document.querySelectorAll('article.pick-card')].map((c) => c.dataset.pick);
      return ids.indexOf(two) < ids.indexOf(one);
    }, [first, second]);
    assert.deepEqual((await order(a.page)).slice(0, 2), [second, first]);

    // Removal and undo, seen by the other member.
    await card(a.page, first).locator('.pick-controls button.danger').click();
    await card(b.page, first).waitFor({ state: 'detached' });
    await a.page.locator('.toast button.undo').click();
    await card(b.page, first).waitFor();

    assert.deepEqual(a.problems, []);
    assert.deepEqual(b.problems, []);
    // Ada leaves the page: Ben sees her go at once.
    await a.page.goto('about:blank');
    await b.page.locator('.presence .avatar[data-member="Ada"]').waitFor({ state: 'detached' });
    await a.context.close();
    await b.context.close();
  });

  test('a conflicting save opens the merge dialog; the merged text is saved', async () => {
    const pick = addPick('Gateway API 1.4');
    const a = await open(ada);
    // Ben changes the commentary meanwhile, unseen by Ada's page (straight
    // in the database, so no event reloads it).
    server.sql(`UPDATE picks SET commentary = 'Ben wrote this.', version = version + 1,
      updated_by = (SELECT id FROM members WHERE name = 'Ben') WHERE id = ${pick}`);
    const commentary = card(a.page, pick).locator('textarea.markdown-input');
    await commentary.fill('Ada wrote that.');
    const dialog = card(a.page, pick).locator('.merge-dialog');
    await dialog.waitFor();
    assert.match(await dialog.locator('.merge-title').innerText(), /Changed by Ben while you were editing/);
    assert.equal(await dialog.locator('.merge-theirs').innerText(), 'Ben wrote this.');
    assert.equal(await dialog.locator('.merge-yours').innerText(), 'Ada wrote that.');
    // The alert dialog takes the focus, and gives it back to the field once resolved.
    await a.page.waitForFunction(() => document.activeElement?.classList.contains('merge-result'));
    await dialog.locator('textarea.merge-result').fill('Ben wrote this. Ada wrote that.');
    await dialog.locator('button.merge-save').click();
    await dialog.waitFor({ state: 'detached' });
    await a.page.waitForFunction((id) => document.activeElement?.closest(`[data-pick="${id}"]`)
      && document.activeElement.classList.contains('markdown-input'), pick);
    await card(a.page, pick).locator('.save-status', { hasText: 'Saved' }).first().waitFor();
    assert.equal(server.sql(`SELECT commentary FROM picks WHERE id = ${pick}`), 'Ben wrote this. Ada wrote that.');
    // The browser logs the expected 409 itself; nothing else may appear.
    assert.deepEqual(a.problems.filter((problem) => !problem.includes('409 (Conflict)')), []);
    assert.equal(a.problems.length, 1);
    await a.context.close();
  });

  test('keyboard: Alt+arrows reorder, Markdown shortcuts, pasted links', async () => {
    server.sql(`DELETE FROM picks WHERE issue_id = (SELECT id FROM issues WHERE number = ${number})`);
    const one = addPick('One');
    const two = addPick('Two');
    const a = await open(ada);
    await card(a.page, one).focus();
    await a.page.keyboard.press('Alt+ArrowDown');
    await a.page.waitForFunction(([x, y]) => {
      const ids = [...document.querySelectorAll('article.pick-card')].map((c) => c.dataset.pick);
      return ids.indexOf(y) < ids.indexOf(x);
    }, [one, two]);
    // Focus stays on the moved pick, so it can move on.
    await a.page.waitForFunction((id) => document.activeElement?.dataset?.pick === id, one);
    assert.equal(server.sql(`SELECT string_agg(title, ',' ORDER BY position) FROM picks
      WHERE issue_id = (SELECT id FROM issues WHERE number = ${number})`), 'Two,One');
    // Alt+Shift+ArrowDown moves it into the next section.
    await a.page.keyboard.press('Alt+Shift+ArrowDown');
    await a.page.waitForFunction((id) => {
      const heading = document.querySelectorAll('h2.section-title')[1];
      const cardEl = document.querySelector(`article.pick-card[data-pick="${id}"]`);
      return cardEl && heading.compareDocumentPosition(cardEl) & Node.DOCUMENT_POSITION_FOLLOWING;
    }, one);

    const commentary = card(a.page, two).locator('textarea.markdown-input');
    await commentary.fill('important');
    await commentary.selectText();
    await a.page.keyboard.press('Control+b');
    assert.equal(await commentary.inputValue(), '**important**');
    await card(a.page, two).locator('.preview strong', { hasText: 'important' }).waitFor();
    // Pasting a URL over a selection makes a link.
    await commentary.fill('the docs');
    await commentary.selectText();
    await commentary.evaluate((el) => {
      const data = new DataTransfer();
      data.setData('text/plain', 'https://kubernetes.io/docs/');
      el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    });
    assert.equal(await commentary.inputValue(), '[the docs](https://kubernetes.io/docs/)');
    await card(a.page, two).locator('.preview a[href="https://kubernetes.io/docs/"]').waitFor();
    await card(a.page, two).locator('.save-status', { hasText: 'Saved' }).last().waitFor();
    assert.deepEqual(a.problems, []);
    await a.context.close();
  });

  test('drag and drop reorders; an earlier revision is restored from the history', async () => {
    server.sql(`DELETE FROM picks WHERE issue_id = (SELECT id FROM issues WHERE number = ${number})`);
    const a1 = addPick('Alpha');
    const b1 = addPick('Beta');
    server.sql(`INSERT INTO revisions (issue_id, pick_id, field, value, member_id, created_at)
      SELECT issue_id, id, 'commentary', 'Words from last week.', (SELECT id FROM members WHERE name = 'Ben'),
        now() - interval '1 day' FROM picks WHERE id = ${a1}`);
    // Tall enough that both picks are in view: a drag does not scroll.
    const a = await open(ada, `/edit/${number}`, { viewport: { width: 1280, height: 2400 } });
    await card(a.page, b1).locator('.drag-handle').dragTo(card(a.page, a1));
    await a.page.waitForFunction(([x, y]) => {
      const ids = [...document.querySelectorAll('article.pick-card')].map((c) => c.dataset.pick);
      return ids.indexOf(y) < ids.indexOf(x);
    }, [a1, b1]);
    assert.equal(server.sql(`SELECT string_agg(title, ',' ORDER BY position) FROM picks
      WHERE issue_id = (SELECT id FROM issues WHERE number = ${number})`), 'Beta,Alpha');

    const commentary = card(a.page, a1).locator('.text-editor[data-field="commentary"]');
    await commentary.locator('textarea.markdown-input').fill('Words of today.');
    await commentary.locator('.save-status', { hasText: 'Saved' }).waitFor();
    await commentary.locator('button.history-toggle').click();
    const revisions = commentary.locator('.revisions li');
    await revisions.nth(1).waitFor();
    assert.match(await revisions.nth(0).innerText(), /Ada/);
    assert.match(await revisions.nth(1).innerText(), /Ben[\s\S]*Words from last week\./);
    await revisions.nth(1).locator('button.restore').click();
    assert.equal(await commentary.locator('textarea.markdown-input').inputValue(), 'Words from last week.');
    await commentary.locator('.save-status', { hasText: 'Saved' }).waitFor();
    assert.equal(server.sql(`SELECT commentary FROM picks WHERE id = ${a1}`), 'Words from last week.');
    assert.deepEqual(a.problems, []);
    await a.context.close();
  });

  test('the preview shows exactly the export, rendered by the same function', async () => {
    const pick = addPick('Tricky [title] with *stars* & <tags>');
    server.sql(`UPDATE picks SET commentary = E'First paragraph with a [link](https://example.com/a).\\n\\n- one\\n- two\\n\\n\`\`\`\\nkubectl get pods\\n\`\`\`' WHERE id = ${pick}`);
    const a = await open(ada, `/edit/${number}/preview`, { live: false });
    const shown = await a.page.locator('pre.export-markdown').innerText();
    const response = await a.context.request.get(`${server.url}/api/v1/issues/${number}/markdown`);
    assert.equal(response.status(), 200);
    const exported = await response.text();
    assert.equal(shown.trimEnd(), exported.trimEnd());
    // A lone `&` is not an entity, so it is written as is.
    assert.ok(exported.includes('### [Tricky \\[title\\] with \\*stars\\* & \\<tags\\>](https://example.com/'), exported);
    const rendered = a.page.locator('article.export-html');
    await rendered.locator('h3 a', { hasText: 'Tricky [title] with *stars* & <tags>' }).waitFor();
    await rendered.locator('pre code', { hasText: 'kubectl get pods' }).waitFor();
    assert.equal(await rendered.locator('li').count() >= 2, true);
    assert.deepEqual(a.problems, []);
    await a.context.close();
  });

  test('meeting mode: followers see the presenter\'s pick', async () => {
    server.sql(`DELETE FROM picks WHERE issue_id = (SELECT id FROM issues WHERE number = ${number})`);
    addPick('First talk');
    addPick('Second talk');
    const a = await open(ada, `/edit/${number}/meeting`);
    const b = await open(ben, `/edit/${number}/meeting`);
    await a.page.click('button:text("Present")');
    await b.page.locator('.presenter', { hasText: 'Ada is presenting' }).waitFor();
    await b.page.locator('.slide-title', { hasText: 'First talk' }).waitFor();
    await a.page.keyboard.press('ArrowRight');
    await a.page.locator('.slide-title', { hasText: 'Second talk' }).waitFor();
    await b.page.locator('.slide-title', { hasText: 'Second talk' }).waitFor();
    // A note added live by a follower appears on the presenter's slide.
    await b.page.fill('#meeting-note', 'Let us try it next sprint.');
    await b.page.click('.slide .note-form button');
    await a.page.locator('.slide .note-body', { hasText: 'next sprint' }).waitFor();
    assert.deepEqual(a.problems, []);
    assert.deepEqual(b.problems, []);
    await a.context.close();
    await b.context.close();
  });

  test('settings: the admin renames the newsletter and adds a section', async () => {
    const a = await open(ada, '/settings', { live: false });
    await a.page.fill('#name', 'Neco Weekly');
    await a.page.click('button:text("Save settings")');
    await a.page.locator('.form-ok', { hasText: 'Saved.' }).waitFor();
    await a.page.fill('#new-section', '📚 Books');
    await a.page.click('button:text("Add section")');
    await a.page.locator('.section-setting input[value="📚 Books"]').waitFor();
    await a.page.goto(`${server.url}/edit/${number}`);
    await waitForHydration(a.page);
    await a.page.locator('h1.issue-title', { hasText: 'Neco Weekly' }).waitFor();
    await a.page.locator('h2.section-title', { hasText: '📚 Books' }).waitFor();
    assert.deepEqual(a.problems, []);
    await a.context.close();
    // An editor gets no settings page.
    const b = await browser.newContext({ storageState: ben });
    const page = await b.newPage();
    const response = await page.goto(`${server.url}/settings`);
    assert.equal(response.status(), 403);
    await b.close();
  });
});
