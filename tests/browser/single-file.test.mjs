// The offline single file (scripts/build-single → dist/survlens.html) from file://:
// the demo is analysed, CSV and .xlsx uploads work, the report downloads, and nothing is
// requested from anywhere.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, launch, probedPage, waitForResult, confirmColumns } from './helpers.mjs';

const FILE = join(ROOT, 'dist/survlens.html');
let browser, close;
before(async () => { ({ browser, close } = await launch()); });
after(async () => { await close?.(); });

test('dist/survlens.html runs from file://: demo, CSV and workbook uploads, report; no network', { skip: !existsSync(FILE) && 'run scripts/build-single first' }, async () => {
  const { page, log, context } = await probedPage(browser);
  await page.goto(`file://${FILE}`);
  await waitForResult(page, 60000);
  assert.equal(await page.isHidden('#form-error'), true, await page.textContent('#form-error'));
  assert.ok(await page.evaluate(() => Number(document.body.dataset.figureAt) > 0), 'the demo figure is drawn');
  const demo = await page.evaluate(() => window.survlensDebug.state.report.data);
  assert.equal(demo.n_rows, 238);
  // A CSV upload.
  const csv = readFileSync(join(ROOT, 'tests/reference/aml/data.csv'));
  await page.setInputFiles('#file', { name: 'aml.csv', mimeType: 'text/csv', buffer: csv });
  await confirmColumns(page);
  await page.waitForFunction(() => window.survlensDebug.state.report?.data?.n_rows === 23, null, { timeout: 30000 });
  // A workbook: the single file's one module reads Excel (no second module to fetch).
  await page.setInputFiles('#file', join(ROOT, 'tests/xlsx/demo.xlsx'));
  await confirmColumns(page);
  await page.waitForFunction(() => window.survlensDebug.state.report?.data?.n_rows === 238 && !document.body.classList.contains('busy'), null, { timeout: 30000 });
  assert.equal(await page.isHidden('#form-error'), true, await page.textContent('#form-error'));
  assert.equal(await page.evaluate(() => window.survlensDebug.state.dataName), 'demo.xlsx');
  // The report is generated in the (blob) worker.
  const [d] = await Promise.all([page.waitForEvent('download'), page.click('#export-report')]);
  assert.match(readFileSync(await d.path(), 'utf8'), /<section id="methods">/);
  assert.deepEqual(log.errors, []);
  assert.deepEqual(await page.evaluate(() => window.__csp), []);
  for (const url of log.requests) assert.ok(/^(file|blob|data):/.test(url), url);
  await context.close();
});
