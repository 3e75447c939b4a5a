// The "Follow-up and conditional survival" card (issue 19): the median follow-up by
// reverse Kaplan–Meier (everybody, then each group: median with its CI, IQR) as papers
// report it, and the conditional survival S(t | alive at s) for each chosen s (time
// since s: median and survival at the chosen times, with CIs), each table with its CSV.
// Above the conditional tables, the core's figure "conditional" (its figure registry:
// one panel of Kaplan–Meier curves since s per s, drawn on a canvas, SVG and PNG downloads).
// DOM only: every number comes from the Report's `follow_up` and `conditional` and is
// printed by lib/format.js (the core's formatter); the CSVs carry full precision.
import { num, count, interval } from '../lib/format.js';
import { $, el, clear, dataTable } from '../lib/dom.js';
import { download, csvBlob } from '../lib/download.js';
import { figures, drawFigure, figureSvg, figurePng, figureLabel } from '../survlens.js';
import { figureWidth } from './figure_fit.js';
import { estCi, atTimeCell } from './tables.js';

// The core's conditional survival figure (crates/render/src/plot/conditional.rs).
const FIGURE = 'conditional';
// What the figure was drawn from: {report, timeUnit, fileName, drawn: {width, ratio}}.
let current = null;

const button = (text, attrs) => el('button', text, { type: 'button', class: 'button small', ...attrs });

/** A block: a heading with its CSV button (saved as `${fileName}-${csv.name}.csv`), then `body`. */
export function csvPart({ title, id, csv, label, fileName, tables }, body) {
  const box = el('div', null, { class: 'competing-part', id });
  const head = el('div', null, { class: 'card-head' });
  head.append(el('h4', title, { id: `${id}-h` }));
  const b = button('CSV', { id: `${id}-csv`, 'aria-label': label });
  b.addEventListener('click', () => download(`${fileName || 'survlens'}-${csv.name}.csv`, csvBlob(csv.table)));
  head.append(b);
  if (tables) tables[csv.name] = csv.table;
  box.append(head, ...body);
  for (const w of box.querySelectorAll('.table-wrap')) w.setAttribute('aria-labelledby', `${id}-h`);
  return box;
}

/** The quantile `p` of a follow-up entry (null when absent). */
const quantile = (f, p) => f.quantiles?.find((q) => q.p === p)?.estimate ?? null;

/** "IQR 25.9 to 105.2" of a follow-up entry. */
const iqr = (f) => interval(num(quantile(f, 0.25), 1), num(quantile(f, 0.75), 1));

/** The median follow-up table: rows shown and the CSV. */
export function followUpTable(entries, unit, level) {
  const headers = ['Group', 'Patients', `Median follow-up, ${unit} (${level}% CI)`, `Interquartile range, ${unit}`];
  const rows = entries.map((f) => [
    f.group === 'all' ? 'All patients' : f.group,
    count(f.n),
    estCi(f.median.estimate, f.median.lower, f.median.upper, (v) => num(v, 1),
      { field: 'follow_up_median', group: f.group, value: f.median.estimate, lower: f.median.lower, upper: f.median.upper }),
    { text: iqr(f), data: { field: 'iqr', group: f.group, q25: quantile(f, 0.25), q75: quantile(f, 0.75) } },
  ]);
  const csv = {
    headers: ['group', 'n', 'median', 'median_lower', 'median_upper', 'q25', 'q75'],
    rows: entries.map((f) => [f.group, f.n, f.median.estimate, f.median.lower, f.median.upper, quantile(f, 0.25), quantile(f, 0.75)]),
  };
  return { headers, rows, csv };
}

/** The conditional survival of every `given`: rows shown (one table per given) and one CSV. */
export function conditionalTables(sections, unit, level) {
  const times = sections[0]?.curves[0]?.at_times.map((a) => a.time) ?? [];
  const headers = ['Group', 'Alive at s', 'Events after s', `Median time since s, ${unit} (${level}% CI)`,
    ...times.map((t) => `Survival ${t} ${unit} later, % (${level}% CI)`)];
  const tablesBy = sections.map((s) => ({
    given: s.given,
    rows: s.curves.map((c) => [c.group, count(c.n), count(c.events),
      estCi(c.median.estimate, c.median.lower, c.median.upper, (v) => num(v, 1),
        { field: 'conditional_median', given: s.given, group: c.group, value: c.median.estimate, lower: c.median.lower, upper: c.median.upper }),
      ...c.at_times.map((a) => {
        const cell = atTimeCell(a);
        return { ...cell, data: { ...cell.data, given: s.given, group: c.group, lower: a.lower ?? null, upper: a.upper ?? null } };
      })]),
  }));
  const csv = {
    headers: ['given', 'group', 'n', 'events', 'median', 'median_lower', 'median_upper',
      ...times.flatMap((t) => [`surv_${t}`, `surv_${t}_se`, `surv_${t}_lower`, `surv_${t}_upper`, `n_risk_${t}`])],
    rows: sections.flatMap((s) => s.curves.map((c) => [s.given, c.group, c.n, c.events, c.median.estimate, c.median.lower, c.median.upper,
      ...c.at_times.flatMap((a) => [a.surv, a.std_err, a.lower, a.upper, a.n_risk])])),
  };
  return { headers, tables: tablesBy, csv, times };
}

/** The figure's options at `width` px: the page's time unit, confidence bands on. */
const figureOptions = (width) => ({ width, timeUnit: current.timeUnit, ci: true });

