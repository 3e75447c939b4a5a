// The analysis options of the form beyond the mapping step: Cox (ties, robust,
// univariable, PH test), weights, cluster, delayed entry, treatment time (the
// immortal-time panel: landmark times, time-dependent analysis), missing tokens,
// Table 1 and E-values, competing risks (when a value of the event is marked competing:
// the cumulative incidence at the KM times, with the core's defaults for the rest);
// subgroups (columns, cut points of numeric ones, adjusted or not); median follow-up (on by default) and conditional survival (given times; the times
// since them default to the KM times); the site summary's interval width and smallest count
// shown (several hospitals); the KM times and τ suggested from the data's follow-up.
// Defaults are the core's, never written here: `coreDefaults` asks the core for the
// protocol of a spec that names every optional section with nothing in it, and
// reads the defaults it filled in (the spec as it runs).
import { $, el, clear, fillSelect, numbers } from '../lib/dom.js';
import { num } from '../lib/format.js';
import { hasCompeting } from './event_coding.js';


// Every optional section named, with nothing in it: the core fills in the defaults.
const SKELETON = { time: { start: 'start', end: 'end' }, event: { column: 'event' }, km: {}, logrank: {}, cox: { ph_test: {} } };
const COLUMN_SELECTS = ['weights-column', 'cluster-column', 'entry-column', 'treatment-time-column'];

let defaults = null;
let preview = null;

/** The core's defaults of every option the page offers (also the page's initial values). */
export async function coreDefaults(engine) {
  const d = JSON.parse(await engine.protocol(SKELETON));
  defaults = {
    conf_type: d.km.conf_type, conf_level: d.km.conf_level, times: d.km.times ?? [],
    rho: d.logrank.rho, pairwise: d.logrank.pairwise, adjust: d.logrank.adjust,
    ties: d.cox.ties, robust: d.cox.robust, univariable: d.cox.univariable ?? false,
    transform: d.cox.ph_test.transform, residuals: d.cox.ph_test.residuals ?? false,
    missing: d.missing,
  };
  return defaults;
}

/** The core's defaults (null until `coreDefaults` resolved). */
export const optionDefaults = () => defaults;

// Missing tokens: an empty cell is always missing; the field lists the others.
const shownTokens = (list) => list.filter((t) => t !== '').join(', ');
const readTokens = () => ['', ...$('missing-tokens').value.split(',').map((t) => t.trim()).filter(Boolean)];
const sameList = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);

const kind = () => /** @type {HTMLInputElement | null} */ (document.querySelector('input[name="treatment-time-kind"]:checked'))?.value ?? 'column';
function setKind(k) {
  for (const r of /** @type {NodeListOf<HTMLInputElement>} */ (document.querySelectorAll('input[name="treatment-time-kind"]'))) r.checked = r.value === k;
}

/** Shows the Cox options when a Cox model runs and the immortal-time options when a treatment time is mapped. */
export function syncOptions() {
  const covariates = document.querySelectorAll('#covariate-list input:checked').length > 0;
  $('cox-options').hidden = !(covariates || $('sensitivity').checked);
  $('immortal-options').hidden = !$('treatment-time-column').value;
  $('outcome-rare-field').hidden = !$('sensitivity').checked;
  $('competing-field').hidden = !hasCompeting();
}

/** Sets every option to the core's default and forgets the last file's columns and edits. */
export function resetOptions() {
  const d = defaults;
  if (!d) return;
  $('conf-type').value = d.conf_type;
  $('conf-level').value = String(d.conf_level);
  $('rho').value = String(d.rho);
  $('pairwise').value = d.pairwise;
  $('adjust').value = d.adjust;
  $('cox-ties').value = d.ties;
  $('cox-robust').checked = d.robust;
  $('cox-univariable').checked = d.univariable;
  $('ph-transform').value = d.transform;
  $('ph-residuals').checked = d.residuals;
  $('cox-periods').value = '';
  $('missing-tokens').value = shownTokens(d.missing);
  $('times').value = d.times.join(', ');
  $('tau').value = '';
  for (const id of ['times', 'tau']) delete $(id).dataset.edited;
  $('table1').checked = false;
  $('follow-up').checked = true; // cheap, and every reviewer asks for it
  clear($('subgroup-list'));
  $('subgroup-adjust').checked = false;
  $('conditional-given').value = '';
  $('conditional-times').value = '';
  $('sensitivity').checked = false;
  $('competing-risks').checked = true;
  $('outcome-rare').value = '';
  for (const id of COLUMN_SELECTS) fillSelect($(id), [], { none: '— none —' });
  setKind('column');
  $('landmark-times').value = '';
  $('time-dependent').checked = true;
  $('sites-km-width').value = '';
  $('sites-min-cell').value = '';
  $('follow-up-hint').textContent = '';
  preview = null;
  syncOptions();
}

