// Median follow-up and conditional survival on the page (issue 19): on the demo cohort
// (its spec asks for both) the card shows, cell by cell, the numbers of the CLI's Report
// on the same file and spec, printed by the core's formatter (lib/format.js); the CSV
// exports carry the Report's numbers at full precision; the options set the spec's keys
// (median follow-up on by default for a new file); the core's conditional survival figure
// is drawn above the conditional tables and downloads as SVG and PNG; the card reads in Chinese.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, WWW, browserSession, probedPage, waitForResult } from './helpers.mjs';
import { hospitalCsv, upload, settled, openAllDetails, mapHospital } from './cohort.mjs';

const session = browserSession();
const haveCli = existsSync(CLI);
const DEMO = join(WWW, 'demo/gist_liver_mets_demo.csv');
const cliDemo = () => JSON.parse(execFileSync(CLI, ['analyze', DEMO, '--spec', join(WWW, 'demo/demo_spec.json')], { encoding: 'utf8' }));
const num = (v) => (v === 'null' || v === undefined ? null : Number(v));

async function openDemo(opts = {}) {
  const probe = await probedPage(session.browser, opts);
  await probe.page.goto(session.server.url);
  await waitForResult(probe.page);
  await probe.page.waitForSelector('#followup-table');
  return probe;
}

/** What `f` (a function of lib/format.js, by name) prints for each argument list. */
const printed = (page, calls) => page.evaluate(async (cs) => {
  const f = await import(new URL('lib/format.js', location.href).href);
  return cs.map(([name, ...args]) => f[name](...args));
}, calls);

