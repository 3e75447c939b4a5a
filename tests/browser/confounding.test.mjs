// Headless-browser tests of the Confounding step (issue 5): the page's adjusted analysis
// of the demo equals the CLI's Report and R's numbers, the balance figures export, and a
// bootstrap reports progress, can be cancelled, and leaves the page working.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, ROOT, WWW, startServer, launch, probedPage, waitForResult, cliReport } from './helpers.mjs';

const haveCli = existsSync(CLI);
const R_DEMO = JSON.parse(readFileSync(join(ROOT, 'tests/reference/ps_demo_gist/expected.json'), 'utf8'));
let server, browser, close;

before(async () => {
  server = await startServer();
  ({ browser, close } = await launch());
});
after(async () => {
  await close?.();
  server?.stop();
});

const cliText = cliReport;

const close6 = (a, b, what) => assert.ok(Math.abs(a - b) <= 1e-6 * Math.abs(b) + 1e-9, `${what}: ${a} vs ${b}`);

/** The demo page with the confounding step run on its default settings. */
async function openConfounding() {
  const probe = await probedPage(browser, { viewport: { width: 1400, height: 1000 } });
  await probe.page.goto(server.url);
  await waitForResult(probe.page);
  await probe.page.click('#conf-run');
  await probe.page.waitForFunction(() => window.survlensConfounding?.state.report?.adjusted, null, { timeout: 60000 });
  return probe;
}

test('the confounding step on the demo equals the CLI Report and R (table1, SMDs, adjusted HR, E-values)', { skip: !haveCli && 'CLI not built' }, async () => {
  const { page, context, log } = await openConfounding();
  const { spec, json, report } = await page.evaluate(() => {
    const s = window.survlensConfounding.state;
    return { spec: s.spec, json: s.json, report: s.report };
  });
  // The default covariates are the demo spec's, in the propensity model and Table 1.
  const demoSpec = JSON.parse(readFileSync(join(WWW, 'demo/demo_spec.json'), 'utf8'));
  assert.deepEqual(spec.propensity.covariates, demoSpec.covariates.map((c) => c.column));
  // Byte for byte the CLI's Report on the same spec.
  assert.equal(json, cliText(join(WWW, 'demo/gist_liver_mets_demo.csv'), spec));
  // Same covariates and estimand as the R fixture ps_demo_gist: its numbers hold.
  R_DEMO.propensity.balance.forEach((t, i) => {
    const mine = report.propensity.balance[i];
    assert.equal(mine.term, t.term);
    t.pairs.forEach((p, j) => {
      close6(mine.pairs[j].smd_before, p.smd_before, `${t.term} smd_before`);
      close6(mine.pairs[j].smd_after, p.smd_after, `${t.term} smd_after`);
    });
  });
  R_DEMO.adjusted.cox.terms.forEach((t, i) => {
    for (const k of ['coef', 'robust_se', 'hr', 'lower', 'upper']) close6(report.adjusted.cox.terms[i][k], t[k], `${t.name} ${k}`);
  });
  const rEv = R_DEMO.sensitivity.evalues.filter((e) => e.source === 'adjusted.cox');
  const myEv = report.sensitivity.evalues.filter((e) => e.source === 'adjusted.cox');
  assert.equal(myEv.length, rEv.length);
  rEv.forEach((e, i) => { close6(myEv[i].evalue, e.evalue, 'evalue'); close6(myEv[i].evalue_ci, e.evalue_ci, 'evalue_ci'); });
  // What the page shows is read from that Report.
  const shown = await page.evaluate(() => ({
    smd: [...document.querySelectorAll('#conf-table1-card [data-field="max_abs_smd"]')].map((c) => [c.dataset.covariate, Number(c.dataset.value)]),
    hr: [...document.querySelectorAll('#conf-km-card [data-field="adjusted_hr"]')].map((c) => Number(c.dataset.value)),
    ev: [...document.querySelectorAll('#conf-evalue-card [data-field="evalue"]')].map((c) => [c.dataset.source, c.dataset.name, Number(c.dataset.value)]),
    notes: [...document.querySelectorAll('#conf-notes li')].map((li) => [li.dataset.code, li.textContent]),
    figures: ['conf-overlap-canvas', 'conf-love-canvas', 'conf-crude-canvas', 'conf-adjusted-canvas'].map((id) => document.getElementById(id).width),
  }));
  assert.deepEqual(shown.smd, report.table1.rows.map((r) => [r.covariate, r.max_abs_smd]));
  assert.deepEqual(shown.hr, report.adjusted.cox.terms.map((t) => t.hr));
  assert.deepEqual(shown.ev, report.sensitivity.evalues.map((e) => [e.source, e.name, e.evalue]));
  const notes = [...report.propensity.notes, ...report.adjusted.notes, ...report.sensitivity.notes];
  assert.deepEqual(shown.notes.slice(0, notes.length), notes.map((n) => [n.code, n.message]));
  assert.ok(shown.notes.some(([code]) => code === 'still_imbalanced'));
  for (const w of shown.figures) assert.ok(w > 100, 'every figure is drawn');
  assert.deepEqual(log.errors, []);
  assert.deepEqual(log.csp, []);
  // Another estimand re-runs the step: ATO weights, the CLI's Report again.
  await page.selectOption('#conf-estimand', 'ATO');
  await page.waitForFunction(() => window.survlensConfounding.state.report?.propensity?.estimand === 'ATO', null, { timeout: 60000 });
  const ato = await page.evaluate(() => ({ spec: window.survlensConfounding.state.spec, json: window.survlensConfounding.state.json }));
  assert.equal(ato.json, cliText(join(WWW, 'demo/gist_liver_mets_demo.csv'), ato.spec));
  await context.close();
});

