// Team accounts in a real browser: first-run setup, inviting an editor who
// signs in in a second browser context, what an editor may and may not do,
// and an admin's role change and deactivation taking effect at once.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  PASSWORD, launchBrowser, rss, signIn, startFeedServer, startServer, waitForHydration, watchConsole,
} from './harness.mjs';

const RSS = 'application/rss+xml; charset=utf-8';

describe('accounts', () => {
  let server;
  let browser;
  let feeds;
  before(async () => {
    feeds = await startFeedServer({
      '/team.xml': [RSS, rss('Team Feed', ['Cilium 1.19'])],
      '/second.xml': [RSS, rss('Second Feed', ['Envoy 1.37'])],
    });
    server = await startServer(['--no-poller']);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
    await feeds?.close();
  });

  test('setup → admin → invite editor → editor adds a feed but cannot manage members', async () => {
    assert.match(server.setupUrl ?? '', /\/setup\/[\w-]{43}$/, 'a fresh server logs a setup link');

    // Before setup, every members-only page leads to sign-in, which explains what to do.
    const visitor = await browser.newPage();
    await visitor.goto(`${server.url}/feeds`);
    assert.equal(new URL(visitor.url()).pathname, '/sign-in');
    assert.equal(new URL(visitor.url()).searchParams.get('next'), '/feeds');
    await visitor.locator('.notice', { hasText: 'no admin yet' }).waitFor();
    await visitor.context().close();

    // First-run setup creates the admin and signs them in.
    const adminContext = await browser.newContext();
    const admin = await adminContext.newPage();
    const adminProblems = watchConsole(admin);
    await admin.goto(server.setupUrl);
    await waitForHydration(admin);
    await admin.fill('#invite-name', 'Ada');
    await admin.fill('#invite-password', 'too short');
    await admin.fill('#invite-confirm', 'too short');
    await admin.click('button:text("Create admin account")');
    await admin.locator('#invite-password-error', { hasText: 'at least 10' }).waitFor();
    await admin.fill('#invite-password', PASSWORD);
    await admin.fill('#invite-confirm', PASSWORD);
    await Promise.all([
      admin.waitForURL(`${server.url}/`),
      admin.click('button:text("Create admin account")'),
    ]);
    await waitForHydration(admin);
    assert.equal(await admin.locator('.account-menu .member-name').innerText(), 'Ada');

    // The setup link works once.
    const reuse = await browser.newPage();
    await reuse.goto(server.setupUrl);
    await reuse.locator('[role=alert]', { hasText: 'already been used' }).waitFor();
    await reuse.context().close();

    // The admin invites an editor and gets a link to send.
    await admin.click('nav >> text=Members');
    await admin.locator('h1', { hasText: 'Members' }).waitFor();
    await admin.fill('#invite-member-name', 'Erika');
    await admin.selectOption('#invite-member-role', 'editor');
    await admin.click('button:text("Create invitation")');
    const link = await admin.locator('.invite-link').inputValue();
    assert.match(link, new RegExp(`^${server.url}/invite/[\\w-]{43}$`));
    await admin.locator('#open-invites-heading').waitFor();

    // The editor, in a second browser context, accepts the invitation…
    const invited = await browser.newPage();
    await invited.goto(link);
    await waitForHydration(invited);
    await invited.locator('h1', { hasText: 'Welcome, Erika' }).waitFor();
    await invited.locator('.lede', { hasText: 'Ada invited you to join as editor' }).waitFor();
    await invited.fill('#invite-password', PASSWORD);
    await invited.fill('#invite-confirm', `${PASSWORD}!`);
    await invited.click('button:text("Join")');
    await invited.locator('#invite-confirm-error', { hasText: 'differ' }).waitFor();
    await invited.fill('#invite-confirm', PASSWORD);
    await Promise.all([invited.waitForURL(`${server.url}/`), invited.click('button:text("Join")')]);
    await invited.context().close();

    // …and later signs in with the sign-in form (a wrong password first).
    const wrong = await browser.newPage();
    await wrong.goto(`${server.url}/sign-in`);
    await waitForHydration(wrong);
    await wrong.fill('#sign-in-name', 'erika');
    await wrong.fill('#sign-in-password', 'not the password');
    await wrong.click('button:text("Sign in")');
    await wrong.locator('#sign-in-password-error', { hasText: 'do not match' }).waitFor();
    await wrong.context().close();

    const editor = await signIn(browser, server, 'ＥＲＩＫＡ');
    const editorProblems = watchConsole(editor);
    await waitForHydration(editor);
    assert.equal(await editor.locator('.account-menu .member-name').innerText(), 'Erika');
    assert.equal(await editor.locator('nav a[href="/members"]').count(), 0, 'no Members link for editors');

    // An editor may add feeds…
    await editor.click('nav >> text=Feeds');
    await editor.locator('h1', { hasText: 'Feeds' }).waitFor();
    await editor.fill('#feed-url', `${feeds.url}/team.xml`);
    await editor.click('button:text("Add feed")');
    await editor.locator('#feeds a.feed-name', { hasText: 'Team Feed' }).waitFor();

    // …but not open the members page, even by typing its address.
    const denied = await editor.goto(`${server.url}/members`);
    assert.equal(denied.status(), 403);
    await editor.locator('h1', { hasText: 'Not for your role' }).waitFor();
    assert.equal(await editor.locator('#invite-member-name').count(), 0);

    // The admin sees the new member with the invited role, and demotes her.
    await admin.reload();
    await waitForHydration(admin);
    const row = admin.locator('table.members tr', { hasText: 'Erika' });
    assert.equal(await row.locator('select').inputValue(), 'editor');
    await row.locator('select').selectOption('viewer');
    await Promise.all([
      admin.waitForResponse((r) => r.url().endsWith('/api/change_role') && r.ok()),
      row.locator('button:text("Change")').click(),
    ]);
    await admin.reload();
    await waitForHydration(admin);
    assert.equal(await admin.locator('table.members tr', { hasText: 'Erika' }).locator('select').inputValue(), 'viewer');

    // The server refuses at once, though the editor's page still shows the form.
    await editor.goto(`${server.url}/feeds`);
    await waitForHydration(editor);
    await editor.fill('#feed-url', `${feeds.url}/second.xml`);
    await editor.click('button:text("Add feed")');
    await editor.locator('.form-error', { hasText: 'needs the editor role' }).waitFor();
    assert.equal(await editor.locator('#feeds a.feed-name', { hasText: 'Second Feed' }).count(), 0);

    // Deactivation signs her out everywhere at once.
    const erika = admin.locator('table.members tr', { hasText: 'Erika' });
    await erika.locator('summary', { hasText: 'Deactivate' }).click();
    await erika.locator('button:text("Deactivate Erika")').click();
    await admin.locator('table.members tr.inactive', { hasText: 'Erika' }).waitFor();
    await editor.goto(`${server.url}/feeds`);
    assert.equal(new URL(editor.url()).pathname, '/sign-in');
    await editor.locator('.notice', { hasText: 'session has ended' }).waitFor();

    // The audit log shows what happened.
    await admin.goto(`${server.url}/members/audit`);
    for (const action of ['member.setup', 'invite.create', 'invite.accept', 'sign_in.failure', 'sign_in.success', 'member.role', 'member.deactivate']) {
      await admin.locator('table.audit code', { hasText: action }).first().waitFor();
    }

    // The refused password (422) and the refused pages (403) log "Failed to
    // load resource"; nothing else may appear.
    assert.deepEqual(adminProblems.filter((p) => !p.includes('422')), []);
    assert.deepEqual(editorProblems.filter((p) => !p.includes('403')), []);
    await admin.context().close();
    await editor.context().close();
  });

  test('signing out ends the session; the account page manages API tokens', async () => {
    const page = await signIn(browser, server, 'Ada');
    const problems = watchConsole(page);
    await page.goto(`${server.url}/account`);
    await waitForHydration(page);
    await page.fill('#token-name', 'CI publisher');
    await page.click('button:text("Create token")');
    const token = await page.locator('.secret-value').inputValue();
    assert.match(token, /^nd_[\w-]{43}$/);

    // The token works for the API at once…
    const api = (t) => fetch(`${server.url}/api/v1/feeds`, { headers: { authorization: `Bearer ${t}` } });
    assert.equal((await api(token)).status, 200);
    // …and stops working when revoked.
    await page.locator('tr', { hasText: 'CI publisher' }).locator('button:text("Revoke")').click();
    await page.locator('tr', { hasText: 'CI publisher' }).locator('text=revoked').waitFor();
    assert.equal((await api(token)).status, 401);

    await Promise.all([
      page.waitForURL(/\/sign-in$/),
      page.click('.account-menu button:text("Sign out")'),
    ]);
    await page.goto(`${server.url}/account`);
    assert.equal(new URL(page.url()).pathname, '/sign-in');
    assert.deepEqual(problems, []);
    await page.context().close();
  });
});
