// The mapping step (issue 16): fields filled from the core's suggested mapping, what
// SurvLens chose said beside each field, and no result for a file whose columns
// SurvLens is not sure of until the user presses "Confirm columns". Files from the
// guess corpus (tests/guess_corpus/, written by make_corpus.R).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, browserSession, probedPage, waitForResult } from './helpers.mjs';

const CORPUS = join(ROOT, 'tests/guess_corpus');
const session = browserSession();

async function openWith(file) {
  const probe = await probedPage(session.browser);
  await probe.page.goto(session.server.url);
  await waitForResult(probe.page); // the demo
  await probe.page.setInputFiles('#file', file.endsWith('.xlsx') ? join(CORPUS, file)
    : { name: file, mimeType: 'text/csv', buffer: readFileSync(join(CORPUS, file)) });
  await probe.page.waitForFunction((f) => window.survlensDebug.state.dataName === f && window.survlensDebug.state.preview
    && !document.body.classList.contains('busy'), file, { timeout: 30000 });
  await probe.page.waitForTimeout(500); // a run started by the fill would be under way by now
  await probe.page.waitForFunction(() => !document.body.classList.contains('busy'), null, { timeout: 30000 });
  return probe;
}

/** The spec of the last analysis the page ran (null before any). */
const lastSpec = (page) => page.evaluate(() => window.survlensDebug.state.spec);

test('a file with ambiguous dates shows no result until the columns are confirmed', async () => {
  const { page, log, context } = await openWith('ambiguous_dates.csv');
  // Filled from the guess, said to be unsure, with the note in words.
  assert.equal(await page.inputValue('#start-column'), 'Date_of_Diagnosis');
  assert.equal(await page.inputValue('#end-column'), 'Date_of_Last_Follow_up');
  assert.equal(await page.inputValue('#date-format'), '%d/%m/%Y');
  assert.match(await page.textContent('#time-check'), /not sure about Date_of_Diagnosis → Date_of_Last_Follow_up/);
  assert.match(await page.textContent('#mapping-notes'), /12 or less, so 03\/04 may be 3 April or 4 March/);
  assert.equal(await page.isVisible('#confirm-mapping'), true);
  // No analysis of this file ran: the last one is still the demo's, and the status asks.
  const before = await lastSpec(page);
  assert.notEqual(before?.time?.start, 'Date_of_Diagnosis');
  assert.match(await page.textContent('#status-text'), /Confirm columns/);
  // Changing a field does not run it either.
  await page.selectOption('#time-unit', 'days');
  await page.waitForTimeout(600);
  assert.notEqual((await lastSpec(page))?.time?.start, 'Date_of_Diagnosis');
  // Confirmed: it runs, on the columns shown.
  await page.click('#confirm-mapping');
  await page.waitForFunction(() => window.survlensDebug.state.report?.spec?.time?.start === 'Date_of_Diagnosis'
    && !document.body.classList.contains('busy'), null, { timeout: 30000 });
  const spec = await lastSpec(page);
  assert.deepEqual(spec.time, { start: 'Date_of_Diagnosis', end: 'Date_of_Last_Follow_up', unit: 'days', date_format: '%d/%m/%Y' });
  assert.deepEqual(spec.event, { column: 'Status', values: ['Dead'], censored_values: ['Alive'] });
  assert.equal(await page.isHidden('#confirm-mapping'), true);
  assert.match(await page.textContent('#mapping-confirm'), /Columns confirmed/);
  assert.equal(await page.isHidden('#form-error'), true, await page.textContent('#form-error'));
  assert.deepEqual(log.errors, []);
  await context.close();
});

test('a confident guess runs at once and says what it chose', async () => {
  const { page, context } = await openWith('colon_hospital.csv');
  await page.waitForFunction(() => window.survlensDebug.state.report?.spec?.time?.start === 'Diagnosis_Date', null, { timeout: 30000 });
  assert.match(await page.textContent('#time-check'), /SurvLens chose Diagnosis_Date → Last_FU_Date — check/);
  assert.match(await page.textContent('#group-check'), /SurvLens chose Treatment — check/);
  assert.equal(await page.isHidden('#mapping-confirm'), true);
  const spec = await lastSpec(page);
  assert.equal(spec.time.date_format, '%d/%m/%Y');
  assert.equal(spec.group.column, 'Treatment');
  await context.close();
});

