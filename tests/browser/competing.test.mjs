// Competing risks on the page (issue 18): a user with a three-valued status column
// (pbc: 0 censored, 1 transplant, 2 death) marks each value as censored, competing event
// or event of interest, sees the counts of each class before anything runs, runs, and
// gets the cumulative incidence figure and tables; every number shown is the CLI's
// Report on the same file and spec; a value left unmarked stops the analysis and takes
// the results off the page; the card reads in Chinese.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, ROOT, browserSession, probedPage, waitForResult } from './helpers.mjs';
import { settled } from './cohort.mjs';

const session = browserSession();
const FILE = join(ROOT, 'tests/guess_corpus/pbc_raw.csv');
const CSV = readFileSync(FILE, 'utf8');
const TMP = mkdtempSync(join(tmpdir(), 'survlens-competing-test-'));
const haveCli = existsSync(CLI);

/** Rows of pbc_raw.csv by status, counted from the file itself. */
const STATUS = (() => {
  const lines = CSV.trim().split('\n');
  const col = lines[0].split(',').indexOf('status');
  const n = {};
  for (const l of lines.slice(1)) { const v = l.split(',')[col]; n[v] = (n[v] ?? 0) + 1; }
  return n;
})();

function cli(spec) {
  const path = join(TMP, 'spec.json');
  writeFileSync(path, JSON.stringify(spec));
  return JSON.parse(execFileSync(CLI, ['analyze', FILE, '--spec', path], { encoding: 'utf8' }));
}

