// The "Subgroups" card (issue 19): the group's hazard ratios within the levels of the
// chosen columns and the interaction tests. The subgroup forest plot is the core's (its
// figure registry: "subgroups", "subgroups_adjusted" for the weighted population), drawn
// on a canvas with SVG and PNG downloads; the rows (n and events per arm, HR (CI), p) and
// the interaction tests are tables with CSV exports. The same block serves
// `adjusted.subgroups` in the confounding step.
// DOM only: every number comes from the Report and is printed by lib/format.js (the
// core's formatter); the CSVs carry full precision. Data strings reach the DOM through textContent.
import { figures, drawFigure, figureSvg, figurePng, figureLabel } from '../survlens.js';
import { figureWidth } from './figure_fit.js';
import { num, pValue, hr, hrCi, count } from '../lib/format.js';
import { $, el, clear, dataTable } from '../lib/dom.js';
import { download } from '../lib/download.js';
import { csvPart } from './follow_up.js';

const TEST = { lr: 'likelihood ratio', wald_robust: 'robust Wald' };
const SECTION_WARNINGS = /^subgroup_/;
// Drawn figures by canvas id: {name, report, timeUnit} (redrawn on a resize or a language change).
const drawn = new Map();
let last = null; // {width, ratio} of the card's figure as last drawn

const button = (text, attrs) => el('button', text, { type: 'button', class: 'button small', ...attrs });
// The forest's columns (labels, n/events per arm, HR text) need this width: in a narrower
// box (a phone) the drawing keeps it and scrolls sideways rather than being squeezed.
const FOREST_MIN_WIDTH = 640;
export const hasFigure = (name) => figures().some((f) => f.name === name);

/** "age: ≤60", or "Overall". */
const rowName = (r) => (r.column === null ? 'Overall' : `${r.column}: ${r.level}`);

/** The rows table of `sub`: rows shown and the CSV (one CSV row per level and term). */
export function subgroupRows(sub, groups) {
  const names = [...new Set(sub.rows.flatMap((r) => (r.terms ?? []).map((t) => t.name)))];
  // A term "treatment=IM+HR" is headed by its level: "IM+HR: HR (95% CI)".
  const level = (n) => n.slice(n.indexOf('=') + 1);
  const headers = ['Subgroup', 'n (events)', ...groups.map((g) => `${g}: n (events)`),
    ...names.flatMap((n) => [`${level(n)}: HR (95% CI)`, 'p'])];
  const rows = sub.rows.map((r) => ({
    class: r.column === null ? 'overall' : '',
    cells: [rowName(r), `${count(r.n)} (${count(r.events)})`,
      ...groups.map((g) => { const b = r.by_group.find((x) => x.group === g); return b ? `${count(b.n)} (${count(b.events)})` : '—'; }),
      ...names.flatMap((n) => {
        const base = { column: r.column, level: r.level, term: n };
        const t = r.terms?.find((x) => x.name === n);
        if (!r.terms) return [{ text: 'no events in a group', data: { ...base, field: 'hr', value: null } }, ''];
        if (!t || t.hr === null) return [{ text: '—', data: { ...base, field: 'hr', value: null } }, ''];
        return [{ text: hr(t.hr), ci: `(${hrCi(t.lower, t.upper)})`, data: { ...base, field: 'hr', value: t.hr, lower: t.lower, upper: t.upper } },
          { text: pValue(t.p), data: { ...base, field: 'p', value: t.p } }];
      })],
  }));
  const csv = {
    headers: ['column', 'level', 'n', 'events', ...groups.flatMap((g) => [`n_${g}`, `events_${g}`]), 'term', 'coef', 'se', 'robust_se', 'hr', 'lower', 'upper', 'z', 'p'],
    rows: sub.rows.flatMap((r) => {
      const head = [r.column ?? '', r.level, r.n, r.events, ...groups.flatMap((g) => { const b = r.by_group.find((x) => x.group === g); return [b?.n, b?.events]; })];
      if (!r.terms) return [[...head, '', '', '', '', '', '', '', '', '']];
      return r.terms.map((t) => [...head, t.name, t.coef, t.se, t.robust_se, t.hr, t.lower, t.upper, t.z, t.p]);
    }),
  };
  return { headers, rows, csv };
}

