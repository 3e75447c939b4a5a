// Headless-browser tests of the missing-data panel (issue 21): the counts of missing
// values per column and group come from the core; a file of stacked imputed sets (an R
// fixture of tests/reference/imp_*, made by mice) is pooled by the page exactly as the
// CLI's Report and R's mice::pool; multiple imputation by SurvLens runs in the worker with
// progress, can be cancelled, and its pooled numbers equal the CLI's Report on the same
// spec; screenshots at 1280 and 390 px in English and Chinese.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, ROOT, browserSession, probedPage, confirmColumns, cliReport } from './helpers.mjs';

const haveCli = existsSync(CLI);
const TMP = mkdtempSync(join(tmpdir(), 'survlens-imputation-test-'));
const SHOTS = process.env.SURVLENS_SHOTS ?? TMP;
const CASE = join(ROOT, 'tests/reference/imp_pbc_two_groups');
const IMP_CSV = readFileSync(join(CASE, 'data.csv'));
const IMP_SPEC = JSON.parse(readFileSync(join(CASE, 'spec.json'), 'utf8'));
const R_EXPECTED = JSON.parse(readFileSync(join(CASE, 'expected.json'), 'utf8'));
const s = browserSession();

const cliText = cliReport;

const close = (a, b, rel, what) => assert.ok(Math.abs(a - b) <= rel * Math.abs(b) + 1e-9, `${what}: ${a} vs ${b}`);

