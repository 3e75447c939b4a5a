// Subgroups on the page (issue 19): on the demo cohort (its spec asks for age ≤60 / >60,
// sex and extrahepatic disease) the card shows the core's subgroup forest plot (canvas,
// SVG, PNG) and the tables of the CLI's Report: n and events per arm, HR (CI) and p of
// every level, and the interaction tests; printed by the core's formatter (lib/format.js);
// CSV exports at full precision. The confounding step shows `adjusted.subgroups`. The card
// reads in Chinese.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, WWW, browserSession, probedPage, waitForResult } from './helpers.mjs';

const session = browserSession();
const haveCli = existsSync(CLI);
const DEMO = join(WWW, 'demo/gist_liver_mets_demo.csv');
const TMP = mkdtempSync(join(tmpdir(), 'survlens-subgroups-test-'));
const cli = (spec) => {
  const path = join(TMP, `spec-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, JSON.stringify(spec));
  return JSON.parse(execFileSync(CLI, ['analyze', DEMO, '--spec', path], { encoding: 'utf8' }));
};
const num = (v) => (v === 'null' || v === undefined ? null : Number(v));

async function openDemo(opts = {}) {
  const probe = await probedPage(session.browser, { viewport: { width: 1400, height: 1000 }, ...opts });
  await probe.page.goto(session.server.url);
  await waitForResult(probe.page);
  await probe.page.waitForSelector('#subgroups-forest-canvas[data-drawn="1"]', { timeout: 30000 });
  return probe;
}

/** The hazard-ratio and p cells of table `id` against section `sub`'s rows. */
async function sameRows(page, id, sub) {
  const cells = await page.$$eval(`#${id} td[data-field]`, (cs) => cs.map((c) => ({ ...c.dataset, shown: c.firstChild?.textContent ?? '' })));
  const names = [...new Set(sub.rows.flatMap((r) => (r.terms ?? []).map((t) => t.name)))];
  const want = sub.rows.flatMap((r) => names.flatMap((n) => {
    const t = r.terms?.find((x) => x.name === n);
    const col = r.column ?? 'null';
    if (!t || t.hr === null) return [[col, r.level, n, 'hr', null, null, null]];
    return [[col, r.level, n, 'hr', t.hr, t.lower, t.upper], [col, r.level, n, 'p', t.p, null, null]];
  }));
  assert.deepEqual(cells.map((c) => [c.column, c.level, c.term, c.field, num(c.value), num(c.lower), num(c.upper)]), want);
  const printed = await page.evaluate(async (cs) => {
    const f = await import(new URL('lib/format.js', location.href).href);
    return cs.map((c) => (c.field === 'hr' ? f.hr(Number(c.value)) : f.pValue(Number(c.value))));
  }, cells.filter((c) => c.value !== 'null'));
  assert.deepEqual(cells.filter((c) => c.value !== 'null').map((c) => c.shown), printed);
  // n (events) of every level and arm.
  const counts = await page.$$eval(`#${id} tbody tr`, (rs) => rs.map((r) => [...r.cells].map((c) => c.textContent)));
  const groups = sub.rows[0].by_group.map((b) => b.group);
  assert.deepEqual(counts.map((r) => r.slice(1, 2 + groups.length)),
    sub.rows.map((r) => [`${r.n} (${r.events})`, ...groups.map((g) => { const b = r.by_group.find((x) => x.group === g); return `${b.n} (${b.events})`; })]));
}

async function sameInteraction(page, id, sub) {
  const cells = await page.$$eval(`#${id} td[data-field]`, (cs) => cs.map((c) => ({ ...c.dataset })));
  assert.deepEqual(cells.map((c) => [c.column, c.field, num(c.value)]), sub.interaction.flatMap((x) => [[x.column, 'chisq', x.chisq], [x.column, 'p', x.p]]));
}

test('the demo\'s subgroup forest plot, hazard ratios and interaction tests are the CLI Report\'s', { skip: !haveCli && 'CLI not built' }, async () => {
  const { page, log, context } = await openDemo();
  const spec = JSON.parse(readFileSync(join(WWW, 'demo/demo_spec.json'), 'utf8'));
  const expected = cli(spec);
  assert.deepEqual(JSON.parse(await page.evaluate(() => window.survlensDebug.state.json)), expected);
  const sub = expected.subgroups;
  assert.deepEqual(sub.rows.map((r) => r.level).slice(0, 3), ['overall', '≤60', '>60']);
  assert.deepEqual(sub.interaction.map((x) => x.column), ['age', 'sex', 'extrahepatic']);
  await sameRows(page, 'subgroups-table', sub);
  await sameInteraction(page, 'subgroups-interaction-table', sub);
  // The figure: drawn, SVG (with the interaction p of every column) and PNG.
  const dark = await page.$eval('#subgroups-forest-canvas', (c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i + 3] && (d[i] < 200 || d[i + 1] < 200 || d[i + 2] < 200)) n += 1;
    return n;
  });
  assert.ok(dark > 1000, `the forest plot is drawn (${dark} dark pixels)`);
  const [svg] = await Promise.all([page.waitForEvent('download'), page.click('#subgroups-forest-svg')]);
  const text = readFileSync(await svg.path(), 'utf8');
  assert.match(text, /^<svg/);
  for (const w of ['≤60', '&gt;60', 'extrahepatic']) assert.ok(text.includes(w), `${w} in the SVG`);
  const [png] = await Promise.all([page.waitForEvent('download'), page.click('#subgroups-forest-png')]);
  assert.deepEqual([...readFileSync(await png.path()).subarray(1, 4)], [80, 78, 71]);
  // CSVs at full precision.
  const csvOf = async (id) => {
    const [d] = await Promise.all([page.waitForEvent('download'), page.click(id)]);
    return readFileSync(await d.path(), 'utf8').trim().split('\r\n').map((l) => l.split(','));
  };
  const rows = await csvOf('#subgroups-rows-csv');
  const [termAt, hrAt] = [rows[0].indexOf('term'), rows[0].indexOf('hr')];
  assert.deepEqual(rows.slice(1).map((r) => [r[1], r[termAt], r[hrAt] === '' ? null : Number(r[hrAt])]),
    sub.rows.flatMap((r) => (r.terms ?? [null]).map((t) => [r.level, t?.name ?? '', t?.hr ?? null])));
  const inter = await csvOf('#subgroups-interaction-csv');
  assert.deepEqual(inter[0], ['column', 'test', 'chisq', 'df', 'p']);
  assert.deepEqual(inter.slice(1).map((r) => [r[0], r[1], Number(r[2]), Number(r[3]), Number(r[4])]), sub.interaction.map((x) => [x.column, x.test, x.chisq, x.df, x.p]));
  assert.deepEqual(log.errors, []);
  await context.close();
});