/** The interaction tests of `sub`: rows shown and the CSV. */
export function interactionRows(sub) {
  const rows = sub.interaction.map((x) => [x.column, TEST[x.test] ?? x.test,
    { text: num(x.chisq, 2), data: { field: 'chisq', column: x.column, value: x.chisq } }, String(x.df),
    { text: pValue(x.p), data: { field: 'p', column: x.column, value: x.p } }]);
  const csv = { headers: ['column', 'test', 'chisq', 'df', 'p'], rows: sub.interaction.map((x) => [x.column, x.test, x.chisq, x.df, x.p]) };
  return { headers: ['Column', 'Test', 'χ²', 'df', 'p for interaction'], rows, csv };
}

function idTable(wrap, id) {
  wrap.querySelector('table').id = id;
  return wrap;
}

/** The figure block of the core's figure `name`: a canvas (drawn by drawSubgroups once in
 *  the page; ids `${prefix}-canvas`, -svg, -png), SVG and PNG downloads. */
export function figureBlock(name, prefix, report, opts) {
  const label = figureLabel(name);
  const box = el('figure', null, { class: 'cif-figure forest-figure' });
  const canvas = el('canvas', null, { id: `${prefix}-canvas`, role: 'img', 'aria-label': label, 'data-figure': name });
  const exports = el('div', null, { class: 'exports' });
  const svg = button('SVG', { id: `${prefix}-svg`, 'aria-label': `Download ${label} as SVG` });
  const png = button('PNG (300 dpi)', { id: `${prefix}-png`, 'aria-label': `Download ${label} as PNG (300 dpi)` });
  const file = `${opts.fileName || 'survlens'}-${prefix}`;
  const o = (width) => ({ width, timeUnit: opts.timeUnit });
  svg.addEventListener('click', () => download(`${file}.svg`, new Blob([figureSvg(name, report, o(760))], { type: 'image/svg+xml' })));
  png.addEventListener('click', async () => download(`${file}-300dpi.png`, await figurePng(name, report, o(720))));
  exports.append(svg, png);
  // Narrower than the forest needs (a phone): it scrolls sideways in its box (ui/a11y.js
  // makes the box a labelled, focusable region), as the Cox forest plot does.
  const scroll = el('div', null, { class: 'figure-scroll' });
  scroll.append(canvas);
  box.append(scroll, exports);
  drawn.set(canvas.id, { name, report, timeUnit: opts.timeUnit });
  return box;
}

/**
 * The block of a subgroups section `sub` of `report`: the figure `figure` (when the core
 * has it), the rows and the interaction tests with their CSVs. `prefix` names the ids
 * ("subgroups", "conf-subgroups"); opts: {fileName, timeUnit, tables, weighted}.
 */
