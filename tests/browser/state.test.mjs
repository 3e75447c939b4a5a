// One file, one state (issue 16): a new file, a cancel or an error leaves no result of
// another file on screen, the options start from the core's defaults (never the
// demo's), and a late result of an earlier file does not render.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { probedPage, waitForResult } from './helpers.mjs';
import { browserSession, hospitalCsv, largeCsv, upload, settled, visibleResults, mapHospital } from './cohort.mjs';

const session = browserSession();

/** The demo with every panel run: KM, Cox, immortal time and the confounding step. */
async function openDemo() {
  const probe = await probedPage(session.browser, { viewport: { width: 1280, height: 900 } });
  await probe.page.goto(session.server.url);
  await waitForResult(probe.page);
  await probe.page.click('#conf-run');
  await probe.page.waitForFunction(() => window.survlensConfounding?.state.report?.adjusted, null, { timeout: 60000 });
  const shown = await visibleResults(probe.page);
  for (const id of ['figure-card', 'summary-card', 'cox-card', 'immortal-card', 'conf-results']) assert.ok(shown.includes(id), `${id} of the demo: ${shown}`);
  assert.match(await probe.page.innerText('#results'), /IM\+HR/);
  return probe;
}

/** Text of the demo that must not outlive it: its group labels, its adjusted-analysis sentences, its file. */
async function demoLeft(page) {
  const text = await page.innerText('body');
  return ['IM+HR', 'IM+RFA/TACE', 'After weighting', 'gist_liver_mets', 'kit_exon', 'Demo:'].filter((s) => text.includes(s));
}

test('a new file takes every result of the demo off the page; what shows then is the new file\'s', async () => {
  const { page, context, log } = await openDemo();
  await page.evaluate(() => { window.__demoAdjusted = window.survlensConfounding.state.report; });
  await upload(page, 'hospital.csv', hospitalCsv());
  // At once (the change event cleared it), then after the new analysis.
  assert.deepEqual(await demoLeft(page), []);
  await settled(page);
  assert.deepEqual(await demoLeft(page), []);
  const shown = await visibleResults(page);
  for (const id of ['cox-card', 'immortal-card', 'table1-card', 'evalue-card', 'conf-results']) assert.ok(!shown.includes(id), `${id} still shown: ${shown}`);
  // The confounding step forgot the demo: no adjusted result, no spec of it.
  const conf = await page.evaluate(() => {
    const st = window.survlensConfounding.state;
    return { adjusted: Boolean(st.report?.adjusted), spec: st.spec, ran: st.ran };
  });
  assert.deepEqual(conf, { adjusted: false, spec: null, ran: false });
  // The worker let go of the demo's results and their per-row data when the new file came.
  const gone = await page.evaluate(() => window.survlensDebug.engine.perRow(window.__demoAdjusted).then(() => 'kept', (e) => e.kind));
  assert.equal(gone, 'results_gone');
  assert.deepEqual(log.errors, []);
  await context.close();
});