/** The page with pbc_raw.csv opened, mapped by hand (time, status, trt), not yet marked. */
async function openPbc(opts = {}) {
  const probe = await probedPage(session.browser, opts);
  const { page } = probe;
  await page.goto(session.server.url);
  await waitForResult(page); // the demo
  await page.setInputFiles('#file', { name: 'pbc_raw.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) });
  await page.waitForFunction(() => window.survlensDebug.state.dataName === 'pbc_raw.csv' && window.survlensDebug.state.preview, null, { timeout: 30000 });
  await settled(page);
  await page.check('input[name="time-mode"][value="duration"]');
  await page.selectOption('#time-column', 'time');
  await page.selectOption('#time-unit', 'days');
  await page.selectOption('#event-column', 'status');
  await page.selectOption('#group-column', 'trt');
  await page.selectOption('#group-reference', '1');
  return probe;
}

/** Marks the three values and confirms the columns; waits for the competing-risks results. */
async function markPbc(page) {
  for (const [value, kind] of [['2', 'event'], ['1', 'competing'], ['0', 'censored']]) {
    await page.selectOption(`#event-values-list select[data-value="${value}"]`, kind);
  }
  if (await page.isVisible('#confirm-mapping')) await page.click('#confirm-mapping');
  await page.waitForFunction(() => window.survlensDebug.state.report?.competing_risks && !document.body.classList.contains('busy'), null, { timeout: 60000 });
  await settled(page);
}

const num = (v) => (v === 'null' || v === undefined ? null : Number(v));

test('three classes marked: counts before the run, the spec carries all three lists and competing_risks', async () => {
  const { page, log, context } = await openPbc();
  const selects = await page.$$eval('#event-values-list select', (s) => s.map((x) => [x.dataset.value, [...x.options].map((o) => o.value)]));
  assert.deepEqual(selects.map(([v]) => v).sort(), ['0', '1', '2']);
  for (const [, options] of selects) assert.deepEqual(options, ['', 'event', 'competing', 'censored']);
  // The counts of each class, as marked, before any analysis of this coding. By keyboard:
  // Tab reaches each select, the arrow keys choose (— choose —, event, competing, censored).
  for (const [value, presses] of [['2', 1], ['1', 2], ['0', 3]]) {
    await page.focus(`#event-values-list select[data-value="${value}"]`);
    for (let i = 0; i < presses; i += 1) await page.keyboard.press('ArrowDown');
  }
  assert.deepEqual(await page.$$eval('#event-values-list select', (s) => s.map((x) => [x.dataset.value, x.value]).sort()),
    [['0', 'censored'], ['1', 'competing'], ['2', 'event']]);
  const classes = await page.$eval('#event-classes', (e) => ({ ...e.dataset, hidden: e.hidden, text: e.textContent }));
  assert.equal(classes.hidden, false);
  assert.deepEqual([classes.event, classes.competing, classes.censored].map(Number), [STATUS['2'], STATUS['1'], STATUS['0']]);
  assert.match(classes.text, new RegExp(`Events of interest: ${STATUS['2']} · Competing events: ${STATUS['1']} · Censored: ${STATUS['0']}`));
  // The competing-risks option shows once a value is competing; on by default.
  await page.click('#analysis-options summary');
  assert.equal(await page.isVisible('#competing-risks'), true);
  assert.equal(await page.isChecked('#competing-risks'), true);
  if (await page.isVisible('#confirm-mapping')) await page.click('#confirm-mapping');
  await page.waitForFunction(() => window.survlensDebug.state.report?.competing_risks && !document.body.classList.contains('busy'), null, { timeout: 60000 });
  const spec = await page.evaluate(() => window.survlensDebug.state.spec);
  assert.deepEqual(spec.event, { column: 'status', values: ['2'], competing_values: ['1'], censored_values: ['0'] });
  assert.deepEqual(spec.competing_risks, { times: spec.km.times });
  // Off: no section asked for (the KM stays cause-specific).
  await page.uncheck('#competing-risks');
  await settled(page);
  const off = await page.evaluate(() => window.survlensDebug.state);
  assert.equal(off.spec.competing_risks, undefined);
  assert.equal(off.report.competing_risks ?? null, null);
  assert.equal(await page.isHidden('#competing-card'), true);
  assert.deepEqual(log.errors, []);
  await context.close();
});

test('the card shows the CLI Report\'s cumulative incidence, Gray, Fine–Gray and cause-specific numbers', { skip: !haveCli && 'CLI not built' }, async () => {
  const { page, log, context } = await openPbc();
  await page.click('#analysis-options summary');
  await page.fill('#times', '1000, 2000, 3000');
  await page.click('details:has(#covariate-list) > summary');
  await page.check('#covariate-list input[value="age"]');
  await markPbc(page);
  const { spec, json } = await page.evaluate(() => ({ spec: window.survlensDebug.state.spec, json: window.survlensDebug.state.json }));
  assert.deepEqual(spec.competing_risks.times, [1000, 2000, 3000]);
  const report = JSON.parse(json);
  const expected = cli(spec);
  assert.deepEqual(report, expected, 'the page\'s Report is the CLI\'s');
  const cr = expected.competing_risks;
  assert.ok(cr.cif.length === 4 && cr.gray && cr.fine_gray && cr.cause_specific, 'every part of the section');
  assert.equal(await page.isVisible('#competing-card'), true);

  // Cumulative incidence at the times: every group, cause and time.
  const cif = await page.$$eval('#cif-table td[data-field="cif"]', (cs) => cs.map((c) => ({ ...c.dataset })));
  const want = cr.cif.flatMap((c) => c.at_times.map((a) => ({ group: c.group, cause: c.cause, time: a.time, value: a.estimate, lower: a.lower, upper: a.upper })));
  assert.equal(cif.length, want.length);
  cif.forEach((c, i) => {
    const w = want[i];
    assert.deepEqual([c.group, c.cause, Number(c.time)], [w.group, w.cause, w.time]);
    assert.deepEqual([num(c.value), num(c.lower), num(c.upper)], [w.value, w.lower, w.upper], `${w.group} ${w.cause} at ${w.time}`);
  });
  // What a reader sees is the core's formatter of those numbers (lib/format.js).
  const printed = await page.evaluate(async () => {
    const f = await import(new URL('lib/format.js', location.href).href);
    return [...document.querySelectorAll('#cif-table td[data-field="cif"]')].map((c) => [c.firstChild.textContent,
      f.pct(Number(c.dataset.value)), c.querySelector('.ci')?.textContent,
      c.dataset.lower === 'null' || c.dataset.upper === 'null' ? 'CI not estimable' : `(${f.interval(f.pct(Number(c.dataset.lower)), f.pct(Number(c.dataset.upper)))})`]);
  });
  for (const [shown, value, shownCi, ci] of printed) assert.deepEqual([shown, shownCi], [value, ci]);
  const fgShown = await page.$$eval('#fine-gray-table td[data-field="hr"]', (cs) => cs.map((c) => c.firstChild.textContent));
  const fgWant = await page.evaluate(async (ts) => {
    const f = await import(new URL('lib/format.js', location.href).href);
    return ts.map((t) => f.hr(t.hr));
  }, cr.fine_gray.terms);
  assert.deepEqual(fgShown, fgWant);
  // Gray's test per cause.
  const gray = await page.$$eval('#gray-table td[data-field]', (cs) => cs.map((c) => ({ ...c.dataset })));
  assert.deepEqual(gray.map((c) => [c.cause, c.field, num(c.value)]), cr.gray.flatMap((g) => [[g.cause, 'chisq', g.chisq], [g.cause, 'p', g.p]]));
  // Fine–Gray: sHR, its limits, p of every term.
  const fg = await page.$$eval('#fine-gray-table td[data-field]', (cs) => cs.map((c) => ({ ...c.dataset })));
  assert.deepEqual(fg.map((c) => [c.term, c.field, num(c.value), num(c.lower), num(c.upper)]),
    cr.fine_gray.terms.flatMap((t) => [[t.name, 'hr', t.hr, t.lower, t.upper], [t.name, 'p', t.p, null, null]]));
  // Cause-specific models of both causes.
  const cs = await page.$$eval('#cause-specific-table td[data-field="hr"]', (x) => x.map((c) => ({ ...c.dataset })));
  const wantCs = cr.cause_specific.flatMap((m) => m.terms.map((t) => [m.cause, t.name, t.hr]));
  assert.deepEqual(cs.map((c) => [c.model, c.term, num(c.value)]).sort(), wantCs.sort());
  // Beside the KM figure: 1 − KM is not the incidence.
  assert.equal(await page.isVisible('#km-warnings li[data-code="km_with_competing_risks"]'), true);
  // The core's cumulative incidence figure is drawn, and downloads as SVG and PNG.
  await page.waitForSelector('#cif-canvas[data-drawn="1"]');
  const inked = () => page.$eval('#cif-canvas', (c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i + 3] && (d[i] < 200 || d[i + 1] < 200 || d[i + 2] < 200)) n += 1;
    return n;
  });
  const before = await inked();
  assert.ok(before > 1000, `the figure is drawn (${before} dark pixels)`);
  const svgOf = async () => {
    const [svg] = await Promise.all([page.waitForEvent('download'), page.click('#cif-svg')]);
    return readFileSync(await svg.path(), 'utf8');
  };
  const plain = await svgOf();
  assert.match(plain, /^<svg/);
  assert.match(plain, /Cumulative incidence \(%\)/);
  assert.doesNotMatch(plain, /1 − Kaplan–Meier/);
  const [png] = await Promise.all([page.waitForEvent('download'), page.click('#cif-png')]);
  assert.deepEqual([...readFileSync(await png.path()).subarray(1, 4)], [80, 78, 71]);
  // The 1 − Kaplan–Meier overlay: the figure's own option, drawn on the canvas and in the SVG.
  await page.check('#cif-overlay');
  const overlaid = await inked(); // redrawn in the checkbox's change handler
  assert.ok(overlaid > before, `the overlay adds its curves (${overlaid} vs ${before} dark pixels)`);
  assert.match(await svgOf(), /1 − Kaplan–Meier \(event of interest\)/);
  await page.uncheck('#cif-overlay');
  assert.doesNotMatch(await svgOf(), /1 − Kaplan–Meier/);
  // The CSV exports carry the Report's numbers at full precision.
  const [d] = await Promise.all([page.waitForEvent('download'), page.click('#cif-times-csv')]);
  const rows = readFileSync(await d.path(), 'utf8').trim().split('\r\n').map((l) => l.split(','));
  assert.deepEqual(rows[0].slice(0, 6), ['group', 'cause', 'cif_1000', 'cif_1000_se', 'cif_1000_lower', 'cif_1000_upper']);
  assert.equal(Number(rows[1][2]), cr.cif[0].at_times[0].estimate);
  const [g] = await Promise.all([page.waitForEvent('download'), page.click('#gray-csv')]);
  assert.equal(Number(readFileSync(await g.path(), 'utf8').split('\r\n')[1].split(',')[3]), cr.gray[0].p);
  for (const id of ['#fine-gray-csv', '#cause-specific-csv']) {
    const [x] = await Promise.all([page.waitForEvent('download'), page.click(id)]);
    assert.match(readFileSync(await x.path(), 'utf8'), /^(cause,)?term,coef,se,hr,lower,upper,z,p\r\n/);
  }
  assert.deepEqual(log.errors, []);
  await context.close();
});

