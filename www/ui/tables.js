// The results tables of the main step: survival summary (median, survival at the chosen
// times, RMST), log-rank and pairwise tests, RMST differences, and the data line with the
// warnings and excluded rows. DOM only: every number comes from the Report; numbers are
// formatted by lib/format.js (display only: each table's CSV export, kept in `tables`,
// carries full precision). Data strings reach the DOM through textContent.
import { $, el, clear } from '../lib/dom.js';
import { num as fmt, pct, pValue as fmtP, pSentence, ci, interval } from '../lib/format.js';


/** A table cell: the estimate, and its interval on a second line. */
export const estCi = (est, lo, hi, f, data) => (est === null || est === undefined
  ? { text: 'not reached', ci: lo === null || lo === undefined ? '' : `(${interval(f(lo), f(hi))})`, data }
  : { text: f(est), ci: `(${interval(f(lo), f(hi))})`, data });
/** A survival-at-time cell: "beyond follow-up" where the curve has ended (no numbers past the data). */
export const atTimeCell = (a) => (a.beyond_follow_up
  ? { text: 'beyond follow-up', ci: '', data: { field: 'surv', time: a.time, value: null, beyond: true } }
  : estCi(a.surv, a.lower, a.upper, pct, { field: 'surv', time: a.time, value: a.surv }));

function table(id, headers, rows, csvName, csvRows, tables) {
  const t = $(id);
  clear(t);
  const h = t.createTHead().insertRow();
  for (const x of headers) h.append(el('th', x, { scope: 'col' }));
  const b = t.createTBody();
  for (const r of rows) {
    const tr = b.insertRow();
    r.forEach((c, i) => {
      const cell = i === 0 ? el('th', null, { scope: 'row' }) : tr.insertCell();
      if (i === 0) tr.append(cell);
      if (c && typeof c === 'object') {
        cell.textContent = c.text;
        if (c.ci) cell.append(el('span', c.ci, { class: 'ci' }));
        for (const [k, v] of Object.entries(c.data || {})) cell.setAttribute(`data-${k}`, v === null ? 'null' : String(v));
      } else cell.textContent = c;
    });
  }
  tables[csvName] = { headers: csvRows.headers, rows: csvRows.rows };
}

function renderSummary(r, { unit, tables }) {
  const curves = r.km?.curves || [];
  const groups = new Map((r.groups || []).map((g) => [g.label, g]));
  const times = curves[0]?.at_times.map((a) => a.time) || [];
  const level = Math.round((r.km?.conf_level ?? 0.95) * 100);
  const tau = curves[0]?.rmst?.tau;
  // The curves that end before τ (warning rmst_tau_beyond_follow_up of the rmst section).
  const tauBeyond = new Set((r.warnings || []).filter((w) => w.code === 'rmst_tau_beyond_follow_up' && (w.context?.section ?? 'rmst') === 'rmst')
    .flatMap((w) => w.context?.groups ?? []));
  // With competing risks, "Events" are events of interest and the competing ones have a column.
  const competing = (r.groups || []).some((g) => g.competing !== undefined && g.competing !== null);
  const headers = ['Group', 'n', competing ? 'Events of interest' : 'Events', ...(competing ? ['Competing events'] : []), `Median, ${unit} (${level}% CI)`, ...times.map((t) => `Survival at ${t}, % (${level}% CI)`), ...(tau !== undefined ? [`RMST to ${tau}, ${unit}`] : [])];
  const rows = [];
  const csv = [];
  for (const c of curves) {
    const g = groups.get(c.group) || {};
    const m = c.median;
    rows.push([
      c.group, g.n ?? '', g.events ?? '', ...(competing ? [g.competing ?? ''] : []),
      estCi(m.estimate, m.lower, m.upper, (v) => fmt(v, 1), { field: 'median', group: c.group, value: m.estimate, lower: m.lower, upper: m.upper }),
      ...c.at_times.map(atTimeCell),
      ...(c.rmst ? [{ text: fmt(c.rmst.estimate, 1), ci: `SE ${fmt(c.rmst.se, 2)}${tauBeyond.has(c.group) ? '; τ beyond follow-up' : ''}`, data: { field: 'rmst', value: c.rmst.estimate } }] : []),
    ]);
    csv.push([c.group, g.n, g.events, ...(competing ? [g.competing] : []), m.estimate, m.lower, m.upper,
      ...c.at_times.flatMap((a) => [a.surv, a.lower, a.upper]), ...(c.rmst ? [c.rmst.estimate, c.rmst.se] : [])]);
  }
  const csvHeaders = ['group', 'n', 'events', ...(competing ? ['competing'] : []), 'median', 'median_lower', 'median_upper',
    ...times.flatMap((t) => [`surv_${t}`, `surv_${t}_lower`, `surv_${t}_upper`]), ...(tau !== undefined ? [`rmst_${tau}`, `rmst_${tau}_se`] : [])];
  table('summary-table', headers, rows, 'summary', { headers: csvHeaders, rows: csv }, tables);
}

