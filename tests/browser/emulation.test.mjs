// Headless-browser tests of the target-trial emulation (issue 22) in the immortal-time
// card: on the demo (treatment dates mapped) the page offers "Emulate a trial: treatment
// within [6] months vs not"; its run's Report is the CLI's byte for byte on the same spec;
// the page shows that Report's survival of both strategies, their difference and the RMST
// difference with bootstrap CIs, the flow of clones and the weights; the bootstrap shows its
// progress and Cancel stops it; new options (its own or the page's) take the old results off at once; the panel reads in Chinese; screenshots
// at 1280 and 390 px in English and Chinese (written to SURVLENS_SCREENSHOTS, default the
// temp folder, for a person to look at).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, WWW, startServer, launch, probedPage, waitForResult, panelScreenshots, boxOf, cliReport } from './helpers.mjs';

const haveCli = existsSync(CLI);
const TMP = mkdtempSync(join(tmpdir(), 'survlens-emulation-test-'));
const SHOTS = process.env.SURVLENS_SCREENSHOTS ?? join(TMP, 'screenshots');
mkdirSync(SHOTS, { recursive: true });
const DEMO_CSV = join(WWW, 'demo/gist_liver_mets_demo.csv');
// Fewer replicates than the page's default (500): the same code, a shorter test.
const REPLICATES = 100;
let server, browser, close;

before(async () => {
  server = await startServer();
  ({ browser, close } = await launch());
});
after(async () => {
  await close?.();
  server?.stop();
});

const cliText = (spec) => cliReport(DEMO_CSV, spec);

const emulationDone = () => window.survlensEmulation?.state.report?.emulation
  && [...document.querySelectorAll('#emu-results canvas')].every((c) => c.width > 0);

/** The demo page with the emulation run (grace 6, the page's options, REPLICATES). */
async function openEmulation(viewport = { width: 1280, height: 900 }, hash = '') {
  const probe = await probedPage(browser, { viewport });
  await probe.page.goto(`${server.url}${hash}`);
  await waitForResult(probe.page);
  await probe.page.waitForSelector('#emulation:not([hidden])', { timeout: 60000 });
  await probe.page.click('#emu-advanced summary'); // the advanced options: replicates, seed, …
  await probe.page.fill('#emu-reps', String(REPLICATES));
  await probe.page.click('#emu-run');
  await probe.page.waitForFunction(emulationDone, null, { timeout: 300000 });
  return probe;
}

