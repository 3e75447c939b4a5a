// The "Competing risks" card (issue 18): the cumulative incidence figure (the core's,
// from its figure registry: drawn on a canvas, SVG and PNG downloads, the 1 − KM
// overlay when the figure offers it), and the tables of the Report's
// `competing_risks`: cumulative incidence at the chosen times, Gray's test per cause,
// the Fine–Gray model and the cause-specific Cox models, each with its CSV export.
// Also the `km_with_competing_risks` warning beside the Kaplan–Meier figure and the
// weighted cumulative incidence of the confounding step (`adjusted.cif`).
// DOM only: every number comes from the Report and is printed by lib/format.js (the
// core's formatter); the CSV exports carry full precision. Data strings (groups,
// terms, values) reach the DOM through textContent.
import { figures, drawFigure, figureSvg, figurePng, figureLabel } from '../survlens.js';
import { figureWidth } from './figure_fit.js';
import { num, pct, pValue, hr, hrCi, interval, count } from '../lib/format.js';
import { $, el, clear, dataTable } from '../lib/dom.js';
import { download, csvBlob } from '../lib/download.js';

// Warnings of this section, shown in its card (the KM one goes beside the KM figure).
const SECTION_WARNINGS = /^(cause_specific_|gray_|fine_gray_|competing_risks_)/;
const KM_WARNING = 'km_with_competing_risks';
// The figure option that adds the 1 − Kaplan–Meier curves (the figure's own; see cifFigure).
const OVERLAY_OPTION = 'oneMinusKm';
const CAUSE = { event: 'event of interest', competing: 'competing event' };
const CAUSE_TITLE = { event: 'Event of interest', competing: 'Competing event' };

let current = { report: null, opts: {} };

/** The core's cumulative incidence figure: the registry's figure that reads
 *  `competing_risks` (null while the core has none). */
function cifFigure() {
  const f = figures().find((x) => x.sections.includes('competing_risks'));
  return f ? f.name : null;
}

const button = (text, attrs) => el('button', text, { type: 'button', class: 'button small', ...attrs });

/** A hint of whole sentences, one text node each (ui/i18n.js translates each). */
function hint(sentences, attrs = {}) {
  const p = el('p', null, { class: 'hint', ...attrs });
  sentences.filter(Boolean).forEach((s, i) => p.append(document.createTextNode(i ? ` ${s}` : s)));
  return p;
}

/** A sub-section: its title with a CSV button (accessible name `csv.label`), then `body`;
 *  the CSV is `csv.table`, saved as `csv.name`. */
function part(title, id, csv, body) {
  const box = el('div', null, { class: 'competing-part', id });
  const head = el('div', null, { class: 'card-head' });
  head.append(el('h4', title, { id: `${id}-h` }));
  if (csv) {
    const b = button('CSV', { id: `${id}-csv`, 'aria-label': csv.label });
    b.addEventListener('click', () => download(`${current.opts.fileName || 'survlens'}-${csv.name}.csv`, csvBlob(csv.table)));
    head.append(b);
    current.opts.tables[csv.name] = csv.table;
  }
  box.append(head, ...body);
  // A table that scrolls sideways is a region named by its own heading (ui/a11y.js).
  for (const w of box.querySelectorAll('.table-wrap')) w.setAttribute('aria-labelledby', `${id}-h`);
  return box;
}

/** A percentage cell with its interval under it, or "beyond follow-up". */
function cifCell(c, a) {
  const data = { field: 'cif', group: c.group, cause: c.cause, time: a.time, value: a.estimate, lower: a.lower, upper: a.upper };
  if (a.beyond_follow_up) return { text: 'beyond follow-up', data: { ...data, beyond: true } };
  // No limits (an estimate of 0 on the log scale, as R's NA): said, not "(— to —)".
  const limits = a.lower === null || a.upper === null ? 'CI not estimable' : `(${interval(pct(a.lower), pct(a.upper))})`;
  return { text: pct(a.estimate), ci: limits, data };
}

/** Cumulative incidence of `curves` at their `at_times`: the rows shown and the CSV. */
export function cifAtTimes(curves, level) {
  const times = curves[0]?.at_times.map((a) => a.time) ?? [];
  const headers = ['Group', 'Cause', ...times.map((t) => `Cumulative incidence at ${t}, % (${level}% CI)`)];
  const rows = curves.map((c) => [c.group, CAUSE[c.cause] ?? c.cause, ...c.at_times.map((a) => cifCell(c, a))]);
  const csv = {
    headers: ['group', 'cause', ...times.flatMap((t) => [`cif_${t}`, `cif_${t}_se`, `cif_${t}_lower`, `cif_${t}_upper`, `n_risk_${t}`])],
    rows: curves.map((c) => [c.group, c.cause, ...c.at_times.flatMap((a) => [a.estimate, a.std_err, a.lower, a.upper, a.n_risk])]),
  };
  return { headers, rows, csv, times };
}

