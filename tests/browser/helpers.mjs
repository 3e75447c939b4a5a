// Shared setup of the browser tests: a static server for www/ (with the CSP
// header), Debian's chromium through playwright-core, and page probes that
// record console errors, CSP violations and every request.
import { before, after } from 'node:test';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';

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

/** The CLI's Report (`survlens analyze CSV --spec SPEC`) as text: the page's results are
 * compared with it byte for byte. The spec goes to a file in a fresh temporary folder. */
export function cliReport(csvPath, spec) {
  const specPath = join(mkdtempSync(join(tmpdir(), 'survlens-cli-spec-')), 'spec.json');
  writeFileSync(specPath, JSON.stringify(spec));
  return execFileSync(CLI, ['analyze', csvPath, '--spec', specPath], { encoding: 'utf8', maxBuffer: 1 << 28 });
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

/** The box of the element `selector` in page coordinates (a screenshot's clip). */
export const boxOf = (page, selector) => page.evaluate((q) => {
  const r = document.querySelector(q).getBoundingClientRect();
  return { x: r.left + window.scrollX, y: r.top + window.scrollY, width: r.width, height: r.height };
}, selector);

/** Elements inside `root` wider than the screen (outside the sideways-scrolling .table-wrap). */
export const overflowing = (page, root) => page.evaluate((q) => {
  const bad = [];
  for (const e of document.querySelector(q).querySelectorAll('*')) {
    const r = e.getBoundingClientRect();
    if (r.width && r.right > document.documentElement.clientWidth + 1 && !e.closest('.table-wrap')) bad.push(`${e.tagName}.${e.className}`);
  }
  return bad;
}, root);

/** Latin words (two letters or more) shown inside `root` that `allowed` does not list: in its
 *  visible text and in its aria-label / title attributes (the Chinese page's English left over). */
export const englishWords = (page, root, allowed) => page.evaluate(([q, allow]) => {
  const ok = new Set(allow);
  const out = [];
  const panel = document.querySelector(q);
  const visible = (e) => e && e.checkVisibility?.({ checkOpacity: false, checkVisibilityCSS: true }) !== false && !e.closest('[hidden]');
  const walker = document.createTreeWalker(panel, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!visible(n.parentElement)) continue;
    for (const w of n.nodeValue.match(/[A-Za-z]{2,}/g) ?? []) if (!ok.has(w)) out.push(`${w} ← ${n.nodeValue.trim().slice(0, 100)}`);
  }
  for (const e of panel.querySelectorAll('[aria-label], [title]')) {
    for (const a of ['aria-label', 'title']) for (const w of e.getAttribute(a)?.match(/[A-Za-z]{2,}/g) ?? []) if (!ok.has(w)) out.push(`${w} ← @${a}: ${e.getAttribute(a)}`);
  }
  return out;
}, [root, [...allowed]]);

/** The screenshot loop of a panel's tests: at 1280 and 390 px, in English and Chinese,
 *  `open(viewport, hash)` gives a probed page with the panel's results; nothing inside
 *  `root` is wider than the screen; on the Chinese page `root` shows no English word
 *  but `allowed`'s (then `zhCheck(page)` when given); `parts(page)` names the clips
 *  written to `shots` as `${name}-${lang}-${width}-${part}.png`, for a person to look at;
 *  the page logs no error. */
export async function panelScreenshots({ name, shots, root, allowed, open, parts, zhCheck }) {
  for (const [lang, hash] of [['en', ''], ['zh', '#lang=zh']]) {
    for (const width of [1280, 390]) {
      const { page, context, log } = await open({ width, height: 900 }, hash);
      assert.deepEqual(await overflowing(page, root), [], `${lang} ${width}`);
      if (lang === 'zh') {
        assert.deepEqual(await englishWords(page, root, allowed), []);
        await zhCheck?.(page);
      }
      for (const [part, clip] of Object.entries(await parts(page))) {
        await page.screenshot({ path: join(shots, `${name}-${lang}-${width}-${part}.png`), fullPage: true, clip });
      }
      assert.deepEqual(log.errors, []);
      await context.close();
    }
  }
  console.log(`${name} screenshots: ${shots}`);
}
