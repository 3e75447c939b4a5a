// The mapping step: which columns hold the follow-up, the event and the group.
//
// The fields are filled from the core's suggested mapping (`preview.suggested`, the
// same JSON as `survlens guess`): no guessing here. Beside each field the page says
// what SurvLens chose — "SurvLens chose X — check" when the evidence is strong, "not
// sure" when it is weak — and the guesser's notes (date order ambiguous, unit read
// from the values, a status with three values…) in words. While any field is weak,
// no result is shown until the user presses "Confirm columns": `mappingReady()` is
// false and main.js's run() refuses to analyse. The demo is confirmed by construction
// (it never goes through fillFromGuess).
//
// The event: every value of the column with its count, each set to event of interest,
// competing event or censored (ui/event_coding.js).
// Every value from the data reaches the DOM through textContent or an Option's text.

import { noteReport } from './i18n.js';
import { $, el, clear, fillSelect, checkList } from '../lib/dom.js';
import { showEventValues } from './event_coding.js';

let preview = null;
let confirmed = true;
let asked = false; // the guess was not sure: the confirm block stays until the next file
let onConfirmed = () => {};

const column = (name) => preview?.columns.find((c) => c.name === name);

/** Whether the columns may be analysed: every field confident, or the user confirmed. */
export const mappingReady = () => confirmed;

/** `onConfirm` runs when the user confirms the columns (main.js: run the analysis). */
/** @param {{onConfirm?: () => void}} [hooks] */
export function initMapping({ onConfirm } = {}) {
  onConfirmed = onConfirm ?? onConfirmed;
  $('confirm-mapping').addEventListener('click', () => {
    confirmed = true;
    showConfirm();
    onConfirmed();
  });
}

/** The selects and lists of a new file's columns; clears the previous file's checks. */
export function populateForm(p) {
  preview = p;
  const all = p.columns.map((c) => ({ value: c.name, text: `${c.name} (${c.kind})` }));
  fillSelect($('time-column'), all);
  const dates = p.columns.filter((c) => c.kind === 'date' || c.kind === 'text').map((c) => ({ value: c.name, text: `${c.name} (${c.kind})` }));
  fillSelect($('start-column'), dates.length ? dates : all);
  fillSelect($('end-column'), dates.length ? dates : all);
  fillSelect($('event-column'), all);
  fillSelect($('group-column'), all, { none: '— none: one curve —' });
  const names = p.columns.map((c) => c.name);
  checkList($('strata-list'), 'stratum', names);
  checkList($('covariate-list'), 'covariate', names);
  confirmed = true;
  asked = false;
  for (const f of ['time', 'event', 'group']) say(f, null);
  showNotes([]);
  showConfirm();
}

export function setMode(m) {
  for (const r of /** @type {NodeListOf<HTMLInputElement>} */ (document.querySelectorAll('input[name="time-mode"]'))) r.checked = r.value === m;
  for (const n of /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll('[data-mode]'))) n.hidden = n.dataset.mode !== m;
}
export const mode = () => /** @type {HTMLInputElement} */ (document.querySelector('input[name="time-mode"]:checked')).value;

/** The event column's values with their counts, each set as `event` says (an EventMap:
 *  values, competing_values, censored_values; ui/event_coding.js). */
export function refreshEventValues(event = {}) {
  showEventValues(column($('event-column').value) ?? null, event);
}

export function refreshReference(selected = '') {
  const c = column($('group-column').value);
  fillSelect($('group-reference'), (c ? c.values : []).map((v) => ({ value: v, text: v })), { none: '(first in the file)' });
  $('group-reference').value = selected;
  $('group-reference').disabled = !c;
}

/** Fills the fields from the suggested mapping and says, beside each, what was chosen. */
export function fillFromGuess(p) {
  const g = p.suggested;
  const spec = g.spec;
  const t = spec.time;
  setMode(t.column !== undefined ? 'duration' : 'dates');
  if (t.column !== undefined) $('time-column').value = t.column;
  else {
    $('start-column').value = t.start;
    $('end-column').value = t.end;
    $('date-format').value = t.date_format || 'auto';
  }
  $('time-unit').value = g.time_unit || 'months';
  $('event-column').value = spec.event.column;
  refreshEventValues(spec.event);
  $('group-column').value = spec.group?.column ?? '';
  refreshReference(spec.group?.reference ?? '');
  for (const b of $('covariate-list').querySelectorAll('input')) b.checked = false;
  if (spec.km?.times?.length) $('times').value = spec.km.times.join(', ');
  $('tau').value = spec.rmst?.tau ?? '';
  const timeName = t.column !== undefined ? t.column : `${t.start} → ${t.end}`;
  say('time', g.confidence.time, timeName);
  const ev = spec.event.values?.length ? `${spec.event.column}: ${spec.event.values.join(', ')}` : spec.event.column;
  say('event', g.confidence.event, ev);
  say('group', g.confidence.group, spec.group?.column ?? null);
  showNotes(g.notes);
  confirmed = ['time', 'event', 'group'].every((f) => g.confidence[f] === 'high');
  asked = !confirmed;
  showConfirm();
}

/** The words beside a field: chosen with strong evidence, or not sure. */
function say(field, confidence, name) {
  const p = $(`${field}-check`);
  if (!confidence) { p.hidden = true; p.textContent = ''; return; }
  p.hidden = false;
  p.dataset.confidence = confidence;
  if (name === null || name === '') {
    p.textContent = confidence === 'high'
      ? 'No treatment or group column found: one curve for everybody — check.'
      : 'SurvLens is not sure which column to compare: choose one, or keep one curve, then confirm the columns.';
  } else {
    p.textContent = confidence === 'high'
      ? `SurvLens chose ${name} — check.`
      : `SurvLens is not sure about ${name}: check it, then confirm the columns.`;
  }
}

function showNotes(notes) {
  const ul = $('mapping-notes');
  clear(ul);
  for (const n of notes) ul.append(el('li', n.message, { 'data-code': n.code }));
  ul.hidden = notes.length === 0;
  noteReport('mapping', notes.length ? { warnings: notes } : null); // their Chinese, from the core
}

function showConfirm() {
  $('mapping-confirm').hidden = !asked;
  $('mapping-confirm-text').textContent = confirmed
    ? 'Columns confirmed.'
    : 'SurvLens is not sure of every column. No result is shown until you check the columns above and confirm them.';
  $('confirm-mapping').hidden = confirmed;
}
