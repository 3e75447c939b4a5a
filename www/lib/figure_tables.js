// A figure's text alternative as tables, from the core (src/wasm/figures.rs
// `figure_tables`): for a figure whose numbers no table of the page holds (the overlap
// figure: its histograms are computed in the core from the per-row scores). The cells
// come printed by the core's one formatter in the page's language; this module only
// builds the DOM (the tables are skipped by ui/i18n.js: already in the language).
import * as core from '../pkg/survlens.js';
import { figures } from '../survlens.js';
import { el } from './dom.js';

/** The sections of `report` figure `name` reads, as JSON text (what the core parses). */
function sectionsOf(name, report) {
  const f = figures().find((x) => x.name === name);
  return JSON.stringify(Object.fromEntries((f?.sections ?? []).map((k) => [k, report[k]])));
}

/** The tables of figure `name` of `report` in `lang`: [{caption, headers, rows}], or null. */
export function figureTables(name, report, lang) {
  return core.figure_tables(name, sectionsOf(name, report), { lang });
}

/** The tables as DOM: one captioned <table class="data"> per table, each in its
 *  .table-wrap (ui/a11y.js makes a wide one a scrollable region). */
export function figureTablesDom(tables) {
  return (tables ?? []).map((tab) => {
    const table = el('table', null, { class: 'data' });
    table.append(el('caption', tab.caption));
    const h = table.createTHead().insertRow();
    for (const x of tab.headers) h.append(el('th', x, { scope: 'col' }));
    const body = table.createTBody();
    for (const r of tab.rows) {
      const tr = body.insertRow();
      r.forEach((c, i) => { if (i === 0) tr.append(el('th', c, { scope: 'row' })); else tr.insertCell().textContent = c; });
    }
    const wrap = el('div', null, { class: 'table-wrap', 'data-i18n-skip': '' });
    wrap.append(table);
    return wrap;
  });
}
