// The Cox card (issue 4) in a headless browser: the numbers shown for the demo
// cohort are the CLI's, the forest plot drawn from the page's Report is the one
// drawn from the CLI's Report, and the figure exports produce files.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, ROOT, WWW, startServer, launch, probedPage, waitForResult } from './helpers.mjs';

const haveCli = existsSync(CLI);
mkdtempSync(join(tmpdir(), 'survlens-cox-test-'));
let server, browser, close;

before(async () => {
  server = await startServer();
  ({ browser, close } = await launch());
});
after(async () => {
  await close?.();
  server?.stop();
});

async function openDemo() {
  const probe = await probedPage(browser);
  await probe.page.goto(server.url);
  await waitForResult(probe.page);
  await probe.page.waitForSelector('#cox-forest-canvas[data-drawn="1"]', { timeout: 30000 });
  return probe;
}

const cliDemo = () => JSON.parse(execFileSync(CLI, ['analyze', join(WWW, 'demo/gist_liver_mets_demo.csv'), '--spec', join(WWW, 'demo/demo_spec.json')], { encoding: 'utf8' }));

test('the Cox table of the demo shows the CLI numbers, univariable and multivariable', { skip: !haveCli && 'CLI not built' }, async () => {
  const { page, context, log } = await openDemo();
  const expected = cliDemo();
  const shown = await page.evaluate(() => ({
    cells: [...document.querySelectorAll('#cox-table [data-field]')].map((c) => ({ ...c.dataset })),
    concordance: document.getElementById('cox-tests').dataset.concordance,
    ph: [...document.querySelectorAll('#cox-ph-table tbody tr')].map((r) => [r.cells[0].textContent, r.cells[3].dataset.value, r.cells[4].textContent]),
    hidden: document.getElementById('cox-card').hidden,
    canvases: [...document.querySelectorAll('#cox-card canvas')].map((c) => [c.id, c.width > 0 && c.height > 0]),
  }));
  assert.equal(shown.hidden, false);
  const cox = expected.cox;
  const uni = new Map(cox.univariable.flatMap((u) => u.terms).map((t) => [t.name, t]));
  const num = (v) => (v === 'null' ? null : Number(v));
  let n = 0;
  for (const c of shown.cells) {
    const t = c.model === 'multivariable' ? cox.terms.find((x) => x.name === c.term) : uni.get(c.term);
    assert.ok(t, `term ${c.term}`);
    if (c.field === 'hr') {
      assert.equal(num(c.value), t.hr, `${c.model} HR of ${c.term}`);
      assert.equal(num(c.lower), t.lower);
      assert.equal(num(c.upper), t.upper);
      n += 1;
    } else assert.equal(num(c.value), t.p, `${c.model} p of ${c.term}`);
  }
  assert.equal(n, 2 * cox.terms.length, 'every term in both models');
  assert.equal(Number(shown.concordance), cox.concordance.estimate);
  const ph = cox.ph_test;
  assert.deepEqual(shown.ph, [...ph.terms.map((t) => [t.name, String(t.p), t.reading]), ['Global', String(ph.global.p), ph.reading]]);
  assert.deepEqual(shown.canvases, [['cox-forest-canvas', true], ['cox-schoenfeld-canvas', true], ['cox-loglog-canvas', true]]);
  assert.deepEqual(log.errors, []);
  await context.close();
});

test('the forest plot drawn from the page equals the one drawn from the CLI Report; exports produce files', { skip: !haveCli && 'CLI not built' }, async () => {
  const { page, context } = await openDemo();
  const expected = cliDemo();
  const get = async (selector) => {
    const [d] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
    return { name: d.suggestedFilename(), bytes: readFileSync(await d.path()) };
  };
  const svg = await get('#cox-forest-svg');
  assert.match(svg.name, /forest\.svg$/);
  const text = svg.bytes.toString('utf8');
  assert.match(text, /^<svg[^>]*width="760"/);
  assert.match(text, /Hazard ratio \(log scale\)/);
  const fromCli = await page.evaluate(async (report) => {
    const api = await import('./survlens.js');
    return api.coxFigureSvg(report, 'forest', { timeUnit: 'months', width: 760 });
  }, expected);
  assert.ok(text === fromCli, 'the exported forest SVG is the figure of the CLI Report');
  for (const t of expected.cox.terms) assert.ok(text.includes(t.name.replace('=', ': ').replace(/&/g, '&amp;')), t.name);
  const png = await get('#cox-forest-png');
  assert.match(png.name, /forest-300dpi\.png$/);
  assert.deepEqual([...png.bytes.subarray(1, 4)], [80, 78, 71]);
  assert.equal(png.bytes.readUInt32BE(16), 2100, 'width: 7 in at 300 dpi');
  const phys = png.bytes.indexOf(Buffer.from('pHYs'));
  assert.equal(png.bytes.readUInt32BE(phys + 4), 11811, '300 dpi');
  for (const kind of ['schoenfeld', 'loglog']) {
    const s = await get(`#cox-${kind}-svg`);
    assert.match(s.bytes.toString('utf8'), /^<svg/, kind);
  }
  await context.close();
});
