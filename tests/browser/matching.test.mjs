// Headless-browser tests of propensity-score matching in the Confounding step (issue 20):
// on the demo (three arms: IM, IM+HR, IM+RFA/TACE) the page's matching shows two
// comparisons against IM whose Report is the CLI's byte for byte on the same spec, and
// whose flow, balance, log-rank, Cox and RMST numbers on the page are that Report's; the
// matched-pair CSV is exported only with the report's patient-level opt-in and lists the
// Report's pairs; new options take the old results off the page at once; the step reads
// in Chinese; screenshots at 1280 and 390 px in English and Chinese (written to
// SURVLENS_SCREENSHOTS, default the temp folder, for a person to look at).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, WWW, startServer, launch, probedPage, waitForResult, panelScreenshots, boxOf, cliReport } from './helpers.mjs';

const haveCli = existsSync(CLI);
const TMP = mkdtempSync(join(tmpdir(), 'survlens-matching-test-'));
const SHOTS = process.env.SURVLENS_SCREENSHOTS ?? join(TMP, 'screenshots');
mkdirSync(SHOTS, { recursive: true });
const DEMO_CSV = join(WWW, 'demo/gist_liver_mets_demo.csv');
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

/** The demo page with the matching step run on its default options. */
async function openMatching(viewport = { width: 1280, height: 900 }, hash = '') {
  const probe = await probedPage(browser, { viewport });
  await probe.page.goto(`${server.url}${hash}`);
  await waitForResult(probe.page);
  await probe.page.click('label[for="conf-method-matching"]');
  await probe.page.click('#conf-run');
  await probe.page.waitForFunction(() => window.survlensConfounding?.state.matchReport?.matching, null, { timeout: 120000 });
  await probe.page.waitForFunction(() => [...document.querySelectorAll('#match-results canvas')].every((c) => c.width > 0), null, { timeout: 30000 });
  return probe;
}

