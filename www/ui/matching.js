// Propensity-score matching in the "Confounding" step (issue 20): the options beside
// weighting, the spec's `matching` section they make, and per comparison (each group
// against the reference) the flow of patients, the balance table, the love plot, the
// linear scores of matched and unmatched patients, the matched Kaplan–Meier curves, the
// stratified log-rank test, the clustered Cox hazard ratio and the RMST difference, and
// the matched-pair list (file lines only) behind the report's patient-level opt-in.
// DOM only: every number comes from the Report (Rust), every figure from the core's
// registry (matching_balance, matching_scores, matching_km); data strings reach the DOM
// through textContent.
import { drawFigure, figureSvg, figurePng, figureLabel } from '../survlens.js';
import { num, pValue, hr, hrCi } from '../lib/format.js';
import { el, clear, dataTable } from '../lib/dom.js';
import { download, csvBlob } from '../lib/download.js';
import { figureWidth } from './figure_fit.js';

const RATIOS = [1, 2, 3, 4, 5];
const CALIPERS = ['0.05', '0.1', '0.2', '0.25', '0.5', '1'];
/** The SMD above which a covariate counts as not balanced (the love plot's dashed line). */
const SMD_LIMIT = 0.1;
const FIGURES = ['matching_balance', 'matching_scores', 'matching_km'];

const field = (label, input) => {
  const f = el('div', null, { class: 'field' });
  f.append(el('label', label, { htmlFor: input.id }), input);
  return f;
};

/** The matching options (a grid of fields) and how to read them into the spec's section. */
export function matchingOptions() {
  const ratio = el('select', null, { id: 'match-ratio' });
  for (const k of RATIOS) ratio.add(new Option(`1:${k}`, String(k)));
  const caliper = el('select', null, { id: 'match-caliper' });
  for (const c of CALIPERS) caliper.add(new Option(`${c} SD of the logit`, c));
  caliper.add(new Option('none', ''));
  caliper.value = '0.2';
  const order = el('select', null, { id: 'match-order' });
  for (const [v, t] of [['largest', 'Largest score first'], ['smallest', 'Smallest score first'], ['data', 'File order']]) order.add(new Option(t, v));
  const replace = el('input', null, { type: 'checkbox', id: 'match-replace' });
  const replaceField = el('div', null, { class: 'field' });
  const rl = el('label', null, { htmlFor: 'match-replace' });
  rl.append(replace, document.createTextNode(' With replacement (a control may be the partner of several patients)'));
  replaceField.append(rl);
  const grid = el('div', null, { class: 'field-grid', id: 'match-options', hidden: true });
  grid.append(field('Ratio (controls per treated patient)', ratio), field('Caliper', caliper), field('Order of matching', order), replaceField);
  return {
    grid,
    /** The spec's `matching` section for `covariates`. */
    read: (covariates) => ({
      covariates,
      ratio: Number(ratio.value),
      caliper: caliper.value === '' ? null : Number(caliper.value),
      replace: replace.checked,
      order: order.value,
    }),
  };
}

/** The spec of a matching run: the crude spec's rows and options (time, event, group,
 *  KM, log-rank, RMST), the chosen covariates (with their types), and `matching`. */
export function matchingSpec(base, covariates, matching) {
  const {
    cox, table1, propensity, adjusted, sensitivity, landmark, time_dependent: td, treatment_time: tt,
    subgroups, follow_up: fu, conditional, ...rest
  } = base;
  return {
    ...rest,
    covariates: covariates.map((c) => (base.covariates || []).find((x) => x.column === c) || { column: c }),
    matching,
  };
}

/** The comparisons of a Report (none when it has no matching). */
const comparisons = (r) => (Array.isArray(r?.matching) ? r.matching : []);

/** A file-name-safe label. */
const safe = (s) => String(s).replace(/[^A-Za-z0-9._-]+/g, '_');

/** The flow of one comparison: each arm's patients, matched and not. */
function flowLine(c) {
  const nA = c.n_matched.a + c.n_unmatched.a;
  const nB = c.n_matched.b + c.n_unmatched.b;
  const p = el('p', null, { class: 'match-flow', 'data-field': 'flow' });
  for (const [k, v] of Object.entries({ n_a: nA, matched_a: c.n_matched.a, unmatched_a: c.n_unmatched.a, n_b: nB, matched_b: c.n_matched.b, unmatched_b: c.n_unmatched.b })) p.dataset[k.replace(/_(.)/g, (_, x) => x.toUpperCase())] = String(v);
  const within = c.caliper_width === null || c.caliper_width === undefined ? '' : ' within the caliper';
  p.append(
    el('span', `${nA} ${c.a} patients, ${c.n_matched.a} matched, ${c.n_unmatched.a} without a partner${within}.`),
    document.createTextNode(' '),
    el('span', `${nB} ${c.b} patients, ${c.n_matched.b} chosen as partners, ${c.n_unmatched.b} not chosen.`),
  );
  if (c.caliper_width !== null && c.caliper_width !== undefined) {
    p.append(document.createTextNode(' '), el('span', `Caliper width: ${num(c.caliper_width, 3)} on the logit scale.`, { class: 'hint' }));
  }
  if (c.missing_covariates?.n) {
    p.append(document.createTextNode(' '), el('span', `${c.missing_covariates.n} patients left out for a missing covariate.`, { class: 'hint' }));
  }
  return p;
}