/** The column lists of the options for the file of `p` (its preview). */
export function fillColumns(p) {
  preview = p;
  const items = (filter) => p.columns.filter(filter).map((c) => ({ value: c.name, text: `${c.name} (${c.kind})` }));
  const numeric = (c) => c.kind === 'number';
  fillSelect($('weights-column'), items(numeric), { none: '— none —' });
  fillSelect($('cluster-column'), items(() => true), { none: '— none —' });
  fillSelect($('entry-column'), items(numeric), { none: '— none —' });
  fillSubgroupList(p.columns);
  fillSelect($('treatment-time-column'), items((c) => c.kind === 'number' || c.kind === 'date' || c.kind === 'text'), { none: '— none —' });
}

/** One row per column of the file: a checkbox, and for a numeric column its cut points. */
function fillSubgroupList(columns) {
  const list = $('subgroup-list');
  clear(list);
  columns.forEach((c, i) => {
    const row = el('div', null, { class: 'subgroup-choice' });
    const box = el('input', null, { type: 'checkbox', id: `subgroup-${i}`, value: c.name });
    const label = el('label', null, { htmlFor: `subgroup-${i}` });
    label.append(box, document.createTextNode(` ${c.name}`));
    row.append(label);
    if (c.kind === 'number') {
      row.append(el('input', null, { type: 'text', inputMode: 'decimal', size: 8, 'data-cut-for': c.name, 'aria-label': `Cut points of ${c.name}`, placeholder: 'cut points' }));
    }
    list.append(row);
  });
}

/** The subgroup columns ticked, each with its cut points (numeric columns). */
function subgroupColumns() {
  return [...$('subgroup-list').querySelectorAll('input[type="checkbox"]:checked')].map((b) => {
    const cut = numbers(b.closest('.subgroup-choice').querySelector('input[data-cut-for]')?.value ?? '');
    return cut.length ? { column: b.value, cut } : { column: b.value };
  });
}

/** A changed treatment column: a date column is read as a date, any other as a time. */
export function treatmentColumnChanged() {
  const c = preview?.columns.find((x) => x.name === $('treatment-time-column').value);
  if (c) setKind(c.kind === 'date' ? 'date' : 'column');
  syncOptions();
}

/** The options of `spec` (a protocol, the demo's spec) in the controls. */
export function fillOptions(spec) {
  const d = defaults ?? {};
  const cox = spec.cox ?? {};
  $('cox-ties').value = cox.ties ?? d.ties;
  $('cox-robust').checked = cox.robust ?? d.robust;
  $('cox-univariable').checked = cox.univariable ?? d.univariable;
  $('ph-transform').value = cox.ph_test?.transform ?? d.transform;
  $('ph-residuals').checked = cox.ph_test?.residuals ?? d.residuals;
  $('cox-periods').value = (cox.periods ?? []).join(', ');
  $('weights-column').value = spec.weights?.column ?? '';
  $('cluster-column').value = spec.cluster?.column ?? '';
  $('entry-column').value = spec.time?.entry ?? '';
  $('missing-tokens').value = shownTokens(spec.missing ?? d.missing ?? []);
  $('table1').checked = Boolean(spec.table1);
  $('follow-up').checked = Boolean(spec.follow_up);
  for (const b of $('subgroup-list').querySelectorAll('input[type="checkbox"]')) {
    const c = spec.subgroups?.columns.find((x) => x.column === b.value);
    b.checked = Boolean(c);
    const cut = b.closest('.subgroup-choice').querySelector('input[data-cut-for]');
    if (cut) cut.value = (c?.cut ?? []).join(', ');
  }
  $('subgroup-adjust').checked = Boolean(spec.subgroups?.adjust);
  $('conditional-given').value = (spec.conditional?.given ?? []).join(', ');
  $('conditional-times').value = (spec.conditional?.times ?? []).join(', ');
  // A protocol with competing values but no section asked for none; otherwise on by default.
  $('competing-risks').checked = Boolean(spec.competing_risks) || !spec.event?.competing_values?.length;
  $('sensitivity').checked = Boolean(spec.sensitivity);
  const rare = spec.sensitivity?.outcome_rare;
  $('outcome-rare').value = rare === undefined || rare === null ? '' : String(rare);
  const tt = spec.treatment_time;
  $('treatment-time-column').value = tt?.column ?? tt?.date ?? '';
  setKind(tt?.date ? 'date' : 'column');
  $('landmark-times').value = (spec.landmark?.times ?? []).join(', ');
  $('time-dependent').checked = tt ? Boolean(spec.time_dependent) : true;
  $('sites-km-width').value = spec.sites?.km_width ?? '';
  $('sites-min-cell').value = spec.sites?.min_cell ?? '';
  for (const id of ['times', 'tau']) $(id).dataset.edited = '1'; // a protocol's times are the user's
  syncOptions();
}

