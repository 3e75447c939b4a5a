// A clinician's own file end to end (issue 16): columns chosen by hand, covariates →
// the Cox card with its forest plot and PH test, a treatment date → the immortal-time
// panel; and the demo's flow. Screenshots at 1280 px in English and Chinese are written
// to $SURVLENS_SHOTS (default: the temporary directory) for a person to look at.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { probedPage, waitForResult } from './helpers.mjs';
import { browserSession, hospitalCsv, upload, settled, openAllDetails, mapHospital, visibleResults } from './cohort.mjs';

const SHOTS = process.env.SURVLENS_SHOTS ?? tmpdir();
const session = browserSession();

async function userFlow(lang) {
  const probe = await probedPage(session.browser, { viewport: { width: 1280, height: 900 }, locale: lang === 'zh' ? 'zh-CN' : 'en-GB' });
  const { page } = probe;
  await page.goto(session.server.url);
  await waitForResult(page);
  await upload(page, 'hospital.csv', hospitalCsv());
  await settled(page);
  await openAllDetails(page);
  await mapHospital(page, { dates: true });
  // No covariate: no Cox card, no Cox options.
  assert.equal(await page.isHidden('#cox-card'), true);
  assert.equal(await page.isHidden('#cox-options'), true);
  await page.check('#covariate-list input[value="age"]');
  await page.check('#covariate-list input[value="sex"]');
  await settled(page);
  assert.equal(await page.isVisible('#cox-options'), true);
  assert.equal(await page.isVisible('#cox-card'), true);
  const terms = await page.$$eval('#cox-table tbody th', (th) => th.map((x) => x.textContent));
  assert.ok(terms.some((t) => t.startsWith('age')) && terms.some((t) => t.startsWith('arm')), JSON.stringify(terms));
  await page.waitForSelector('#cox-forest-canvas[data-drawn="1"]');
  assert.equal(await page.isVisible('#cox-ph-table'), true);
  // A treatment date opens the immortal-time panel (its kind picked from the column: a date).
  assert.equal(await page.isHidden('#immortal-options'), true);
  await page.selectOption('#treatment-time-column', 'local_tx_date');
  assert.equal(await page.isChecked('input[name="treatment-time-kind"][value="date"]'), true);
  assert.equal(await page.isVisible('#immortal-options'), true);
  await page.fill('#landmark-times', '2');
  await settled(page);
  assert.equal(await page.isVisible('#immortal-card'), true, await page.textContent('#form-error'));
  const spec = await page.evaluate(() => window.survlensDebug.state.report.spec);
  assert.deepEqual(spec.treatment_time, { date: 'local_tx_date' });
  assert.deepEqual(spec.landmark, { times: [2] });
  assert.deepEqual(spec.time_dependent, {});
  return probe;
}

test('a user file end to end: columns, covariates → Cox card, forest and PH test, a treatment date → immortal panel (English)', async () => {
  const { page, context, log } = await userFlow('en');
  await page.screenshot({ path: join(SHOTS, 'survlens-user-flow-1280-en.png'), fullPage: true });
  assert.deepEqual(log.errors, []);
  await context.close();
});

test('the same flow on the Chinese page; the new controls read in Chinese', async () => {
  const { page, context, log } = await userFlow('zh');
  await page.waitForTimeout(100);
  for (const sel of ['#cox-options legend', 'label[for="treatment-time-column"]', 'label[for="landmark-times"]', '#more-columns summary', 'label[for="missing-tokens"]']) {
    assert.match(await page.textContent(sel), /[\u4e00-\u9fff]/, sel);
  }
  await page.screenshot({ path: join(SHOTS, 'survlens-user-flow-1280-zh.png'), fullPage: true });
  assert.deepEqual(log.errors, []);
  await context.close();
});

test('the demo flow: its own settings, every panel, and nothing of it after the next file', async () => {
  const { page, context } = await probedPage(session.browser, { viewport: { width: 1280, height: 900 } });
  await page.goto(session.server.url);
  await waitForResult(page);
  await openAllDetails(page);
  const shown = await visibleResults(page);
  for (const id of ['figure-card', 'summary-card', 'logrank-card', 'cox-card', 'immortal-card', 'data-card']) assert.ok(shown.includes(id), `${id}: ${shown}`);
  // The demo's settings show in the controls (so a change re-runs the demo as specified).
  assert.equal(await page.inputValue('#treatment-time-column'), 'local_treatment_date');
  assert.equal(await page.inputValue('#landmark-times'), '6, 12');
  assert.equal(await page.isChecked('#cox-univariable'), true);
  await page.screenshot({ path: join(SHOTS, 'survlens-demo-1280-en.png'), fullPage: false });
  // A log-rank test without a statistic (logrank_singular: chisq and p null) still lets the
  // figure draw, without its p label (it used to fail the whole page).
  const drawn = await page.evaluate(async () => {
    const { drawKaplanMeier } = await import('./survlens.js');
    const r = window.survlensDebug.state.report;
    const singular = { ...r, logrank: { ...r.logrank, chisq: null, p: null, pairwise: [] } };
    const canvas = document.createElement('canvas');
    return drawKaplanMeier(canvas, singular, { width: 600 }).width;
  });
  assert.equal(drawn, 600);
  await upload(page, 'hospital.csv', hospitalCsv());
  await settled(page);
  assert.equal(await page.inputValue('#treatment-time-column'), '');
  assert.equal(await page.inputValue('#landmark-times'), '');
  assert.equal(await page.isChecked('#cox-univariable'), false);
  await context.close();
});

test('each card states its n and what it left out; a time past follow-up reads "beyond follow-up"', async () => {
  const { page, context } = await probedPage(session.browser, { viewport: { width: 1280, height: 900 } });
  await page.goto(session.server.url);
  await waitForResult(page);
  // The demo's Report with the fields of complete cases per analysis and of times past
  // follow-up as the contract's "Changes to v1" define them.
  const shown = await page.evaluate(() => {
    const r = structuredClone(window.survlensDebug.state.report);
    r.cox.missing_covariates = { n: 10, by_column: { ecog: 6, kit_exon: 4 } };
    const c = r.km.curves[0];
    c.at_times[c.at_times.length - 1] = { time: 500, n_risk: 0, surv: null, std_err: null, lower: null, upper: null, beyond_follow_up: true };
    r.warnings.push({ code: 'rmst_tau_beyond_follow_up', message: 'τ is later than the last follow-up of IM.', context: { section: 'rmst', groups: [c.group], max_tau: 98.6 } });
    window.survlensDebug.showReport(r);
    const beyond = document.querySelector('#summary-table [data-beyond="true"]');
    return {
      cox: document.getElementById('cox-missing')?.textContent,
      beyond: beyond?.textContent, group: beyond?.closest('tr').querySelector('th').textContent,
      rmst: [...document.querySelectorAll('#summary-table [data-field="rmst"]')].map((x) => x.textContent),
      table: document.getElementById('summary-table').textContent,
    };
  });
  assert.equal(shown.cox, '10 patients left out for a missing covariate (ecog 6, kit_exon 4).');
  assert.equal(shown.beyond, 'beyond follow-up');
  assert.ok(!/NA–NA|NaN/.test(shown.table), shown.table);
  assert.match(shown.rmst[0], /τ beyond follow-up/);
  assert.ok(!/τ beyond/.test(shown.rmst[1]), 'only the curve that ends before τ');
  await context.close();
});
