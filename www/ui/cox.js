// SurvLens Cox card: univariable and multivariable tables, model tests and
// concordance, warnings, the forest plot, the proportional-hazards test with its
// readings (written by the core), scaled Schoenfeld residual plots and
// log(−log S) curves. DOM only: every number and sentence comes from the Report,
// every figure from the core. Data strings reach the DOM via textContent.
import { periodsOffer, periodsBlock } from './periods.js';
import { drawSubgroups } from './subgroups.js';
import { drawCoxFigure, coxFigureSvg, coxFigurePng, figureLabel } from '../survlens.js';
import { figureWidth } from './figure_fit.js';
import { num, pValue as fmtP, pSentence, hr, hrCi } from '../lib/format.js';
import { el } from '../lib/dom.js';
import { download } from '../lib/download.js';

const COX_WARNINGS = /^(cox_|constant_covariate$|nonint_weights_without_robust$)/;
let current = { report: null, opts: {} };

// Display only (lib/format.js); exports carry full precision.
const hrText = (t) => hr(t.hr);
const ciText = (t) => (t.lower === null || t.upper === null ? 'CI not estimable' : `(${hrCi(t.lower, t.upper)})`);

/** One HR cell (estimate, CI under it) and one p cell, with data-* for the tests. */
function termCells(tr, t, model) {
  const td = tr.insertCell();
  const base = { 'data-model': model, 'data-term': t?.name ?? '' };
  if (!t) { td.textContent = '—'; tr.insertCell().textContent = ''; return; }
  if (t.hr === null) {
    td.textContent = 'aliased';
    td.title = 'not estimable: a linear combination of other terms (collinear)';
    Object.entries({ ...base, 'data-field': 'hr', 'data-value': null }).forEach(([k, v]) => td.setAttribute(k, String(v)));
    td.className = 'aliased';
    tr.insertCell().textContent = '';
    return;
  }
  td.textContent = hrText(t);
  td.append(el('span', ciText(t), { class: 'ci' }));
  for (const [k, v] of Object.entries({ ...base, 'data-field': 'hr', 'data-value': t.hr, 'data-lower': t.lower, 'data-upper': t.upper })) td.setAttribute(k, v === null ? 'null' : String(v));
  const tp = tr.insertCell();
  tp.textContent = fmtP(t.p);
  for (const [k, v] of Object.entries({ ...base, 'data-field': 'p', 'data-value': t.p })) tp.setAttribute(k, v === null ? 'null' : String(v));
}

function coefTable(cox) {
  const uni = new Map((cox.univariable || []).flatMap((u) => u.terms).map((t) => [t.name, t]));
  const hasUni = Boolean(cox.univariable);
  const table = el('table', null, { class: 'data cox-table', id: 'cox-table' });
  const head = table.createTHead();
  if (hasUni) {
    const r = head.insertRow();
    r.append(el('th', '', { scope: 'col' }), el('th', 'Univariable', { scope: 'colgroup', colSpan: 2 }), el('th', 'Multivariable', { scope: 'colgroup', colSpan: 2 }));
  }
  const h = head.insertRow();
  h.append(el('th', 'Term', { scope: 'col' }));
  for (let i = 0; i < (hasUni ? 2 : 1); i += 1) h.append(el('th', 'HR (95% CI)', { scope: 'col' }), el('th', 'p', { scope: 'col' }));
  const body = table.createTBody();
  for (const t of cox.terms) {
    const tr = body.insertRow();
    tr.append(el('th', t.name.replace('=', ': '), { scope: 'row' }));
    if (hasUni) termCells(tr, uni.get(t.name), 'univariable');
    termCells(tr, t, 'multivariable');
  }
  return table;
}

