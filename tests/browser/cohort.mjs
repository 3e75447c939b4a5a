// A hospital-style export for the page's browser tests (state, controls, flows):
// an MRN first, dates of diagnosis, local treatment and last contact (ISO), the same
// follow-up as a duration, "Dead"/"Alive", two arms (the reference without local
// treatment), covariates with one missing age, a centre, case weights and a delayed
// entry. Deterministic; the numbers are made up (no real patient).

const DAY = 86400000;

export { browserSession } from './helpers.mjs';
const iso = (ms) => new Date(ms).toISOString().slice(0, 10);

/** The CSV text, `n` rows. */
export function hospitalCsv(n = 120) {
  const rows = ['mrn,diagnosis_date,local_tx_date,last_contact_date,fu_months,tx_months,entry_months,status,arm,age,sex,center,weight'];
  const day0 = Date.UTC(2018, 0, 1);
  for (let i = 0; i < n; i++) {
    const treated = i % 3 === 0;
    const fuDays = 90 + ((i * 37) % 97) * 21;
    const txDays = treated ? 20 + (i % 5) * 9 : null;
    const diag = day0 + i * 5 * DAY;
    const months = (d) => (d / 30.4375).toFixed(2);
    rows.push([
      `MRN${String(100000 + i * 7)}`, iso(diag), treated ? iso(diag + txDays * DAY) : '', iso(diag + fuDays * DAY),
      months(fuDays), treated ? months(txDays) : '', (0.2 * (i % 4)).toFixed(1),
      i % 4 === 0 ? 'Alive' : 'Dead', treated ? 'Resection' : 'Medical',
      i === 5 ? 'NA' : String(40 + ((i * 7) % 45)), i % 2 ? 'F' : 'M', 'ABC'[Math.floor(i / 7) % 3], (1 + (i % 4) * 0.5).toFixed(1),
    ].join(','));
  }
  return `${rows.join('\n')}\n`;
}

/** A large file of the same columns (slow enough to cancel while it loads). */
export function largeCsv(n) {
  const head = hospitalCsv(60).split('\n');
  const body = head.slice(1, 61);
  const out = [head[0]];
  for (let i = 0; i < n; i++) out.push(body[i % 60]);
  return `${out.join('\n')}\n`;
}

export async function upload(page, name, text) {
  await page.setInputFiles('#file', { name, mimeType: 'text/csv', buffer: Buffer.from(text) });
}

/** Waits for the analysis started by the last action to finish. */
export async function settled(page) {
  await page.waitForTimeout(450);
  await page.waitForFunction(() => !document.body.classList.contains('busy'), null, { timeout: 60000 });
}

/** Opens every collapsed part of the form (the controls are then reachable). */
export async function openAllDetails(page) {
  await page.evaluate(() => { for (const d of document.querySelectorAll('#spec-form details')) d.open = true; });
}

/** The result cards now visible on the page (ids), the preview left aside. */
export function visibleResults(page) {
  return page.evaluate(() => [...document.querySelectorAll('#results .card, #results .confounding, #conf-results')]
    .filter((e) => e.id !== 'preview-card' && e.checkVisibility())
    .map((e) => e.id || e.className));
}

/** Maps the hospital export by hand: follow-up in months, "Dead" the event, the arm. */
export async function mapHospital(page, { dates = false } = {}) {
  if (dates) {
    await page.check('input[name="time-mode"][value="dates"]');
    await page.selectOption('#start-column', 'diagnosis_date');
    await page.selectOption('#end-column', 'last_contact_date');
  } else {
    await page.check('input[name="time-mode"][value="duration"]');
    await page.selectOption('#time-column', 'fu_months');
  }
  await page.selectOption('#event-column', 'status');
  await page.selectOption('#event-values-list select[data-value="Dead"]', 'event');
  await page.selectOption('#event-values-list select[data-value="Alive"]', 'censored');
  await page.selectOption('#group-column', 'arm');
  await page.selectOption('#group-reference', 'Medical');
  // Columns set by hand are confirmed (the mapping step shows no result before).
  await page.waitForTimeout(300);
  if (await page.isVisible('#confirm-mapping')) await page.click('#confirm-mapping');
  await settled(page);
}
