// SurvLens page: DOM wiring only. No statistics and no CSV parsing here: the
// worker (WebAssembly) previews and analyses, the core draws the figure.
// Every value from the data reaches the DOM through textContent (or an
// Option's text), never as HTML.
import { Engine, drawKaplanMeier, kaplanMeierSvg, kaplanMeierPng, version, simdBuild } from './survlens.js';
import { fileTooLarge } from './ui/limits.js';
import { installFaultNotice } from './ui/faults.js';
import { initConfounding } from './ui/confounding.js';
import { initImputation } from './ui/imputation.js';
import { initReport } from './ui/report.js';
import { initSiteSummary, initCoordinator } from './ui/sites.js';
import { renderImmortal } from './ui/immortal.js';
import { initEmulation } from './ui/emulation.js';
import { renderCox } from './ui/cox.js';
import { initI18n, noteReport, noteError, onLangChange } from './ui/i18n.js';
import {
  populateForm, fillFromGuess as fillMapping, setMode, mode, refreshEventValues, refreshReference, mappingReady, initMapping,
} from './ui/mapping.js';
import { eventCoding, unmarked, showClassCounts } from './ui/event_coding.js';
import { renderFollowUp, clearFollowUp, drawConditional, drawnConditional } from './ui/follow_up.js';
import { renderSubgroups, clearSubgroups, drawSubgroups, drawnSubgroups } from './ui/subgroups.js';
import { renderCompeting, clearCompeting, draw as drawCif, drawnFigure as drawnCif } from './ui/competing.js';
import { figureWidth, watchFigure } from './ui/figure_fit.js';
import { showErrorWhere, clearErrors, trackActions } from './ui/errors.js';
import { initA11y } from './ui/a11y.js';
import { $, el, clear, fillSelect, numbers, checkedValues } from './lib/dom.js';
import { download, csvBlob } from './lib/download.js';
import { renderTables } from './ui/tables.js';
import { fileSize } from './lib/format.js';
import * as options from './ui/options.js';
import { renderExtras } from './ui/extras.js';

const engine = new Engine();
// One state: `file` says which file is loaded (a new number for every file chosen);
// every result carries the number of the file it was computed from and renders only
// while that file is still the one loaded.
const state = {
  preview: null, report: null, json: null, spec: null, base: {}, demo: false,
  seq: 0, file: 0, fileName: 'survlens', tables: {}, figureDrawn: null, figureWidth: 0, timeUnit: 'months',
};
const DEMO_CSV = 'demo/gist_liver_mets_demo.csv';
const DEMO_SPEC = 'demo/demo_spec.json';

// ---------- status, errors ----------
function busy(text, value) {
  $('status-text').textContent = text;
  const p = $('progress');
  p.hidden = false;
  if (value === undefined) p.removeAttribute('value'); else p.value = value;
  $('cancel').hidden = false;
  document.body.classList.add('busy');
}
function idle(text = '') {
  $('status-text').textContent = text;
  $('progress').hidden = true;
  $('cancel').hidden = true;
  document.body.classList.remove('busy');
}
// The message goes beside the field at fault and in a summary where the user acted (ui/errors.js).
function showError(err) {
  showErrorWhere(err);
  $('results').classList.add('stale');
}
function clearError() {
  clearErrors();
  $('results').classList.remove('stale');
}

// ---------- preview and form ----------
function unitFromName(name) {
  const n = String(name ?? '').toLowerCase(); // null when no time column was guessed
  if (n.includes('day')) return 'days';
  if (n.includes('week')) return 'weeks';
  if (n.includes('year')) return 'years';
  return 'months';
}

function renderPreview(p) {
  const t = $('preview-table');
  clear(t);
  const head = t.createTHead().insertRow();
  for (const c of p.columns) {
    const th = el('th', null, { scope: 'col' });
    th.append(el('span', c.name, { class: 'col-name' }), el('span', c.date_format ? `date ${c.date_format}` : c.kind, { class: `chip chip-${c.kind}` }));
    head.append(th);
  }
  const body = t.createTBody();
  for (const r of p.rows) {
    const tr = body.insertRow();
    for (const cell of r) tr.insertCell().textContent = cell;
  }
  $('preview-card').hidden = false;
}