test('a new file starts from the core\'s defaults, not the demo\'s settings', async () => {
  const { page, context } = await openDemo();
  // The demo's own settings (www/demo/demo_spec.json) are on the demo only.
  assert.equal(await page.inputValue('#conf-type'), 'log-log');
  assert.equal(await page.inputValue('#times'), '12, 36, 60, 120');
  await upload(page, 'hospital.csv', hospitalCsv());
  await settled(page);
  await mapHospital(page);
  // The core's defaults, asked independently of the page: the protocol of a spec naming
  // every optional section with nothing in it (the spec as it runs, defaults filled in).
  const core = await page.evaluate(async () => JSON.parse(await window.survlensDebug.engine.protocol({
    time: { column: 't' }, event: { column: 'e' }, km: {}, logrank: {}, cox: { ph_test: {} },
  })));
  const shown = await page.evaluate(() => Object.fromEntries(['conf-type', 'conf-level', 'rho', 'pairwise', 'adjust', 'cox-ties', 'ph-transform', 'times', 'tau', 'missing-tokens']
    .map((id) => [id, document.getElementById(id).value]).concat(['cox-robust', 'cox-univariable', 'ph-residuals', 'table1', 'sensitivity']
      .map((id) => [id, document.getElementById(id).checked]))));
  const hasSuggest = await page.evaluate(() => typeof window.survlensDebug.engine.suggestTimes === 'function');
  assert.deepEqual(shown, {
    'conf-type': core.km.conf_type, 'conf-level': String(core.km.conf_level), rho: String(core.logrank.rho),
    pairwise: core.logrank.pairwise, adjust: core.logrank.adjust, 'cox-ties': core.cox.ties, 'ph-transform': core.cox.ph_test.transform,
    times: hasSuggest ? shown.times : core.km.times.join(', '), tau: hasSuggest ? shown.tau : '',
    'missing-tokens': core.missing.filter((t) => t !== '').join(', '),
    'cox-robust': core.cox.robust, 'cox-univariable': Boolean(core.cox.univariable), 'ph-residuals': Boolean(core.cox.ph_test.residuals),
    table1: false, sensitivity: false,
  });
  assert.equal(core.km.conf_type, 'log', 'the contract: log is the default');
  // The analysis that ran used them: the Report echoes its spec with defaults filled in.
  const spec = await page.evaluate(() => window.survlensDebug.state.report.spec);
  assert.equal(spec.km.conf_type, core.km.conf_type);
  if (!hasSuggest) assert.deepEqual(spec.km.times, []);
  assert.equal(spec.rmst, hasSuggest ? spec.rmst : undefined);
  await context.close();
});

test('Cancel while a new file loads leaves no result of the demo, nor of the new file', async () => {
  const { page, context } = await openDemo();
  await upload(page, 'big.csv', largeCsv(300000));
  await page.click('#cancel', { timeout: 10000 });
  await page.waitForFunction(() => /Cancelled/.test(document.getElementById('status-text').textContent), null, { timeout: 10000 });
  assert.deepEqual(await visibleResults(page), []);
  assert.deepEqual(await demoLeft(page), []);
  assert.equal(await page.evaluate(() => document.getElementById('km-canvas').width), 0);
  // No column of the demo stays in the form either.
  assert.equal(await page.$$eval('#time-column option, #event-column option', (o) => o.length), 0);
  assert.equal(await page.evaluate(() => window.survlensDebug.state.report), null);
  // The page goes on: a file opened after works.
  await upload(page, 'hospital.csv', hospitalCsv());
  await settled(page);
  assert.ok((await visibleResults(page)).includes('summary-card'));
  await context.close();
});

test('a file that fails, or an analysis that fails, leaves no earlier result on screen', async () => {
  const { page, context } = await openDemo();
  await upload(page, 'broken.csv', 'time,status,arm\n5,1,A\n7,0,B,extra,cells\n9,1,A\n');
  await page.waitForSelector('#form-error:not([hidden])');
  assert.deepEqual(await visibleResults(page), []);
  assert.deepEqual(await demoLeft(page), []);
  // A good file, then a mapping its data cannot satisfy: its own results go too.
  await upload(page, 'hospital.csv', hospitalCsv());
  await settled(page);
  await mapHospital(page);
  assert.ok((await visibleResults(page)).includes('summary-card'), await page.textContent('#form-error'));
  await page.selectOption('#event-column', 'sex'); // F/M: not an event coding
  await settled(page);
  assert.equal(await page.isVisible('#form-error'), true);
  assert.deepEqual(await visibleResults(page), []);
  assert.equal(await page.evaluate(() => window.survlensDebug.state.report), null);
  await context.close();
});

test('a late result of an earlier file does not render', async () => {
  const { page, context } = await openDemo();
  const demoFile = await page.evaluate(() => window.survlensDebug.state.file);
  await page.evaluate(() => { window.__demoReport = window.survlensDebug.state.report; });
  await upload(page, 'hospital.csv', hospitalCsv());
  await settled(page);
  const before = await page.innerText('#summary-table');
  await page.evaluate((file) => window.survlensDebug.render(window.__demoReport, file), demoFile);
  assert.equal(await page.innerText('#summary-table'), before);
  assert.deepEqual(await demoLeft(page), []);
  await context.close();
});
