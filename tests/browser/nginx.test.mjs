// The app behind Debian's nginx with the committed docs/deploy/nginx.conf, under the
// sub-path /survlens/ (issue 25): the demo runs; an intranet page of the same origin
// embeds it in an iframe and through the embedding API (survlens.js); a page of another
// origin cannot frame it (frame-ancestors 'self'); the redirect of the bare sub-path.
// The privacy tests run against this server too (privacy.test.mjs).
// A release bundle (scripts/release-stage.mjs: subresource integrity, MANIFEST.sha256)
// served the same way runs, shows its hash in the About, and refuses a changed module or
// wasm file.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync, readFileSync, rmSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, WWW, startServer, launch, probedPage, waitForResult } from './helpers.mjs';
import { startNginx } from './nginx.mjs';

// nginx runs as `nobody` under root: the folders it serves must be readable by all.
const host = mkdtempSync(join(tmpdir(), 'survlens-host-'));
chmodSync(host, 0o755);
writeFileSync(join(host, 'frame.html'), '<!doctype html><title>host</title><link rel="icon" href="data:,"><iframe src="/survlens/" width="1200" height="900"></iframe>');
writeFileSync(join(host, 'api.html'), `<!doctype html><title>api</title><link rel="icon" href="data:,">
<script type="module">
import { analyze, version } from '/survlens/survlens.js';
const report = await analyze('time,status\\n5,1\\n8,0\\n12,1\\n20,1\\n', { time: { column: 'time' }, event: { column: 'status' }, km: {} });
window.result = { version, n: report.data.n_used };
</script>`);

const staged = mkdtempSync(join(tmpdir(), 'survlens-release-'));
chmodSync(staged, 0o755);
const stage = (name) => {
  execFileSync('node', [join(ROOT, 'scripts/release-stage.mjs'), WWW, join(staged, name)], { stdio: 'ignore' });
  return join(staged, name);
};

let nginx, other, browser, close;
before(async () => {
  nginx = await startNginx(undefined, { host });
  other = await startServer(host);
  ({ browser, close } = await launch());
});
after(async () => {
  await close?.();
  nginx?.stop();
  other?.stop();
  rmSync(host, { recursive: true, force: true });
  rmSync(staged, { recursive: true, force: true });
});

test('nginx: the demo runs under /survlens/ with no error and no CSP report', async () => {
  const { page, context, log } = await probedPage(browser);
  await page.goto(nginx.url);
  await waitForResult(page);
  assert.ok(await page.evaluate(() => Number(document.body.dataset.figureAt) > 0));
  assert.deepEqual(await page.evaluate(() => window.__csp), []);
  assert.deepEqual(log.errors, []);
  await context.close();
  const bare = await fetch(nginx.origin + '/survlens', { redirect: 'manual' });
  assert.equal(bare.status, 301);
  assert.equal(new URL(bare.headers.get('location'), nginx.origin).pathname, '/survlens/');
  assert.equal((await fetch(nginx.url, { method: 'POST' })).status, 403);
});

test('nginx: an intranet page of the same origin embeds the app (iframe and module API)', async () => {
  const { page, context, log } = await probedPage(browser);
  await page.goto(`${nginx.origin}/intranet/frame.html`);
  await page.waitForFunction(() => document.querySelector('iframe')?.contentDocument?.getElementById('results'), null, { timeout: 30000 });
  const frame = page.frames().find((f) => f.url().startsWith(nginx.url));
  assert.ok(frame, 'the iframe loaded the app');
  await waitForResult(frame);
  assert.ok(await frame.evaluate(() => Number(document.body.dataset.figureAt) > 0));
  await page.goto(`${nginx.origin}/intranet/api.html`);
  await page.waitForFunction(() => window.result, null, { timeout: 60000 });
  const result = await page.evaluate(() => window.result);
  assert.match(result.version, /^\d+\.\d+\.\d+/);
  assert.equal(result.n, 4);
  assert.deepEqual(log.errors, []);
  await context.close();
});