/** A new file's fields from the core's suggested mapping (ui/mapping.js); the previous
 *  spec's hidden keys (the demo's cox, treatment time, …) do not carry over. */
function fillFromGuess(p) {
  fillMapping(p);
  state.base = {};
}

function fillFromSpec(spec) {
  const t = spec.time || {};
  if (t.column) {
    setMode('duration');
    $('time-column').value = t.column;
    $('time-unit').value = t.unit || unitFromName(t.column);
  } else {
    setMode('dates');
    $('start-column').value = t.start; $('end-column').value = t.end;
    $('date-format').value = t.date_format || 'auto';
    $('time-unit').value = t.unit || 'months';
  }
  $('event-column').value = spec.event?.column ?? '';
  refreshEventValues(spec.event ?? {});
  $('group-column').value = spec.group?.column ?? '';
  refreshReference(spec.group?.reference ?? '');
  for (const b of $('strata-list').querySelectorAll('input')) b.checked = (spec.strata || []).includes(b.value);
  for (const b of $('covariate-list').querySelectorAll('input')) b.checked = (spec.covariates || []).some((c) => c.column === b.value);
  const km = spec.km || {};
  const d = options.optionDefaults(); // the core's
  $('conf-type').value = km.conf_type ?? d.conf_type;
  $('conf-level').value = String(km.conf_level ?? d.conf_level);
  $('times').value = (km.times || []).join(', ');
  $('tau').value = spec.rmst?.tau ?? '';
  const lr = spec.logrank || {};
  $('rho').value = String(lr.rho ?? d.rho);
  $('pairwise').value = lr.pairwise ?? d.pairwise;
  $('adjust').value = lr.adjust ?? d.adjust;
  options.fillOptions(spec);
  state.base = spec; // keys the form does not show (recode, levels, covariate types, ...) are kept
}

function buildSpec() {
  const base = state.base || {};
  /** @type {Record<string, any>} */
  const spec = { ...base };
  if (mode() === 'duration') spec.time = { column: $('time-column').value };
  else spec.time = { start: $('start-column').value, end: $('end-column').value, unit: $('time-unit').value, date_format: $('date-format').value };
  spec.event = { ...(base.event?.column === $('event-column').value ? base.event : {}), column: $('event-column').value };
  const coding = eventCoding(); // every list, so no value is censored silently
  for (const k of ['values', 'competing_values', 'censored_values']) delete spec.event[k];
  if (coding) Object.assign(spec.event, coding);
  const g = $('group-column').value;
  if (g) {
    spec.group = { ...(base.group?.column === g ? base.group : {}), column: g };
    const ref = $('group-reference').value;
    if (ref) spec.group.reference = ref; else delete spec.group.reference;
  } else delete spec.group;
  const strata = checkedValues($('strata-list'));
  if (strata.length) spec.strata = strata; else delete spec.strata;
  const covs = checkedValues($('covariate-list'));
  if (covs.length) spec.covariates = covs.map((c) => (base.covariates || []).find((x) => x.column === c) || { column: c });
  else delete spec.covariates;
  spec.km = { ...(base.km || {}), conf_type: $('conf-type').value, conf_level: Number($('conf-level').value), times: numbers($('times').value) };
  const tau = numbers($('tau').value)[0];
  if (tau > 0) spec.rmst = { ...(base.rmst || {}), tau }; else delete spec.rmst;
  if (g) spec.logrank = { ...(base.logrank || {}), rho: Number($('rho').value), pairwise: $('pairwise').value, adjust: $('adjust').value };
  else delete spec.logrank;
  // Missing data (ui/imputation.js): a file of stacked imputed sets is analysed as such.
  const imp = imputation.pageImputation();
  if (imp) {
    spec.imputation = imp;
    if (spec.covariates) spec.covariates = spec.covariates.filter((c) => c.column !== imp.imputed && c.column !== '.id');
  } else delete spec.imputation;
  return options.addOptions(spec, base);
}