function grayPart(cr, strata) {
  const g = cr.gray;
  if (!g) return null;
  const rows = g.map((x) => [CAUSE[x.cause] ?? x.cause, { text: num(x.chisq, 2), data: { field: 'chisq', cause: x.cause, value: x.chisq } },
    String(x.df), { text: pValue(x.p), data: { field: 'p', cause: x.cause, value: x.p } }]);
  const csv = { headers: ['cause', 'chisq', 'df', 'p'], rows: g.map((x) => [x.cause, x.chisq, x.df, x.p]) };
  const text = ['The cumulative incidence of each cause compared between the groups.', strata?.length ? `Stratified by ${strata.join(', ')}.` : ''];
  return part('Gray’s test', 'gray', { name: 'gray', table: csv, label: 'Download Gray’s test as CSV' }, [hint(text), idTable(dataTable(['Cause', 'χ²', 'df', 'p'], rows), 'gray-table')]);
}

/** An HR cell (ratio, its CI under it) and a p cell of term `t`, with data-* for the tests. */
function termCells(t, model) {
  const base = { model, term: t?.name ?? '' };
  if (!t) return ['—', ''];
  if (t.hr === null) return [{ text: 'aliased', data: { ...base, field: 'hr', value: null } }, ''];
  return [
    { text: hr(t.hr), ci: t.lower === null || t.upper === null ? 'CI not estimable' : `(${hrCi(t.lower, t.upper)})`, data: { ...base, field: 'hr', value: t.hr, lower: t.lower, upper: t.upper } },
    { text: pValue(t.p), data: { ...base, field: 'p', value: t.p } },
  ];
}
const termCsv = (t) => [t.coef, t.se, t.hr, t.lower, t.upper, t.z, t.p];
const TERM_CSV = ['coef', 'se', 'hr', 'lower', 'upper', 'z', 'p'];

/** What a model left out for a missing covariate (one sentence, or ''). */
function leftOut(m) {
  if (!m?.n) return '';
  const by = Object.entries(m.by_column || {}).map(([c, n]) => `${c} ${n}`).join(', ');
  return `${m.n} ${m.n === 1 ? 'patient' : 'patients'} left out for a missing covariate${by ? ` (${by})` : ''}.`;
}

function fineGrayPart(fg) {
  if (!fg) return null;
  const rows = fg.terms.map((t) => [t.name.replace('=', ': '), ...termCells(t, 'fine_gray')]);
  const csv = { headers: ['term', ...TERM_CSV], rows: fg.terms.map((t) => [t.name, ...termCsv(t)]) };
  const text = [`${count(fg.n)} patients, ${count(fg.n_events)} events of interest.`, fg.converged ? '' : 'The model did not converge.',
    'Subdistribution hazard ratios (sHR) below 1 mean a lower cumulative incidence than the reference; robust (sandwich) standard errors.',
    leftOut(fg.missing_covariates)];
  return part('Fine–Gray subdistribution hazards model', 'fine-gray', { name: 'fine_gray', table: csv, label: 'Download the Fine–Gray model as CSV' },
    [hint(text), idTable(dataTable(['Term', 'sHR (95% CI)', 'p'], rows), 'fine-gray-table')]);
}

function causeSpecificPart(models) {
  if (!models?.length) return null;
  const names = [...new Set(models.flatMap((m) => m.terms.map((t) => t.name)))];
  const headers = ['Term', ...models.flatMap((m) => [`HR, ${CAUSE[m.cause] ?? m.cause} (95% CI)`, 'p'])];
  const rows = names.map((n) => [n.replace('=', ': '), ...models.flatMap((m) => termCells(m.terms.find((t) => t.name === n), m.cause))]);
  const csv = { headers: ['cause', 'term', ...TERM_CSV], rows: models.flatMap((m) => m.terms.map((t) => [m.cause, t.name, ...termCsv(t)])) };
  const text = [...models.map((m) => `${CAUSE_TITLE[m.cause] ?? m.cause}: ${count(m.n)} patients, ${count(m.n_events)} events.`),
    'Cox models of each cause, the other counted as censored.', leftOut(models[0].missing_covariates)];
  return part('Cause-specific Cox models', 'cause-specific', { name: 'cause_specific', table: csv, label: 'Download the cause-specific Cox models as CSV' },
    [hint(text), idTable(dataTable(headers, rows), 'cause-specific-table')]);
}