test('the emulated trial on the demo equals the CLI Report and the page shows its numbers', { skip: !haveCli && 'CLI not built' }, async () => {
  const { page, context, log } = await openEmulation();
  const { spec, json, report } = await page.evaluate(() => {
    const s = window.survlensEmulation.state;
    return { spec: s.spec, json: s.json, report: s.report };
  });
  // The spec: the demo's rows and treatment dates, its covariates, KM times and τ.
  const demoSpec = JSON.parse(readFileSync(join(WWW, 'demo/demo_spec.json'), 'utf8'));
  assert.deepEqual(spec.emulation, {
    grace: 6, covariates: demoSpec.covariates.map((c) => c.column), times: demoSpec.km.times, tau: demoSpec.rmst.tau,
    bootstrap: { replicates: REPLICATES, seed: 1 },
  });
  assert.deepEqual(spec.treatment_time, demoSpec.treatment_time);
  assert.deepEqual(spec.covariates, demoSpec.covariates);
  for (const k of ['cox', 'km', 'landmark', 'time_dependent', 'subgroups', 'propensity']) assert.equal(spec[k], undefined, k);
  // Byte for byte the CLI's Report on the same spec.
  const cli = cliText(spec);
  assert.ok(json === cli, 'the page\'s Report is the CLI\'s byte for byte');
  // The panel's run leaves the page's own status idle (no "Analysing…" with a Cancel button).
  assert.equal(await page.evaluate(() => document.body.classList.contains('busy')), false);
  assert.equal(await page.isHidden('#cancel'), true);
  const e = report.emulation;
  assert.equal(e.grace, 6);
  assert.equal(e.n_clones, 2 * e.n_patients);
  assert.deepEqual(e.curves.map((c) => c.arm), ['treat', 'control']);
  for (const c of e.curves) assert.equal(c.lower.length, c.time.length);
  // The difference at every time with its bootstrap CI, as the Report.
  const cells = await page.evaluate(() => {
    const data = (f) => [...document.querySelectorAll(`#emu-results [data-field="${f}"]`)].map((c) => ({ ...c.dataset, text: c.textContent }));
    return {
      treat: data('treat'), control: data('control'), difference: data('difference'), rmst: data('rmst_difference'),
      censored: data('censored'), events: data('events'), flow: data('flow'), wmax: data('weight_max'),
      figures: [...document.querySelectorAll('#emu-results canvas')].map((c) => [c.dataset.figure, c.width > 0, c.height > 0]),
    };
  });
  assert.equal(cells.difference.length, e.at_times.length);
  e.at_times.forEach((a, i) => {
    const d = cells.difference[i];
    assert.equal(Number(d.time), a.time);
    assert.equal(Number(d.value), a.difference);
    assert.equal(Number(d.lower), a.lower);
    assert.equal(Number(d.upper), a.upper);
    assert.ok(a.lower <= a.difference && a.difference <= a.upper, `CI of ${a.time}`);
    assert.equal(Number(cells.treat[i].value), a.treat);
    assert.equal(Number(cells.control[i].value), a.control);
  });
  const r = e.rmst_difference;
  assert.equal(r.tau, 120);
  assert.deepEqual(cells.rmst.map((d) => [Number(d.value), Number(d.lower), Number(d.upper)]), [[r.estimate, r.lower, r.upper]]);
  assert.ok(r.lower < r.upper);
  assert.deepEqual(cells.censored.map((d) => [d.arm, Number(d.value)]), [['treat', e.artificially_censored.treat], ['control', e.artificially_censored.control]]);
  assert.deepEqual(cells.events.map((d) => [d.arm, Number(d.value)]), [['treat', e.n_events.treat], ['control', e.n_events.control]]);
  assert.equal(Number(cells.flow[0].patients), e.n_patients);
  assert.equal(Number(cells.flow[0].clones), e.n_clones);
  assert.deepEqual(cells.wmax.map((d) => [d.arm, d.value === 'null' ? null : Number(d.value)]), [['treat', e.weights.treat?.max ?? null], ['control', e.weights.control?.max ?? null]]);
  // The extreme-weights warning shows when the Report has it.
  const extreme = (report.warnings || []).some((w) => w.code === 'emulation_extreme_weights');
  assert.equal(await page.locator('#emu-notes [data-code="emulation_extreme_weights"]').count(), extreme ? 1 : 0);
  assert.deepEqual(cells.figures, [['emulation_curves', true, true], ['emulation_flow', true, true]]);
  // The figures' SVG downloads.
  const [svg] = await Promise.all([page.waitForEvent('download'), page.click('.emu-figure-emulation_flow button:has-text("SVG")')]);
  assert.equal(svg.suggestedFilename(), 'survlens-demo-emulation-flow.svg');
  assert.match(readFileSync(await svg.path(), 'utf8'), new RegExp(`${e.n_patients} patients`));
  assert.deepEqual(log.errors, []);
  assert.deepEqual(await page.evaluate(() => window.__csp), []);
  await context.close();
});

