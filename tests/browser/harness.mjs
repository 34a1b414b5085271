// Shared helpers for the browser tests: a real newsdesk server (with its own
// private PostgreSQL in a temporary data directory) and headless Chromium.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';

const root = resolve(import.meta.dirname, '../..');

/** Starts `newsdesk serve` on a free port and resolves once it is ready. */
export async function startServer() {
  const dataDir = mkdtempSync(join(tmpdir(), 'newsdesk-browser-'));
  const bin = process.env.NEWSDESK_BIN ?? join(root, 'target/debug/newsdesk');
  const env = { ...process.env };
  delete env.DATABASE_URL;
  delete env.NEWSDESK_DATABASE_URL;
  const child = spawn(bin, ['serve', '--addr', '127.0.0.1:0', '--log-format', 'json',
    '--data-dir', dataDir, '--site-root', join(root, 'target/site')], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  const log = [];
  const exited = new Promise((done) => child.on('exit', (code, signal) => done({ code, signal })));
  const url = await new Promise((ready, fail) => {
    const lines = createInterface({ input: child.stderr });
    lines.on('line', (line) => {
      log.push(line);
      try {
        const event = JSON.parse(line);
        if (event.url) ready(event.url.replace(/\/$/, ''));
      } catch { /* not JSON: keep it in the log */ }
    });
    exited.then(({ code }) => fail(new Error(`newsdesk exited (${code}) before it was ready:\n${log.join('\n')}`)));
  });
  return {
    url,
    log,
    async stop() {
      child.kill('SIGTERM');
      const { code } = await exited;
      rmSync(dataDir, { recursive: true, force: true });
      if (code !== 0) throw new Error(`newsdesk exited with ${code}:\n${log.join('\n')}`);
    },
  };
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/**
 * Records console errors, hydration warnings, CSP violations and uncaught
 * exceptions; `problems` must be empty at the end of every test.
 */
export function watchConsole(page) {
  const problems = [];
  page.on('console', (message) => {
    const text = message.text();
    if (message.type() === 'error' || /hydrat/i.test(text)) problems.push(`${message.type()}: ${text}`);
  });
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  return problems;
}

export async function waitForHydration(page) {
  await page.waitForSelector('html[data-hydrated="true"]', { timeout: 30_000 });
}
