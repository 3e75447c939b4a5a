// Target-trial emulation by clone–censor–weight (issue 22), offered in the immortal-time
// card when a treatment time is mapped: "Emulate a trial: treatment within [6] months vs
// not", its advanced options (censoring-model covariates, times, τ, bootstrap replicates
// and seed), a plain-language explanation of what the comparison means and what it does
// not, and the results of its own run (the spec's `emulation` section): survival of both
// strategies and their difference at the chosen times with bootstrap CIs, the RMST
// difference, the flow of clones (artificially censored and deaths per arm), the weights
// summary with the extreme-weights warning, and the figures emulation_curves and
// emulation_flow of the core's registry. The bootstrap shows its progress and can be
// cancelled. New options, a new analysis or a new file take the results off at once.
// DOM only: every number comes from the Report (Rust) through lib/format.js; data strings
// reach the DOM through textContent.
import { drawFigure, figureSvg, figurePng, figureLabel } from '../survlens.js';
import { num } from '../lib/format.js';
import { el, clear, dataTable, numbers } from '../lib/dom.js';
import { download } from '../lib/download.js';
import { figureWidth } from './figure_fit.js';
import { noteReport, onLangChange } from './i18n.js';

const FIGURES = ['emulation_curves', 'emulation_flow'];
const DEFAULT_GRACE = 6;
const DEFAULT_REPLICATES = 500;
/** The spec keys of other sections: the emulation's run has its own section only. */
const OTHER_SECTIONS = ['cox', 'table1', 'propensity', 'adjusted', 'sensitivity', 'landmark', 'time_dependent', 'subgroups',
  'follow_up', 'conditional', 'competing_risks', 'matching', 'imputation', 'km', 'logrank', 'rmst', 'strata'];

const field = (label, input, extra = {}) => {
  const f = el('div', null, { class: 'field', ...extra });
  f.append(el('label', label, { htmlFor: input.id }), input);
  return f;
};

/** The spec of an emulation run: the page spec's rows (time, event, group, treatment time,
 *  missing tokens, recodes), the chosen covariates (with their types), and `emulation`. */
export function emulationSpec(base, o) {
  const rest = { ...base };
  for (const k of OTHER_SECTIONS) delete rest[k];
  delete rest.covariates;
  const spec = { ...rest };
  if (o.covariates.length) spec.covariates = o.covariates.map((c) => (base.covariates || []).find((x) => x.column === c) || { column: c });
  const emulation = { grace: o.grace, covariates: o.covariates, times: o.times };
  if (o.tau > 0) emulation.tau = o.tau;
  emulation.bootstrap = { replicates: o.replicates, seed: o.seed };
  if (o.censoringSurvival === 'product_limit') emulation.censoring_survival = 'product_limit';
  spec.emulation = emulation;
  return spec;
}

/** A time-axis step giving at most 6 intervals (display only). */
function axisStep(e) {
  const end = Math.max(0, ...(e.curves || []).map((c) => c.time[c.time.length - 1] ?? 0));
  return [1, 2, 3, 6, 12, 24, 36, 48, 60, 120, 240, 365, 730, 1000, 2000, 5000].find((s) => end / s <= 6);
}

/**
 * The emulation panel. `host` goes into the immortal-time card (main.js appends it after
 * each render of the card); the panel shows only when the page's spec maps a treatment
 * time and a group.
 * @param {any} engine
 */
