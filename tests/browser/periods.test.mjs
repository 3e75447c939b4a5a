// Hazard ratios by period on the page (issue 19). veteran (tests/guess_corpus/veteran_raw.csv)
// with cell type as the group and Karnofsky score as covariate: the core's PH test flags
// cell type (cox.zph p ≈ 0.003), so the Cox card offers hazard ratios by period; the cut
// points are the core's suggestion, the tertiles of the event times — R:
// quantile(veteran$time[veteran$status == 1], c(1, 2) / 3) = 31.67, 115.33, one decimal
// 31.7, 115.3 —; the period table and the test against one constant effect equal the
// CLI's Report (when the core has `cox.periods`). The demo (PH not flagged) has no offer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, ROOT, browserSession, probedPage, waitForResult } from './helpers.mjs';
import { upload, settled, openAllDetails } from './cohort.mjs';

const session = browserSession();
const FILE = join(ROOT, 'tests/guess_corpus/veteran_raw.csv');
const TMP = mkdtempSync(join(tmpdir(), 'survlens-periods-test-'));
const haveCli = existsSync(CLI);
const cli = (spec) => {
  const path = join(TMP, `spec-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, JSON.stringify(spec));
  return JSON.parse(execFileSync(CLI, ['analyze', FILE, '--spec', path], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
};
const num = (v) => (v === 'null' || v === undefined ? null : Number(v));

/** The page with veteran mapped: time, status 1 = event, cell type, Karnofsky score. */
async function openVeteran() {
  const probe = await probedPage(session.browser, { viewport: { width: 1280, height: 900 } });
  const { page } = probe;
  await page.goto(session.server.url);
  await waitForResult(page);
  await upload(page, 'veteran_raw.csv', readFileSync(FILE, 'utf8'));
  await page.waitForFunction(() => window.survlensDebug.state.dataName === 'veteran_raw.csv' && window.survlensDebug.state.preview, null, { timeout: 30000 });
  await settled(page);
  await openAllDetails(page);
  await page.check('input[name="time-mode"][value="duration"]');
  await page.selectOption('#time-column', 'time');
  await page.selectOption('#event-column', 'status');
  await page.selectOption('#event-values-list select[data-value="1"]', 'event');
  await page.selectOption('#event-values-list select[data-value="0"]', 'censored');
  await page.selectOption('#group-column', 'celltype');
  await page.check('#covariate-list input[value="karno"]');
  if (await page.isVisible('#confirm-mapping')) await page.click('#confirm-mapping');
  await settled(page);
  await page.waitForFunction(() => window.survlensDebug.state.report?.cox?.ph_test, null, { timeout: 60000 });
  return probe;
}

test('where the PH test flags the group, the Cox card offers hazard ratios by period at the core\'s cut points', async () => {
  const { page, context } = await openVeteran();
  assert.equal(await page.isVisible('#periods-offer'), true);
  assert.equal(await page.inputValue('#cox-periods'), '');
  await page.click('#periods-suggest');
  await page.waitForFunction(() => document.getElementById('cox-periods').value !== '', null, { timeout: 30000 });
  assert.equal(await page.inputValue('#cox-periods'), '31.7, 115.3');
  await settled(page);
  const spec = await page.evaluate(() => window.survlensDebug.spec());
  assert.deepEqual(spec.cox.periods, [31.7, 115.3]);
  await context.close();
});

test('the period hazard ratios and the test of one constant effect are the CLI Report\'s', { skip: !haveCli && 'CLI not built' }, async () => {
  const { page, log, context } = await openVeteran();
  await page.click('#periods-suggest');
  await page.waitForFunction(() => window.survlensDebug.state.report?.cox?.periods && !document.body.classList.contains('busy'), null, { timeout: 60000 });
  const { spec, json } = await page.evaluate(() => ({ spec: window.survlensDebug.state.spec, json: window.survlensDebug.state.json }));
  const expected = cli(spec);
  assert.deepEqual(JSON.parse(json), expected);
  const periods = expected.cox.periods;
  assert.deepEqual(periods.map((p) => [p.from, p.to]), [[0, 31.7], [31.7, 115.3], [115.3, null]]);
  assert.equal(await page.isVisible('#periods-offer'), false, 'no offer once the periods ran');
  const cells = await page.$$eval('#periods-table td[data-field]', (cs) => cs.map((c) => ({ ...c.dataset, shown: c.firstChild?.textContent ?? '' })));
  const names = [...new Set(periods.flatMap((p) => p.terms.map((t) => t.name)))];
  const want = periods.flatMap((p) => names.flatMap((n) => {
    const t = p.terms.find((x) => x.name === n);
    if (!t || t.hr === null) return [[p.from, p.to, n, 'hr', null, null, null]];
    return [[p.from, p.to, n, 'hr', t.hr, t.lower, t.upper], [p.from, p.to, n, 'p', t.p, null, null]];
  }));
  assert.deepEqual(cells.map((c) => [num(c.from), num(c.to), c.term, c.field, num(c.value), num(c.lower), num(c.upper)]), want);
  const printed = await page.evaluate(async (cs) => {
    const f = await import(new URL('lib/format.js', location.href).href);
    return cs.map((c) => (c.field === 'hr' ? f.hr(Number(c.value)) : f.pValue(Number(c.value))));
  }, cells.filter((c) => c.value !== 'null'));
  assert.deepEqual(cells.filter((c) => c.value !== 'null').map((c) => c.shown), printed);
  const t = await page.$eval('#periods-test', (e) => ({ ...e.dataset }));
  assert.deepEqual([num(t.chisq), num(t.p)], [expected.cox.periods_test.chisq, expected.cox.periods_test.p]);
  const [d] = await Promise.all([page.waitForEvent('download'), page.click('#periods-part-csv')]);
  const rows = readFileSync(await d.path(), 'utf8').trim().split('\r\n').map((l) => l.split(','));
  assert.deepEqual(rows[0], ['from', 'to', 'term', 'coef', 'se', 'hr', 'lower', 'upper', 'z', 'p']);
  assert.deepEqual(rows.slice(1).map((r) => [Number(r[0]), r[2], Number(r[5])]), periods.flatMap((p) => p.terms.map((x) => [p.from, x.name, x.hr])));
  assert.deepEqual(log.errors, []);
  await context.close();
});

test('no offer where the PH test does not flag the group (the demo)', async () => {
  const { page, context } = await probedPage(session.browser);
  await page.goto(session.server.url);
  await waitForResult(page);
  await page.waitForSelector('#cox-ph-table');
  assert.equal(await page.$('#periods-offer'), null);
  await context.close();
});