test('the matching step on the demo shows two comparisons equal to the CLI Report', { skip: !haveCli && 'CLI not built' }, async () => {
  const { page, context, log } = await openMatching();
  const { spec, json, report } = await page.evaluate(() => {
    const s = window.survlensConfounding.state;
    return { spec: s.matchSpec, json: s.matchJson, report: s.matchReport };
  });
  // The spec: the demo's covariates (typed as in the demo spec), the default options.
  const demoSpec = JSON.parse(readFileSync(join(WWW, 'demo/demo_spec.json'), 'utf8'));
  assert.deepEqual(spec.matching, {
    covariates: demoSpec.covariates.map((c) => c.column), ratio: 1, caliper: 0.2, replace: false, order: 'largest',
  });
  assert.deepEqual(spec.covariates, demoSpec.covariates);
  for (const k of ['propensity', 'adjusted', 'cox', 'landmark', 'time_dependent', 'treatment_time']) assert.equal(spec[k], undefined, k);
  // Byte for byte the CLI's Report on the same spec.
  assert.equal(json, cliText(spec));
  // Two comparisons against the reference, in group order.
  assert.deepEqual(report.matching.map((c) => [c.a, c.b]), [['IM+HR', 'IM'], ['IM+RFA/TACE', 'IM']]);
  const shown = await page.evaluate(() => [...document.querySelectorAll('.match-comparison')].map((card) => {
    const data = (f) => [...card.querySelectorAll(`[data-field="${f}"]`)].map((c) => ({ ...c.dataset }));
    return {
      a: card.dataset.a,
      head: card.querySelector('h3').textContent,
      flow: { ...card.querySelector('.match-flow').dataset },
      flowText: card.querySelector('.match-flow').textContent,
      before: data('smd_before'), after: data('smd_after'),
      imbalanced: [...card.querySelectorAll('tr.imbalanced th')].map((th) => th.textContent),
      logrank: data('logrank_chisq').concat(data('logrank_p')),
      cox: data('cox_hr'), coxP: data('cox_p'), rmst: data('rmst_difference'),
      figures: [...card.querySelectorAll('canvas')].map((c) => [c.dataset.figure, c.width > 0, c.height > 0]),
    };
  }));
  assert.equal(shown.length, 2);
  report.matching.forEach((c, i) => {
    const s = shown[i];
    assert.equal(s.a, c.a);
    assert.equal(s.head, `${c.a} vs ${c.b}`);
    const nA = c.n_matched.a + c.n_unmatched.a;
    const nB = c.n_matched.b + c.n_unmatched.b;
    assert.deepEqual(s.flow, {
      field: 'flow', nA: String(nA), matchedA: String(c.n_matched.a), unmatchedA: String(c.n_unmatched.a),
      nB: String(nB), matchedB: String(c.n_matched.b), unmatchedB: String(c.n_unmatched.b),
    });
    assert.ok(s.flowText.startsWith(`${nA} ${c.a} patients, ${c.n_matched.a} matched, ${c.n_unmatched.a} without a partner within the caliper.`), s.flowText);
    // The counts add up: every model row of the two arms is matched or not.
    assert.equal(nA + nB, c.n);
    assert.equal(c.pairs.length, c.n_matched.a);
    // Balance: every term, before and after, as the Report; flagged where |SMD| > 0.1.
    assert.deepEqual(s.before.map((d) => [d.term, d.value === 'null' ? null : Number(d.value)]), c.balance.map((b) => [b.term, b.smd_before]));
    assert.deepEqual(s.after.map((d) => [d.term, d.value === 'null' ? null : Number(d.value)]), c.balance.map((b) => [b.term, b.smd_after]));
    assert.deepEqual(s.imbalanced, c.balance.filter((b) => b.smd_after !== null && Math.abs(b.smd_after) > 0.1).map((b) => b.term));
    // Effects: the stratified log-rank, the clustered Cox HR, the RMST difference (τ 120).
    assert.equal(c.logrank.stratified, true);
    assert.deepEqual(s.logrank.map((d) => Number(d.value)), [c.logrank.chisq, c.logrank.p]);
    assert.deepEqual(s.cox.map((d) => [Number(d.value), Number(d.lower), Number(d.upper)]), c.cox.terms.map((t) => [t.hr, t.lower, t.upper]));
    assert.deepEqual(s.coxP.map((d) => Number(d.value)), c.cox.terms.map((t) => t.p));
    assert.equal(c.rmst_difference.length, 1);
    assert.deepEqual(s.rmst.map((d) => Number(d.value)), c.rmst_difference.map((d) => d.estimate));
    assert.deepEqual(s.figures, [['matching_balance', true, true], ['matching_scores', true, true], ['matching_km', true, true]]);
  });
  assert.deepEqual(log.errors, []);
  assert.deepEqual(await page.evaluate(() => window.__csp), []);
  await context.close();
});

test('the matched pairs are exported only with the patient-level opt-in, lines only', { skip: !haveCli && 'CLI not built' }, async () => {
  const { page, context } = await openMatching();
  const report = await page.evaluate(() => window.survlensConfounding.state.matchReport);
  const button = '.match-comparison[data-a="IM+HR"] .match-pairs';
  assert.equal(await page.isDisabled(button), true);
  assert.equal(await page.isVisible('.match-comparison[data-a="IM+HR"] .match-pairs-hint'), true);
  await page.check('#report-patient-data');
  assert.equal(await page.isDisabled(button), false);
  assert.equal(await page.isVisible('.match-comparison[data-a="IM+HR"] .match-pairs-hint'), false);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click(button)]);
  assert.equal(download.suggestedFilename(), 'survlens-demo-matched-pairs-IM_HR.csv');
  const csv = readFileSync(await download.path(), 'utf8');
  const c = report.matching[0];
  const want = ['a_line,b_lines', ...c.pairs.map((p) => `${p.a_line},${p.b_lines.join(' ')}`)].join('\r\n') + '\r\n';
  assert.equal(csv, want);
  // Lines only: no value of the file (a patient id, a date) is in it.
  assert.doesNotMatch(csv, /GL\d|20\d\d-/);
  await page.uncheck('#report-patient-data');
  assert.equal(await page.isDisabled(button), true);
  await context.close();
});

