// Hazard ratios by period (`cox.periods`, issue 19), in the Cox card: where the core's
// proportional-hazards test finds the group's hazards not proportional (phFlagsGroup),
// an offer to fit the group effect within periods of follow-up, with cut points the
// core suggests (the tertiles of the event times: Engine#suggestPeriods); and, once
// fitted, the period hazard ratios (the core's figure "periods" when it has one, a table
// with its CSV) and the test against one constant effect.
// DOM only: every number comes from the Report or the core, printed by lib/format.js.
import { phFlagsGroup } from '../survlens.js';
import { num, pValue, pSentence, hr, hrCi } from '../lib/format.js';
import { el, dataTable } from '../lib/dom.js';
import { csvPart } from './follow_up.js';
import { figureBlock, hasFigure } from './subgroups.js';

const TEST = { lr: 'Likelihood ratio', wald_robust: 'Robust Wald' };

/** A number of a cut point: whole, or with one decimal. */
const cut = (x) => num(x, Number.isInteger(x) ? 0 : 1);
/** "(0, 12]", "after 60" of a period {from, to} (as the core's figure names them). */
const periodName = (p) => (p.to === null || p.to === undefined ? `after ${cut(p.from)}` : `(${cut(p.from)}, ${cut(p.to)}]`);

/** The period table: rows shown and the CSV. */
export function periodRows(periods) {
  const names = [...new Set(periods.flatMap((p) => (p.terms ?? []).map((t) => t.name)))];
  const level = (n) => n.slice(n.indexOf('=') + 1);
  const headers = ['Period', ...names.flatMap((n) => [`${level(n)}: HR (95% CI)`, 'p'])];
  const rows = periods.map((p) => [periodName(p), ...names.flatMap((n) => {
    const t = (p.terms ?? []).find((x) => x.name === n);
    const base = { from: p.from, to: p.to ?? null, term: n };
    if (!t || t.hr === null || t.hr === undefined) return [{ text: '—', data: { ...base, field: 'hr', value: null } }, ''];
    return [{ text: hr(t.hr), ci: t.lower === null || t.upper === null ? 'CI not estimable' : `(${hrCi(t.lower, t.upper)})`, data: { ...base, field: 'hr', value: t.hr, lower: t.lower, upper: t.upper } },
      { text: pValue(t.p), data: { ...base, field: 'p', value: t.p } }];
  })]);
  const csv = {
    headers: ['from', 'to', 'term', 'coef', 'se', 'hr', 'lower', 'upper', 'z', 'p'],
    rows: periods.flatMap((p) => (p.terms ?? []).map((t) => [p.from, p.to ?? '', t.name, t.coef, t.se, t.hr, t.lower, t.upper, t.z, t.p])),
  };
  return { headers, rows, csv };
}

/** The offer where the PH test flags the group and no periods ran: a button that asks
 *  `onSuggest()` (the page: the core's cut points, then a run). Null otherwise. */
export function periodsOffer(report, onSuggest) {
  if (report.cox?.periods || !onSuggest) return null;
  let flagged = false;
  try { flagged = phFlagsGroup(report); } catch { flagged = false; }
  if (!flagged) return null;
  const box = el('div', null, { class: 'periods-offer', id: 'periods-offer' });
  box.append(el('p', 'The proportional-hazards test finds the group’s hazards not proportional: one hazard ratio does not describe the whole follow-up. Hazard ratios by period show how the effect changes.', { class: 'hint' }));
  const b = el('button', 'Hazard ratios by period', { type: 'button', class: 'button small', id: 'periods-suggest' });
  b.addEventListener('click', () => onSuggest());
  box.append(b, el('p', 'Cut points are suggested at the tertiles of the event times (a third of the events in each period); edit them under “Hazard ratios by period” in the Cox options.', { class: 'hint' }));
  return box;
}

/** The period hazard ratios of `report` (null without `cox.periods`). opts: {fileName, timeUnit, tables}. */
export function periodsBlock(report, opts) {
  const periods = report.cox?.periods;
  if (!periods) return null;
  const box = el('div', null, { id: 'periods' });
  const r = periodRows(periods);
  const body = [el('p', 'The group’s hazard ratio within each period of follow-up (periods include their end), the covariates as in the model above.', { class: 'hint' })];
  if (hasFigure('periods')) body.push(figureBlock('periods', 'periods-forest', report, opts));
  const table = dataTable(r.headers, r.rows);
  table.querySelector('table').id = 'periods-table';
  body.push(table);
  const test = report.cox.periods_test;
  if (test) {
    const line = el('p', null, { class: 'test-line', id: 'periods-test', 'data-chisq': String(test.chisq), 'data-p': test.p === null ? 'null' : String(test.p) });
    line.textContent = `${TEST[test.test] ?? TEST.lr} test of one constant effect against the period effects: χ² = ${num(test.chisq, 2)} on ${test.df} df, ${pSentence(test.p)}.`;
    body.push(line);
  }
  box.append(csvPart({ title: 'Hazard ratios by period', id: 'periods-part', csv: { name: 'cox_periods', table: r.csv }, label: 'Download the hazard ratios by period as CSV', fileName: opts.fileName, tables: opts.tables }, body));
  return box;
}