function testsLine(cox) {
  const p = el('p', null, { class: 'test-line', id: 'cox-tests' });
  const parts = [];
  if (cox.concordance) parts.push(`Concordance C = ${num(cox.concordance.estimate, 3)} (SE ${num(cox.concordance.se, 3)})`);
  const names = { lr: 'Likelihood ratio', wald: cox.terms.some((t) => t.robust_se !== null) ? 'Wald (robust)' : 'Wald', score: 'Score (log-rank)' };
  for (const k of ['lr', 'wald', 'score']) {
    const t = cox.tests[k];
    parts.push(`${names[k]} χ² = ${num(t.chisq, 2)} on ${t.df} df, ${pSentence(t.p)}`);
  }
  p.textContent = `${parts.join(' · ')}.`;
  if (cox.concordance) p.setAttribute('data-concordance', String(cox.concordance.estimate));
  return p;
}

/** The proportional-hazards test table (the Cox model's; the time-dependent model's
 *  in the immortal-time card, ui/immortal.js), each term then the global test. */
export function phTable(ph, id = 'cox-ph-table') {
  const table = el('table', null, { class: 'data ph-table', id });
  const h = table.createTHead().insertRow();
  for (const x of ['Column', 'χ²', 'df', 'p', 'Reading']) h.append(el('th', x, { scope: 'col' }));
  const body = table.createTBody();
  const row = (name, t, reading) => {
    const tr = body.insertRow();
    tr.append(el('th', name, { scope: 'row' }));
    tr.insertCell().textContent = num(t.chisq, 2);
    tr.insertCell().textContent = String(t.df);
    const p = tr.insertCell();
    p.textContent = fmtP(t.p);
    p.setAttribute('data-value', t.p === null ? 'null' : String(t.p));
    const r = tr.insertCell();
    r.textContent = reading;
    r.className = 'reading';
  };
  for (const t of ph.terms) row(t.name, t, t.reading);
  row('Global', ph.global, ph.reading);
  return table;
}

// Below this the forest plot's term and "HR (95% CI)" columns are cut off (seen at 344 px).
const FOREST_MIN_WIDTH = 540;
/** What the model left out: rows of the analysis missing one of its covariates (when reported). */
function leftOut(m) {
  if (!m) return '';
  if (!m.n) return 'No patient was left out for a missing covariate.';
  const by = Object.entries(m.by_column || {}).map(([c, n]) => `${c} ${n}`).join(', ');
  return `${m.n} ${m.n === 1 ? 'patient' : 'patients'} left out for a missing covariate${by ? ` (${by})` : ''}.`;
}

function figure(kind, label, caption) {
  const wrap = el('figure', null, { class: 'cox-figure' });
  const canvas = el('canvas', null, { id: `cox-${kind}-canvas`, role: 'img', 'data-figure': kind });
  canvas.setAttribute('aria-label', label);
  const tools = el('div', null, { class: 'exports' });
  const svg = el('button', 'SVG', { type: 'button', class: 'button small', id: `cox-${kind}-svg` });
  const png = el('button', 'PNG (300 dpi)', { type: 'button', class: 'button small', id: `cox-${kind}-png` });
  svg.addEventListener('click', () => exportFigure(kind, 'svg'));
  png.addEventListener('click', () => exportFigure(kind, 'png'));
  // Accessible names of the export buttons ("SVG" alone is the name of three buttons):
  // the figure's label from the core's figure registry.
  svg.setAttribute('aria-label', `Download ${figureLabel(kind)} as SVG`);
  png.setAttribute('aria-label', `Download ${figureLabel(kind)} as PNG (300 dpi)`);
  tools.append(svg, png);
  // The forest plot needs a minimum width for its term and HR columns: on a phone it
  // scrolls sideways inside its box (ui/a11y.js makes the box a labelled, focusable region).
  const scroll = el('div', null, { class: 'figure-scroll' });
  scroll.append(canvas);
  wrap.append(scroll, el('figcaption', caption), tools);
  return wrap;
}