export function subgroupsBlock(report, sub, figure, prefix, opts) {
  const box = el('div', null, { id: prefix });
  const groups = report.groups?.map((g) => g.label) ?? [];
  const common = { fileName: opts.fileName, tables: opts.tables };
  const adjust = report.spec?.subgroups?.adjust;
  const about = el('p', null, { class: 'hint', id: `${prefix}-about` });
  // One text node per sentence (ui/i18n.js translates each).
  about.append(document.createTextNode(adjust
    ? 'Hazard ratios of each group against the reference within each subgroup, adjusted for the covariates of the Cox model.'
    : 'Hazard ratios of each group against the reference within each subgroup (unadjusted).'));
  if (opts.weighted) about.append(document.createTextNode(' In the weighted population: the full-cohort weights, robust standard errors.'));
  box.append(about);
  if (hasFigure(figure)) box.append(figureBlock(figure, `${prefix}-forest`, report, opts));
  const r = subgroupRows(sub, groups);
  box.append(csvPart({ ...common, title: 'Hazard ratios by subgroup', id: `${prefix}-rows`, csv: { name: `${prefix.replace(/-/g, '_')}`, table: r.csv }, label: `Download the ${opts.weighted ? 'weighted ' : ''}subgroup hazard ratios as CSV` },
    [idTable(dataTable(r.headers, r.rows), `${prefix}-table`)]));
  const i = interactionRows(sub);
  const missing = Object.entries(sub.missing_subgroup || {}).map(([c, n]) => `${c} ${n}`).join(', ');
  box.append(csvPart({ ...common, title: 'Interaction tests', id: `${prefix}-interaction`, csv: { name: `${prefix.replace(/-/g, '_')}_interaction`, table: i.csv }, label: `Download the ${opts.weighted ? 'weighted ' : ''}interaction tests as CSV` },
    [el('p', 'Does the effect of the group differ between the levels of the column? A small p says it does; the hazard ratios within subgroups are otherwise read as one effect.', { class: 'hint' }),
      idTable(dataTable(i.headers, i.rows), `${prefix}-interaction-table`),
      ...(missing ? [el('p', `Rows missing the subgroup column, left out of its rows only: ${missing}.`, { class: 'hint' })] : [])]));
  return box;
}

/** Draws the figures of figureBlock in the page at their boxes' widths (again after a resize). */
export function drawSubgroups() {
  for (const [id, d] of drawn) {
    const canvas = $(id);
    if (!canvas) { drawn.delete(id); continue; }
    try {
      const box = canvas.closest('figure') ?? canvas.parentElement;
      const width = Math.max(FOREST_MIN_WIDTH, figureWidth(box));
      drawFigure(d.name, canvas, d.report, { width, timeUnit: d.timeUnit }); // its CSS size: `width` px
      canvas.dataset.drawn = '1';
      if (id.startsWith('subgroups-')) last = { width: figureWidth(box), ratio: globalThis.devicePixelRatio || 1 };
    } catch (err) {
      canvas.replaceWith(el('p', err.message, { class: 'hint' }));
    }
  }
}

/** {width, ratio} of the card's figure as last drawn (ui/figure_fit.js watchFigure), or null. */
export const drawnSubgroups = () => ($('subgroups-forest-canvas') ? last : null);

/** Fills `card` from `report`'s `subgroups` (hidden without it). opts: {timeUnit, fileName, tables}. */
export function renderSubgroups(card, report, opts = {}) {
  clear(card);
  for (const id of [...drawn.keys()]) if (id.startsWith('subgroups-')) drawn.delete(id);
  const sub = report?.subgroups;
  card.hidden = !sub;
  if (!sub) return;
  card.append(el('h3', 'Subgroups: who benefits', { id: 'subgroups-h' }));
  card.append(subgroupsBlock(report, sub, 'subgroups', 'subgroups', opts));
  const warnings = (report.warnings || []).filter((w) => SECTION_WARNINGS.test(w.code));
  if (warnings.length) {
    const ul = el('ul', null, { class: 'warnings', id: 'subgroups-warnings' });
    for (const w of warnings) ul.append(el('li', w.message, { 'data-code': w.code }));
    card.append(ul);
  }
  drawSubgroups();
}

/** Takes the card's results off the page. */
export function clearSubgroups() {
  renderSubgroups($('subgroups-card'), null);
}

/** `adjusted.subgroups` of the confounding step: its block, null without it. */
export function weightedSubgroups(report, opts) {
  const sub = report?.adjusted?.subgroups;
  if (!sub) return null;
  for (const id of [...drawn.keys()]) if (id.startsWith('conf-')) drawn.delete(id);
  const box = el('div', null, { id: 'conf-subgroups-box' });
  box.append(el('h4', 'Subgroups in the weighted population', { id: 'conf-subgroups-h' }));
  box.append(subgroupsBlock(report, sub, 'subgroups_adjusted', 'conf-subgroups', { ...opts, weighted: true }));
  return box;
}