// ---------- one file, one state ----------
const RESULT_CARDS = ['figure-card', 'immortal-card', 'report-tools', 'summary-card', 'logrank-card', 'pairwise-card',
  'rmst-card', 'cox-card', 'table1-card', 'evalue-card', 'data-card'];
const RESULT_TABLES = ['summary-table', 'logrank-table', 'pairwise-table', 'rmst-table', 'excluded-table', 'warnings', 'logrank-line'];

/** Takes every result off the page: nothing of an earlier file (or analysis) stays. */
function clearResults() {
  Object.assign(state, { report: null, json: null, spec: null, tables: {} });
  const canvas = $('km-canvas');
  canvas.width = 0;
  canvas.height = 0;
  $('km-caption').textContent = '';
  $('data-line').textContent = '';
  for (const id of RESULT_TABLES) clear($(id));
  renderCox($('cox-card'), null);
  renderImmortal(null);
  emulation.invalidate();
  renderExtras(null);
  clearCompeting();
  clearFollowUp();
  clearSubgroups();
  for (const id of RESULT_CARDS) $(id).hidden = true;
  confounding.reset();
  imputation.invalidate();
  siteSummary.reset();
  noteReport('main', null);
}

/** A new file is chosen (or the demo): a new file number, no result, the core's default options. */
function beginFile() {
  state.file += 1;
  state.seq += 1; // an analysis still running belongs to the old file
  Object.assign(state, { preview: null, base: {}, demo: false });
  clearResults();
  clearError();
  options.resetOptions();
  imputation.reset();
  emulation.reset();
  $('preview-card').hidden = true;
  $('fault-notice').hidden = true; // it spoke of the last file's results
  return state.file;
}

/** The form of no file: no columns to choose (after a load that was cancelled or failed). */
function emptyForm() {
  populateForm({ columns: [] });
  refreshEventValues();
  refreshReference();
}

// ---------- running ----------
async function run(given) {
  // A user file whose columns SurvLens is not sure of is analysed only once confirmed.
  if (!state.demo && !mappingReady()) {
    idle('Check the columns, then press “Confirm columns”.');
    return;
  }
  // A value of the event column left unmarked while others are marked: no analysis, and
  // no result of the coding before stays on screen.
  const unset = given ? null : unmarked();
  if (unset) {
    state.seq += 1;
    clearResults();
    idle('Not analysed: see the message beside the settings.');
    showError(unset);
    return;
  }
  const spec = given ?? buildSpec();
  const seq = ++state.seq;
  const file = state.file;
  busy('Analysing…');
  try {
    const { report, json } = await engine.analyze(spec);
    if (seq !== state.seq || file !== state.file) return;
    state.spec = spec;
    state.report = report;
    state.json = json;
    clearError();
    render(report, file);
    confounding.update({ preview: state.preview, spec, report, timeUnit: $('time-unit').value, fileName: state.fileName });
    imputation.update({ spec, report, fileName: state.fileName });
    emulation.update({ spec, columns: (state.preview?.columns ?? []).map((c) => c.name), fileName: state.fileName, timeUnit: $('time-unit').value });
    siteSummary.update();
    idle(`Analysed ${report.data.n_used} of ${report.data.n_rows} rows.`);
  } catch (err) {
    if (seq !== state.seq || file !== state.file) return;
    clearResults(); // an analysis that failed leaves no result of another one on screen
    idle(err.kind === 'cancelled' ? 'Cancelled.' : 'Not analysed: see the message beside the settings.');
    if (err.kind !== 'cancelled') showError(err);
  }
}

/** The KM times and τ suggested by the core for the time mapping now in the form. */
function suggestTimes() {
  const file = state.file;
  const spec = buildSpec();
  spec.km = { ...spec.km, times: [] };
  delete spec.rmst;
  return options.suggestTimes(engine, spec, () => file === state.file);
}

/** Hazard ratios by period (the Cox card's offer): the cut points the core suggests from the
 *  event times go into the Cox options' field, then the analysis runs again. */
