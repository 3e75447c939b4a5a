// Errors where the user is (issue 16: "errors appear at the top of the left panel
// wherever the user is"). An error of the core names its data column (`column`), file
// line and spec field (`field`) when it knows them (src/wasm.rs error_value); this module
//   1. finds the control of that column or field and writes the message beside it
//      (aria-invalid, aria-describedby: a screen reader reads it on reaching the control);
//   2. moves the summary box #form-error (role=alert: announced at once) next to what the
//      user last did (the file button, the control they changed, an export button), with a
//      button that moves the focus to the control at fault;
//   3. moves the focus to the summary unless the user is in the form (a keyboard user who
//      changed the time column stays there; the alert is read to them all the same).
// The message is the core's English sentence; ui/i18n.js shows it in Chinese from the
// core's own translation (`messages.zh`, noteError). Text reaches the DOM as text only.
import { noteError } from './i18n.js';
import { $ } from '../lib/dom.js';


// Spec fields (SpecError's `field`, longest prefix first) → the control that sets them.
const FIELD_CONTROLS = [
  ['time.column', 'time-column'], ['time.start', 'start-column'], ['time.end', 'end-column'],
  ['time.date_format', 'date-format'], ['time.unit', 'time-unit'], ['time', 'time-column'],
  ['event.values', 'event-values'], ['event.censored_values', 'event-values'], ['event.competing_values', 'event-values'], ['event', 'event-column'],
  ['group.reference', 'group-reference'], ['group', 'group-column'],
  ['strata', 'strata-list'], ['covariates', 'covariate-list'],
  ['km.conf_type', 'conf-type'], ['km.conf_level', 'conf-level'], ['km.times', 'times'], ['km', 'times'],
  ['competing_risks.times', 'times'], ['competing_risks', 'competing-risks'], ['rmst', 'tau'], ['logrank.rho', 'rho'], ['logrank.pairwise', 'pairwise'], ['logrank.adjust', 'adjust'],
];
// Data-column errors whose column is the event's, not the time's, when a column is both.
const EVENT_KINDS = new Set(['unknown_event_value', 'conflicting_event_values']);

// Cards whose content their modules replace on every render.
const REBUILT = '#cox-card, #immortal-card, #confounding-step';

let lastAction = null; // the element the user last changed, clicked or dropped a file on

/** Remembers where the user acts (capture phase: before the handlers that may fail). */
export function trackActions() {
  const note = (e) => { if (e.target instanceof Element) lastAction = e.target; };
  for (const type of ['change', 'click', 'input']) document.addEventListener(type, note, true);
  window.addEventListener('drop', () => { lastAction = $('file'); }, true);
}

const visible = (e) => e && !e.closest('[hidden]') && e.getClientRects().length > 0;

/** The control of data column `column` in the form: a select set to it (the event's first
 *  for an event error), else a ticked strata / covariate box. */
function controlOfColumn(column, kind) {
  const order = EVENT_KINDS.has(kind)
    ? ['event-column', 'time-column', 'start-column', 'end-column', 'group-column']
    : ['time-column', 'start-column', 'end-column', 'event-column', 'group-column'];
  for (const id of order) {
    const s = $(id);
    if (s && s.value === column && visible(s)) return s;
  }
  for (const box of /** @type {NodeListOf<HTMLInputElement>} */ (document.querySelectorAll('#strata-list input:checked, #covariate-list input:checked'))) {
    if (box.value === column) return box.closest('fieldset') ?? box;
  }
  return null;
}

function controlOfField(field) {
  const hit = FIELD_CONTROLS.find(([prefix]) => field === prefix || field.startsWith(`${prefix}.`) || field.startsWith(`${prefix}[`));
  const c = hit && $(hit[1]);
  if (!c) return null;
  return c.matches('fieldset') || visible(c) ? c : c.closest('fieldset') ?? c;
}

/** The control an error is about, or null. Older errors without `column`: a select whose
 *  value the message quotes. */
export function controlOf(err) {
  if (err?.column) return controlOfColumn(err.column, err.kind);
  if (err?.field) return controlOfField(err.field);
  const quoted = err?.message ?? '';
  for (const s of /** @type {NodeListOf<HTMLSelectElement>} */ (document.querySelectorAll('#spec-form select'))) {
    if (s.value && visible(s) && quoted.includes(`"${s.value}"`)) return s;
  }
  return null;
}