test('the confounding step shows the subgroups in the weighted population (adjusted.subgroups) of the CLI Report', { skip: !haveCli && 'CLI not built' }, async () => {
  const { page, log, context } = await openDemo();
  await page.click('#conf-run');
  await page.waitForFunction(() => window.survlensConfounding?.state.report?.adjusted, null, { timeout: 120000 });
  const { spec, json } = await page.evaluate(() => ({ spec: window.survlensConfounding.state.spec, json: window.survlensConfounding.state.json }));
  const expected = cli(spec);
  assert.deepEqual(JSON.parse(json), expected);
  const sub = expected.adjusted.subgroups;
  assert.ok(sub, 'the weighted subgroups ran');
  await sameRows(page, 'conf-subgroups-table', sub);
  await sameInteraction(page, 'conf-subgroups-interaction-table', sub);
  assert.ok(sub.interaction.every((x) => x.test === 'wald_robust'));
  await page.waitForSelector('#conf-subgroups-forest-canvas[data-drawn="1"]');
  assert.deepEqual(log.errors, []);
  await context.close();
});

test('the subgroups card reads in Chinese', async () => {
  const { page, log, context } = await openDemo({ locale: 'zh-CN' });
  const card = await page.innerText('#subgroups-card');
  for (const word of ['亚组分析：谁获益', '各亚组的风险比', '交互作用检验', '似然比', '例数（事件数）', '交互作用 p']) assert.ok(card.includes(word), `${word} not in ${card.slice(0, 400)}`);
  const english = (card.match(/[A-Za-z]{2,}/g) ?? []).filter((w) => !['IM', 'HR', 'RFA', 'TACE', 'CI', 'CSV', 'SVG', 'PNG', 'dpi', 'df', 'age', 'sex', 'extrahepatic', 'treatment', 'Yes', 'No', 'Wald'].includes(w));
  assert.deepEqual(english, [], 'English left in the Chinese card');
  assert.equal(await page.getAttribute('#subgroups-forest-canvas', 'aria-label'), '亚组森林图');
  assert.deepEqual(log.errors, []);
  await context.close();
});
