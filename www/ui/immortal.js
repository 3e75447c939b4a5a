// The immortal-time card: naive vs landmark vs time-dependent group hazard ratios,
// side by side, each row named by the core with its adjustment, with the explanation
// the Rust core wrote by its reading rule table. DOM only; numbers and words
// come from report.immortal_time (no statistics here); data strings via textContent.

import { pValue, hr, hrCi } from '../lib/format.js';
import { el } from '../lib/dom.js';
import { phTable } from './cox.js';

const NAIVE_ONLY = 'immortal_time_naive_only';

const fp = pValue;

// The row's name: the core's label, which says whether and for what the model is
// adjusted ("Naive Cox (group at time zero), adjusted for age, sex"); the language
// switch finds its translation among the core's texts. The fallback serves older results.
function analysisName(a, unit) {
  if (a.label) return a.label;
  if (a.analysis === 'naive') return 'Naive (group at time zero)';
  if (a.analysis === 'landmark') return `Landmark at ${a.landmark}${unit ? ` ${unit}` : ''}`;
  return 'Time-dependent (Cox on (start, stop])';
}

/** Fill (or hide) the card `#immortal-card` from a Report. */
export function renderImmortal(report, unit = '') {
  const card = document.getElementById('immortal-card');
  if (!card) return;
  card.replaceChildren();
  const cmp = report?.immortal_time;
  card.hidden = !cmp;
  if (!cmp) return;
  card.append(el('h3', 'Immortal time: naive, landmark and time-dependent comparisons'));
  const naiveOnly = (report.warnings || []).find((w) => w.code === NAIVE_ONLY);
  if (naiveOnly) card.append(el('p', naiveOnly.message, { class: 'immortal-warning', role: 'alert', id: 'immortal-warning' }));
  const groups = cmp.analyses[0]?.terms.map((t) => t.group) || [];
  const tbl = el('table', null, { class: 'data', id: 'immortal-table' });
  const head = el('tr');
  head.append(el('th', 'Analysis'), el('th', 'n'));
  for (const g of groups) head.append(el('th', `${g} vs ${cmp.reference}: HR (95% CI)`), el('th', 'p'));
  const thead = el('thead');
  thead.append(head);
  tbl.append(thead);
  const body = el('tbody');
  for (const a of cmp.analyses) {
    const tr = el('tr', null, { 'data-analysis': a.analysis, ...(a.landmark !== null ? { 'data-landmark': String(a.landmark) } : {}) });
    tr.append(el('th', analysisName(a, unit), { scope: 'row' }), el('td', a.n ?? '—'));
    for (const t of a.terms) {
      const ci = t.lower === null || t.lower === undefined ? '' : ` (${hrCi(t.lower, t.upper)})`;
      tr.append(
        el('td', `${hr(t.hr)}${ci}`, { 'data-field': 'hr', 'data-group': t.group, 'data-value': String(t.hr) }),
        el('td', fp(t.p), { 'data-field': 'p', 'data-group': t.group, 'data-value': String(t.p) }),
      );
    }
    body.append(tr);
  }
  tbl.append(body);
  const wrap = el('div', null, { class: 'table-wrap' });
  wrap.append(tbl);
  card.append(wrap);
  const text = el('div', null, { class: 'immortal-explanation', id: 'immortal-explanation' });
  for (const para of cmp.explanation) text.append(el('p', para));
  card.append(text);
  // The test of proportional hazards on the (start, stop] rows (time_dependent.cox.ph_test),
  // as the Cox card shows its model's.
  const ph = report.time_dependent?.cox?.ph_test;
  if (ph) {
    card.append(el('h4', `Proportional-hazards test of the time-dependent Cox model (cox.zph on the (start, stop] rows, ${ph.transform} time)`, { id: 'immortal-ph-heading' }));
    const phWrap = el('div', null, { class: 'table-wrap' });
    phWrap.append(phTable(ph, 'immortal-ph-table'));
    card.append(phWrap);
  }
}
