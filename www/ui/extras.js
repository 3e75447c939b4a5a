// The main analysis's Table 1 and E-values (spec keys `table1` and `sensitivity`, set
// by the options of the form), in cards of their own under the Cox card. The same
// tables as the confounding step's (ui/table1.js, ui/confounding.js). DOM only.
import { $, el, dataTable } from '../lib/dom.js';
import { table1Rows } from './table1.js';
import { evalueCard } from './confounding.js';


/** Fills (or hides) #table1-card and #evalue-card from `report` (null: hides both). */
export function renderExtras(report) {
  const t1 = report?.table1;
  const table1 = $('table1-card');
  table1.replaceChildren();
  table1.hidden = !t1;
  if (t1) {
    const rows = table1Rows(t1);
    const n = t1.groups.reduce((sum, g) => sum + g.n, 0);
    table1.append(el('h3', 'Table 1: baseline characteristics by group'),
      el('p', `${n} patients: every patient of the analysis; a missing value is counted under its covariate.`, { class: 'hint', id: 'table1-n' }),
      dataTable(rows.headers, rows.rows));
    table1.querySelector('table').id = 'table1-table';
  }
  const s = report?.sensitivity;
  const ev = $('evalue-card');
  ev.replaceChildren();
  ev.hidden = !s;
  if (s) {
    ev.append(el('h3', 'E-values: how strong would an unmeasured confounder have to be?'), evalueCard(report));
    ev.querySelector('table')?.setAttribute('id', 'evalue-table');
  }
}