/** Balance: SMD before and after matching, a term above 0.1 after matching flagged. */
function balanceTable(c) {
  const rows = c.balance.map((b) => {
    const flag = (v) => (v !== null && Math.abs(v) > SMD_LIMIT ? ' *' : '');
    return {
      cells: [
        b.term,
        { text: `${num(b.smd_before, 3)}${flag(b.smd_before)}`, data: { field: 'smd_before', term: b.term, value: b.smd_before } },
        { text: `${num(b.smd_after, 3)}${flag(b.smd_after)}`, data: { field: 'smd_after', term: b.term, value: b.smd_after } },
      ],
      class: b.smd_after !== null && Math.abs(b.smd_after) > SMD_LIMIT ? 'imbalanced' : '',
    };
  });
  return dataTable(['Covariate', 'SMD before matching', 'SMD after matching'], rows);
}

/** The matched analyses: stratified log-rank, clustered Cox HR, RMST difference (three
 *  columns, the method under the analysis's name: it fits a phone's width). */
function effectsTable(c, timeUnit) {
  const rows = [];
  if (c.logrank) {
    rows.push([{ text: 'Log-rank test', ci: c.logrank.stratified ? 'stratified by matched set' : 'unstratified (matching with replacement)' },
      { text: `χ² = ${num(c.logrank.chisq, 2)}, df = ${c.logrank.df}`, data: { field: 'logrank_chisq', value: c.logrank.chisq } },
      { text: pValue(c.logrank.p), data: { field: 'logrank_p', value: c.logrank.p } }]);
  }
  for (const t of c.cox?.terms || []) {
    rows.push([{ text: 'Hazard ratio (Cox)', ci: c.logrank?.stratified === false ? 'robust SE clustered by patient' : 'robust SE clustered by matched set' },
      { text: hr(t.hr), ci: `(${hrCi(t.lower, t.upper)})`, data: { field: 'cox_hr', value: t.hr, lower: t.lower, upper: t.upper } },
      { text: pValue(t.p), data: { field: 'cox_p', value: t.p } }]);
  }
  for (const d of c.rmst_difference || []) {
    rows.push([{ text: 'RMST difference', ci: `τ = ${num(d.tau, 0)} ${timeUnit}` },
      { text: num(d.estimate, 2), ci: `(${num(d.lower, 2)} to ${num(d.upper, 2)})`, data: { field: 'rmst_difference', value: d.estimate, lower: d.lower, upper: d.upper } },
      { text: pValue(d.p), data: { field: 'rmst_p', value: d.p } }]);
  }
  if (!rows.length) return el('p', 'No events in the matched sample: no test or hazard ratio.', { class: 'hint' });
  return dataTable(['Analysis', 'Estimate (95% CI)', 'p'], rows);
}

/** The figure options of comparison `a` (the KM figure's own as the weighting card's). */
function figureOptions(name, a, width, timeUnit, xStep) {
  const o = { width, comparison: a, timeUnit };
  return name === 'matching_km' ? { ...o, riskTable: 'number_at_risk', censorMarks: false, ...(xStep ? { xStep } : {}) } : o;
}

/** A time-axis step giving at most 6 intervals (display only). */
function axisStep(c) {
  const end = Math.max(0, ...(c.km?.curves || []).map((k) => k.time[k.time.length - 1] ?? 0));
  return [1, 2, 3, 6, 12, 24, 36, 48, 60, 120, 240, 365, 730, 1000, 2000, 5000].find((s) => end / s <= 6);
}

/**
 * Renders the comparisons of `report` into `box`.
 * @param {HTMLElement} box
 * @param {any} report
 * @param {{fileName: string, timeUnit: string, patientData: () => boolean, onPatientData: (f: () => void) => void}} opts
 */
