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
