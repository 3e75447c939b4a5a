// Shared setup of the browser tests: a static server for www/ (with the CSP
// header), Debian's chromium through playwright-core, and page probes that
// record console errors, CSP violations and every request.
import { before, after } from 'node:test';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const WWW = join(ROOT, 'www');
// The native CLI the page's Reports are compared with: the one scripts/test-web names
// (SURVLENS_CLI: the native tests' `ci`-profile build), else target/ci/survlens.
export const CLI = process.env.SURVLENS_CLI
  ?? join(process.env.CARGO_TARGET_DIR ?? join(ROOT, 'target'), 'ci', 'survlens');

export async function startServer(dir = WWW) {
  const port = 18000 + Math.floor(Math.random() * 2000);
  const proc = spawn('python3', [join(ROOT, 'scripts/serve.py'), String(port), dir, '-q'], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((ok, fail) => {
    proc.stdout.once('data', ok);
    proc.once('exit', (c) => fail(new Error(`server exited ${c}`)));
  });
  return { url: `http://localhost:${port}/`, origin: `http://localhost:${port}`, stop: () => proc.kill() };
}

export async function launch() {
  const profile = mkdtempSync(join(tmpdir(), 'survlens-chromium-'));
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync',
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1',
    ],
  });
  const close = async () => { await browser.close(); rmSync(profile, { recursive: true, force: true }); };
  return { browser, close };
}

/** A page that records console errors, page errors, CSP violations and requests. */
export async function probedPage(browser, opts = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true, ...opts });
  const page = await context.newPage();
  const log = { errors: [], csp: [], requests: [], dialogs: [] };
  page.on('console', (m) => {
    if (m.type() === 'error') log.errors.push(m.text());
    if (/Content[- ]Security[- ]Policy|Refused to/i.test(m.text())) log.csp.push(m.text());
  });
  page.on('pageerror', (e) => log.errors.push(String(e)));
  page.on('dialog', (d) => { log.dialogs.push(d.message()); d.dismiss(); });
  context.on('request', (r) => log.requests.push(r.url()));
  await page.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  return { context, page, log };
}

/** Waits until the page has drawn a figure (or shown an error). */
export async function waitForResult(page, timeout = 30000) {
  await page.waitForFunction(() => document.body.dataset.figureAt || !document.getElementById('form-error').hidden, null, { timeout });
}

/** After a file is opened: waits for the page to settle, then confirms the columns when
 *  SurvLens was not sure of them (the mapping step shows no result until confirmed). */
export async function confirmColumns(page, timeout = 120000) {
  await page.waitForTimeout(300);
  await page.waitForFunction(() => !document.body.classList.contains('busy'), null, { timeout });
  if (await page.isVisible('#confirm-mapping')) await page.click('#confirm-mapping');
}

/** A server for www/ and a browser for the tests of one file: {server, browser} once started. */
export function browserSession() {
  const s = {};
  before(async () => {
    s.server = await startServer();
    Object.assign(s, await launch());
  });
  after(async () => {
    await s.close?.();
    s.server?.stop();
  });
  return s;
}
