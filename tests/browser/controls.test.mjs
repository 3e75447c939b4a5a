// Every spec key has a control (issue 16): a table maps each key of the spec to the
// control that sets it; the test sets the control and finds the key in the protocol
// the page saves ("Save protocol": the spec as it ran, defaults filled in). A protocol
// file is a convenience, never the only way to reach an analysis.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { probedPage, waitForResult } from './helpers.mjs';
import { browserSession, hospitalCsv, upload, settled, openAllDetails } from './cohort.mjs';

const session = browserSession();

// key → [control (selector), what to set: a value (select, text), true (checkbox, radio)], and what
// the saved protocol must hold at that key. Phases: settings that run together.
const DURATION = [
  ['time.column', 'input[name="time-mode"][value="duration"]', true, undefined],
  ['time.column', '#time-column', 'fu_months', 'fu_months'],
  ['time.entry', '#entry-column', 'entry_months', 'entry_months'],
  ['event.column', '#event-column', 'status', 'status'],
  ['event.values', '#event-values-list select[data-value="Dead"]', 'event', ['Dead']],
  ['event.censored_values', '#event-values-list select[data-value="Alive"]', 'censored', ['Alive']],
  ['group.column', '#group-column', 'arm', 'arm'],
  ['group.reference', '#group-reference', 'Medical', 'Medical'],
  ['covariates', '#covariate-list input[value="age"]', true, (v) => v.length === 1 && v[0].column === 'age'],
  ['strata', '#strata-list input[value="center"]', true, ['center']],
  ['weights.column', '#weights-column', 'weight', 'weight'],
  ['cluster.column', '#cluster-column', 'mrn', 'mrn'],
  ['missing', '#missing-tokens', 'NA, unknown', (v) => v.includes('unknown') && v.includes('NA') && v.includes('')],
  ['km.conf_type', '#conf-type', 'log-log', 'log-log'],
  ['km.conf_level', '#conf-level', '0.9', 0.9],
  ['km.times', '#times', '6, 12', [6, 12]],
  ['logrank.rho', '#rho', '1', 1],
  ['logrank.pairwise', '#pairwise', 'all', 'all'],
  ['logrank.adjust', '#adjust', 'BH', 'BH'],
  ['cox.ties', '#cox-ties', 'breslow', 'breslow'],
  ['cox.robust', '#cox-robust', true, true],
  ['cox.univariable', '#cox-univariable', true, true],
  ['cox.ph_test.transform', '#ph-transform', 'rank', 'rank'],
  ['cox.ph_test.residuals', '#ph-residuals', true, true],
  ['table1', '#table1', true, (v) => typeof v === 'object' && v !== null],
  ['sites.km_width', '#sites-km-width', '6', 6],
  ['sites.min_cell', '#sites-min-cell', '10', 10],
  ['subgroups.columns', '#subgroup-list input[type="checkbox"][value="age"]', true, undefined],
  ['subgroups.columns', '#subgroup-list input[data-cut-for="age"]', '60', [{ column: 'age', cut: [60] }]],
  ['subgroups.adjust', '#subgroup-adjust', true, true],
  ['follow_up', '#follow-up', true, {}],
  ['conditional.given', '#conditional-given', '6, 24', [6, 24]],
  ['conditional.times', '#conditional-times', '12', [12]],
  ['sensitivity', '#sensitivity', true, (v) => typeof v === 'object' && v !== null],
  ['sensitivity.outcome_rare', '#outcome-rare', 'true', true],
];
const DATES = [
  ['time.start', 'input[name="time-mode"][value="dates"]', true, undefined],
  ['time.start', '#start-column', 'diagnosis_date', 'diagnosis_date'],
  ['time.end', '#end-column', 'last_contact_date', 'last_contact_date'],
  ['time.unit', '#time-unit', 'weeks', 'weeks'],
  ['time.date_format', '#date-format', '%Y-%m-%d', '%Y-%m-%d'],
  ['rmst.tau', '#tau', '20', 20],
  ['treatment_time.date', '#treatment-time-column', 'local_tx_date', 'local_tx_date'],
  ['landmark.times', '#landmark-times', '4', [4]],
  ['time_dependent', '#time-dependent', true, {}],
];
const TREATMENT_TIME = [
  ['time.column', 'input[name="time-mode"][value="duration"]', true, undefined],
  ['time.column', '#time-column', 'fu_months', 'fu_months'],
  ['treatment_time.column', '#treatment-time-column', 'tx_months', 'tx_months'],
  ['treatment_time.column', 'input[name="treatment-time-kind"][value="column"]', true, 'tx_months'],
];