test('love plot, PS overlap, adjusted KM and Table 1 exports produce files', async () => {
  const { page, context } = await openConfounding();
  const get = async (selector) => {
    const [d] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
    return { name: d.suggestedFilename(), bytes: readFileSync(await d.path()) };
  };
  for (const [sel, pattern] of [['#conf-love-svg', /\|SMD\| = 0\.1/], ['#conf-overlap-svg', /P\(IM\+HR \| covariates\)/], ['#conf-km-svg', /Number at risk/]]) {
    const svg = await get(sel);
    assert.match(svg.name, /\.svg$/);
    assert.match(svg.bytes.toString('utf8'), /^<svg[^>]*width="720"/);
    assert.match(svg.bytes.toString('utf8'), pattern);
  }
  for (const sel of ['#conf-love-png', '#conf-overlap-png', '#conf-km-png']) {
    const png = await get(sel);
    assert.match(png.name, /300dpi\.png$/);
    assert.deepEqual([...png.bytes.subarray(1, 4)], [80, 78, 71]);
    assert.equal(png.bytes.readUInt32BE(16), 2100, 'width: 7 in at 300 dpi');
    const phys = png.bytes.indexOf(Buffer.from('pHYs'));
    assert.equal(png.bytes.readUInt32BE(phys + 4), 11811, '300 dpi in pixels per metre');
  }
  const csv = (await get('#conf-table1-csv')).bytes.toString('utf8').split('\r\n');
  assert.match(csv[0], /^covariate,level,statistic,IM,IM\+HR,IM\+RFA\/TACE,overall,test/);
  assert.ok(csv.some((l) => l.startsWith('age,,mean,')));
  await context.close();
});

test('a bootstrap shows progress, can be cancelled, and the page keeps working', async () => {
  const { page, context } = await openConfounding();
  await page.fill('#conf-boot-reps', '5000');
  await page.click('#conf-boot-run');
  await page.waitForFunction(() => Number(document.getElementById('conf-boot-progress').value) > 0, null, { timeout: 60000 });
  assert.match(await page.textContent('#conf-boot-status'), /Bootstrap: \d+ of 5000 replicates/);
  await page.click('#conf-boot-cancel');
  await page.waitForFunction(() => /cancelled/.test(document.getElementById('conf-boot-status').textContent), null, { timeout: 10000 });
  assert.equal(await page.isHidden('#conf-boot-cancel'), true);
  // The results stay, a short bootstrap then runs to the end in the fresh worker.
  assert.ok(await page.evaluate(() => window.survlensConfounding.state.report.adjusted.cox.terms.length === 2));
  await page.fill('#conf-boot-reps', '40');
  await page.click('#conf-boot-run');
  await page.waitForFunction(() => /Bootstrap done/.test(document.getElementById('conf-boot-status').textContent), null, { timeout: 120000 });
  const boot = await page.evaluate(() => window.survlensConfounding.state.boot);
  assert.equal(boot.replicates, 40);
  assert.equal(boot.cox.length, 2);
  assert.equal(await page.locator('#conf-km-card [data-field="bootstrap"]').count(), 2);
  // The crude analysis still runs.
  await page.click('#analysis-options summary');
  await page.selectOption('#conf-type', 'plain');
  await page.waitForFunction(() => window.survlensDebug.state.report?.km?.conf_type === 'plain', null, { timeout: 30000 });
  assert.equal(await page.isHidden('#form-error'), true);
  await context.close();
});