async function suggestPeriods() {
  const file = state.file;
  const spec = buildSpec();
  if (spec.cox) delete spec.cox.periods;
  let s;
  try { s = await engine.suggestPeriods(spec); } catch (err) { showError(err); return; }
  if (file !== state.file || !s?.cuts?.length) return;
  $('cox-periods').value = s.cuts.join(', ');
  run();
}

let timer = 0;
function rerunSoon() {
  clearTimeout(timer);
  timer = setTimeout(() => { if (state.preview) run(); }, 250);
}

async function openData(source, name, size) {
  // Refused before anything changes: the file loaded (and its results) stays the one loaded.
  const tooLarge = fileTooLarge(size);
  if (tooLarge) { showError(tooLarge); return; }
  const file = beginFile();
  emptyForm();
  $('demo-banner').hidden = true;
  state.fileName = name.replace(/\.[^.]*$/, '') || 'survlens';
  state.dataName = name;
  $('file-info').textContent = `${name}${size ? ` — ${fileSize(size)}` : ''}`;
  busy('Reading the file…');
  const seq = ++state.seq;
  try {
    await defaultsReady;
    const p = await engine.load(source);
    if (seq !== state.seq || file !== state.file) return;
    state.preview = p;
    clearError();
    renderPreview(p);
    imputation.setPreview(p);
    $('preview-card').open = true;
    populateForm(p);
    options.fillColumns(p);
    fillFromGuess(p);
    await suggestTimes();
    if (file !== state.file) return;
    await run();
  } catch (err) {
    if (seq !== state.seq || file !== state.file) return;
    state.preview = null;
    clearResults();
    emptyForm();
    $('preview-card').hidden = true;
    idle(err.kind === 'cancelled' ? 'Cancelled.' : 'The file could not be read.');
    if (err.kind !== 'cancelled') showError(err);
  }
}

async function openDemo() {
  const file = beginFile();
  try {
    const [csv, spec] = await Promise.all([fetch(DEMO_CSV), fetch(DEMO_SPEC)]);
    if (!csv.ok || !spec.ok) throw new Error('demo files not found');
    const bytes = new Uint8Array(await csv.arrayBuffer());
    const demoSpec = await spec.json();
    await defaultsReady;
    if (file !== state.file) return; // a file was chosen meanwhile
    busy('Loading the demo…');
    const p = await engine.load(bytes);
    if (file !== state.file) return;
    state.preview = p;
    state.demo = true;
    state.fileName = 'survlens-demo';
    state.dataName = 'gist_liver_mets_demo.csv';
    $('demo-banner').hidden = false;
    $('file-info').textContent = 'Demo: gist_liver_mets_demo.csv (synthetic)';
    renderPreview(p);
    imputation.setPreview(p);
    $('preview-card').hidden = true; // the demo opens straight on its results
    populateForm(p);
    options.fillColumns(p);
    fillFromSpec(demoSpec); // the demo's own settings (www/demo/demo_spec.json), for the demo only
    await run(demoSpec);
  } catch (err) {
    if (file !== state.file) return;
    idle('Open a CSV, TSV or Excel file to begin.');
    if (err.kind) showError(err);
  }
}

// ---------- results ----------
function figureOptions() {
  const xMax = numbers($('opt-xmax').value)[0];
  return {
    ci: $('opt-ci').checked, censorMarks: $('opt-censor').checked, medianLines: $('opt-median').checked,
    riskTable: $('opt-table').value, pValue: true, timeUnit: $('time-unit').value,
    ...(xMax > 0 ? { xMax } : {}),
  };
}

function drawFigure() {
  const r = state.report;
  const canvas = $('km-canvas');
  if (!r?.km) { canvas.hidden = true; return; }
  canvas.hidden = false;
  const width = figureWidth(canvas.parentElement);
  state.figureDrawn = { width, ratio: globalThis.devicePixelRatio || 1 };
  drawKaplanMeier(canvas, r, { ...figureOptions(), width, resize: false });
  const km = r.km;
  const by = r.spec?.group?.column;
  $('km-caption').textContent = `Kaplan–Meier estimates${by ? ` by ${by}` : ''}; + marks censored patients` +
    `${$('opt-ci').checked ? `; bands: pointwise ${Math.round(km.conf_level * 100)}% CI (${km.conf_type})` : ''}.`;
  if (!document.body.dataset.figureAt) {
    document.body.dataset.figureAt = String(Math.round(performance.now()));
  }
}