export function renderMatching(box, report, opts) {
  clear(box);
  const notes = el('ul', null, { class: 'notes', id: 'match-notes' });
  for (const w of report.warnings || []) notes.append(el('li', w.message, { 'data-code': w.code, class: 'note note-warning' }));
  if (notes.childElementCount) box.append(notes);
  const list = comparisons(report);
  if (!list.length) {
    box.append(el('p', 'No matched comparison: matching needs a group with two or more levels.', { class: 'hint' }));
    return;
  }
  box.append(el('p', 'Each group is matched to the reference group on the linear propensity score (the logit of a logistic model fitted on the two groups). * |SMD| above 0.1 after matching: that covariate is not balanced.', { class: 'hint' }));
  const pairButtons = [];
  list.forEach((c, i) => {
    const card = el('div', null, { class: 'card match-comparison', id: `match-c-${i + 1}`, 'data-a': c.a });
    const head = el('div', null, { class: 'card-head' });
    const tools = el('div', null, { class: 'tools' });
    const pairs = el('button', 'Matched pairs (CSV)', {
      type: 'button', class: 'button small match-pairs', 'data-a': c.a,
      'aria-label': `Download the matched pairs of ${c.a} vs ${c.b} as CSV`,
    });
    pairs.addEventListener('click', () => {
      if (!opts.patientData()) return;
      const rows = c.pairs.map((p) => [p.a_line, p.b_lines.join(' ')]);
      download(`${opts.fileName}-matched-pairs-${safe(c.a)}.csv`, csvBlob({ headers: ['a_line', 'b_lines'], rows }));
    });
    pairButtons.push(pairs);
    tools.append(pairs);
    head.append(el('h3', `${c.a} vs ${c.b}`), tools);
    card.append(head, flowLine(c), el('p', 'The matched-pair list (file lines only) is patient-level data: tick “include the line numbers of left-out rows (patient-level data)” under the report to export it.', { class: 'hint match-pairs-hint' }));
    card.append(effectsTable(c, opts.timeUnit), balanceTable(c));
    const figs = el('div', null, { class: 'match-figures' });
    // A comparison too small to model, or without a pair, has nothing to draw.
    const has = { matching_balance: c.balance.length > 0, matching_scores: c.per_row.line.length > 0, matching_km: c.km.curves.length > 0 };
    for (const name of FIGURES.filter((f) => has[f])) {
      const fig = el('figure', null, { class: `match-figure match-figure-${name}` });
      const canvas = el('canvas', null, { role: 'img', 'data-figure': name, 'data-a': c.a, 'aria-label': `${figureLabel(name)} of ${c.a} vs ${c.b}` });
      const bar = el('div', null, { class: 'tools' });
      const svg = el('button', 'SVG', { type: 'button', class: 'button small', 'aria-label': `Download ${figureLabel(name)} of ${c.a} vs ${c.b} as SVG` });
      const png = el('button', 'PNG (300 dpi)', { type: 'button', class: 'button small', 'aria-label': `Download ${figureLabel(name)} of ${c.a} vs ${c.b} as PNG (300 dpi)` });
      const exportOpts = () => figureOptions(name, c.a, 720, opts.timeUnit, axisStep(c));
      svg.addEventListener('click', () => download(`${opts.fileName}-${name.replace('_', '-')}-${safe(c.a)}.svg`, new Blob([figureSvg(name, report, exportOpts())], { type: 'image/svg+xml' })));
      png.addEventListener('click', async () => download(`${opts.fileName}-${name.replace('_', '-')}-${safe(c.a)}-300dpi.png`, await figurePng(name, report, exportOpts())));
      bar.append(svg, png);
      fig.append(canvas, bar);
      figs.append(fig);
    }
    card.append(figs);
    box.append(card);
  });
  const sync = () => {
    const on = opts.patientData();
    for (const b of pairButtons) b.disabled = !on;
    for (const h of box.querySelectorAll('.match-pairs-hint')) /** @type {HTMLElement} */ (h).hidden = on;
  };
  sync();
  opts.onPatientData(sync);
}

/** Draws every matching figure in `box` from `report` (at the width of its box). */
export function drawMatching(box, report, timeUnit) {
  for (const c of comparisons(report)) {
    for (const canvas of box.querySelectorAll('canvas[data-figure]')) {
      const cv = /** @type {HTMLCanvasElement} */ (canvas);
      if (cv.dataset.a !== c.a) continue;
      const name = cv.dataset.figure;
      const width = figureWidth(/** @type {HTMLElement} */ (cv.parentElement));
      drawFigure(name, cv, report, figureOptions(name, c.a, width, timeUnit, axisStep(c)));
    }
  }
}

/** Takes the matching results off the page. */
export function clearMatching(box) {
  clear(box);
}