function renderLogrank(r, tables) {
  const lr = r.logrank;
  $('logrank-card').hidden = !lr;
  $('pairwise-card').hidden = !lr || !lr.pairwise?.length;
  if (!lr) return;
  $('logrank-title').textContent = lr.rho === 0 ? 'Log-rank test' : `G-rho test (ρ = ${lr.rho})`;
  const line = $('logrank-line');
  clear(line);
  // "p = 0.023" / "p < 0.001" (the core's sentence form): "p" here, the relation and
  // the value in the span.
  line.append(document.createTextNode(`χ² = ${fmt(lr.chisq, 2)} on ${lr.df} df, p`));
  line.append(el('span', pSentence(lr.p).slice(1), { id: 'logrank-p', 'data-value': String(lr.p) }));
  line.append(document.createTextNode(r.spec?.strata?.length ? ` (stratified by ${r.spec.strata.join(', ')})` : ''));
  table('logrank-table', ['Group', 'Observed', 'Expected', 'O/E'],
    lr.groups.map((g) => [g.label, fmt(g.observed, 0), fmt(g.expected, 2), fmt(g.observed / g.expected, 2)]), 'logrank',
    { headers: ['group', 'observed', 'expected', 'chisq', 'df', 'p'], rows: lr.groups.map((g, i) => [g.label, g.observed, g.expected, ...(i === 0 ? [lr.chisq, lr.df, lr.p] : ['', '', ''])]) }, tables);
  const adj = r.spec?.logrank?.adjust ?? 'holm';
  table('pairwise-table', ['Comparison', 'χ²', 'p', `p adjusted (${adj})`],
    lr.pairwise.map((q) => [`${q.a} vs ${q.b}`, fmt(q.chisq, 2), { text: fmtP(q.p), data: { field: 'p', value: q.p } }, { text: fmtP(q.p_adjusted), data: { field: 'p_adjusted', value: q.p_adjusted } }]),
    'pairwise', { headers: ['a', 'b', 'chisq', 'p', 'p_adjusted'], rows: lr.pairwise.map((q) => [q.a, q.b, q.chisq, q.p, q.p_adjusted]) }, tables);
}

function renderRmst(r, tables) {
  const d = r.rmst_difference || [];
  $('rmst-card').hidden = !d.length;
  if (!d.length) return;
  table('rmst-table', ['Comparison', 'τ', 'Difference (95% CI)', 'p'],
    d.map((x) => [`${x.a} − ${x.b}`, fmt(x.tau, 0), `${fmt(x.estimate, 2)} (${ci(x.lower, x.upper, 2)})`, fmtP(x.p)]),
    'rmst', { headers: ['a', 'b', 'tau', 'estimate', 'se', 'lower', 'upper', 'p'], rows: d.map((x) => [x.a, x.b, x.tau, x.estimate, x.se, x.lower, x.upper, x.p]) }, tables);
}

function renderData(r, tables) {
  const d = r.data;
  const reasons = Object.entries(d.excluded_by_reason || {}).map(([k, n]) => `${n} ${k.replace(/_/g, ' ')}`).join(', ');
  const events = d.n_competing === undefined || d.n_competing === null ? `${d.n_events} events`
    : `${d.n_events} events of interest, ${d.n_competing} competing events`;
  $('data-line').textContent = `${d.n_used} of ${d.n_rows} rows used, ${events}.` + (reasons ? ` Left out: ${reasons}.` : '');
  const w = $('warnings');
  clear(w);
  for (const x of r.warnings || []) w.append(el('li', x.message, { 'data-code': x.code }));
  $('excluded-details').hidden = !d.excluded.length;
  const shown = d.excluded.slice(0, 200);
  table('excluded-table', ['Line', 'Column', 'Reason'], shown.map((x) => [String(x.line), x.column, x.reason.replace(/_/g, ' ')]), 'excluded',
    { headers: ['line', 'column', 'reason'], rows: d.excluded.map((x) => [x.line, x.column, x.reason]) }, tables);
}

/** Fills the result tables from `r`; each table's CSV rows go to `tables[name]`.
 *  @param {object} r  the Report
 *  @param {{unit: string, tables: Record<string, import('../lib/download.js').TableData>}} where
 *    unit: the time unit's name in the headers */
export function renderTables(r, { unit, tables }) {
  renderSummary(r, { unit, tables });
  renderLogrank(r, tables);
  renderRmst(r, tables);
  renderData(r, tables);
}