test('a value left unmarked stops the analysis with a message and takes the results off the page', async () => {
  const { page, context } = await openPbc();
  // One value marked, the others not: "Confirm columns" does not run the analysis.
  for (const v of ['0', '1', '2']) await page.selectOption(`#event-values-list select[data-value="${v}"]`, v === '2' ? 'event' : '');
  if (await page.isVisible('#confirm-mapping')) await page.click('#confirm-mapping');
  await settled(page);
  assert.equal(await page.evaluate(() => window.survlensDebug.state.report), null);
  assert.match(await page.textContent('#form-error-message'), /The values "[01]", "[01]" of status are not marked: set each to event of interest, competing event or censored/);
  await markPbc(page);
  await page.selectOption('#event-values-list select[data-value="1"]', '');
  await settled(page);
  assert.equal(await page.isVisible('#form-error'), true);
  assert.equal(await page.textContent('#form-error-kind'), 'event_value_not_marked');
  assert.match(await page.textContent('#form-error-message'), /The value "1" of status is not marked/);
  assert.equal(await page.getAttribute('#event-values', 'aria-invalid'), 'true');
  for (const id of ['#competing-card', '#figure-card', '#summary-card']) assert.equal(await page.isHidden(id), true, `${id} outlived its coding`);
  assert.equal(await page.evaluate(() => window.survlensDebug.state.report), null);
  // Marked again: it runs.
  await page.selectOption('#event-values-list select[data-value="1"]', 'competing');
  await page.waitForFunction(() => window.survlensDebug.state.report?.competing_risks && !document.body.classList.contains('busy'), null, { timeout: 60000 });
  assert.equal(await page.isHidden('#form-error'), true);
  await context.close();
});