test('the demo\'s median follow-up and conditional survival are the CLI Report\'s', { skip: !haveCli && 'CLI not built' }, async () => {
  const { page, log, context } = await openDemo();
  const expected = cliDemo();
  assert.deepEqual(JSON.parse(await page.evaluate(() => window.survlensDebug.state.json)), expected, 'the page\'s Report is the CLI\'s');
  const fu = expected.follow_up;
  const cond = expected.conditional;
  assert.ok(fu.length === 4 && fu[0].group === 'all', 'everybody, then each group');
  assert.deepEqual(cond.map((c) => c.given), [12, 24]);

  // Median follow-up: median with its limits and the quartiles of every row.
  const med = await page.$$eval('#followup-table td[data-field="follow_up_median"]', (cs) => cs.map((c) => ({ ...c.dataset, shown: c.firstChild.textContent, ci: c.querySelector('.ci')?.textContent })));
  assert.deepEqual(med.map((c) => [c.group, num(c.value), num(c.lower), num(c.upper)]),
    fu.map((f) => [f.group, f.median.estimate, f.median.lower, f.median.upper]));
  const q = (f, p) => f.quantiles.find((x) => x.p === p).estimate;
  const iqr = await page.$$eval('#followup-table td[data-field="iqr"]', (cs) => cs.map((c) => ({ ...c.dataset, shown: c.textContent })));
  assert.deepEqual(iqr.map((c) => [c.group, num(c.q25), num(c.q75)]), fu.map((f) => [f.group, q(f, 0.25), q(f, 0.75)]));
  // Printed by the core's formatter.
  const want = await printed(page, fu.flatMap((f) => [['num', f.median.estimate, 1], ['num', f.median.lower, 1], ['num', f.median.upper, 1], ['num', q(f, 0.25), 1], ['num', q(f, 0.75), 1]]));
  fu.forEach((f, i) => {
    const [m, lo, hi, q1, q3] = want.slice(5 * i, 5 * i + 5);
    assert.equal(med[i].shown, m);
    assert.equal(med[i].ci, `(${lo} to ${hi})`);
    assert.equal(iqr[i].shown, `${q1} to ${q3}`);
  });
  assert.equal(await page.textContent('#followup-sentence'), `Median follow-up ${want[0]} months (IQR ${want[3]} to ${want[4]}), by reverse Kaplan–Meier.`);
  assert.equal(await page.textContent('#km-follow-up'), await page.textContent('#followup-sentence'), 'under the KM figure too');

  // Conditional survival: one table per given, the median and survival at every time.
  for (const [i, c] of cond.entries()) {
    const cells = await page.$$eval(`#conditional-table-${i} td[data-field]`, (cs) => cs.map((x) => ({ ...x.dataset, shown: x.firstChild?.textContent ?? '' })));
    const medians = cells.filter((x) => x.field === 'conditional_median');
    assert.deepEqual(medians.map((x) => [num(x.given), x.group, num(x.value), num(x.lower), num(x.upper)]),
      c.curves.map((k) => [c.given, k.group, k.median.estimate, k.median.lower, k.median.upper]));
    const surv = cells.filter((x) => x.field === 'surv');
    const at = c.curves.flatMap((k) => k.at_times.map((a) => [k.group, a.time, a.beyond_follow_up ? null : a.surv, a.lower ?? null, a.upper ?? null]));
    assert.deepEqual(surv.map((x) => [x.group, num(x.time), num(x.value), num(x.lower), num(x.upper)]), at);
    const pcts = await printed(page, c.curves.flatMap((k) => k.at_times.map((a) => ['pct', a.surv])));
    surv.forEach((x, j) => { if (x.beyond === undefined) assert.equal(x.shown, pcts[j]); });
    const rows = await page.$$eval(`#conditional-table-${i} tbody tr`, (rs) => rs.map((r) => [...r.cells].slice(0, 3).map((x) => x.textContent)));
    assert.deepEqual(rows, c.curves.map((k) => [k.group, String(k.n), String(k.events)]));
  }
  assert.deepEqual(await page.$$eval('#conditional h5', (h) => h.map((x) => x.textContent)), ['Alive at 12 months', 'Alive at 24 months']);

  // The core's conditional survival figure above the tables: drawn, one panel per given
  // (its title and time since s), downloads as SVG and PNG.
  await page.waitForSelector('#conditional-canvas[data-drawn="1"]');
  const inked = await page.$eval('#conditional-canvas', (cv) => {
    const d = cv.getContext('2d').getImageData(0, 0, cv.width, cv.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i + 3] && (d[i] < 200 || d[i + 1] < 200 || d[i + 2] < 200)) n += 1;
    return n;
  });
  assert.ok(inked > 1000, `the figure is drawn (${inked} dark pixels)`);
  assert.ok(await page.$eval('#conditional-figure', (f) => f.compareDocumentPosition(document.querySelector('#conditional-table-0')) & Node.DOCUMENT_POSITION_FOLLOWING), 'the figure is above the tables');
  const [svgFile] = await Promise.all([page.waitForEvent('download'), page.click('#conditional-svg')]);
  const svg = readFileSync(await svgFile.path(), 'utf8');
  assert.match(svg, /^<svg/);
  for (const title of ['Alive at s = 12 months', 'Alive at s = 24 months']) assert.ok(svg.includes(title), title);
  assert.equal(svg.split('Time since s (months)').length - 1, 2, 'one time-since-s axis per panel');
  assert.equal(svg.split('Number at risk').length - 1, 2, 'one number-at-risk table per panel');
  for (const k of cond[0].curves) assert.ok(svg.includes(k.group), `the legend names ${k.group}`);
  const [pngFile] = await Promise.all([page.waitForEvent('download'), page.click('#conditional-png')]);
  assert.deepEqual([...readFileSync(await pngFile.path()).subarray(1, 4)], [80, 78, 71]);

  // CSV exports at full precision.
  const csvOf = async (id) => {
    const [d] = await Promise.all([page.waitForEvent('download'), page.click(id)]);
    return readFileSync(await d.path(), 'utf8').trim().split('\r\n').map((l) => l.split(','));
  };
  const f = await csvOf('#followup-csv');
  assert.deepEqual(f[0], ['group', 'n', 'median', 'median_lower', 'median_upper', 'q25', 'q75']);
  assert.deepEqual(f.slice(1).map((r) => [r[0], ...r.slice(1).map(Number)]),
    fu.map((x) => [x.group, x.n, x.median.estimate, x.median.lower, x.median.upper, q(x, 0.25), q(x, 0.75)]));
  const c = await csvOf('#conditional-csv');
  assert.deepEqual(c[0].slice(0, 8), ['given', 'group', 'n', 'events', 'median', 'median_lower', 'median_upper', 'surv_12']);
  assert.deepEqual(c.slice(1).map((r) => [Number(r[0]), r[1], Number(r[7])]),
    cond.flatMap((x) => x.curves.map((k) => [x.given, k.group, k.at_times[0].surv])));
  assert.deepEqual(log.errors, []);
  await context.close();
});