/** Renders `r`, the report of file number `file`: nothing when another file is loaded now. */
function render(r, file = state.file) {
  if (!r || file !== state.file) return;
  for (const id of ['figure-card', 'report-tools', 'summary-card', 'data-card']) $(id).hidden = false;
  drawFigure();
  renderTables(r, { unit: $('time-unit').value, tables: state.tables });
  renderCox($('cox-card'), r, { timeUnit: $('time-unit').value, fileName: state.fileName, tables: state.tables, onSuggestPeriods: suggestPeriods });
  renderImmortal(r, $('time-unit').value);
  // The emulation panel (ui/emulation.js) lives in the immortal-time card, its state its own.
  if (!$('immortal-card').hidden) $('immortal-card').append(emulation.host);
  renderExtras(r);
  renderFollowUp($('followup-card'), r, { timeUnit: $('time-unit').value, fileName: state.fileName, tables: state.tables });
  renderSubgroups($('subgroups-card'), r, { timeUnit: $('time-unit').value, fileName: state.fileName, tables: state.tables });
  renderCompeting($('competing-card'), r, { timeUnit: $('time-unit').value, fileName: state.fileName, tables: state.tables });
  noteReport('main', r);
}

// ---------- exports ----------
function exportTable(name) {
  const t = state.tables[name];
  if (t) download(`${state.fileName}-${name}.csv`, csvBlob(t));
}

/** About: a release bundle (scripts/release-stage.mjs) carries MANIFEST.sha256, the
 *  SHA-256 of each of its files; its own SHA-256, shown here, is listed in the release's
 *  SHA256SUMS. Only a release (its index.html names the integrity hashes) has one. */
async function showBundleHash() {
  if (!document.querySelector('meta[name="survlens-integrity"]')) return;
  const bytes = await (await fetch('MANIFEST.sha256', { cache: 'no-store' })).arrayBuffer();
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  $('bundle-hash').textContent = Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
  $('bundle').hidden = false;
}