test('new options take the matched results off the page at once, then the new ones come', { skip: !haveCli && 'CLI not built' }, async () => {
  const { page, context } = await openMatching();
  await page.evaluate(() => {
    // Record whether the old results were ever on screen together with the new options.
    window.__stale = false;
    new MutationObserver(() => {
      const r = window.survlensConfounding.state.matchReport;
      const caliper = document.getElementById('match-caliper').value;
      if (r && caliper === '' && r.matching.some((c) => c.caliper_width !== null)) window.__stale = true;
    }).observe(document.getElementById('match-results'), { childList: true, subtree: true, attributes: true });
  });
  // The change and the look at the page in one task: the new run (a release build on the
  // demo) may come back before a second round trip from the test would look.
  const right = await page.evaluate(() => {
    const select = document.getElementById('match-caliper');
    select.value = '';
    select.dispatchEvent(new Event('input', { bubbles: true }));
    select.dispatchEvent(new Event('change', { bubbles: true }));
    const box = document.getElementById('match-results');
    return { report: window.survlensConfounding.state.matchReport, hidden: box.hidden || box.offsetParent === null || box.childElementCount === 0 };
  });
  assert.equal(right.report, null, 'the old Report is dropped');
  assert.equal(right.hidden, true, 'the old results are hidden');
  await page.waitForFunction(() => window.survlensConfounding.state.matchReport?.matching, null, { timeout: 120000 });
  const r = await page.evaluate(() => window.survlensConfounding.state.matchReport);
  assert.deepEqual(r.matching.map((c) => c.caliper_width), [null, null], 'the new Report has no caliper');
  assert.equal(await page.evaluate(() => window.__stale), false, 'old results beside the new options');
  assert.match(await page.textContent('.match-comparison .match-flow'), /without a partner\./);
  // Back to weighting: the matched results leave; a new file would clear them too.
  await page.click('label[for="conf-method-weighting"]');
  assert.equal(await page.evaluate(() => window.survlensConfounding.state.matchReport), null, 'weighting: no matched Report');
  assert.equal(await page.isHidden('#match-results'), true, 'weighting: matched results hidden');
  await page.waitForFunction(() => window.survlensConfounding.state.report?.adjusted, null, { timeout: 120000 });
  assert.equal(await page.isHidden('#match-results'), true, 'weighting results: matched results still hidden');
  await context.close();
});

// Latin text allowed on the Chinese page (tests/browser/i18n.test.mjs's reasons), and
// "logit", printed as it is.
const DEMO = readFileSync(DEMO_CSV, 'utf8');
const words = (s) => s.match(/[A-Za-z]{2,}/g) ?? [];
const ALLOWED = new Set([...words(DEMO), 'HR', 'CI', 'RMST', 'SMD', 'Cox', 'Kaplan', 'Meier', 'Love', 'SVG', 'PNG', 'CSV', 'dpi', 'df', 'vs', 'logit', 'logistic', 'EN', 'SurvLens', 'JSON', 'Bootstrap']);

test('screenshots at 1280 and 390 px in English and Chinese; the Chinese step has no English', { skip: !haveCli && 'CLI not built' }, async () => {
  await panelScreenshots({
    name: 'matching', shots: SHOTS, root: '#confounding-step', allowed: ALLOWED, open: openMatching,
    // The step in parts a person can read: the options, then the first comparison's
    // flow and tables, then its figures.
    parts: async (page) => {
      const card = await boxOf(page, '#match-c-1');
      const figs = await boxOf(page, '#match-c-1 .match-figures');
      return { options: await boxOf(page, '#confounding-step .confounding-form'), tables: { ...card, height: figs.y - card.y }, figures: figs };
    },
  });
});