const at = (obj, key) => key.split('.').reduce((o, k) => (o === undefined || o === null ? undefined : o[k]), obj);

async function setControl(page, selector, value) {
  const kind = await page.$eval(selector, (e) => (e.tagName === 'SELECT' ? 'select' : e.type));
  if (kind === 'select') await page.selectOption(selector, value);
  else if (kind === 'checkbox' || kind === 'radio') await page.check(selector);
  else await page.fill(selector, value);
  await page.waitForTimeout(50);
}

/** Sets the controls of `rows` in order, waits for the analysis, saves the protocol and checks every key. */
async function phase(page, rows) {
  for (const [, selector, value] of rows) await setControl(page, selector, value);
  // The columns set by hand are confirmed (the mapping step shows no result before).
  if (await page.isVisible('#confirm-mapping')) await page.click('#confirm-mapping');
  await settled(page);
  assert.equal(await page.isHidden('#form-error'), true, await page.textContent('#form-error'));
  const [d] = await Promise.all([page.waitForEvent('download'), page.click('#save-protocol')]);
  const protocol = JSON.parse(readFileSync(await d.path(), 'utf8'));
  for (const [key, selector, , want] of rows) {
    if (want === undefined) continue;
    const got = at(protocol, key);
    if (typeof want === 'function') assert.ok(want(got), `${key} ← ${selector}: ${JSON.stringify(got)}`);
    else assert.deepEqual(got, want, `${key} ← ${selector}`);
  }
  return protocol;
}

async function openFile() {
  const probe = await probedPage(session.browser, { viewport: { width: 1280, height: 900 } });
  await probe.page.goto(session.server.url);
  await waitForResult(probe.page);
  await upload(probe.page, 'hospital.csv', hospitalCsv());
  await settled(probe.page);
  await openAllDetails(probe.page);
  return probe;
}

test('every spec key of the main analysis is set by a control and saved in the protocol', async () => {
  const { page, context, log } = await openFile();
  const a = await phase(page, DURATION);
  // Cox and its forest plot, Table 1 and E-values are on the page for this file (the PH
  // test of a delayed-entry model is not computed: tests/browser/flows.test.mjs shows it).
  for (const id of ['#cox-table', '#cox-forest-canvas', '#table1-table', '#evalue-card']) {
    assert.equal(await page.isVisible(id), true, id);
  }
  assert.ok(a.cox && a.table1 && a.sensitivity);
  // Dates with a treatment date: the immortal-time panel opens.
  await page.selectOption('#entry-column', ''); // delayed entry belongs to a duration time
  const b = await phase(page, DATES);
  assert.equal(b.time.entry, undefined);
  assert.equal(await page.isVisible('#immortal-table'), true);
  assert.deepEqual(await page.$$eval('#immortal-table tbody tr', (r) => r.map((x) => x.dataset.analysis)), ['naive', 'landmark', 'time_dependent']);
  // A treatment time as a duration column (picked by its kind: a number, not a date).
  await page.fill('#tau', '');
  await phase(page, TREATMENT_TIME);
  // Unset, a key leaves the protocol.
  await page.selectOption('#treatment-time-column', '');
  await page.uncheck('#table1');
  const c = await phase(page, []);
  assert.equal(c.treatment_time, undefined);
  assert.equal(c.landmark, undefined);
  assert.equal(c.table1, undefined);
  assert.deepEqual(log.errors, []);
  await context.close();
});

test('the confounding step sets propensity, adjusted and sensitivity from its own controls', async () => {
  const { page, context } = await openFile();
  await phase(page, DURATION.slice(0, 7).filter(([k]) => k !== 'time.entry'));
  await page.check('#conf-covariates input[value="age"]');
  await page.check('#conf-covariates input[value="sex"]');
  await page.selectOption('#conf-estimand', 'ATO');
  await page.click('#conf-run');
  await page.waitForFunction(() => window.survlensConfounding?.state.report?.adjusted, null, { timeout: 60000 });
  const spec = await page.evaluate(() => window.survlensConfounding.state.spec);
  // As it runs: the core's protocol of the step's spec.
  const ran = await page.evaluate(async (s) => JSON.parse(await window.survlensDebug.engine.protocol(s)), spec);
  assert.deepEqual(ran.propensity.covariates, ['age', 'sex']);
  assert.equal(ran.propensity.estimand, 'ATO');
  assert.ok(ran.adjusted && ran.sensitivity && ran.table1);
  await context.close();
});

