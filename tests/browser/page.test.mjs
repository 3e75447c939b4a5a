// Headless-browser tests of the page (issue 3): chromium via playwright-core,
// run by `node --test tests/browser/` after scripts/build-web (scripts/test-web).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync, symlinkSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, ROOT, WWW, startServer, launch, probedPage, waitForResult, confirmColumns } from './helpers.mjs';

const haveCli = existsSync(CLI);
const TMP = mkdtempSync(join(tmpdir(), 'survlens-web-test-'));
let server, browser, close;

before(async () => {
  server = await startServer();
  ({ browser, close } = await launch());
});
after(async () => {
  await close?.();
  server?.stop();
});

function cli(csvPath, spec) {
  const specPath = join(TMP, `spec-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(specPath, JSON.stringify(spec));
  return JSON.parse(execFileSync(CLI, ['analyze', csvPath, '--spec', specPath], { encoding: 'utf8' }));
}

/** A small deterministic cohort; `labels` are the arms' names. */
function cohortCsv(labels = ['Standard', 'New drug']) {
  const rows = ['follow_up_months,death,arm,age'];
  for (let i = 0; i < 90; i++) {
    const t = (((i * 37) % 113) / 2 + 1 + (i % 3 === 0 ? 15 : 0)).toFixed(1);
    rows.push(`${t},${i % 4 === 0 ? 0 : 1},${labels[i % labels.length]},${40 + (i % 30)}`);
  }
  return rows.join('\n') + '\n';
}

async function openPage() {
  const probe = await probedPage(browser);
  await probe.page.goto(server.url);
  await waitForResult(probe.page);
  return probe;
}

async function upload(page, name, text) {
  await page.setInputFiles('#file', { name, mimeType: 'text/csv', buffer: Buffer.from(text) });
}

/** Waits for the analysis started after the last action to settle. */
async function settled(page) {
  await page.waitForTimeout(400);
  await page.waitForFunction(() => !document.body.classList.contains('busy'), null, { timeout: 30000 });
}

test('the demo opens analysed, with the synthetic banner, no console error, no CSP violation, only same-origin requests', async () => {
  const { page, log, context } = await openPage();
  assert.equal(await page.isVisible('#demo-banner'), true);
  assert.match(await page.textContent('#demo-banner'), /synthetic/i);
  assert.ok(await page.evaluate(() => Number(document.body.dataset.figureAt) > 0), 'figure drawn');
  assert.equal(await page.isHidden('#form-error'), true);
  assert.ok((await page.$$('#summary-table tbody tr')).length >= 2);
  assert.deepEqual(log.errors, []);
  assert.deepEqual(log.csp, []);
  assert.deepEqual(await page.evaluate(() => window.__csp), []);
  for (const url of log.requests) assert.ok(url.startsWith(server.origin) || url.startsWith('blob:') || url.startsWith('data:'), url);
  assert.match(await page.textContent('#privacy'), /never uploaded/);
  await context.close();
});

test('the demo shows the medians and log-rank p of `survlens analyze` on the demo', { skip: !haveCli && 'CLI not built' }, async () => {
  const { page, context } = await openPage();
  const spec = JSON.parse(readFileSync(join(WWW, 'demo/demo_spec.json'), 'utf8'));
  const expected = cli(join(WWW, 'demo/gist_liver_mets_demo.csv'), spec);
  const shown = await page.evaluate(() => ({
    medians: [...document.querySelectorAll('[data-field="median"]')].map((c) => [c.dataset.group, c.dataset.value]),
    p: document.getElementById('logrank-p').dataset.value,
    report: JSON.parse(window.survlensDebug.state.json),
  }));
  for (const [group, value] of shown.medians) {
    const curve = expected.km.curves.find((c) => c.group === group);
    assert.equal(value === 'null' ? null : Number(value), curve.median.estimate, group);
  }
  assert.equal(shown.medians.length, expected.km.curves.length);
  assert.equal(Number(shown.p), expected.logrank.p);
  assert.deepEqual(shown.report, expected, 'the whole Report equals the CLI one');
  // The exported JSON is the CLI's output, byte for byte.
  const [d] = await Promise.all([page.waitForEvent('download'), page.click('#export-json')]);
  const specPath = join(TMP, 'demo-spec.json');
  writeFileSync(specPath, JSON.stringify(spec));
  const stdout = execFileSync(CLI, ['analyze', join(WWW, 'demo/gist_liver_mets_demo.csv'), '--spec', specPath], { encoding: 'utf8' });
  assert.ok(readFileSync(await d.path(), 'utf8') === stdout, 'exported JSON differs from the CLI output');
  await context.close();
});

test('a CSV uploaded and mapped in the form gives the same Report as the CLI', async () => {
  const { page, log, context } = await openPage();
  const csv = cohortCsv();
  await upload(page, 'cohort.csv', csv);
  await page.waitForSelector('#preview-card:not([hidden])');
  await settled(page);
  await confirmColumns(page);
  assert.equal(await page.isHidden('#demo-banner'), true);
  const kinds = await page.$$eval('#preview-table thead .chip', (c) => c.map((x) => x.textContent));
  assert.deepEqual(kinds, ['number', 'number', 'text', 'number']);
  await page.check('input[name="time-mode"][value="duration"]');
  await page.selectOption('#time-column', 'follow_up_months');
  await page.selectOption('#event-column', 'death');
  await page.selectOption('#event-values-list select[data-value="1"]', 'event');
  await page.selectOption('#event-values-list select[data-value="0"]', 'censored');
  await page.selectOption('#group-column', 'arm');
  await page.selectOption('#group-reference', 'Standard');
  await page.click('#analysis-options summary');
  await page.fill('#times', '12, 24');
  await settled(page);
  assert.equal(await page.isHidden('#form-error'), true, await page.textContent('#form-error'));
  const { spec, json } = await page.evaluate(() => ({ spec: window.survlensDebug.state.spec, json: window.survlensDebug.state.json }));
  assert.deepEqual(spec.time, { column: 'follow_up_months' });
  assert.deepEqual(spec.event, { column: 'death', values: ['1'], censored_values: ['0'] });
  assert.equal(spec.group.column, 'arm');
  assert.equal(spec.group.reference, 'Standard');
  assert.deepEqual(spec.km.times, [12, 24]);
  const report = JSON.parse(json);
  assert.deepEqual(report.groups.map((g) => g.label), ['Standard', 'New drug']);
  if (haveCli) {
    const path = join(TMP, 'cohort.csv');
    writeFileSync(path, csv);
    assert.deepEqual(report, cli(path, spec));
  }
  assert.deepEqual(log.errors, []);
  await context.close();
});

test('a group label that is HTML shows as text and runs nothing', async () => {
  const { page, log, context } = await openPage();
  const evil = '<img src=x onerror=alert(1)>';
  await page.evaluate(() => { window.__pwned = false; });
  await upload(page, 'evil.csv', cohortCsv([evil, '=SUM(A1)']));
  await settled(page);
  await confirmColumns(page);
  await page.selectOption('#group-column', 'arm');
  await settled(page);
  const labels = await page.$$eval('#summary-table tbody th', (th) => th.map((x) => x.textContent));
  assert.ok(labels.includes(evil), JSON.stringify(labels));
  assert.equal(await page.$$eval('img', (i) => i.length), 0);
  assert.deepEqual(log.dialogs, []);
  assert.ok(!log.requests.some((u) => u.endsWith('/x')), 'no request for the img');
  // The table exports neutralise formulas.
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-export="summary"]')]);
  const text = readFileSync(await download.path(), 'utf8');
  assert.match(text, /^group,n,events,median/);
  assert.ok(text.includes("'=SUM(A1)"), text);
  await context.close();
});

test('a malformed file shows its error, with the line, beside the form', async () => {
  const { page, context } = await openPage();
  await upload(page, 'broken.csv', 'time,status,arm\n5,1,A\n7,0,B,extra,cells\n9,1,A\n');
  await page.waitForSelector('#form-error:not([hidden])');
  const msg = await page.textContent('#form-error-message');
  assert.match(msg, /line 3/);
  assert.ok((await page.textContent('#form-error-kind')).length > 0);
  // A mapping the data cannot satisfy is reported the same way.
  await upload(page, 'dates.csv', 'time,status\n5,1\n7,maybe\n9,0\n');
  await page.waitForTimeout(300);
  await settled(page);
  await page.selectOption('#time-column', 'time');
  await page.selectOption('#event-column', 'status');
  await confirmColumns(page);
  await settled(page);
  assert.equal(await page.isVisible('#form-error'), true);
  assert.match(await page.textContent('#form-error-message'), /maybe/);
  await context.close();
});

test('SVG, PNG (300 dpi), CSV and JSON exports produce files', async () => {
  const { page, context } = await openPage();
  const get = async (selector) => {
    const [d] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
    return { name: d.suggestedFilename(), bytes: readFileSync(await d.path()) };
  };
  const svg = await get('#export-svg');
  assert.match(svg.name, /\.svg$/);
  assert.match(svg.bytes.toString('utf8'), /^<svg[^>]*width="720"/);
  assert.match(svg.bytes.toString('utf8'), /Number at risk/);
  const png = await get('#export-png');
  assert.deepEqual([...png.bytes.subarray(1, 4)], [80, 78, 71]);
  assert.equal(png.bytes.readUInt32BE(16), 2100, 'width: 7 in at 300 dpi');
  const phys = png.bytes.indexOf(Buffer.from('pHYs'));
  assert.ok(phys > 0);
  assert.equal(png.bytes.readUInt32BE(phys + 4), 11811, '300 dpi in pixels per metre');
  for (const name of ['summary', 'logrank', 'pairwise', 'rmst']) {
    const csv = await get(`[data-export="${name}"]`);
    assert.match(csv.name, /\.csv$/);
    assert.ok(csv.bytes.toString('utf8').split('\r\n').length > 2, name);
  }
  const json = await get('#export-json');
  assert.equal(JSON.parse(json.bytes.toString('utf8')).version, 1);
  await context.close();
});

test('the worker survives a forced crash and the page keeps working', async () => {
  const { page, context } = await openPage();
  const err = await page.evaluate(() => window.survlensDebug.crash('panic').then(() => null, (e) => ({ kind: e.kind, message: e.message })));
  assert.equal(err.kind, 'internal');
  assert.match(err.message, /deliberate panic/);
  await page.click('#analysis-options summary');
  await page.selectOption('#conf-type', 'plain');
  await settled(page);
  assert.equal(await page.isHidden('#form-error'), true);
  assert.equal(await page.evaluate(() => window.survlensDebug.state.report.km.conf_type), 'plain');
  const err2 = await page.evaluate(() => window.survlensDebug.crash('throw').then(() => null, (e) => e.kind));
  assert.equal(err2, 'worker_crashed');
  await page.selectOption('#conf-type', 'log');
  await settled(page);
  assert.equal(await page.evaluate(() => window.survlensDebug.state.report.km.conf_type), 'log');
  // Cancel terminates the worker; the next run reloads the file into a fresh one.
  const cancelled = await page.evaluate(() => {
    const { engine, state } = window.survlensDebug;
    const running = engine.analyze(state.spec).then(() => 'finished', (e) => e.kind);
    engine.cancel();
    return running;
  });
  assert.equal(cancelled, 'cancelled');
  await page.selectOption('#conf-type', 'log-log');
  await settled(page);
  assert.equal(await page.evaluate(() => window.survlensDebug.state.report.km.conf_type), 'log-log');
  assert.equal(await page.isHidden('#form-error'), true);
  await context.close();
});

test('the embedding API: analyze rejects with a kind, drawKaplanMeier draws, figures by the core\'s registry', async () => {
  const { page, context } = await openPage();
  const out = await page.evaluate(async () => {
    const api = await import('./survlens.js');
    const csv = 'time,status\n5,1\n8,0\n12,1\n';
    const report = await api.analyze(csv, { time: { column: 'time' }, event: { column: 'status' }, km: {} });
    let bad = null;
    try { await api.analyze(csv, { time: { column: 'nope' }, event: { column: 'status' }, km: {} }); } catch (e) { bad = { kind: e.kind, isError: e instanceof Error, message: e.message }; }
    const canvas = document.createElement('canvas');
    const size = api.drawKaplanMeier(canvas, report, { width: 500 });
    // The core's figure registry: names in order, and every call by name.
    const kindOf = (f) => { try { f(); return null; } catch (e) { return e.kind; } };
    const figures = {
      names: api.figures().map((f) => f.name),
      sections: api.figures().find((f) => f.name === 'km').sections,
      byName: api.drawFigure('km', document.createElement('canvas'), report, { width: 500 }),
      sameSvg: api.figureSvg('km', report) === api.kaplanMeierSvg(report),
      noCox: kindOf(() => api.figureSvg('forest', report)),
      noCif: [kindOf(() => api.figureSvg('cif', report)), kindOf(() => api.figureSvg('cif_adjusted', report))],
      unknown: kindOf(() => api.figureSvg('pie', report)),
    };
    return { version: api.version, n: report.data.n_used, bad, size, w: canvas.width, figures };
  });
  assert.deepEqual(out.figures.names, ['km', 'cif', 'cif_adjusted', 'conditional', 'forest', 'periods', 'subgroups', 'subgroups_adjusted', 'schoenfeld', 'loglog', 'love', 'overlap', 'imputation_diagnostics', 'matching_balance', 'matching_scores', 'matching_km', 'emulation_curves', 'emulation_flow']);
  assert.deepEqual(out.figures.sections, ['km', 'logrank']);
  assert.deepEqual(out.figures.byName, out.size);
  assert.equal(out.figures.sameSvg, true);
  assert.equal(out.figures.noCox, 'no_cox');
  assert.deepEqual(out.figures.noCif, ['no_competing_risks', 'no_adjusted_cif']);
  assert.equal(out.figures.unknown, 'invalid_options');
  assert.match(out.version, /^\d+\.\d+\.\d+/);
  assert.equal(out.n, 3);
  assert.equal(out.bad.kind, 'unknown_column');
  assert.equal(out.bad.isError, true);
  assert.match(out.bad.message, /nope/);
  assert.equal(out.size.width, 500);
  await context.close();
});

test('works under a sub-path, inside an iframe', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'survlens-subpath-'));
  mkdirSync(join(dir, 'intranet', 'tools'), { recursive: true });
  symlinkSync(WWW, join(dir, 'intranet', 'tools', 'survlens'));
  writeFileSync(join(dir, 'intranet', 'host.html'), '<!doctype html><title>host</title><link rel="icon" href="data:,"><iframe src="tools/survlens/index.html" width="1200" height="900"></iframe>');
  const sub = await startServer(dir);
  try {
    const { page, log, context } = await probedPage(browser);
    await page.goto(`${sub.url}intranet/host.html`);
    const frame = page.frames().find((f) => f.url().includes('/tools/survlens/'));
    assert.ok(frame);
    await waitForResult(frame);
    assert.ok(await frame.evaluate(() => Number(document.body.dataset.figureAt) > 0));
    assert.deepEqual(log.errors, []);
    await context.close();
  } finally {
    sub.stop();
  }
});