test('the coding step and the card read in Chinese', async () => {
  const { page, log, context } = await openPbc({ locale: 'zh-CN' });
  const options = await page.$$eval('#event-values-list select[data-value="1"] option', (o) => o.map((x) => x.textContent));
  assert.deepEqual(options, ['— 请选择 —', '关注事件', '竞争事件', '删失']);
  await markPbc(page);
  assert.match(await page.textContent('#event-classes'), /^关注事件：\d+ 行 · 竞争事件：\d+ 行 · 删失：\d+ 行$/);
  const card = await page.innerText('#competing-card');
  for (const word of ['竞争风险：累积发生率', 'Gray 检验', 'Fine–Gray 部分分布风险模型', '病因别 Cox 模型', '关注事件']) assert.ok(card.includes(word), `${word} not in ${card.slice(0, 300)}`);
  const english = (card.match(/[A-Za-z]{2,}/g) ?? []).filter((w) => !['Gray', 'Fine', 'Cox', 'HR', 'CI', 'sHR', 'CSV', 'SVG', 'PNG', 'dpi', 'df', 'Aalen', 'Johansen', 'Kaplan', 'Meier', 'trt', 'age'].includes(w));
  assert.deepEqual(english, [], 'English left in the Chinese card');
  assert.match(await page.textContent('#data-line'), /例关注事件，\d+ 例竞争事件/);
  // The figure's own words, and the note beside the KM figure, in Chinese.
  const [svg] = await Promise.all([page.waitForEvent('download'), page.click('#cif-svg')]);
  const svgText = readFileSync(await svg.path(), 'utf8');
  assert.match(svgText, /累积发生率（%）/);
  assert.match(svgText, /Gray 检验/);
  assert.match(await page.innerText('label[for="cif-overlay"]'), /叠加 1 − Kaplan–Meier 作对比/);
  const kmNote = await page.innerText('#km-warnings li[data-code="km_with_competing_risks"]');
  assert.match(kmNote, /竞争事件（\d+ 例）视为删失.*累积发生率/);
  // Every button of the card is named in Chinese (a screen reader's "CSV, CSV, CSV" otherwise).
  const names = await page.$$eval('#competing-card button, #competing-card canvas', (b) => b.map((x) => x.getAttribute('aria-label')));
  assert.ok(names.length >= 7);
  for (const n of names) assert.match(n, /[\u4e00-\u9fff]/, n);
  // A value left unmarked: the message in Chinese, Run blocked.
  await page.selectOption('#event-values-list select[data-value="1"]', '');
  await settled(page);
  assert.equal(await page.evaluate(() => window.survlensDebug.state.report), null);
  assert.equal(await page.innerText('#form-error-message'), 'status 的取值 "1" 尚未标记：请将其设为关注事件、竞争事件或删失，随后即开始分析。');
  assert.match(await page.textContent('#event-classes'), /未标记：\d+ 行$/);
  assert.deepEqual(log.errors, []);
  await context.close();
});