test('the confounding step sets matching (covariates, ratio, caliper, replacement, order) from its own controls', async () => {
  const { page, context } = await openFile();
  await phase(page, DURATION.slice(0, 7).filter(([k]) => k !== 'time.entry'));
  await page.click('label[for="conf-method-matching"]');
  await page.check('#conf-covariates input[value="age"]');
  await page.check('#conf-covariates input[value="sex"]');
  await page.selectOption('#match-ratio', '2');
  await page.selectOption('#match-caliper', '0.1');
  await page.selectOption('#match-order', 'smallest');
  await page.check('#match-replace');
  await page.click('#conf-run');
  await page.waitForFunction(() => window.survlensConfounding?.state.matchReport, null, { timeout: 60000 });
  const spec = await page.evaluate(() => window.survlensConfounding.state.matchSpec);
  const ran = await page.evaluate(async (s) => JSON.parse(await window.survlensDebug.engine.protocol(s)), spec);
  assert.deepEqual(ran.matching, { covariates: ['age', 'sex'], ratio: 2, caliper: 0.1, replace: true, order: 'smallest' });
  // "none": no caliper.
  await page.selectOption('#match-caliper', '');
  await page.waitForFunction(() => window.survlensConfounding?.state.matchSpec?.matching.caliper === null, null, { timeout: 60000 });
  await context.close();
});

test('KM times and τ come from engine.suggestTimes, again when the time mapping changes, never over the user\'s', async () => {
  const { page, context } = await openFile();
  // A stand-in for the core's suggestion (Engine#suggestTimes, computed in Rust: the page
  // never computes it), answering by the time mapping it is asked about.
  await page.evaluate(() => {
    window.__asked = [];
    window.survlensDebug.engine.suggestTimes = async (spec) => {
      window.__asked.push(spec);
      return spec.time.column ? { times: [6, 12], tau: 12, max_follow_up: 70.1 } : { times: [26, 52], tau: 52, max_follow_up: null };
    };
  });
  await page.check('input[name="time-mode"][value="duration"]');
  await page.selectOption('#time-column', 'fu_months');
  await settled(page);
  assert.equal(await page.inputValue('#times'), '6, 12');
  assert.equal(await page.inputValue('#tau'), '12');
  assert.match(await page.textContent('#follow-up-hint'), /70\.1/);
  await page.check('input[name="time-mode"][value="dates"]');
  await settled(page);
  assert.equal(await page.inputValue('#times'), '26, 52');
  assert.equal(await page.textContent('#follow-up-hint'), '');
  // The user's times stay; τ, not edited, follows the mapping.
  await page.fill('#times', '1, 2');
  await page.check('input[name="time-mode"][value="duration"]');
  await settled(page);
  assert.equal(await page.inputValue('#times'), '1, 2');
  assert.equal(await page.inputValue('#tau'), '12');
  const asked = await page.evaluate(() => window.__asked);
  assert.ok(asked.length >= 3);
  for (const s of asked) {
    assert.deepEqual(s.km.times, [], 'asked without times');
    assert.equal(s.rmst, undefined, 'asked without τ');
  }
  const ran = await page.evaluate(() => window.survlensDebug.state.report.spec);
  assert.deepEqual(ran.km.times, [1, 2]);
  assert.equal(ran.rmst.tau, 12);
  await context.close();
});

test('cox.periods is set by the Cox options\' cut points field', async () => {
  const { page, context } = await openFile();
  const rows = DURATION.filter(([k]) => !k.startsWith('subgroups') && k !== 'time.entry' && k !== 'weights.column' && k !== 'cluster.column');
  const p = await phase(page, [...rows, ['cox.periods', '#cox-periods', '6, 12', [6, 12]]]);
  assert.deepEqual(p.cox.periods, [6, 12]);
  await context.close();
});