/** The figure block: its canvas (drawn by drawConditional), caption, SVG and PNG downloads. */
function figurePart() {
  const label = figureLabel(FIGURE);
  const box = el('figure', null, { class: 'cif-figure', id: 'conditional-figure' });
  const canvas = el('canvas', null, { id: 'conditional-canvas', role: 'img', 'aria-label': label, 'data-figure': FIGURE });
  const exports = el('div', null, { class: 'exports' });
  const svg = button('SVG', { id: 'conditional-svg', 'aria-label': `Download ${label} as SVG` });
  const png = button('PNG (300 dpi)', { id: 'conditional-png', 'aria-label': `Download ${label} as PNG (300 dpi)` });
  const file = () => `${current?.fileName || 'survlens'}-conditional`;
  svg.addEventListener('click', () => current && download(`${file()}.svg`,
    new Blob([figureSvg(FIGURE, current.report, figureOptions(760))], { type: 'image/svg+xml' })));
  png.addEventListener('click', async () => current && download(`${file()}-300dpi.png`,
    await figurePng(FIGURE, current.report, figureOptions(720))));
  exports.append(svg, png);
  box.append(canvas, el('figcaption', 'Kaplan–Meier curves of the patients alive at each s, on the time since s, with 95% confidence bands and the number at risk.', { id: 'conditional-caption' }), exports);
  return box;
}

/** Draws the conditional figure at its box's width (again after a resize or a language change). */
export function drawConditional() {
  const canvas = $('conditional-canvas');
  if (!canvas || !current) return;
  const width = figureWidth(canvas.parentElement);
  try {
    drawFigure(FIGURE, canvas, current.report, { ...figureOptions(width), resize: false });
    canvas.dataset.drawn = '1';
    current.drawn = { width, ratio: globalThis.devicePixelRatio || 1 };
  } catch (err) {
    canvas.replaceWith(el('p', err.message, { class: 'hint' }));
  }
}

/** {width, ratio} of the figure as last drawn (ui/figure_fit.js watchFigure), or null. */
export const drawnConditional = () => ($('conditional-canvas') ? current?.drawn ?? null : null);

function idTable(wrap, id) {
  wrap.querySelector('table').id = id;
  return wrap;
}

/** The sentence papers print: "Median follow-up 44.8 months (IQR 20.1 to 80.3), by reverse Kaplan–Meier." */
function sentence(all, unit) {
  if (!all || all.median.estimate === null) return 'Median follow-up not reached (reverse Kaplan–Meier).';
  return `Median follow-up ${num(all.median.estimate, 1)} ${unit} (IQR ${iqr(all)}), by reverse Kaplan–Meier.`;
}

/**
 * Fills `card` from `report`'s `follow_up` and `conditional` (hidden without both).
 * opts: {timeUnit, fileName, tables (the page's CSV tables by name)}.
 */
export function renderFollowUp(card, report, opts = {}) {
  clear(card);
  current = null;
  const fu = report?.follow_up;
  const cond = report?.conditional;
  // Under the Kaplan–Meier figure too, as papers report it.
  const under = $('km-follow-up');
  if (under) {
    under.hidden = !fu?.length;
    under.textContent = fu?.length ? sentence(fu.find((f) => f.group === 'all'), opts.timeUnit || 'months') : '';
  }
  card.hidden = !fu?.length && !cond?.length;
  if (card.hidden) return;
  const unit = opts.timeUnit || 'months';
  const level = Math.round((report.km?.conf_level ?? report.spec?.km?.conf_level ?? 0.95) * 100);
  const common = { fileName: opts.fileName, tables: opts.tables };
  card.append(el('h3', 'Follow-up and conditional survival', { id: 'followup-h' }));
  if (fu?.length) {
    const t = followUpTable(fu, unit, level);
    card.append(csvPart({ ...common, title: 'Median follow-up', id: 'followup', csv: { name: 'follow_up', table: t.csv }, label: 'Download the median follow-up as CSV' },
      [el('p', sentence(fu.find((f) => f.group === 'all'), unit), { class: 'hint', id: 'followup-sentence' }),
        idTable(dataTable(t.headers, t.rows), 'followup-table'),
        el('p', 'Reverse Kaplan–Meier: the follow-up of every patient, with deaths counted as censored; the interquartile range is that of the same curve.', { class: 'hint' })]));
  }
  if (cond?.length) {
    const c = conditionalTables(cond, unit, level);
    const body = [el('p', 'Survival of the patients still alive at s, counted from s: S(s + t) / S(s), with the curve restarted at s.', { class: 'hint' })];
    if (figures().some((f) => f.name === FIGURE)) {
      current = { report, timeUnit: unit, fileName: opts.fileName };
      body.push(figurePart());
    }
    for (const x of c.tables) {
      const i = c.tables.indexOf(x);
      body.push(el('h5', `Alive at ${num(x.given, Number.isInteger(x.given) ? 0 : 1)} ${unit}`, { id: `conditional-${i}-h` }));
      body.push(idTable(dataTable(c.headers, x.rows), `conditional-table-${i}`));
    }
    card.append(csvPart({ ...common, title: 'Conditional survival', id: 'conditional', csv: { name: 'conditional', table: c.csv }, label: 'Download the conditional survival as CSV' }, body));
    drawConditional();
  }
}

/** Takes the card's results off the page. */
export function clearFollowUp() {
  renderFollowUp($('followup-card'), null);
}