// ---------- wiring ----------
function wire() {
  $('version').textContent = version;
  $('engine-build').textContent = simdBuild ? 'WebAssembly with SIMD (simd128)' : 'WebAssembly, scalar (no SIMD)';
  showBundleHash();
  $('file').addEventListener('change', (e) => {
    const f = e.target.files[0];
    if (f) openData(f, f.name, f.size);
    e.target.value = '';
  });
  const dz = $('dropzone');
  for (const t of ['dragenter', 'dragover']) dz.addEventListener(t, (e) => { e.preventDefault(); dz.classList.add('over'); });
  for (const t of ['dragleave', 'drop']) dz.addEventListener(t, () => dz.classList.remove('over'));
  window.addEventListener('dragover', (e) => e.preventDefault());
  window.addEventListener('drop', (e) => {
    e.preventDefault();
    const f = e.dataTransfer?.files?.[0];
    if (f) openData(f, f.name, f.size);
  });
  initMapping({ onConfirm: () => run() });
  const form = $('spec-form');
  form.addEventListener('submit', (e) => { e.preventDefault(); run(); });
  form.addEventListener('change', (e) => {
    if (e.target.name === 'time-mode') setMode(mode());
    if (e.target.id === 'event-column') refreshEventValues();
    if (e.target.closest('#event-values-list')) showClassCounts();
    // A changed event coding: the results of the coding before leave the page at once
    // (an analysis still running for it is dropped), not when the new one is ready.
    emulation.invalidate(); // results of the emulation never outlive the options that made them
    if (e.target.id === 'event-column' || e.target.closest('#event-values-list')) {
      state.seq += 1;
      clearResults();
    }
    if (e.target.id === 'group-column') refreshReference();
    if (e.target.id === 'treatment-time-column') options.treatmentColumnChanged();
    options.syncOptions();
    if (options.TIME_MAPPING.has(e.target.id || e.target.name) && state.preview) suggestTimes().then(rerunSoon);
    else rerunSoon();
  });
  form.addEventListener('input', (e) => {
    options.noteEdited(e.target);
    if (e.target.type === 'text') { emulation.invalidate(); rerunSoon(); }
  });
  for (const id of ['opt-ci', 'opt-censor', 'opt-median', 'opt-table']) $(id).addEventListener('change', () => state.report && drawFigure());
  $('opt-xmax').addEventListener('input', () => state.report && drawFigure());
  $('cancel').addEventListener('click', () => engine.cancel());
  // Only the file's reading shows here: the page's own analysis sets its status itself, and the
  // panels' runs (confounding, imputation, emulation, report) show theirs in their panel, so an
  // 'analysing' message of theirs must not leave the page's status at "Analysing…".
  engine.onprogress = (m) => {
    if (m.stage === 'reading' && m.total) busy(`Reading the file… ${Math.round((100 * m.loaded) / m.total)}%`, m.loaded / m.total);
  };
  $('export-svg').addEventListener('click', () => {
    if (state.report) download(`${state.fileName}-km.svg`, new Blob([kaplanMeierSvg(state.report, figureOptions())], { type: 'image/svg+xml' }));
  });
  $('export-png').addEventListener('click', async () => {
    if (state.report) download(`${state.fileName}-km-300dpi.png`, await kaplanMeierPng(state.report, figureOptions()));
  });
  $('export-json').addEventListener('click', async () => {
    if (!state.report) return;
    try { // a large cohort's JSON stays in the worker until asked for (issue 7)
      const blob = state.json ? new Blob([state.json], { type: 'application/json' }) : await engine.resultJson(state.report);
      download(`${state.fileName}-report.json`, blob);
    } catch (err) { showError(err); }
  });
  for (const b of /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll('[data-export]'))) b.addEventListener('click', () => exportTable(b.dataset.export));
  watchFigure($('km-canvas').parentElement, () => state.report && state.figureDrawn, drawFigure);
  watchFigure($('competing-card'), drawnCif, drawCif);
  watchFigure($('followup-card'), drawnConditional, drawConditional);
  watchFigure($('subgroups-card'), drawnSubgroups, drawSubgroups);
  watchFigure($('immortal-card'), () => emulation.drawn(), () => emulation.draw());
}

// Hidden hooks for the browser tests (a forced crash, a report to render).
/** @type {any} */ (window).survlensDebug = {
  engine, state,
  crash: (how) => engine.debugCrash(how),
  showReport: (report) => { state.report = report; state.json = JSON.stringify(report); render(report); },
  clearResults: () => clearResults(),
  spec: () => buildSpec(), // the spec the form holds now
  render: (report, file) => render(report, file), // a result of file number `file` (a late one must not show)
  pooledText: () => coordinator.pooledText(), // the coordinator's pooled document (the bytes of `survlens pool`)
};

wire();
trackActions();
initA11y();
initI18n();
onLangChange(() => { if (state.report) render(state.report); });
// The core's defaults of the options; if they cannot be read the page still runs (the
// spec then leaves those keys to the core) and says why.
const defaultsReady = options.coreDefaults(engine).then(() => options.resetOptions(), (err) => showError(err));
installFaultNotice(engine);
const confounding = initConfounding($('confounding-step'), engine);
const imputation = initImputation($('imputation-card'), engine, { confoundingSpec: () => confounding.spec(), onChoice: () => rerunSoon() });
const emulation = initEmulation(engine); // after the confounding step: its bootstrap progress first
initReport({ engine, state, fillFromSpec, run, download, showError, exportSpec: () => imputation.exportSpec() });
const siteSummary = initSiteSummary($('sites-card'), { engine, state, showError });
const coordinator = initCoordinator($('coordinator'), { engine });
$('open-coordinator').addEventListener('click', () => coordinator.open());
openDemo();