test('a workbook is guessed as its CSV: Excel date cells read as ISO dates', async () => {
  const { page, log, context } = await openWith('colon_hospital.xlsx');
  await page.waitForFunction(() => window.survlensDebug.state.report?.spec?.time?.start === 'Diagnosis_Date'
    && !document.body.classList.contains('busy'), null, { timeout: 30000 });
  const spec = await lastSpec(page);
  assert.equal(spec.time.date_format, '%Y-%m-%d');
  assert.deepEqual(spec.event, { column: 'Status', values: ['Dead'], censored_values: ['Alive'] });
  assert.equal(await page.isHidden('#mapping-confirm'), true);
  assert.deepEqual(log.errors, []);
  await context.close();
});

test('a Chinese export: 死亡/存活 recognised, counts shown, unit days from 生存时间_天', async () => {
  const { page, log, context } = await openWith('lung_zh.csv');
  assert.equal(await page.inputValue('#time-column'), '生存时间_天');
  assert.equal(await page.inputValue('#time-unit'), 'days');
  assert.equal(await page.inputValue('#event-column'), '结局');
  const rows = await page.$$eval('#event-values-list .event-value', (rs) => rs.map((r) => ({
    value: r.querySelector('.value').textContent, count: r.querySelector('.count').textContent, kind: r.querySelector('select').value,
  })));
  const csv = readFileSync(join(CORPUS, 'lung_zh.csv'), 'utf8');
  const dead = (csv.match(/,死亡,/g) ?? []).length;
  const alive = (csv.match(/,存活,/g) ?? []).length;
  assert.deepEqual(rows.sort((a, b) => a.value.localeCompare(b.value)), [
    { value: '存活', count: `(${alive} rows)`, kind: 'censored' },
    { value: '死亡', count: `(${dead} rows)`, kind: 'event' },
  ].sort((a, b) => a.value.localeCompare(b.value)));
  assert.match(await page.textContent('#event-check'), /SurvLens chose 结局: 死亡 — check/);
  // 性别 could be compared: the group is not sure, so it asks first.
  if (await page.isVisible('#confirm-mapping')) await page.click('#confirm-mapping');
  await page.waitForFunction(() => window.survlensDebug.state.report?.spec?.event?.column === '结局'
    && !document.body.classList.contains('busy'), null, { timeout: 30000 });
  const report = await page.evaluate(() => window.survlensDebug.state.report);
  assert.deepEqual(report.spec.event, { column: '结局', values: ['死亡'], censored_values: ['存活'] });
  assert.equal(report.data.n_events, dead);
  // Engine#suggestTimes: round days within the follow-up (no group: its last time).
  const maxDays = Math.max(...csv.trim().split('\n').slice(1).map((l) => Number(l.split(',')[3])));
  const times = await page.evaluate(() => window.survlensDebug.engine.suggestTimes({ time: { column: '生存时间_天' }, event: { column: '结局' } }));
  const ladder = [30, 90, 180, 365, 730, 1095, 1825, 3650].filter((x) => x <= maxDays).slice(-4);
  assert.deepEqual(times, { times: ladder, tau: ladder.at(-1), max_follow_up: maxDays });
  assert.deepEqual(log.errors, []);
  await context.close();
});

test('a status with three values asks for each, and offers the third as a competing event', async () => {
  const { page, context } = await openWith('pbc_zh.csv');
  assert.equal(await page.inputValue('#event-column'), '结局');
  const kinds = await page.$$eval('#event-values-list select', (s) => s.map((x) => x.value));
  assert.deepEqual(kinds, ['', '', '']);
  assert.equal(await page.isVisible('#event-values-hint'), true);
  assert.match(await page.textContent('#event-values-hint'), /Mark it “competing event”/);
  assert.match(await page.textContent('#mapping-notes'), /cannot tell which mean the event/);
  assert.equal(await page.isVisible('#confirm-mapping'), true);
  await page.selectOption('#event-values-list select[data-value="死亡"]', 'event');
  await page.selectOption('#event-values-list select[data-value="删失"]', 'censored');
  await page.selectOption('#event-values-list select[data-value="移植"]', 'competing');
  await page.click('#confirm-mapping');
  await page.waitForFunction(() => window.survlensDebug.state.report?.spec?.event?.column === '结局'
    && !document.body.classList.contains('busy'), null, { timeout: 30000 });
  const spec = await lastSpec(page);
  assert.deepEqual(spec.event.values, ['死亡']);
  assert.deepEqual(spec.event.competing_values, ['移植']);
  assert.deepEqual(spec.event.censored_values, ['删失']);
  assert.deepEqual(spec.competing_risks, { times: spec.km.times });
  await context.close();
});
