// Headless-browser tests of issue 9 in the page: the Report (HTML) download opens in
// chromium with every section, the R script and protocol downloads, loading a
// protocol file re-runs it, and an Excel (.xlsx) upload gives the CSV's Report.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, WWW, startServer, launch, probedPage, waitForResult } from './helpers.mjs';

const TMP = mkdtempSync(join(tmpdir(), 'survlens-report-test-'));
let server, browser, close;
before(async () => {
  server = await startServer();
  ({ browser, close } = await launch());
});
after(async () => {
  await close?.();
  server?.stop();
});

async function openPage() {
  const probe = await probedPage(browser);
  await probe.page.goto(server.url);
  await waitForResult(probe.page);
  return probe;
}

async function downloadText(page, selector) {
  const [d] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  return { name: d.suggestedFilename(), text: readFileSync(await d.path(), 'utf8') };
}

const sha256 = (text) => createHash('sha256').update(text).digest('hex');

test('the Report button downloads a self-contained report that opens with every section', async () => {
  const { page, log, context } = await openPage();
  const report = await downloadText(page, '#export-report');
  assert.match(report.name, /report\.html$/);
  const demoBytes = readFileSync(join(WWW, 'demo/gist_liver_mets_demo.csv'));
  assert.ok(report.text.includes(sha256(demoBytes)), 'the data file SHA-256');
  assert.ok(report.text.includes('gist_liver_mets_demo.csv'));
  const path = join(TMP, 'report.html');
  writeFileSync(path, report.text);
  const view = await context.newPage();
  const requests = [];
  view.on('request', (r) => requests.push(r.url()));
  await view.goto(`file://${path}`);
  const ids = await view.evaluate(() => [...document.querySelectorAll('section')].map((s) => s.id));
  for (const id of ['methods', 'results', 'figures', 'tables', 'warnings', 'strobe', 'references', 'provenance', 'spec']) {
    assert.ok(ids.includes(id), `section ${id}`);
  }
  // Every figure of the demo analysis, drawn as inline SVG, numbered in order.
  const figures = await view.evaluate(() => [...document.querySelectorAll('figure')].map((f) => ({
    id: f.id,
    width: f.querySelector('svg')?.getBoundingClientRect().width ?? 0,
    caption: f.querySelector('figcaption')?.textContent ?? '',
  })));
  assert.deepEqual(figures.map((f) => f.id), [
    'figure-km', 'figure-conditional', 'figure-loglog', 'figure-forest', 'figure-subgroups', 'figure-schoenfeld', // the demo asks for conditional survival and subgroups
    'figure-landmark-1', 'figure-landmark-2', 'figure-simon-makuch',
  ]);
  figures.forEach((f, i) => {
    assert.ok(f.width > 300, `${f.id} renders`);
    assert.ok(f.caption.startsWith(`Figure ${i + 1}. `), `${f.id} caption`);
  });
  const tableIds = await view.evaluate(() => [...document.querySelectorAll('table')].map((t) => t.id));
  for (const id of ['groups', 'km', 'at_times', 'logrank', 'pairwise', 'rmst', 'rmst_difference', 'cox', 'cox_tests', 'ph_test',
    'cox_univariable', 'landmark', 'landmark_tests', 'time_dependent_cox', 'simon_makuch', 'immortal_comparison']) {
    assert.ok(tableIds.includes(id), `table ${id}`);
  }
  assert.ok((await view.$$('table')).length >= 6, 'tables');
  assert.match(await view.textContent('#methods'), /Kaplan–Meier method \[1\]/);
  assert.deepEqual(requests.filter((u) => !u.startsWith('file:') && !u.startsWith('data:')), [], 'the report fetches nothing');
  assert.deepEqual(log.errors, []);
  await context.close();
});

test('the R script and the protocol file download; the report names the protocol SHA-256', async () => {
  const { page, context } = await openPage();
  const r = await downloadText(page, '#export-rscript');
  assert.match(r.name, /\.R$/);
  assert.match(r.text, /library\(survival\)/);
  assert.match(r.text, /"gist_liver_mets_demo\.csv"/);
  assert.match(r.text, /survfit\(Surv\(time, status\) ~ `treatment`/);
  const protocol = await downloadText(page, '#save-protocol');
  const spec = JSON.parse(protocol.text);
  assert.equal(spec.group.reference, 'IM');
  assert.equal(spec.km.conf_type, 'log-log');
  const report = await downloadText(page, '#export-report');
  assert.ok(report.text.includes(sha256(protocol.text)), 'the report names the protocol file SHA-256');
  assert.ok(r.text.includes(sha256(protocol.text)), 'so does the R script');
  await context.close();
});

test('loading a protocol file runs it; a broken one shows an error', async () => {
  const { page, context } = await openPage();
  const protocol = JSON.parse((await downloadText(page, '#save-protocol')).text);
  protocol.km.conf_level = 0.9;
  protocol.logrank.adjust = 'bonferroni';
  await page.setInputFiles('#load-protocol', { name: 'site-protocol.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(protocol)) });
  await page.waitForFunction(() => window.survlensDebug.state.report?.km?.conf_level === 0.9, null, { timeout: 30000 });
  assert.equal(await page.inputValue('#conf-level'), '0.9');
  const spec = await page.evaluate(() => window.survlensDebug.state.spec);
  assert.equal(spec.logrank.adjust, 'bonferroni');
  await page.setInputFiles('#load-protocol', { name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from('{"time": {"column": "x"}, "evnt": {}}') });
  await page.waitForFunction(() => !document.getElementById('form-error').hidden, null, { timeout: 10000 });
  assert.match(await page.textContent('#form-error'), /spec/i);
  await context.close();
});

test('an .xlsx copy of the demo gives the same Report as its CSV', async () => {
  const { page, log, context } = await openPage();
  const csvReport = await page.evaluate(() => window.survlensDebug.state.json);
  const specBefore = await page.evaluate(() => window.survlensDebug.state.spec);
  await page.setInputFiles('#file', join(ROOT, 'tests/xlsx/demo.xlsx'));
  // openData sets the name, then starts loading; analyze waits for the load.
  await page.waitForFunction(() => window.survlensDebug.state.dataName === 'demo.xlsx', null, { timeout: 30000 });
  // Run the demo's spec on the workbook, as a site with the protocol would.
  const xlsxReport = await page.evaluate(async (spec) => (await window.survlensDebug.engine.analyze(spec)).json, specBefore);
  assert.equal(JSON.parse(xlsxReport).data.n_rows, 238);
  assert.equal(xlsxReport, csvReport);
  assert.deepEqual(log.errors, []);
  await context.close();
});
