// Large cohorts in the page (issue 7): what crosses from the worker, the main thread's
// freedom during a long run, and the memory budget's error path. Structure, not
// timings: the seconds go to benches/run.sh.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, ROOT, startServer, launch, probedPage, waitForResult, confirmColumns } from './helpers.mjs';

const TMP = mkdtempSync(join(tmpdir(), 'survlens-scale-'));
const N = 100000;
const CSV = join(TMP, 'cohort_1e5.csv');
const SPEC = JSON.parse(readFileSync(join(ROOT, 'benches/specs/iptw.json'), 'utf8'));
let server, browser, close;

before(async () => {
  // The benchmark's generator: 3 groups, 8 covariates, 10^5 rows (deterministic).
  execFileSync('python3', [join(ROOT, 'benches/gen_cohort.py'), String(N), CSV]);
  server = await startServer();
  ({ browser, close } = await launch());
});
after(async () => { await close?.(); server?.stop(); });

/** JS values in a message (object keys and array elements; a typed array is one). */
function countingHook() {
  window.__messages = [];
  const count = (v) => {
    if (v === null || typeof v !== 'object' || ArrayBuffer.isView(v) || v instanceof ArrayBuffer) return 1;
    let n = 1;
    for (const x of Array.isArray(v) ? v : Object.values(v)) n += count(x);
    return n;
  };
  const longest = (v) => {
    if (v === null || typeof v !== 'object' || ArrayBuffer.isView(v)) return 0;
    const xs = Array.isArray(v) ? v : Object.values(v);
    return Math.max(Array.isArray(v) ? v.length : 0, ...xs.map(longest), 0);
  };
  window.__record = (worker) => worker.addEventListener('message', (e) => {
    window.__messages.push({ type: e.data.type ?? 'reply', values: count(e.data), longestArray: longest(e.data) });
  });
}

test('IPTW on 10^5 rows: worker replies stay O(groups); per-row arrays come as typed arrays; the JSON is the CLI\'s', async () => {
  const { page, context } = await probedPage(browser);
  await page.addInitScript(countingHook);
  await page.route('**/__scale/cohort.csv', (r) => r.fulfill({ body: readFileSync(CSV), contentType: 'text/csv' }));
  await page.goto(`${server.origin}/`);
  const out = await page.evaluate(async ({ spec }) => {
    const { Engine } = await import('/survlens.js');
    const engine = new Engine();
    await engine.load(await (await fetch('/__scale/cohort.csv')).blob());
    window.__record(engine.worker);
    const { report, json } = await engine.analyze(spec);
    const rows = await engine.perRow(report);
    const full = await (await engine.resultJson(report)).text();
    const stats = await engine.stats();
    return {
      json, perRowStandIn: report.propensity.per_row, nUsed: report.data.n_used, groups: report.groups.map((g) => g.label),
      rows: { n: rows.n, groups: rows.groups, kinds: [rows.line, rows.group, rows.weight, rows.ps].map((a) => a.constructor.name),
        lengths: [rows.line, rows.group, rows.weight, rows.ps].map((a) => a.length),
        head: { line: [...rows.line.slice(0, 3)], group: [...rows.group.slice(0, 3)], weight: [...rows.weight.slice(0, 3)], ps: [...rows.ps.slice(0, 9)] },
        tailWeight: rows.weight[rows.n - 1] },
      full, stats, messages: window.__messages,
    };
  }, { spec: SPEC });

  // The report object: the summary, with the per-row arrays left in the worker.
  assert.equal(out.json, null, 'no full JSON text for a large cohort');
  assert.equal(out.perRowStandIn.detached, true);
  assert.equal(out.perRowStandIn.n, out.nUsed);
  assert.equal(out.perRowStandIn.overlap_histograms.length, 3, 'one panel per group');
  for (const panel of out.perRowStandIn.overlap_histograms) {
    assert.equal(panel.length, 3);
    for (const h of panel) assert.ok(Math.abs(h.reduce((a, b) => a + b, 0) - 100) < 1e-6, 'percent of each group sums to 100');
  }
  // What crossed: no array as long as the cohort in any message; a bounded count of values.
  const analysis = out.messages.filter((m) => m.type === 'reply');
  assert.ok(analysis.length >= 1);
  const summary = analysis[0];
  assert.ok(summary.longestArray < out.nUsed / 10, `longest array in the summary: ${summary.longestArray}`);
  assert.ok(summary.values < out.nUsed, `values in the summary: ${summary.values}`);
  // The typed arrays: one value per used row, ps row-major n × groups.
  assert.deepEqual(out.rows.kinds, ['Float64Array', 'Uint32Array', 'Float64Array', 'Float64Array']);
  assert.deepEqual(out.rows.lengths, [out.nUsed, out.nUsed, out.nUsed, 3 * out.nUsed]);
  const perRowReply = analysis[1];
  assert.ok(perRowReply.values < 20, 'the per-row reply is a handful of typed arrays');
  // They agree with the complete JSON, which is exactly what the CLI writes.
  const full = JSON.parse(out.full);
  const pr = full.propensity.per_row;
  assert.deepEqual(out.rows.head.line, pr.line.slice(0, 3));
  assert.deepEqual(out.rows.head.group, pr.group.slice(0, 3).map((g) => out.groups.indexOf(g)));
  assert.deepEqual(out.rows.head.weight, pr.weight.slice(0, 3));
  assert.deepEqual(out.rows.head.ps, pr.ps.slice(0, 3).flat());
  assert.equal(out.rows.tailWeight, pr.weight.at(-1));
  if (existsSync(CLI)) {
    const specPath = join(TMP, 'iptw.json');
    writeFileSync(specPath, JSON.stringify(SPEC));
    const cli = execFileSync(CLI, ['analyze', CSV, '--spec', specPath], { encoding: 'utf8', maxBuffer: 1 << 30 });
    assert.ok(out.full === cli, 'the exported JSON is byte for byte the CLI\'s');
  }
  // The core's memory stayed within its budget.
  assert.ok(out.stats.heapPeak > 0 && out.stats.heapPeak <= out.stats.budget);
  assert.ok(out.stats.memory <= out.stats.budget + 2 ** 24);
  await context.close();
});

