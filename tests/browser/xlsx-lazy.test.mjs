// Excel support loaded lazily (issue 7: the page's first download under 1 MB gzipped).
// The page and its worker start on www/pkg/ (built without Excel import); the first
// workbook makes the worker load www/pkg-xlsx/, which then serves every file, with the
// same results. If pkg-xlsx/ cannot be fetched, a workbook gets an error saying what
// to do and text files still work.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, startServer, launch, probedPage, waitForResult } from './helpers.mjs';

const WORKBOOK = join(ROOT, 'tests/xlsx/demo.xlsx');
const DEMO_CSV = join(ROOT, 'www/demo/gist_liver_mets_demo.csv');
let server, browser, close;
before(async () => {
  server = await startServer();
  ({ browser, close } = await launch());
});
after(async () => {
  await close?.();
  server?.stop();
});

async function openPage(setup) {
  const probe = await probedPage(browser);
  await setup?.(probe.page);
  await probe.page.goto(server.url);
  await waitForResult(probe.page);
  return probe;
}

/** Requests (page and worker) for files of the module in `dir` (pkg or pkg-xlsx). */
const moduleRequests = (log, dir) => log.requests.filter((u) => u.startsWith(`${server.origin}/${dir}/`));

/** Opens `file` in the page and waits until its preview is shown and the page is idle. */
async function open(page, file, name) {
  await page.setInputFiles('#file', file);
  await page.waitForFunction((n) => {
    const s = window.survlensDebug.state;
    return s.dataName === n && (s.preview || !document.getElementById('form-error').hidden) && !document.body.classList.contains('busy');
  }, name, { timeout: 60000 });
}

const analyzeJson = (page, spec) => page.evaluate(async (s) => (await window.survlensDebug.engine.analyze(s)).json, spec);

test('the page fetches only the small module; a workbook loads pkg-xlsx/ once, with the CSV\'s results', async () => {
  const { page, log, context } = await openPage();
  // The demo is analysed and drawn with pkg/ alone (main thread and worker), in its SIMD
  // build (chromium has WebAssembly SIMD: www/lib/wasm_file.js).
  assert.ok(moduleRequests(log, 'pkg').some((u) => u.endsWith('/pkg/survlens_simd_bg.wasm')), JSON.stringify(log.requests));
  assert.deepEqual(moduleRequests(log, 'pkg-xlsx'), []);
  const csvJson = await page.evaluate(() => window.survlensDebug.state.json);
  const spec = await page.evaluate(() => window.survlensDebug.state.spec);
  const csvPreview = await page.evaluate(() => window.survlensDebug.state.preview);
  assert.equal(JSON.parse(csvJson).data.n_rows, 238);

  await open(page, WORKBOOK, 'demo.xlsx');
  const requested = moduleRequests(log, 'pkg-xlsx').map((u) => u.slice(server.origin.length)).sort();
  assert.deepEqual(requested, ['/pkg-xlsx/survlens.js', '/pkg-xlsx/survlens_bg.wasm']);
  // The workbook previews as its CSV does (same columns, same detected types), and the
  // page runs what it guessed from the preview.
  const preview = await page.evaluate(() => window.survlensDebug.state.preview);
  assert.deepEqual(preview.headers, csvPreview.headers);
  assert.deepEqual(preview.columns.map((c) => [c.name, c.kind]), csvPreview.columns.map((c) => [c.name, c.kind]));
  assert.equal(await page.isHidden('#form-error'), true, await page.textContent('#form-error'));
  const workbookGuessed = await page.evaluate(() => window.survlensDebug.state.json);
  assert.notEqual(workbookGuessed, csvJson, 'the page analysed the workbook with the mapping it guessed');
  assert.equal(JSON.parse(workbookGuessed).data.n_rows, 238);
  // The demo's spec on the workbook: the CSV's results document, byte for byte.
  assert.equal(await analyzeJson(page, spec), csvJson);

  // pkg-xlsx/ now serves text files too, with the bytes pkg/ gave (same code, same math);
  // opened in the page, the CSV gives what the workbook gave.
  await open(page, DEMO_CSV, 'gist_liver_mets_demo.csv');
  assert.equal(await page.isHidden('#form-error'), true, await page.textContent('#form-error'));
  assert.equal(await page.evaluate(() => window.survlensDebug.state.json), workbookGuessed);
  assert.equal(await analyzeJson(page, spec), csvJson);
  assert.equal(moduleRequests(log, 'pkg-xlsx').length, 2, 'pkg-xlsx/ is fetched once');
  assert.deepEqual(log.errors, []);
  await context.close();
});

test('the embedding API reads a workbook handed to analyze() as bytes', async () => {
  const { page, log, context } = await openPage();
  const spec = await page.evaluate(() => window.survlensDebug.state.spec);
  const bytes = [...readFileSync(WORKBOOK)];
  const report = await page.evaluate(async ([b, s]) => {
    const api = await import('./survlens.js');
    return api.analyze(new Uint8Array(b), s);
  }, [bytes, spec]);
  assert.equal(report.data.n_rows, 238);
  const csv = JSON.parse(await page.evaluate(() => window.survlensDebug.state.json));
  assert.deepEqual(report.data.excluded, csv.data.excluded);
  assert.deepEqual(report.km, csv.km);
  assert.equal(moduleRequests(log, 'pkg-xlsx').length, 2);
  assert.deepEqual(log.errors, []);
  await context.close();
});

test('when pkg-xlsx/ cannot be fetched, a workbook gets an error saying what to do; CSV files still work', async () => {
  const { page, context } = await openPage((p) => p.context().route(/\/pkg-xlsx\//, (r) => r.abort()));
  await open(page, WORKBOOK, 'demo.xlsx');
  assert.equal(await page.isHidden('#form-error'), false);
  const error = await page.textContent('#form-error');
  assert.match(error, /Excel support could not be loaded/);
  assert.match(error, /CSV/);
  await open(page, DEMO_CSV, 'gist_liver_mets_demo.csv');
  await waitForResult(page);
  const report = await page.evaluate(() => window.survlensDebug.state.report);
  assert.equal(report?.data?.n_rows, 238);
  assert.equal(await page.isHidden('#form-error'), true, await page.textContent('#form-error'));
  await context.close();
});