export function initEmulation(engine) {
  const st = {
    base: null, baseKey: null, spec: null, report: null, json: null, seq: 0, running: false, drawnAt: null,
    fileName: 'survlens', timeUnit: 'months', columns: [],
  };
  const ui = build();
  // Bootstrap progress of this panel's run; the others' go on to the previous handler.
  const previous = engine.onprogress;
  engine.onprogress = (m) => {
    if (st.running && m.stage === 'bootstrap') {
      ui.progress.max = m.total; ui.progress.value = m.loaded;
      ui.status.textContent = `Bootstrap: ${m.loaded} of ${m.total} replicates…`;
    } else previous?.(m);
  };

  function build() {
    const host = el('section', null, { class: 'emulation', id: 'emulation', 'aria-labelledby': 'emu-h', hidden: true });
    host.append(el('h3', 'Emulate a target trial (clone–censor–weight)', { id: 'emu-h' }));
    const about = el('div', null, { class: 'emu-about', id: 'emu-about' });
    about.append(
      el('p', 'What it means: every patient is copied into two strategies that any patient could have followed from time zero — local treatment within the grace period, and no local treatment within it. A copy stops being followed when the patient’s care departs from its strategy, and the copies still followed are weighted for those who departed, so the two curves compare the strategies as a trial that assigned them at time zero would, without immortal time.'),
      el('p', 'What it does not: it is not a randomised trial. The weights only account for how the measured covariates chosen below predict the timing of treatment; patients who differ in ways the file does not record (fitness for surgery, response to drugs) can still bias the comparison. Treatment after the grace period counts as no treatment within it.'),
    );
    host.append(about);
    const row = el('div', null, { class: 'emu-question' });
    const grace = el('input', null, { type: 'text', id: 'emu-grace', value: String(DEFAULT_GRACE), inputMode: 'decimal', size: 4, 'aria-label': 'Grace period' });
    const unit = el('span', 'months', { id: 'emu-unit' });
    const q = el('label', null, { htmlFor: 'emu-grace', class: 'emu-sentence' });
    q.append(el('span', 'Emulate a trial: treatment within'), document.createTextNode(' '), grace, document.createTextNode(' '), unit, document.createTextNode(' '), el('span', 'vs not'));
    row.append(q);
    const adv = el('details', null, { class: 'emu-advanced', id: 'emu-advanced' });
    adv.append(el('summary', 'Advanced options'));
    const covs = el('fieldset', null, { class: 'values emu-covs', id: 'emu-covs' });
    covs.append(el('legend', 'Covariates of the censoring models (predicting the timing of treatment)'));
    const covList = el('div', null, { class: 'check-list', id: 'emu-cov-list' });
    covs.append(covList);
    const times = el('input', null, { type: 'text', id: 'emu-times', inputMode: 'decimal' });
    const tau = el('input', null, { type: 'text', id: 'emu-tau', inputMode: 'decimal', size: 6 });
    const reps = el('input', null, { type: 'text', id: 'emu-reps', value: String(DEFAULT_REPLICATES), inputMode: 'numeric', size: 6 });
    const seed = el('input', null, { type: 'text', id: 'emu-seed', value: '1', inputMode: 'numeric', size: 6 });
    // The form of the censoring probability (spec emulation.censoring_survival; docs/methods.md).
    const scForm = el('select', null, { id: 'emu-censoring-survival' });
    for (const [v, t] of [['exponential', 'exp(−Λ₀·exp(xβ)) (default)'], ['product_limit', 'product-limit Π(1 − dΛ₀·exp(xβ)) (unbiased when many are untreated at the grace period)']]) scForm.add(new Option(t, v));
    const grid = el('div', null, { class: 'field-grid' });
    grid.append(field('Times (survival and difference)', times), field('RMST horizon τ', tau), field('Bootstrap replicates', reps), field('Seed', seed), field('Probability of remaining uncensored', scForm));
    adv.append(covs, grid);
    const run = el('button', 'Run the emulated trial', { type: 'button', class: 'button', id: 'emu-run' });
    const cancel = el('button', 'Cancel', { type: 'button', class: 'button small', id: 'emu-cancel', hidden: true, 'aria-label': 'Cancel the emulated trial' });
    const progress = el('progress', null, { id: 'emu-progress', hidden: true });
    const status = el('span', '', { id: 'emu-status', 'aria-live': 'polite' });
    const bar = el('div', null, { class: 'boot-row emu-run-row' });
    bar.append(run, progress, status, cancel);
    const form = el('div', null, { class: 'emu-form', id: 'emu-form' });
    form.append(row, adv, bar);
    const results = el('div', null, { class: 'emu-results', id: 'emu-results', hidden: true });
    host.append(form, results);
    return { host, form, grace, unit, covList, times, tau, reps, seed, censoringSurvival: scForm, run, cancel, progress, status, results };
  }

  /** The options as the spec's `emulation` reads them. */
  function options() {
    const g = numbers(ui.grace.value)[0];
    return {
      grace: Number.isFinite(g) ? g : NaN,
      covariates: [...ui.covList.querySelectorAll('input:checked')].map((i) => i.value),
      times: numbers(ui.times.value),
      tau: numbers(ui.tau.value)[0] ?? 0,
      replicates: Math.max(1, Math.min(10000, Math.round(Number(ui.reps.value) || DEFAULT_REPLICATES))),
      seed: Math.max(0, Math.round(Number(ui.seed.value) || 0)),
      censoringSurvival: ui.censoringSurvival.value,
    };
  }

  /** Takes the results off the page (and drops a run still going). */
  function drop() {
    st.seq += 1;
    Object.assign(st, { spec: null, report: null, json: null });
    ui.results.hidden = true;
    clear(ui.results);
    noteReport('emulation', null);
    if (st.running) finish();
  }

  function finish() {
    st.running = false;
    ui.run.disabled = false; ui.cancel.hidden = true; ui.progress.hidden = true;
  }

  /** The covariates offered: the file's columns not mapped to time, event, group or
   *  treatment time; the page spec's covariates ticked. */
  function fillCovariates(spec, columns) {
    const used = new Set([spec.time?.column, spec.time?.start, spec.time?.end, spec.time?.entry, spec.event?.column, spec.group?.column,
      spec.treatment_time?.column, spec.treatment_time?.date, spec.weights?.column, spec.cluster?.column]);
    const chosen = new Set((spec.covariates || []).map((c) => c.column));
    clear(ui.covList);
    columns.filter((n) => !used.has(n)).forEach((name, i) => {
      const id = `emu-cov-${i}`;
      const box = el('input', null, { type: 'checkbox', id, value: name, checked: chosen.has(name) });
      const label = el('label', null, { htmlFor: id });
      label.append(box, document.createTextNode(` ${name}`));
      ui.covList.append(label);
    });
  }

  /** The page's analysis of `spec` ran (a new file, new options): the panel offers the
   *  emulation for it (defaults from it), and results of another spec leave. */
  function update({ spec, columns, fileName, timeUnit }) {
    const offered = Boolean(spec?.treatment_time && spec?.group);
    const key = JSON.stringify({ ...spec, km: undefined, logrank: undefined, rmst: undefined });
    const same = st.base && st.baseKey === key;
    st.fileName = fileName; st.timeUnit = timeUnit;
    ui.unit.textContent = timeUnit;
    ui.host.hidden = !offered;
    if (!offered) { drop(); st.base = null; return; }
    if (same) return;
    drop();
    st.base = spec; st.baseKey = key;
    fillCovariates(spec, columns);
    ui.times.value = (spec.km?.times ?? []).join(', ');
    ui.tau.value = spec.rmst?.tau ?? '';
    ui.status.textContent = '';
  }

  /** A new file: nothing of the last one stays; the options back to their defaults. */
  function reset() {
    drop();
    st.base = null; st.baseKey = null;
    ui.host.hidden = true;
    ui.grace.value = String(DEFAULT_GRACE);
    ui.reps.value = String(DEFAULT_REPLICATES);
    ui.seed.value = '1';
    ui.censoringSurvival.value = 'exponential';
    ui.status.textContent = '';
  }

  async function runEmulation() {
    if (!st.base) return;
    const o = options();
    if (!(o.grace >= 0)) { ui.status.textContent = 'The grace period must be a time of 0 or more.'; return; }
    drop();
    const spec = emulationSpec(st.base, o);
    const seq = st.seq;
    st.running = true;
    ui.run.disabled = true; ui.cancel.hidden = false; ui.progress.hidden = false;
    ui.progress.value = 0; ui.progress.max = o.replicates;
    ui.status.textContent = `Bootstrap: 0 of ${o.replicates} replicates…`;
    try {
      const { report, json } = await engine.analyzeWithProgress(spec);
      if (seq !== st.seq) return;
      Object.assign(st, { spec, report, json });
      finish();
      render();
      const e = report.emulation;
      ui.status.textContent = `Emulated trial of ${e.n_patients} patients (${e.n_clones} clones), ${o.replicates} bootstrap replicates (seed ${o.seed}).`;
    } catch (err) {
      if (seq !== st.seq) return;
      finish();
      ui.status.textContent = err.kind === 'cancelled' ? 'Cancelled.' : `Not analysed: ${err.message}`;
    }
  }

  function render() {
    const r = st.report;
    const e = r.emulation;
    const box = ui.results;
    clear(box);
    box.hidden = false;
    noteReport('emulation', r);
    const notes = el('ul', null, { class: 'notes', id: 'emu-notes' });
    for (const w of r.warnings || []) {
      const extreme = w.code === 'emulation_extreme_weights';
      // The alert is a span inside the item: a role on the <li> would take it out of the list (axe: list).
      const li = el('li', extreme ? null : w.message, { 'data-code': w.code, class: `note note-warning${extreme ? ' emu-extreme' : ''}` });
      if (extreme) li.append(el('span', w.message, { role: 'alert' }));
      notes.append(li);
    }
    if (notes.childElementCount) box.append(notes);
    box.append(el('h4', 'Survival under each strategy'), differenceTable(e), flowTable(e), weightsTable(e));
    const figs = el('div', null, { class: 'emu-figures' });
    for (const name of FIGURES) {
      const fig = el('figure', null, { class: `emu-figure emu-figure-${name}` });
      const canvas = el('canvas', null, { role: 'img', 'data-figure': name, 'aria-label': figureLabel(name) });
      const bar = el('div', null, { class: 'tools' });
      const svg = el('button', 'SVG', { type: 'button', class: 'button small', 'aria-label': `Download ${figureLabel(name)} as SVG` });
      const png = el('button', 'PNG (300 dpi)', { type: 'button', class: 'button small', 'aria-label': `Download ${figureLabel(name)} as PNG (300 dpi)` });
      const file = `${st.fileName}-${name.replace('_', '-')}`;
      svg.addEventListener('click', () => download(`${file}.svg`, new Blob([figureSvg(name, r, figureOptions(name, e, 720))], { type: 'image/svg+xml' })));
      png.addEventListener('click', async () => download(`${file}-300dpi.png`, await figurePng(name, r, figureOptions(name, e, 720))));
      bar.append(svg, png);
      fig.append(canvas, bar);
      figs.append(fig);
    }
    box.append(figs);
    setTimeout(draw);
  }

  function figureOptions(name, e, width) {
    return name === 'emulation_curves' ? { width, timeUnit: st.timeUnit, xStep: axisStep(e) } : { width, timeUnit: st.timeUnit };
  }

  function draw() {
    const r = st.report;
    if (!r || ui.results.hidden) return;
    const card = /** @type {HTMLElement | null} */ (ui.host.parentElement);
    st.drawnAt = { width: card ? figureWidth(card) : 0, ratio: globalThis.devicePixelRatio || 1 };
    for (const canvas of ui.results.querySelectorAll('canvas[data-figure]')) {
      const cv = /** @type {HTMLCanvasElement} */ (canvas);
      const width = figureWidth(/** @type {HTMLElement} */ (cv.parentElement));
      drawFigure(cv.dataset.figure, cv, r, figureOptions(cv.dataset.figure, r.emulation, width));
    }
  }

  /** Survival of both strategies at the times, the difference with its bootstrap CI; then the RMST difference. */
  function differenceTable(e) {
    const ci = (lo, up) => (lo === null || lo === undefined ? '' : `(${num(lo, 3)} to ${num(up, 3)})`);
    const rows = e.at_times.map((a) => [
      { text: a.beyond_follow_up ? `${num(a.time, 0)} (beyond follow-up)` : num(a.time, 0), data: { time: a.time } },
      { text: num(a.treat, 3), data: { field: 'treat', time: a.time, value: a.treat } },
      { text: num(a.control, 3), data: { field: 'control', time: a.time, value: a.control } },
      { text: num(a.difference, 3), ci: ci(a.lower, a.upper), data: { field: 'difference', time: a.time, value: a.difference, lower: a.lower, upper: a.upper } },
    ]);
    const d = e.rmst_difference;
    if (d) {
      rows.push([
        { text: 'RMST difference', ci: `τ = ${num(d.tau, 0)} ${st.timeUnit}` },
        { text: num(d.treat, 2), data: { field: 'rmst_treat', value: d.treat } },
        { text: num(d.control, 2), data: { field: 'rmst_control', value: d.control } },
        { text: num(d.estimate, 2), ci: d.lower === null || d.lower === undefined ? '' : `(${num(d.lower, 2)} to ${num(d.upper, 2)})`, data: { field: 'rmst_difference', value: d.estimate, lower: d.lower, upper: d.upper } },
      ]);
    }
    const t = dataTable([`Time (${st.timeUnit})`, 'Treatment within grace', 'No treatment within grace', 'Difference (95% bootstrap CI)'], rows);
    t.id = 'emu-difference';
    return t;
  }

  /** The flow: clones, artificially censored and deaths per strategy. */
  function flowTable(e) {
    const wrap = el('div', null, { class: 'emu-flow', id: 'emu-flow' });
    const p = el('p', `${e.n_patients} patients, each cloned into both strategies: ${e.n_clones} clones.`, {
      'data-field': 'flow', 'data-patients': String(e.n_patients), 'data-clones': String(e.n_clones),
    });
    wrap.append(p);
    if (e.missing_covariates?.n) wrap.append(el('p', `${e.missing_covariates.n} patients left out for a missing covariate.`, { class: 'hint' }));
    // The reasons of the artificial censoring are in the flow diagram below.
    const row = (arm, name) => [
      name,
      { text: String(e.n_patients), data: { field: 'clones', arm } },
      { text: String(e.artificially_censored[arm]), data: { field: 'censored', arm, value: e.artificially_censored[arm] } },
      { text: String(e.n_events[arm]), data: { field: 'events', arm, value: e.n_events[arm] } },
    ];
    wrap.append(dataTable(['Strategy', 'Clones', 'Artificially censored', 'Deaths'], [
      row('treat', 'Treatment within grace'),
      row('control', 'No treatment within grace'),
    ]));
    return wrap;
  }

  /** The weights summary per strategy (the extreme-weights warning is among the notes above). */
  function weightsTable(e) {
    const wrap = el('div', null, { class: 'emu-weights', id: 'emu-weights' });
    wrap.append(el('h4', 'Weights of the clones at risk at the death times'));
    // One row per statistic, one column per strategy (three columns fit a phone).
    const stats = [['min', 'Minimum'], ['median', 'Median'], ['p99', '99th percentile'], ['max', 'Maximum'], ['mean', 'Mean']];
    const cell = (arm, k) => {
      const v = e.weights?.[arm]?.[k];
      return { text: num(v, 2), data: { field: `weight_${k}`, arm, value: v ?? null } };
    };
    wrap.append(dataTable(['Weight', 'Treatment within grace', 'No treatment within grace'],
      stats.map(([k, name]) => [name, cell('treat', k), cell('control', k)])));
    wrap.append(el('p', 'A weight is 1 / the predicted probability that the clone is still following its strategy; weights above 10 mean a few patients stand for many, and the estimates become unstable.', { class: 'hint' }));
    return wrap;
  }

  // ---------- wiring ----------
  ui.run.addEventListener('click', runEmulation);
  ui.cancel.addEventListener('click', () => engine.cancel());
  // New options: the results made with the old ones leave at once.
  for (const ev of ['input', 'change']) ui.form.addEventListener(ev, (e) => { if (e.target !== ui.run) drop(); });
  onLangChange(() => draw());
  /** @type {any} */ (window).survlensEmulation = { state: st, run: runEmulation };
  return {
    host: ui.host,
    update,
    reset,
    /** Takes the results off (the page's options changed). */
    invalidate: () => drop(),
    draw,
    /** {width, ratio} of the last drawing (null when nothing is drawn). */
    drawn: () => (st.report && !ui.results.hidden ? st.drawnAt : null),
  };
}