test('a changed coding or a new file takes the competing-risks results off the page', async () => {
  const { page, log, context } = await openPbc();
  await markPbc(page);
  assert.equal(await page.isVisible('#competing-card'), true);
  const three = await page.evaluate(() => window.survlensDebug.state.report.data);
  // "1" (transplant) now censored: the results of the three-class coding go at once ...
  await page.selectOption('#event-values-list select[data-value="1"]', 'censored');
  const gone = await page.evaluate(() => ({ report: window.survlensDebug.state.report, card: document.getElementById('competing-card').hidden, km: document.getElementById('km-warnings').hidden }));
  assert.deepEqual(gone, { report: null, card: true, km: true });
  // ... and the two-class analysis that follows has no competing section.
  await page.waitForFunction(() => window.survlensDebug.state.report && !document.body.classList.contains('busy'), null, { timeout: 60000 });
  await settled(page);
  const two = await page.evaluate(() => window.survlensDebug.state);
  assert.deepEqual(two.spec.event, { column: 'status', values: ['2'], censored_values: ['0', '1'] });
  assert.equal(two.spec.competing_risks, undefined);
  assert.equal(two.report.competing_risks ?? null, null);
  assert.deepEqual([two.report.data.n_used, two.report.data.n_events, two.report.data.n_competing ?? 0], [three.n_used, three.n_events, 0]);
  assert.equal(await page.isHidden('#competing-card'), true);
  assert.equal(await page.isHidden('#competing-field'), true);
  // Competing again, then another file: nothing of pbc's competing risks stays.
  await page.selectOption('#event-values-list select[data-value="1"]', 'competing');
  await page.waitForFunction(() => window.survlensDebug.state.report?.competing_risks && !document.body.classList.contains('busy'), null, { timeout: 60000 });
  const demo = readFileSync(join(ROOT, 'www/demo/gist_liver_mets_demo.csv'));
  await page.setInputFiles('#file', { name: 'demo.csv', mimeType: 'text/csv', buffer: demo });
  await page.waitForFunction(() => window.survlensDebug.state.dataName === 'demo.csv', null, { timeout: 30000 });
  await settled(page);
  const after = await page.evaluate(() => ({
    cr: window.survlensDebug.state.report?.competing_risks ?? null,
    card: document.getElementById('competing-card').hidden,
    cardText: document.getElementById('competing-card').textContent,
    km: document.getElementById('km-warnings').hidden,
  }));
  assert.deepEqual(after, { cr: null, card: true, cardText: '', km: true });
  assert.deepEqual(log.errors, []);
  await context.close();
});

test('propensity weighting: the weighted cumulative incidence is the CLI Report\'s adjusted.cif', { skip: !haveCli && 'CLI not built' }, async () => {
  const { page, log, context } = await openPbc({ viewport: { width: 1280, height: 900 } });
  await page.click('#analysis-options summary');
  await page.fill('#times', '1000, 2000');
  await page.click('details:has(#covariate-list) > summary');
  await page.check('#covariate-list input[value="age"]');
  await markPbc(page);
  await page.click('#conf-run');
  await page.waitForFunction(() => window.survlensConfounding?.state.report?.adjusted?.cif, null, { timeout: 120000 });
  const { spec, json } = await page.evaluate(() => ({ spec: window.survlensConfounding.state.spec, json: window.survlensConfounding.state.json }));
  assert.deepEqual(spec.propensity.covariates, ['age']);
  assert.deepEqual(spec.event.competing_values, ['1']);
  const expected = cli(spec);
  assert.deepEqual(JSON.parse(json), expected, 'the page\'s Report is the CLI\'s');
  const curves = expected.adjusted.cif;
  assert.equal(curves.length, 4);
  const shown = await page.$$eval('#conf-cif-table td[data-field="cif"]', (cs) => cs.map((c) => ({ ...c.dataset })));
  const want = curves.flatMap((c) => c.at_times.map((a) => [c.group, c.cause, a.time, a.estimate, a.lower, a.upper]));
  assert.deepEqual(shown.map((c) => [c.group, c.cause, Number(c.time), num(c.value), num(c.lower), num(c.upper)]), want);
  // The core's weighted figure: drawn, and its SVG is the weighted (IPTW) one.
  await page.waitForSelector('#conf-cif-canvas[data-drawn="1"]');
  const [svg] = await Promise.all([page.waitForEvent('download'), page.click('#conf-cif-svg')]);
  assert.match(readFileSync(await svg.path(), 'utf8'), /Weighted cumulative incidence \(IPTW\)/);
  const [d] = await Promise.all([page.waitForEvent('download'), page.click('#conf-cif-csv')]);
  const rows = readFileSync(await d.path(), 'utf8').trim().split('\r\n').map((l) => l.split(','));
  assert.deepEqual(rows[0].slice(0, 3), ['group', 'cause', 'cif_1000']);
  assert.deepEqual(rows.slice(1).map((r) => Number(r[2])), curves.map((c) => c.at_times[0].estimate));
  assert.deepEqual(log.errors, []);
  await context.close();
});