function idTable(wrap, id) {
  wrap.querySelector('table').id = id;
  return wrap;
}

function figurePart(name) {
  const box = el('figure', null, { class: 'cif-figure' });
  const tools = el('div', null, { class: 'figure-tools', role: 'group', 'aria-label': 'Figure options' });
  const overlay = el('input', null, { type: 'checkbox', id: 'cif-overlay' });
  const label = el('label', null, { htmlFor: 'cif-overlay' });
  label.append(overlay, document.createTextNode(' 1 − Kaplan–Meier for comparison (it overstates the incidence)'));
  overlay.addEventListener('change', () => { current.opts.overlay = overlay.checked; draw(); });
  overlay.checked = Boolean(current.opts.overlay);
  tools.append(label);
  const canvas = el('canvas', null, { id: 'cif-canvas', role: 'img', 'aria-label': figureLabel(name), 'data-figure': name });
  const exports = el('div', null, { class: 'exports' });
  const svg = button('SVG', { id: 'cif-svg', 'aria-label': `Download ${figureLabel(name)} as SVG` });
  const png = button('PNG (300 dpi)', { id: 'cif-png', 'aria-label': `Download ${figureLabel(name)} as PNG (300 dpi)` });
  svg.addEventListener('click', () => exportFigure('svg'));
  png.addEventListener('click', () => exportFigure('png'));
  exports.append(svg, png);
  box.append(tools, canvas, el('figcaption', 'Cumulative incidence (Aalen–Johansen) by group: the event of interest solid, the competing event dashed.', { id: 'cif-caption' }), exports);
  return box;
}

function figureOptions(width) {
  const { opts } = current;
  return { width, timeUnit: opts.timeUnit, ...(opts.overlay ? { [OVERLAY_OPTION]: true } : {}) };
}

async function exportFigure(type) {
  const name = cifFigure();
  const { report, opts } = current;
  if (!report || !name) return;
  const file = `${opts.fileName || 'survlens'}-cif`;
  if (type === 'svg') download(`${file}.svg`, new Blob([figureSvg(name, report, figureOptions(760))], { type: 'image/svg+xml' }));
  else download(`${file}-300dpi.png`, await figurePng(name, report, figureOptions(720)));
}

/** Draws the figure at its box's width (again after a resize or a language change). */
export function draw() {
  const canvas = $('cif-canvas');
  const name = cifFigure();
  if (!canvas || !name || !current.report) return;
  const width = figureWidth(canvas.parentElement);
  try {
    drawFigure(name, canvas, current.report, { ...figureOptions(width), resize: false });
    canvas.dataset.drawn = '1';
    current.drawn = { width, ratio: globalThis.devicePixelRatio || 1 };
  } catch (err) {
    canvas.replaceWith(el('p', err.message, { class: 'hint' }));
  }
}

/** {width, ratio} of the last drawing (ui/figure_fit.js watchFigure), or null. */
export const drawnFigure = () => (current.report ? current.drawn ?? null : null);

/**
 * Fills `card` from `report`'s `competing_risks` (hidden without it).
 * opts: {timeUnit, fileName, tables (the page's CSV tables by name)}.
 */
export function renderCompeting(card, report, opts) {
  clear(card);
  const cr = report?.competing_risks;
  card.hidden = !cr;
  renderKmWarning(report);
  if (!cr) { current = { report: null, opts: {} }; return; }
  current = { report, opts: { ...opts, overlay: current.opts.overlay } };
  const d = report.data;
  card.append(el('h3', 'Competing risks: cumulative incidence', { id: 'competing-h' }));
  card.append(hint([`${count(d.n_used)} patients: ${count(d.n_events)} events of interest, ${count(d.n_competing ?? 0)} competing events.`,
    'The cumulative incidence is the probability of each event by each time when the other can happen first; 1 − Kaplan–Meier would overstate it.'], { id: 'competing-counts' }));
  const name = cifFigure();
  if (name) card.append(figurePart(name));
  const level = Math.round((cr.conf_level ?? 0.95) * 100);
  const at = cifAtTimes(cr.cif, level);
  if (at.times.length) {
    card.append(part('Cumulative incidence at the chosen times', 'cif-times', { name: 'cif', table: at.csv, label: 'Download the cumulative incidence at the chosen times as CSV' },
      [idTable(dataTable(at.headers, at.rows), 'cif-table')]));
  }
  for (const p of [grayPart(cr, report.spec?.strata), fineGrayPart(cr.fine_gray), causeSpecificPart(cr.cause_specific)]) if (p) card.append(p);
  const warnings = (report.warnings || []).filter((w) => SECTION_WARNINGS.test(w.code));
  if (warnings.length) {
    const ul = el('ul', null, { class: 'warnings', id: 'competing-warnings' });
    for (const w of warnings) ul.append(el('li', w.message, { 'data-code': w.code }));
    card.append(ul);
  }
  draw();
}

