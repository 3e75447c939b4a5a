// The event coding step: every value of the event column with its count, each set to
// "event of interest", "competing event" or "censored" (one select per value: a
// three-way choice reachable by keyboard, one line per value at any width), and the
// counts of the three classes as marked, shown before anything runs.
//
// The spec gets the three lists (`values`, `competing_values`, `censored_values`), so
// that a value in none of them cannot happen: a value left at "— choose —" while
// others are marked stops the analysis with a message beside the list (`unmarked()`).
// Nothing marked at all leaves the coding to the core (0/1, 1/2, yes/no, dead/alive,
// 死亡/存活 …; the core's error names a value it cannot read). `competing_values` is
// written only when a value is marked competing (a two-class coding stays the v1 spec).
// The counts are the preview's (the rows read for the types, `n_scanned`); summing them
// per class is bookkeeping, printed through lib/format.js. Every value from the data
// reaches the DOM through textContent or an Option's text.
import { $, el, clear } from '../lib/dom.js';
import { count } from '../lib/format.js';

/** The classes a value can be set to, in the order of the select. */
const CLASSES = [
  ['event', 'event of interest'],
  ['competing', 'competing event'],
  ['censored', 'censored'],
];

let column = null; // the preview's column of the event ({values, counts, n_distinct}) or null

const picks = () => /** @type {HTMLSelectElement[]} */ ([...$('event-values-list').querySelectorAll('select')]);

/**
 * The event column's values with their counts, each set as `event` (an EventMap of a
 * spec or of the guess: values, competing_values, censored_values) says. Without
 * `censored_values`, every value not listed elsewhere is censored (as the spec reads
 * `values` alone); without `values`, nothing is marked.
 * @param {any} col  the preview's column (null: no column)
 * @param {{values?: string[] | null, competing_values?: string[] | null, censored_values?: string[] | null}} [event]
 */
export function showEventValues(col, event = {}) {
  column = col;
  const values = event.values ?? [];
  const competing = event.competing_values ?? [];
  const censored = event.censored_values ?? null;
  const list = $('event-values-list');
  clear(list);
  const shown = col ? col.values : [];
  const kind = (v) => {
    if (values.includes(v)) return 'event';
    if (competing.includes(v)) return 'competing';
    if (censored ? censored.includes(v) : values.length > 0) return 'censored';
    return '';
  };
  shown.forEach((v, i) => {
    const id = `event-value-${i}`;
    const row = el('div', null, { class: 'event-value' });
    const label = el('label', null, { htmlFor: id });
    label.append(el('span', v, { class: 'value', 'data-i18n-skip': '' }), document.createTextNode(' '),
      el('span', `(${count(col.counts?.[i] ?? 0)} rows)`, { class: 'count' }));
    const select = el('select', null, { id });
    select.dataset.value = v;
    select.add(new Option('— choose —', ''));
    for (const [value, text] of CLASSES) select.add(new Option(text, value));
    select.value = kind(v);
    row.append(label, select);
    list.append(row);
  });
  $('event-values-hint').hidden = shown.length < 3;
  $('event-values-many').hidden = !(col && col.n_distinct > shown.length);
  showClassCounts();
}

/** The line under the list: how many rows each class holds as the values are marked now. */
export function showClassCounts() {
  const line = $('event-classes');
  const all = picks();
  if (!all.some((s) => s.value)) { line.hidden = true; line.textContent = ''; return; }
  const rows = (k) => all.reduce((n, s, i) => n + (s.value === k ? column?.counts?.[i] ?? 0 : 0), 0);
  const unset = all.filter((s) => !s.value).length;
  line.hidden = false;
  line.textContent = `Events of interest: ${count(rows('event'))} · Competing events: ${count(rows('competing'))} · Censored: ${count(rows('censored'))}`
    + (unset ? ` · Not marked: ${count(rows(''))}` : '');
  line.dataset.event = String(rows('event'));
  line.dataset.competing = String(rows('competing'));
  line.dataset.censored = String(rows('censored'));
}

/** `{values, competing_values?, censored_values}` as marked, or null when nothing is
 *  marked (the core then reads the coding itself). */
export function eventCoding() {
  const all = picks();
  if (!all.some((s) => s.value)) return null;
  const of = (k) => all.filter((s) => s.value === k).map((s) => s.dataset.value);
  const competing = of('competing');
  return { values: of('event'), ...(competing.length ? { competing_values: competing } : {}), censored_values: of('censored') };
}

/** Whether a value is marked as a competing event. */
export const hasCompeting = () => picks().some((s) => s.value === 'competing');

/**
 * The error that stops the analysis when some values are marked and others not (null
 * when every value is marked, or none): `{kind, message, field}` as the core's errors,
 * so ui/errors.js writes it beside the list.
 */
export function unmarked() {
  const all = picks();
  const left = all.filter((s) => !s.value).map((s) => s.dataset.value);
  if (!left.length || left.length === all.length) return null;
  const name = $('event-column').value;
  const quoted = left.map((v) => `"${v}"`).join(', ');
  return {
    kind: 'event_value_not_marked',
    field: 'event.values',
    message: left.length === 1
      ? `The value ${quoted} of ${name} is not marked: set it to event of interest, competing event or censored, then the analysis runs.`
      : `The values ${quoted} of ${name} are not marked: set each to event of interest, competing event or censored, then the analysis runs.`,
  };
}