async function exportFigure(kind, type) {
  const { report, opts } = current;
  if (!report) return;
  const name = `${opts.fileName || 'survlens'}-${kind}`;
  if (type === 'svg') download(`${name}.svg`, new Blob([coxFigureSvg(report, kind, { timeUnit: opts.timeUnit, width: 760 })], { type: 'image/svg+xml' }));
  else download(`${name}-300dpi.png`, await coxFigurePng(report, kind, { timeUnit: opts.timeUnit, width: 760 }));
}

function draw(card) {
  const { report, opts } = current;
  for (const canvas of card.querySelectorAll('canvas[id^="cox-"]')) { // the period figure: ui/periods.js
    const kind = canvas.id.replace(/^cox-|-canvas$/g, '');
    const fit = figureWidth(canvas.parentElement); // its card's width (ui/figure_fit.js)
    const width = kind === 'forest' ? Math.max(FOREST_MIN_WIDTH, fit) : fit;
    try {
      drawCoxFigure(canvas, report, kind, { width, timeUnit: opts.timeUnit });
      canvas.dataset.drawn = '1';
    } catch (err) {
      canvas.replaceWith(el('p', err.message, { class: 'hint' }));
    }
  }
}

/**
 * Fills `card` (a section element) from `report`; hides it when there is no Cox model.
 * opts: {timeUnit, fileName}.
 */
export function renderCox(card, report, opts = {}) {
  while (card.firstChild) card.removeChild(card.firstChild);
  const cox = report?.cox;
  card.hidden = !cox;
  if (!cox) return;
  current = { report, opts };
  card.append(el('h3', 'Cox proportional-hazards regression'));
  const robust = cox.terms.some((t) => t.robust_se !== null);
  const strata = report.spec?.strata?.length ? `, stratified by ${report.spec.strata.join(', ')}` : '';
  card.append(el('p', `${cox.n} patients, ${cox.n_events} events; ${cox.ties} ties${robust ? ', robust standard errors' : ''}${strata}. ` +
    `Hazard ratios below 1 mean a lower hazard than the reference${cox.univariable ? '; univariable: each column alone, on the same patients' : ''}.`, { class: 'hint' }));
  const left = leftOut(cox.missing_covariates);
  if (left) card.append(el('p', left, { class: 'hint', id: 'cox-missing' }));
  card.append(el('div', null, { class: 'table-wrap' }));
  card.lastChild.append(coefTable(cox));
  card.append(testsLine(cox));
  const warnings = (report.warnings || []).filter((w) => COX_WARNINGS.test(w.code));
  if (warnings.length) {
    const ul = el('ul', null, { class: 'warnings', id: 'cox-warnings' });
    for (const w of warnings) ul.append(el('li', w.message, { 'data-code': w.code }));
    card.append(ul);
  }
  card.append(figure('forest', 'Forest plot of hazard ratios', 'Hazard ratios with 95% CIs on a log scale; the dashed line is HR = 1 (equal hazards).'));
  const ph = cox.ph_test;
  if (ph) {
    card.append(el('h4', `Proportional-hazards test (cox.zph, ${ph.transform} time)`));
    card.append(el('div', null, { class: 'table-wrap' }));
    card.lastChild.append(phTable(ph));
    // Where the test flags the group: hazard ratios by period (ui/periods.js).
    for (const b of [periodsOffer(report, opts.onSuggestPeriods), periodsBlock(report, opts)]) if (b) card.append(b);
    if (ph.residuals) {
      card.append(figure('schoenfeld', 'Scaled Schoenfeld residuals over time, one panel per column',
        'Scaled Schoenfeld residuals (β(t)) with a natural-spline smooth (4 df) and ±2 SE: a flat smooth is consistent with proportional hazards.'));
    }
  }
  if (report.km?.curves?.length > 1) {
    card.append(figure('loglog', 'log(−log S) against log time by group',
      'log(−log S(t)) against log time by group: roughly parallel curves are consistent with proportional hazards for the group.'));
  }
  draw(card);
  drawSubgroups(); // the period figure (ui/periods.js) is drawn with the subgroup figures
}