/** `spec` with the keys of these options set from the controls (`base`: the loaded protocol's keys). */
export function addOptions(spec, base = {}) {
  for (const k of ['weights', 'cluster', 'missing', 'cox', 'table1', 'sensitivity', 'treatment_time', 'landmark', 'time_dependent', 'competing_risks',
    'follow_up', 'conditional', 'subgroups', 'sites']) delete spec[k];
  // Several hospitals (ui/sites.js): the site summary's interval width and smallest count
  // shown; empty fields leave them to the core's defaults.
  const [width] = numbers($('sites-km-width').value);
  const [minCell] = numbers($('sites-min-cell').value);
  if (width !== undefined || minCell !== undefined) {
    spec.sites = {};
    if (width !== undefined) spec.sites.km_width = width;
    if (minCell !== undefined) spec.sites.min_cell = minCell;
  }
  if (spec.time.column && $('entry-column').value) spec.time.entry = $('entry-column').value;
  else delete spec.time.entry;
  if ($('weights-column').value) spec.weights = { column: $('weights-column').value };
  if ($('cluster-column').value) spec.cluster = { column: $('cluster-column').value };
  const missing = readTokens();
  if (!defaults) { if (base.missing) spec.missing = base.missing; } // defaults unknown: the protocol's, or the core's
  else if (!sameList(missing, defaults.missing)) spec.missing = missing;
  if (spec.covariates?.length || $('sensitivity').checked) {
    spec.cox = { ties: $('cox-ties').value, robust: $('cox-robust').checked, ph_test: { transform: $('ph-transform').value } };
    if ($('ph-residuals').checked) spec.cox.ph_test.residuals = true;
    if ($('cox-univariable').checked) spec.cox.univariable = true;
    const periods = numbers($('cox-periods').value);
    if (periods.length) spec.cox.periods = periods;
  }
  if ($('table1').checked) spec.table1 = base.table1 ?? {};
  if ($('follow-up').checked) spec.follow_up = base.follow_up ?? {};
  const columns = subgroupColumns();
  if (columns.length) spec.subgroups = { columns, adjust: $('subgroup-adjust').checked };
  const given = numbers($('conditional-given').value);
  if (given.length) {
    const after = numbers($('conditional-times').value);
    spec.conditional = { given, times: after.length ? after : spec.km?.times ?? [] };
  }
  if (spec.event?.competing_values?.length && $('competing-risks').checked) {
    spec.competing_risks = { ...(base.competing_risks ?? {}), times: spec.km?.times ?? [] };
  }
  if ($('sensitivity').checked) {
    spec.sensitivity = { ...(base.sensitivity ?? {}) };
    const rare = $('outcome-rare').value;
    if (rare) spec.sensitivity.outcome_rare = rare === 'true'; else delete spec.sensitivity.outcome_rare;
  }
  const tt = $('treatment-time-column').value;
  if (tt) {
    spec.treatment_time = kind() === 'date' ? { date: tt } : { column: tt };
    const landmarks = numbers($('landmark-times').value);
    if (landmarks.length) spec.landmark = { times: landmarks };
    if ($('time-dependent').checked) spec.time_dependent = {};
  }
  return spec;
}

/** Remembers that the user typed the KM times or τ (they are then never re-suggested). */
export function noteEdited(target) {
  if (target.id === 'times' || target.id === 'tau') target.dataset.edited = '1';
}

/**
 * Fills the KM times and τ the core suggests from the data's follow-up
 * (`engine.suggestTimes(spec)`: {times, tau, max_follow_up}), unless the user edited them.
 * Without that method the fields stay as they are. `current()`: whether the file is still
 * the one asked about. Resolves to true when the fields changed.
 */
export async function suggestTimes(engine, spec, current) {
  if (typeof engine.suggestTimes !== 'function') return false;
  let s;
  try { s = await engine.suggestTimes(spec); } catch { return false; }
  if (!current() || !s) return false;
  const times = $('times');
  const tau = $('tau');
  const before = `${times.value}|${tau.value}`;
  if (!times.dataset.edited) times.value = (s.times ?? []).join(', ');
  if (!tau.dataset.edited) tau.value = s.tau ?? '';
  $('follow-up-hint').textContent = s.max_follow_up === null || s.max_follow_up === undefined
    ? '' : `Longest follow-up in this file: ${num(s.max_follow_up, 1)}.`;
  return `${times.value}|${tau.value}` !== before;
}

/** The ids of the fields whose change changes the time mapping (the KM times are re-suggested). */
export const TIME_MAPPING = new Set(['time-mode', 'time-column', 'start-column', 'end-column', 'date-format', 'time-unit', 'entry-column']);