/** A page with `csv` opened (columns confirmed), then the protocol `spec` loaded. */
async function openWithSpec(name, csv, spec, viewport = { width: 1280, height: 900 }, lang = 'en') {
  const probe = await probedPage(s.browser, { viewport });
  await probe.page.goto(`${s.server.url}#lang=${lang}`);
  await probe.page.waitForFunction(() => document.body.dataset.figureAt);
  await probe.page.setInputFiles('#file', { name, mimeType: 'text/csv', buffer: csv });
  await confirmColumns(probe.page);
  await probe.page.setInputFiles('#load-protocol', { name: 'protocol.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(spec)) });
  await probe.page.waitForFunction((want) => JSON.stringify(window.survlensDebug.state.spec) === want && !document.body.classList.contains('busy'), JSON.stringify(spec), { timeout: 120000 });
  return probe;
}

test('imported imputed sets (.imp): the page proposes them, counts the missing values of set 0 and pools exactly as the CLI and mice::pool', { skip: !haveCli && 'CLI not built' }, async () => {
  const { page, context, log } = await openWithSpec('imp_pbc.csv', IMP_CSV, IMP_SPEC);
  // Proposed when the file was opened: the first analysis already pooled the file's sets.
  assert.equal(await page.isChecked('#imp-choice-imported'), true);
  const { spec, json, report } = await page.evaluate(() => ({ spec: window.survlensDebug.state.spec, json: window.survlensDebug.state.json, report: window.survlensDebug.state.report }));
  assert.deepEqual(spec.imputation, { imputed: '.imp' });
  const csvPath = join(TMP, 'imp_pbc.csv');
  writeFileSync(csvPath, IMP_CSV);
  assert.equal(json, cliText(csvPath, spec), 'the page Report is the CLI Report byte for byte');
  // The pooled Cox terms equal R's mice::pool (tests/r/make_reference_imputation.R).
  R_EXPECTED.imputation.cox.terms.forEach((t, i) => {
    const mine = report.imputation.cox.terms[i];
    assert.equal(mine.name, t.name);
    for (const k of ['coef', 'se', 'hr', 'lower', 'upper', 'df', 'fmi', 'riv']) close(mine[k], t[k], 1e-6, `${t.name} ${k}`);
    close(mine.p, t.p, 1e-4, `${t.name} p`);
  });
  // What the panel shows is read from that Report: pooled beside complete-case.
  await page.waitForSelector('#imp-cox-table');
  const shown = await page.evaluate(() => ({
    pooled: [...document.querySelectorAll('[data-field="cox_pooled_hr"]')].map((c) => [c.dataset.name, Number(c.dataset.value)]),
    cc: [...document.querySelectorAll('[data-field="cox_cc_hr"]')].map((c) => [c.dataset.name, c.dataset.value === 'null' ? null : Number(c.dataset.value)]),
    fmi: [...document.querySelectorAll('[data-field="cox_pooled_fmi"]')].map((c) => Number(c.dataset.value)),
    rmst: [...document.querySelectorAll('[data-field="rmst_pooled"]')].map((c) => Number(c.dataset.value)),
    missing: [...document.querySelectorAll('#imp-missing [data-field="missing"]')].map((c) => [c.dataset.column, Number(c.dataset.value)]),
    complete: Number(document.querySelector('#imp-missing [data-field="complete_cases"]').dataset.value),
  }));
  assert.deepEqual(shown.pooled, report.imputation.cox.terms.map((t) => [t.name, t.hr]));
  assert.deepEqual(shown.cc, report.imputation.cox.terms.map((t) => [t.name, report.cox.terms.find((c) => c.name === t.name)?.hr ?? null]));
  assert.deepEqual(shown.fmi, report.imputation.cox.terms.map((t) => t.fmi));
  assert.deepEqual(shown.rmst, report.imputation.rmst_difference.map((d) => d.estimate));
  // The counts of set 0 as the core counts them: the complete-case n is the Cox model's n.
  assert.equal(shown.complete, report.cox.n);
  for (const [column, n] of shown.missing) assert.equal(n, report.cox.missing_covariates.by_column[column] ?? 0, column);
  assert.ok(shown.missing.some(([, n]) => n > 0));
  await shots(page, 'imported');
  assert.deepEqual(log.errors, []);
  await context.close();
});

/** A cohort with covariates missing at random (the demo with holes punched in two columns). */
function holedDemo() {
  const lines = readFileSync(join(ROOT, 'www/demo/gist_liver_mets_demo.csv'), 'utf8').trim().split('\n');
  const head = lines[0].split(',');
  const demoSpec = JSON.parse(readFileSync(join(ROOT, 'www/demo/demo_spec.json'), 'utf8'));
  const covs = demoSpec.covariates.map((c) => c.column);
  const holes = covs.slice(0, 2).map((c) => head.indexOf(c));
  const out = [lines[0]];
  lines.slice(1).forEach((l, i) => {
    const cells = l.split(',');
    holes.forEach((h, k) => { if ((i * (k + 3)) % 7 === 1) cells[h] = ''; });
    out.push(cells.join(','));
  });
  const spec = { ...demoSpec };
  for (const k of ['landmark', 'time_dependent', 'treatment_time', 'sensitivity', 'table1', 'propensity', 'adjusted']) delete spec[k];
  return { csv: Buffer.from(`${out.join('\n')}\n`), spec };
}

test('multiple imputation in the worker: progress, cancel, then pooled numbers equal the CLI on the same spec; screenshots', { skip: !haveCli && 'CLI not built' }, async () => {
  const { csv, spec } = holedDemo();
  const { page, context, log } = await openWithSpec('holed.csv', csv, spec);
  // The counts: some rows miss a covariate; complete cases fewer than the rows.
  await page.waitForSelector('#imp-missing [data-field="complete_cases"]');
  const counts = await page.evaluate(() => ({
    complete: Number(document.querySelector('#imp-missing [data-field="complete_cases"]').dataset.value),
    missing: [...document.querySelectorAll('#imp-missing [data-field="missing"]')].map((c) => Number(c.dataset.value)),
    report: window.survlensDebug.state.report,
  }));
  assert.equal(counts.complete, counts.report.cox.n);
  assert.ok(counts.missing.some((n) => n > 0));
  // Multiple imputation with 5 sets, 3 iterations: progress shows, and cancel stops it.
  await page.check('#imp-choice-mi');
  await page.click('.imp-advanced summary');
  await page.fill('#imp-m', '40');
  await page.fill('#imp-iterations', '20');
  await page.click('#imp-run');
  await page.waitForFunction(() => { const p = document.getElementById('imp-progress'); return !p.hidden && p.value > 0; }, null, { timeout: 120000 });
  await page.click('#imp-cancel');
  await page.waitForFunction(() => /cancelled/.test(document.getElementById('imp-status').textContent)).catch(async (e) => {
    console.log(await page.evaluate(() => [document.getElementById('imp-status').textContent, document.getElementById('status-text').textContent, window.survlensImputation.state.running]));
    throw e;
  });
  assert.equal(await page.isHidden('#imp-results'), true);
  assert.equal(await page.isHidden('#imp-progress'), true);
  // Then a full run: the pooled numbers are the CLI's on the same spec.
  await page.fill('#imp-m', '5');
  await page.fill('#imp-iterations', '3');
  await page.fill('#imp-seed', '7');
  await page.click('#imp-run');
  await page.waitForFunction(() => window.survlensImputation.state.report?.imputation, null, { timeout: 300000 });
  const ran = await page.evaluate(() => window.survlensImputation.state.report);
  assert.deepEqual(ran.spec.imputation, { m: 5, iterations: 3, seed: 7 });
  writeFileSync(join(TMP, 'holed.csv'), csv);
  const cli = JSON.parse(cliText(join(TMP, 'holed.csv'), ran.spec));
  assert.deepEqual(ran.imputation, cli.imputation, 'the same seed gives the same sets and pooled numbers as the CLI');
  assert.deepEqual(ran.cox, cli.cox, 'the complete-case Cox beside them is the CLI\'s too');
  assert.ok(ran.imputation.cox.terms.length > 0 && ran.imputation.diagnostics?.length > 0);
  const shown = await page.evaluate(() => [...document.querySelectorAll('[data-field="cox_pooled_hr"]')].map((c) => Number(c.dataset.value)));
  assert.deepEqual(shown, ran.imputation.cox.terms.map((t) => t.hr));
  assert.ok(await page.evaluate(() => document.getElementById('imp-canvas').width > 0));
  // The report and the R script of the page are those of the imputation on screen.
  const [rep] = await Promise.all([page.waitForEvent('download'), page.click('#export-report')]);
  const html = readFileSync(await rep.path(), 'utf8');
  assert.match(html, /were imputed by multiple imputation by chained equations/);
  assert.match(html, /5 imputed data sets were created, each after 3 iterations of the chained equations, with random seed 7/);
  assert.match(html, /<figure id="figure-imputation">/);
  assert.match(html, /<table id="imputation_cox">/);
  const [rs] = await Promise.all([page.waitForEvent('download'), page.click('#export-rscript')]);
  const script = readFileSync(await rs.path(), 'utf8');
  assert.match(script, /library\(mice\)/);
  assert.match(script, /mice\(d_imp, m = 5, maxit = 3, seed = 7, method = meth, predictorMatrix = pred, printFlag = FALSE\)/);
  assert.match(script, /summary\(p, conf.int = TRUE\)|summary\(pool\(fit\), conf.int = TRUE\)/);
  await shots(page, 'mi');
  // Results never outlive their input: a changed spec takes them off.
  await page.setViewportSize({ width: 1280, height: 900 });
  const before = await page.evaluate(() => JSON.stringify(window.survlensDebug.state.spec));
  await page.evaluate(() => { // a covariate less (the box sits in a closed disclosure)
    const box = document.querySelector('#covariate-list input:checked');
    box.checked = false;
    box.dispatchEvent(new Event('change', { bubbles: true }));
  });
  await page.waitForFunction((b) => JSON.stringify(window.survlensDebug.state.spec) !== b && !document.body.classList.contains('busy'), before, { timeout: 60000 });
  assert.equal(await page.isHidden('#imp-results'), true);
  assert.deepEqual(log.errors, []);
  await context.close();
});

/** Screenshots of the panel at 1280 and 390 px, English and Chinese. */
async function shots(page, name) {
  for (const [w, h] of [[1280, 900], [390, 844]]) {
    for (const lang of ['en', 'zh']) {
      await page.setViewportSize({ width: w, height: h });
      await page.click(`.lang-switch button[data-lang="${lang}"]`);
      await page.waitForTimeout(400);
      const head = await page.textContent('#imputation-h');
      assert.equal(head, lang === 'zh' ? '缺失数据' : 'Missing data');
      const card = await page.$('#imputation-card');
      await card.screenshot({ path: join(SHOTS, `imputation-${name}-${w}-${lang}.png`) });
    }
  }
}