test('the options: median follow-up on by default, conditional given times with the KM times as default; results leave with their file', async () => {
  const probe = await probedPage(session.browser, { viewport: { width: 1280, height: 900 } });
  const { page, context, log } = probe;
  await page.goto(session.server.url);
  await waitForResult(page);
  await upload(page, 'hospital.csv', hospitalCsv());
  await settled(page);
  // Nothing of the demo's follow-up stays while the new file is not analysed.
  await mapHospital(page);
  await settled(page);
  await openAllDetails(page);
  assert.equal(await page.isChecked('#follow-up'), true, 'on by default');
  let spec = await page.evaluate(() => window.survlensDebug.state.spec);
  assert.deepEqual(spec.follow_up, {});
  assert.equal(spec.conditional, undefined);
  assert.equal(await page.isVisible('#followup-table'), true);
  assert.equal(await page.isVisible('#conditional'), false);
  await page.fill('#times', '6, 12');
  await page.fill('#conditional-given', '3');
  await settled(page);
  spec = await page.evaluate(() => window.survlensDebug.state.spec);
  assert.deepEqual(spec.conditional, { given: [3], times: [6, 12] });
  await page.fill('#conditional-times', '2, 4');
  await page.uncheck('#follow-up');
  await settled(page);
  const state = await page.evaluate(() => window.survlensDebug.state);
  assert.deepEqual(state.spec.conditional, { given: [3], times: [2, 4] });
  assert.equal(state.spec.follow_up, undefined);
  assert.equal(state.report.follow_up ?? null, null);
  assert.equal(await page.isVisible('#followup-table'), false);
  assert.equal(await page.isVisible('#km-follow-up'), false);
  assert.equal(await page.isVisible('#conditional-table-0'), true);
  // A failed analysis leaves no card of an earlier one.
  await page.evaluate(() => window.survlensDebug.clearResults());
  assert.equal(await page.isHidden('#followup-card'), true);
  assert.deepEqual(log.errors, []);
  await context.close();
});

test('the follow-up card reads in Chinese', async () => {
  const { page, log, context } = await openDemo({ locale: 'zh-CN' });
  const card = await page.innerText('#followup-card');
  for (const word of ['随访与条件生存', '中位随访时间', '全部患者', '条件生存', '12 月时仍存活', '反向 Kaplan–Meier', '置信带及风险人数']) assert.ok(card.includes(word), `${word} not in ${card.slice(0, 400)}`);
  const english = (card.match(/[A-Za-z]{2,}/g) ?? []).filter((w) => !['IM', 'HR', 'RFA', 'TACE', 'CI', 'CSV', 'SVG', 'PNG', 'dpi', 'IQR', 'Kaplan', 'Meier'].includes(w));
  assert.deepEqual(english, [], 'English left in the Chinese card');
  // The figure is drawn in Chinese: its panel titles and axis in the SVG.
  await page.waitForSelector('#conditional-canvas[data-drawn="1"]');
  const [svgFile] = await Promise.all([page.waitForEvent('download'), page.click('#conditional-svg')]);
  const svg = readFileSync(await svgFile.path(), 'utf8');
  for (const word of ['s = 12（月）时仍存活的患者', '自 s 起的时间（月）', '风险人数']) assert.ok(svg.includes(word), word);
  assert.deepEqual(log.errors, []);
  await context.close();
});