/** The `km_with_competing_risks` warning beside the Kaplan–Meier figure (none: hidden). */
function renderKmWarning(report) {
  const box = $('km-warnings');
  clear(box);
  const ws = (report?.warnings || []).filter((w) => w.code === KM_WARNING);
  for (const w of ws) box.append(el('li', w.message, { 'data-code': w.code }));
  box.hidden = ws.length === 0;
}

/** Takes the card's results off the page (a new file, a failed analysis). */
export function clearCompeting() {
  renderCompeting($('competing-card'), null, {});
}

/** The core's weighted cumulative incidence figure (`adjusted.cif`), null without one. */
const WEIGHTED_FIGURE = 'cif_adjusted';
const hasWeightedFigure = () => figures().some((f) => f.name === WEIGHTED_FIGURE);

/** The weighted figure: its canvas (drawn by drawWeightedCif once in the page) and its
 *  SVG and PNG downloads. */
function weightedFigure(report, fileName) {
  const label = figureLabel(WEIGHTED_FIGURE);
  const box = el('figure', null, { class: 'cif-figure' });
  const canvas = el('canvas', null, { id: 'conf-cif-canvas', role: 'img', 'aria-label': label, 'data-figure': WEIGHTED_FIGURE });
  const exports = el('div', null, { class: 'exports' });
  const svg = button('SVG', { id: 'conf-cif-svg', 'aria-label': `Download ${label} as SVG` });
  const png = button('PNG (300 dpi)', { id: 'conf-cif-png', 'aria-label': `Download ${label} as PNG (300 dpi)` });
  const file = `${fileName || 'survlens'}-weighted-cif`;
  svg.addEventListener('click', () => download(`${file}.svg`, new Blob([figureSvg(WEIGHTED_FIGURE, report, { width: 760 })], { type: 'image/svg+xml' })));
  png.addEventListener('click', async () => download(`${file}-300dpi.png`, await figurePng(WEIGHTED_FIGURE, report, { width: 720 })));
  exports.append(svg, png);
  box.append(canvas, exports);
  return box;
}

/** Draws the weighted figure of `report` at its box's width (the confounding step calls
 *  it after the box is in the page, again on a resize or a language change). */
export function drawWeightedCif(report, timeUnit) {
  const canvas = $('conf-cif-canvas');
  if (!canvas || !report?.adjusted?.cif?.length) return;
  try {
    drawFigure(WEIGHTED_FIGURE, canvas, report, { width: figureWidth(canvas.parentElement), timeUnit, resize: false });
    canvas.dataset.drawn = '1';
  } catch (err) {
    canvas.replaceWith(el('p', err.message, { class: 'hint' }));
  }
}

/** The weighted cumulative incidence of the confounding step (`adjusted.cif`): the
 *  core's figure when it has one, a table with its CSV button; null without it. */
export function weightedCif(report, fileName) {
  const curves = report?.adjusted?.cif;
  if (!curves?.length) return null;
  const level = Math.round((report.competing_risks?.conf_level ?? report.km?.conf_level ?? 0.95) * 100);
  const at = cifAtTimes(curves, level);
  const box = el('div', null, { id: 'conf-cif' });
  const head = el('div', null, { class: 'card-head' });
  const csvButton = button('CSV', { id: 'conf-cif-csv', 'aria-label': 'Download the weighted cumulative incidence as CSV' });
  csvButton.addEventListener('click', () => download(`${fileName}-weighted-cif.csv`, csvBlob(at.csv)));
  head.append(el('h4', 'Adjusted (weighted) cumulative incidence', { id: 'conf-cif-h' }), csvButton);
  box.append(head, hint(['Weighted Aalen–Johansen estimates with robust standard errors, in the weighted (pseudo-)population.']));
  if (hasWeightedFigure()) box.append(weightedFigure(report, fileName));
  if (at.times.length) {
    const wrap = idTable(dataTable(at.headers, at.rows), 'conf-cif-table');
    wrap.setAttribute('aria-labelledby', 'conf-cif-h');
    box.append(wrap);
  }
  return box;
}