test('the page stays responsive while it reads, analyses and draws 10^5 rows (no main-thread task over 200 ms)', async () => {
  const { page, context, log } = await probedPage(browser);
  await page.addInitScript(() => {
    window.__long = [];
    new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long.push({ start: e.startTime, ms: e.duration }); })
      .observe({ type: 'longtask', buffered: true });
  });
  await page.goto(`${server.origin}/`);
  await waitForResult(page); // the demo
  const start = await page.evaluate(() => { delete document.body.dataset.figureAt; return performance.now(); });
  await page.setInputFiles('#file', CSV);
  await confirmColumns(page);
  await page.waitForFunction((n) => window.survlensDebug.state.report?.data?.n_rows === n, N, { timeout: 120000 });
  // The confounding step on the same file: propensity model, weights, balance, overlap figure.
  await page.selectOption('#group-column', 'treatment');
  await page.waitForFunction(() => window.survlensDebug.state.report?.groups?.length === 3 && !document.body.classList.contains('busy'), null, { timeout: 120000 });
  await page.evaluate(() => {
    for (const name of ['age', 'sex', 'ecog', 'tumour_size_cm']) document.querySelector(`#conf-covariates input[value="${name}"]`).checked = true;
    return window.survlensConfounding.run();
  });
  await page.waitForFunction(() => window.survlensConfounding.state.report?.propensity, null, { timeout: 120000 });
  const res = await page.evaluate((t0) => ({
    long: window.__long.filter((e) => e.start >= t0),
    standIn: window.survlensConfounding.state.report.propensity.per_row,
    overlapDrawn: document.getElementById('conf-overlap-canvas')?.width > 0,
  }), start);
  assert.equal(res.standIn.detached, true);
  assert.ok(res.overlapDrawn, 'the overlap figure is drawn from the summary');
  const worst = res.long.reduce((m, e) => Math.max(m, e.ms), 0);
  assert.ok(worst <= 200, `main-thread tasks over 200 ms: ${JSON.stringify(res.long.filter((e) => e.ms > 200))}`);
  assert.deepEqual(log.errors, []);
  await context.close();
});

test('over the memory budget: a clear out-of-memory message, the previous results kept, the next run works', async () => {
  const { page, context } = await probedPage(browser);
  await page.goto(`${server.origin}/`);
  await waitForResult(page);
  await page.setInputFiles('#file', CSV);
  await confirmColumns(page);
  await page.waitForFunction((n) => window.survlensDebug.state.report?.data?.n_rows === n, N, { timeout: 120000 });
  const before = await page.evaluate(() => ({ json: window.survlensDebug.state.json, rows: document.querySelectorAll('#summary-table tbody tr').length }));
  // A budget the analysis of this file cannot fit (the file alone holds ~5 MB).
  const budget = await page.evaluate(() => window.survlensDebug.engine.debugBudget(12 * 2 ** 20));
  assert.equal(budget, 12 * 2 ** 20);
  const err = await page.evaluate(() => window.survlensDebug.engine.analyze(window.survlensDebug.state.spec)
    .then(() => null, (e) => ({ kind: e.kind, message: e.message })));
  assert.equal(err?.kind, 'out_of_memory', JSON.stringify(err));
  assert.match(err.message, /memory/);
  assert.match(err.message, /command-line tool/);
  await page.waitForSelector('#fault-notice:not([hidden])');
  assert.equal(await page.textContent('#fault-notice .fault-kind'), 'out_of_memory');
  const after = await page.evaluate(() => ({ json: window.survlensDebug.state.json, rows: document.querySelectorAll('#summary-table tbody tr').length }));
  assert.deepEqual(after, before, 'the previous results are kept');
  // The restarted worker has the full budget again, reloads the file and analyses it.
  const again = await page.evaluate(async () => (await window.survlensDebug.engine.analyze(window.survlensDebug.state.spec)).report.data.n_rows);
  assert.equal(again, N);
  await context.close();
});