test('new options take the emulated trial off the page at once, then the new one comes', { skip: !haveCli && 'CLI not built' }, async () => {
  const { page, context } = await openEmulation();
  // Its own option: the change and the look at the page in one task.
  const right = await page.evaluate(() => {
    const g = /** @type {HTMLInputElement} */ (document.getElementById('emu-grace'));
    g.value = '3';
    g.dispatchEvent(new Event('input', { bubbles: true }));
    const box = document.getElementById('emu-results');
    return { report: window.survlensEmulation.state.report, hidden: box.hidden && box.childElementCount === 0 };
  });
  assert.deepEqual(right, { report: null, hidden: true });
  await page.click('#emu-run');
  await page.waitForFunction(emulationDone, null, { timeout: 300000 });
  assert.equal(await page.evaluate(() => window.survlensEmulation.state.report.emulation.grace), 3);
  assert.match(await page.textContent('#emu-difference'), /Treatment within grace/);
  // The page's options (a landmark time): the emulation's results leave at once too.
  const gone = await page.evaluate(() => {
    const f = /** @type {HTMLInputElement} */ (document.getElementById('landmark-times'));
    f.value = '6, 12, 24';
    f.dispatchEvent(new Event('input', { bubbles: true }));
    return { report: window.survlensEmulation.state.report, hidden: document.getElementById('emu-results').hidden };
  });
  assert.deepEqual(gone, { report: null, hidden: true });
  // The emulation is offered again once the page's analysis is back; a new file would clear it too.
  await page.waitForFunction(() => !document.body.classList.contains('busy') && !document.getElementById('emulation').hidden, null, { timeout: 60000 });
  assert.equal(await page.isHidden('#emu-results'), true);
  await context.close();
});

test('the bootstrap shows its progress and Cancel stops it, leaving no result', { skip: !haveCli && 'CLI not built' }, async () => {
  const probe = await probedPage(browser, { viewport: { width: 1280, height: 900 } });
  const { page, context, log } = probe;
  await page.goto(server.url);
  await waitForResult(page);
  await page.waitForSelector('#emulation:not([hidden])', { timeout: 60000 });
  await page.click('#emu-advanced summary');
  await page.fill('#emu-reps', '5000');
  await page.click('#emu-run');
  // Progress: the bar and the count of replicates done move.
  await page.waitForFunction(() => Number(document.getElementById('emu-progress').value) > 0, null, { timeout: 120000 });
  assert.equal(await page.isVisible('#emu-cancel'), true);
  assert.match(await page.textContent('#emu-status'), /^Bootstrap: \d+ of 5000 replicates…$/);
  await page.click('#emu-cancel');
  await page.waitForFunction(() => document.getElementById('emu-status').textContent === 'Cancelled.', null, { timeout: 30000 });
  assert.equal(await page.evaluate(() => window.survlensEmulation.state.report), null);
  assert.equal(await page.isHidden('#emu-results'), true);
  assert.equal(await page.isHidden('#emu-progress'), true);
  assert.equal(await page.isEnabled('#emu-run'), true);
  // The page's own results stay; a new run works on the fresh worker.
  assert.equal(await page.isVisible('#immortal-table'), true);
  await page.fill('#emu-reps', '20');
  await page.click('#emu-run');
  await page.waitForFunction(() => window.survlensEmulation?.state.report?.emulation?.bootstrap?.replicates === 20, null, { timeout: 300000 });
  assert.deepEqual(log.errors, []);
  await context.close();
});

// Latin text allowed on the Chinese page (tests/browser/i18n.test.mjs's reasons).
const DEMO = readFileSync(DEMO_CSV, 'utf8');
const words = (s) => s.match(/[A-Za-z]{2,}/g) ?? [];
const ALLOWED = new Set([...words(DEMO), 'HR', 'CI', 'RMST', 'Cox', 'Kaplan', 'Meier', 'SVG', 'PNG', 'CSV', 'dpi', 'vs', 'Bootstrap', 'bootstrap',
  'TARGET', 'Breslow', 'SurvLens']);

test('screenshots at 1280 and 390 px in English and Chinese; the Chinese panel has no English', { skip: !haveCli && 'CLI not built' }, async () => {
  await panelScreenshots({
    name: 'emulation', shots: SHOTS, root: '#emulation', allowed: ALLOWED, open: openEmulation,
    zhCheck: async (page) => assert.match(await page.textContent('#emulation'), /模拟目标试验/),
    // The panel in parts a person can read: its options and tables, then its figures.
    parts: async (page) => {
      const panel = await boxOf(page, '#emulation');
      const figs = await boxOf(page, '#emu-results .emu-figures');
      return { tables: { ...panel, height: figs.y - panel.y }, figures: figs };
    },
  });
});