test('nginx: a page of another origin cannot frame the app (frame-ancestors \'self\')', async () => {
  writeFileSync(join(host, 'foreign.html'), `<!doctype html><title>foreign</title><link rel="icon" href="data:,"><iframe src="${nginx.url}" width="800" height="600"></iframe>`);
  const { page, context } = await probedPage(browser);
  await page.goto(`${other.url}foreign.html`);
  await page.waitForTimeout(2000);
  const framed = page.frames().find((f) => f !== page.mainFrame());
  assert.ok(framed, 'the iframe is there');
  const loaded = await framed.evaluate(() => Boolean(document.getElementById('results'))).catch(() => false);
  assert.equal(loaded, false, 'the app must not render inside a foreign page');
  // Chromium replaces a refused frame by its error page.
  assert.match(framed.url(), /^chrome-error:/);
  await context.close();
});

test('nginx: a release bundle carries integrity on every page module, runs, and shows its hash', async () => {
  const dir = stage('good');
  const html = readFileSync(join(dir, 'index.html'), 'utf8');
  assert.match(html, /<script type="module" src="main.js" integrity="sha384-[A-Za-z0-9+/=]+"><\/script>/);
  for (const m of ['survlens.js', 'ui/i18n.js', 'lib/dom.js', 'pkg/survlens.js']) {
    assert.match(html, new RegExp(`<link rel="modulepreload" href="${m}" integrity="sha384-`), m);
  }
  const meta = JSON.parse(/<meta name="survlens-integrity" content="([^"]+)">/.exec(html)[1].replaceAll('&quot;', '"'));
  assert.deepEqual(Object.keys(meta).sort(), ['lib/wasm_file.js', 'pkg-xlsx/survlens.js', 'pkg-xlsx/survlens_bg.wasm',
    'pkg/survlens.js', 'pkg/survlens_bg.wasm', 'pkg/survlens_simd_bg.wasm', 'worker.js']);
  const server = await startNginx(dir);
  try {
    const { page, context, log } = await probedPage(browser);
    await page.goto(server.url);
    await waitForResult(page);
    assert.ok(await page.evaluate(() => Number(document.body.dataset.figureAt) > 0));
    await page.waitForSelector('#bundle:not([hidden])');
    const manifest = readFileSync(join(dir, 'MANIFEST.sha256'));
    assert.equal(await page.textContent('#bundle-hash'), createHash('sha256').update(manifest).digest('hex'));
    // Every file the server sends is the manifest's.
    for (const line of manifest.toString().trim().split('\n').slice(0, 400)) {
      const [sum, file] = line.split(/\s+/);
      if (!/\.(js|wasm|html)$/.test(file)) continue;
      const body = Buffer.from(await (await fetch(server.url + file)).arrayBuffer());
      assert.equal(createHash('sha256').update(body).digest('hex'), sum, file);
    }
    assert.deepEqual(log.errors, []);
    assert.deepEqual(await page.evaluate(() => window.__csp), []);
    await context.close();
  } finally {
    server.stop();
  }
});

test('nginx: a release bundle refuses a page module or a wasm module whose bytes changed', async () => {
  for (const [file, tamper] of [
    ['lib/format.js', (t) => `${t}\n// changed on the server\n`],
    ['pkg/survlens_simd_bg.wasm', null], // the build chromium runs (it has WebAssembly SIMD)
  ]) {
    const dir = stage(`bad-${file.replace(/\W/g, '_')}`);
    const path = join(dir, file);
    if (tamper) writeFileSync(path, tamper(readFileSync(path, 'utf8')));
    else { const b = readFileSync(path); b[b.length - 1] ^= 1; writeFileSync(path, b); }
    const server = await startNginx(dir);
    try {
      const { page, context, log } = await probedPage(browser);
      await page.goto(server.url);
      await page.waitForTimeout(3000);
      const drawn = await page.evaluate(() => Boolean(document.body.dataset.figureAt));
      assert.equal(drawn, false, `${file}: the page must not run`);
      assert.ok(log.errors.some((e) => /integrity|digest/i.test(e)), `${file}: ${JSON.stringify(log.errors)}`);
      await context.close();
    } finally {
      server.stop();
    }
  }
});