/** The name of a control as its label reads (for the summary's "Go to" button). */
function labelOf(c) {
  if (c.matches('fieldset')) return c.querySelector('legend')?.textContent.trim() ?? '';
  return c.labels?.[0]?.textContent.trim() ?? c.getAttribute('aria-label') ?? '';
}

/** Where the summary goes: after the block the user last acted in, else its place in step 2. */
function summaryAnchor() {
  const a = lastAction?.isConnected ? lastAction : null;
  if (!a) return null;
  if (a.closest('#dropzone') || a.id === 'file') return $('file-info');
  if (a.closest('#spec-form')) return a.closest('.field-grid') ?? a.closest('.field, .field-pair, fieldset.values, .radio-row');
  // Only beside blocks that stay: cards that modules rebuild would take the summary with them.
  const spot = a.closest('.exports, .card-head, .figure-tools');
  return spot && !spot.closest(REBUILT) ? spot : null;
}

function fieldMessage(control, err) {
  const id = `${control.id || 'field'}-error`;
  const p = document.createElement('p');
  p.className = 'field-error';
  p.id = id;
  p.textContent = err.message || String(err);
  const block = control.matches('fieldset') ? control : control.closest('.field') ?? control;
  if (block === control) control.after(p); else block.append(p);
  control.setAttribute('aria-invalid', 'true');
  const described = (control.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean);
  control.dataset.describedBefore = described.join(' ');
  control.setAttribute('aria-describedby', [...described, id].join(' '));
}

/** Removes every field message and mark; hides the summary. */
export function clearErrors() {
  const box = $('form-error');
  if (box) {
    box.hidden = true;
    const form = $('spec-form');
    if (form && box.nextElementSibling !== form) form.before(box); // back to its place in step 2
  }
  for (const p of document.querySelectorAll('.field-error')) p.remove();
  for (const c of /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll('[aria-invalid="true"]'))) {
    c.removeAttribute('aria-invalid');
    if (c.dataset.describedBefore !== undefined) {
      if (c.dataset.describedBefore) c.setAttribute('aria-describedby', c.dataset.describedBefore);
      else c.removeAttribute('aria-describedby');
      delete c.dataset.describedBefore;
    }
  }
  box?.querySelector('.form-error-goto')?.remove();
}

/** Shows `err` ({kind, message, messages?, column?, field?}) beside its control and in the
 *  summary where the user acted; returns the control (or null). */
export function showErrorWhere(err) {
  clearErrors();
  noteError(err);
  const box = $('form-error');
  $('form-error-message').textContent = err.message || String(err);
  $('form-error-kind').textContent = err.kind || 'error';
  const control = controlOf(err);
  if (control) {
    const fold = control.closest('details');
    if (fold) fold.open = true; // a covariate or an option folded away: unfold it
    fieldMessage(control, err);
    const go = document.createElement('p');
    go.className = 'form-error-goto';
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'button small';
    b.textContent = 'Go to the setting';
    const name = labelOf(control);
    if (name) b.setAttribute('aria-label', `Go to the setting: ${name}`);
    b.addEventListener('click', () => {
      const target = control.matches('fieldset') ? control.querySelector('input, select') ?? control : control;
      target.focus();
      target.scrollIntoView?.({ block: 'center' });
    });
    go.append(b);
    box.append(go);
  }
  const anchor = summaryAnchor();
  if (anchor && anchor !== box && !box.contains(anchor)) anchor.after(box);
  else $('spec-form')?.before(box);
  box.tabIndex = -1;
  box.hidden = false;
  // Focus: a user editing the form keeps their place (the alert is announced anyway);
  // after a file, a protocol or an export the focus goes to the summary.
  const focus = document.activeElement;
  const editing = focus?.closest?.('#spec-form') && lastAction?.isConnected && lastAction.closest('#spec-form');
  if (!editing) box.focus({ preventScroll: true });
  box.scrollIntoView?.({ block: 'nearest' });
  return control;
}
