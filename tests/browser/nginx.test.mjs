// The app behind Debian's nginx with the committed docs/deploy/nginx.conf, under the
// sub-path /survlens/ (issue 25): the demo runs; an intranet page of the same origin
// embeds it in an iframe and through the embedding API (survlens.js); a page of another
// origin cannot frame it (frame-ancestors 'self'); the redirect of the bare sub-path.
// The privacy tests run against this server too (privacy.test.mjs).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, launch, probedPage, waitForResult } from './helpers.mjs';
import { startNginx } from './nginx.mjs';

const host = mkdtempSync(join(tmpdir(), 'survlens-host-'));
writeFileSync(join(host, 'frame.html'), '<!doctype html><title>host</title><link rel="icon" href="data:,"><iframe src="/survlens/" width="1200" height="900"></iframe>');
writeFileSync(join(host, 'api.html'), `<!doctype html><title>api</title><link rel="icon" href="data:,">
<script type="module">
import { analyze, version } from '/survlens/survlens.js';
const report = await analyze('time,status\\n5,1\\n8,0\\n12,1\\n20,1\\n', { time: { column: 'time' }, event: { column: 'status' }, km: {} });
window.result = { version, n: report.data.n_used };
</script>`);

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
  const refused = [];
  page.on('console', (m) => { if (/frame-ancestors|Refused to (display|frame)/i.test(m.text())) refused.push(m.text()); });
  await page.goto(`${other.url}foreign.html`);
  await page.waitForTimeout(1500);
  const framed = page.frames().find((f) => f !== page.mainFrame());
  const loaded = framed ? await framed.evaluate(() => Boolean(document.getElementById('results'))).catch(() => false) : false;
  assert.equal(loaded, false, 'the app must not render inside a foreign page');
  assert.ok(refused.length > 0, 'the browser reports the refusal');
  await context.close();
});
