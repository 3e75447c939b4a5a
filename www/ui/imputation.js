// The missing-data panel (issue 21): how many rows miss each covariate, overall and per
// group, and the complete-case n (counted by the core: Engine#missingness); the choice
// "complete cases" or "multiple imputation (m = 20)" (m, iterations, seed in an advanced
// disclosure), or, for a file that stacks imputed sets (a `.imp` column, mice's long
// format), the file's own sets; the pooled results (Rubin's rules) beside the
// complete-case ones, and the observed vs imputed figure.
// DOM only: every number comes from the core (counts, Report); data strings reach the
// DOM through textContent. The imputed analysis runs in the worker with progress and
// cancel (the bootstrap's path: Engine#analyzeWithProgress, Engine#cancel).
import { drawFigure, figureSvg, figurePng, figureLabel } from '../survlens.js';
import { noteReport, onLangChange } from './i18n.js';
import { figureWidth } from './figure_fit.js';
import { num, pValue as fmtP, hr, hrCi, count, interval } from '../lib/format.js';
import { el, clear, dataTable } from '../lib/dom.js';
import { download } from '../lib/download.js';

/** The column of a file that stacks imputed sets (mice's long format), or null. */
export function importedColumn(preview) {
  return (preview?.columns || []).some((c) => c.name === '.imp') ? '.imp' : null;
}

const FIGURE = 'imputation_diagnostics';

/**
 * @param {HTMLElement} root
 * @param {any} engine
 * @param {{confoundingSpec?: () => any, onChoice?: () => void}} hooks
 */
export function initImputation(root, engine, hooks = {}) {
  const st = { miSpec: null, spec: null, report: null, preview: null, seq: 0, running: false, imported: null, miss: null, fileName: 'survlens' };
  const ui = build(root);
  // Progress of the imputed analysis: the engine's progress channel (stage 'bootstrap':
  // imputation cycles, then the analysed sets); other progress goes on to the page.
  const previous = engine.onprogress;
  engine.onprogress = (m) => {
    if (st.running && m.stage === 'bootstrap') {
      ui.progress.max = m.total; ui.progress.value = m.loaded;
      ui.status.textContent = `Imputing and analysing: step ${m.loaded} of ${m.total}…`;
    } else previous?.(m);
  };

  /** The imputation section of the spec the panel asks for (settings clamped to the contract's bounds). */
  function imputationSpec() {
    const int = (input, lo, hi, d) => Math.max(lo, Math.min(hi, Math.round(Number(input.value) || d)));
    return { m: int(ui.m, 2, 200, 20), iterations: int(ui.iterations, 1, 100, 10), seed: int(ui.seed, 0, 2 ** 31, 1) };
  }

  function choice() {
    return /** @type {HTMLInputElement} */ (root.querySelector('input[name="imp-choice"]:checked'))?.value ?? 'complete';
  }

  /** Clears the imputed results (their input changed or a new file). */
  function clearResults() {
    st.seq += 1;
    st.report = null;
    st.miSpec = null;
    ui.results.hidden = true;
    clear(ui.table);
    clear(ui.rmst);
    clear(ui.adjusted);
    ui.canvas.width = 0; ui.canvas.height = 0;
    ui.figureBox.hidden = true;
    noteReport('imputation', null);
  }

  function renderMissing(miss) {
    st.miss = miss;
    clear(ui.missing);
    const groups = miss.groups.length > 1 ? miss.groups : [];
    const headers = ['Covariate', 'Missing (all rows)', ...groups.map((g) => `Missing in ${g}`)];
    const rows = miss.columns.map((c) => [c.column,
      { text: `${count(c.missing)} / ${count(miss.n)}`, data: { field: 'missing', column: c.column, value: c.missing } },
      ...groups.map((g, i) => ({ text: `${count(c.by_group[i])} / ${count(miss.group_n[i])}`, data: { field: 'missing_group', column: c.column, group: g, value: c.by_group[i] } }))]);
    rows.push({ class: 'total', cells: ['Complete cases',
      { text: `${count(miss.complete_cases)} / ${count(miss.n)}`, data: { field: 'complete_cases', value: miss.complete_cases } },
      ...groups.map((g, i) => ({ text: `${count(miss.complete_by_group[i])} / ${count(miss.group_n[i])}`, data: { field: 'complete_group', group: g, value: miss.complete_by_group[i] } }))] });
    ui.missing.append(dataTable(headers, rows));
    const any = miss.columns.some((c) => c.missing > 0);
    ui.none.hidden = any || !!st.imported;
    ui.choices.hidden = !any && !st.imported;
    ui.importedChoice.hidden = !st.imported;
    if (st.imported) ui.importedLabel.textContent = ` The file's imputed sets (${miss.imputed_sets ?? 0} sets, column ${st.imported}), pooled by Rubin's rules`;
    ui.miChoice.hidden = !!st.imported;
  }

  async function describe() {
    const seq = st.seq;
    try {
      const miss = await engine.missingness(st.spec);
      if (seq !== st.seq) return;
      renderMissing(miss);
      root.hidden = false;
    } catch (err) {
      if (seq !== st.seq) return;
      root.hidden = true; // nothing to show for a spec the core refuses (its error is the main run's)
    }
  }

  /** The spec of the imputed run: the page's spec (and the confounding step's, when it ran) with `imputation`. */
  function miSpec() {
    const conf = hooks.confoundingSpec?.();
    const base = conf ? { ...st.spec, propensity: conf.propensity, adjusted: {}, table1: undefined } : { ...st.spec };
    delete base.table1;
    delete base.sensitivity;
    if (!base.cox) base.cox = {};
    return { ...base, imputation: imputationSpec() };
  }

  async function run() {
    if (!st.spec || st.running) return;
    const spec = miSpec();
    clearResults();
    const seq = st.seq;
    st.running = true;
    ui.run.disabled = true; ui.cancel.hidden = false; ui.progress.hidden = false;
    ui.progress.removeAttribute('value');
    ui.status.textContent = `Imputing ${spec.imputation.m} sets…`;
    try {
      const { report } = await engine.analyzeWithProgress(spec);
      if (seq !== st.seq) return;
      st.report = report;
      st.miSpec = spec;
      render();
      ui.status.textContent = `Pooled over ${report.imputation.m} imputed sets (seed ${spec.imputation.seed}).`;
    } catch (err) {
      if (seq !== st.seq) return;
      ui.status.textContent = err.kind === 'cancelled' ? 'Multiple imputation cancelled; the complete-case results are unchanged.' : `Not analysed: ${err.message}`;
    } finally {
      if (seq !== st.seq) ui.status.textContent = ''; // its input changed meanwhile: nothing of it stays
      st.running = false;
      ui.run.disabled = false; ui.cancel.hidden = true; ui.progress.hidden = true;
    }
  }

  function render() {
    const r = st.report;
    const imp = r?.imputation;
    if (!imp) { ui.results.hidden = true; return; }
    ui.results.hidden = false;
    ui.table.replaceChildren(coxTable(r.cox?.terms || [], imp.cox?.terms || [], 'cox'));
    const cc = r.rmst_difference || [];
    ui.rmst.replaceChildren(imp.rmst_difference?.length ? rmstTable(cc, imp.rmst_difference, 'rmst') : el('span'));
    const adj = imp.adjusted;
    ui.adjusted.replaceChildren(...(adj?.cox ? [el('h4', 'Adjusted (weighted) comparisons'), coxTable(r.adjusted?.cox?.terms || [], adj.cox.terms, 'adjusted_cox')] : []),
      ...(adj?.rmst_difference?.length ? [rmstTable(r.adjusted?.rmst_difference || [], adj.rmst_difference, 'adjusted_rmst')] : []));
    ui.figureBox.hidden = !imp.diagnostics?.length;
    setTimeout(drawDiagnostics);
    noteReport('imputation', r);
  }

  function drawDiagnostics() {
    const r = st.report;
    if (!r?.imputation?.diagnostics?.length || ui.figureBox.hidden) return;
    drawFigure(FIGURE, ui.canvas, r, { width: figureWidth(ui.canvas.parentElement) });
  }
  onLangChange(() => drawDiagnostics());
  new ResizeObserver(() => drawDiagnostics()).observe(ui.figureBox);

  // ---------- wiring ----------
  ui.run.addEventListener('click', run);
  ui.cancel.addEventListener('click', () => engine.cancel());
  ui.form.addEventListener('change', (e) => {
    const t = /** @type {HTMLInputElement} */ (e.target);
    if (t.name === 'imp-choice') {
      ui.settings.hidden = choice() !== 'mi';
      if (choice() !== 'mi') clearResults();
      // Only the file's own sets change the page's spec (its first analysis pools them).
      if (st.imported) hooks.onChoice?.();
    } else if (t.closest('details')) clearResults(); // new settings: the old sets do not stand for them
  });
  const name = (s) => `${st.fileName}-${s}`;
  ui.svg.addEventListener('click', () => download(name('imputation-diagnostics.svg'), new Blob([figureSvg(FIGURE, st.report)], { type: 'image/svg+xml' })));
  ui.png.addEventListener('click', async () => download(name('imputation-diagnostics-300dpi.png'), await figurePng(FIGURE, st.report)));

  // Hidden hook for the browser tests.
  /** @type {any} */ (window).survlensImputation = { state: st, run };

  return {
    /** The spec of the multiple imputation on screen (null when none): the page exports it. */
    exportSpec: () => st.miSpec,
    /** The page's results were taken off (a new coding, a failed run): the imputed ones go too. */
    invalidate() {
      if (!st.running) clearResults();
    },
    /** A new file: nothing of the last one stays. */
    reset() {
      clearResults();
      Object.assign(st, { spec: null, preview: null, imported: null, miss: null });
      root.hidden = true;
      clear(ui.missing);
      ui.status.textContent = '';
      /** @type {HTMLInputElement} */ (root.querySelector('input[value="complete"]')).checked = true;
      ui.settings.hidden = true;
    },
    /** The file's preview: a `.imp` column proposes the file's imputed sets. */
    setPreview(preview) {
      st.preview = preview;
      st.imported = importedColumn(preview);
      /** @type {HTMLInputElement} */ (root.querySelector(`input[value="${st.imported ? 'imported' : 'complete'}"]`)).checked = true;
    },
    /** The imputation section the page's own spec carries: the file's sets when chosen. */
    pageImputation() {
      return st.imported && choice() === 'imported' ? { imputed: st.imported } : null;
    },
    /** A new page analysis (its spec and report): recount, and drop imputed results of another spec. */
    update({ spec, report, fileName }) {
      st.fileName = fileName;
      const changed = JSON.stringify(st.spec) !== JSON.stringify(spec);
      st.spec = spec;
      if (changed && !st.imported) clearResults();
      if (!spec?.covariates?.length && !st.imported) { root.hidden = true; return; }
      describe();
      // Imported sets: the page's own analysis pooled them; show them here.
      if (st.imported && report?.imputation) { st.report = report; render(); ui.status.textContent = `Pooled over the file's ${report.imputation.m} imputed sets.`; }
      else if (st.imported) clearResults();
    },
  };
}

/** Degrees of freedom as shown: beyond 10^5 they are the large-sample limit (no imputation
 *  variance: B = 0, or an infinite complete-data df), written ∞. */
const dfText = (df) => (df !== null && df !== undefined && df > 1e5 ? '∞' : num(df, 1));

/** Complete-case Cox terms beside the pooled ones. */
function coxTable(cc, pooled, id) {
  const byName = new Map(cc.map((t) => [t.name, t]));
  const headers = ['Term', 'Complete cases: HR (95% CI)', 'p', 'Multiple imputation: HR (95% CI)', 'p', 'df', 'FMI'];
  const rows = pooled.map((p) => {
    const c = byName.get(p.name) || {};
    return [p.name,
      { text: hr(c.hr), ci: ` (${hrCi(c.lower, c.upper)})`, data: { field: `${id}_cc_hr`, name: p.name, value: c.hr ?? null } },
      fmtP(c.p),
      { text: hr(p.hr), ci: ` (${hrCi(p.lower, p.upper)})`, data: { field: `${id}_pooled_hr`, name: p.name, value: p.hr, lower: p.lower, upper: p.upper } },
      { text: fmtP(p.p), data: { field: `${id}_pooled_p`, name: p.name, value: p.p } },
      { text: dfText(p.df), data: { field: `${id}_pooled_df`, name: p.name, value: p.df } },
      { text: num(p.fmi, 3), data: { field: `${id}_pooled_fmi`, name: p.name, value: p.fmi } }];
  });
  const box = dataTable(headers, rows);
  box.querySelector('table').id = `imp-${id}-table`;
  return box;
}

/** Complete-case RMST differences beside the pooled ones. */
function rmstTable(cc, pooled, id) {
  const key = (d) => `${d.a}\u0000${d.b}`;
  const byPair = new Map(cc.map((d) => [key(d), d]));
  const headers = ['RMST difference', 'Complete cases (95% CI)', 'Multiple imputation (95% CI)', 'p', 'df', 'FMI'];
  const rows = pooled.map((p) => {
    const c = byPair.get(key(p)) || {};
    return [`${p.a} − ${p.b}`,
      { text: num(c.estimate, 2), ci: ` (${interval(num(c.lower, 2), num(c.upper, 2))})` },
      { text: num(p.estimate, 2), ci: ` (${interval(num(p.lower, 2), num(p.upper, 2))})`, data: { field: `${id}_pooled`, a: p.a, value: p.estimate, lower: p.lower, upper: p.upper } },
      { text: fmtP(p.p), data: { field: `${id}_pooled_p`, a: p.a, value: p.p } },
      dfText(p.df), num(p.fmi, 3)];
  });
  const box = dataTable(headers, rows);
  box.querySelector('table').id = `imp-${id}-table`;
  return box;
}

// ---------- the static markup of the panel ----------
function build(root) {
  clear(root);
  const head = el('div', null, { class: 'card-head' });
  head.append(el('h3', 'Missing data', { id: 'imputation-h' }));
  const missing = el('div', null, { id: 'imp-missing' });
  const none = el('p', 'No covariate value is missing: every analysis uses every row.', { class: 'hint', hidden: true });
  const form = el('form', null, { class: 'imputation-form', noValidate: true });
  form.addEventListener('submit', (e) => e.preventDefault());
  const choices = el('fieldset', null, { class: 'values' });
  choices.append(el('legend', 'Rows with a missing covariate'));
  const radio = (value, text, checked = false) => {
    const l = el('label', null, { htmlFor: `imp-choice-${value}`, class: 'choice' });
    const input = el('input', null, { type: 'radio', name: 'imp-choice', id: `imp-choice-${value}`, value, checked });
    const span = el('span', text);
    l.append(input, span);
    return { label: l, span };
  };
  const cc = radio('complete', ' Complete cases: each model leaves them out', true);
  const mi = radio('mi', ' Multiple imputation (m = 20), pooled by Rubin\'s rules');
  const imported = radio('imported', ' The file\'s imputed sets, pooled by Rubin\'s rules');
  choices.append(cc.label, mi.label, imported.label);
  const settings = el('div', null, { class: 'imp-settings', hidden: true });
  const details = el('details', null, { class: 'imp-advanced' });
  details.append(el('summary', 'Advanced: sets, iterations, seed'));
  const field = (label, input) => { const f = el('div', null, { class: 'field' }); f.append(el('label', label, { htmlFor: input.id }), input); return f; };
  const m = el('input', null, { type: 'text', id: 'imp-m', value: '20', inputMode: 'numeric', size: 4 });
  const iterations = el('input', null, { type: 'text', id: 'imp-iterations', value: '10', inputMode: 'numeric', size: 4 });
  const seed = el('input', null, { type: 'text', id: 'imp-seed', value: '1', inputMode: 'numeric', size: 6 });
  const grid = el('div', null, { class: 'field-grid' });
  grid.append(field('Imputed sets (m)', m), field('Iterations', iterations), field('Seed', seed));
  details.append(grid, el('p', 'Numeric covariates: predictive mean matching; categorical ones: logistic or multinomial regression; each imputed from the other covariates, the group, the event and the Nelson–Aalen cumulative hazard. The same seed gives the same sets.', { class: 'hint' }));
  const run = el('button', 'Run multiple imputation', { type: 'button', class: 'button primary', id: 'imp-run' });
  settings.append(details, run);
  const row = el('div', null, { class: 'boot-row' });
  const progress = el('progress', null, { id: 'imp-progress', hidden: true });
  const status = el('span', '', { id: 'imp-status', 'aria-live': 'polite' });
  const cancel = el('button', 'Cancel', { type: 'button', class: 'button small', id: 'imp-cancel', hidden: true, 'aria-label': 'Cancel the multiple imputation' });
  row.append(progress, status, cancel);
  form.append(choices, settings, row);
  const results = el('div', null, { id: 'imp-results', hidden: true });
  const table = el('div');
  const rmst = el('div');
  const adjusted = el('div');
  const figureBox = el('div', null, { class: 'imp-figure', hidden: true });
  const canvas = el('canvas', null, { id: 'imp-canvas', role: 'img', 'aria-label': 'Observed and imputed values of each imputed covariate', 'data-figure': 'imputation_diagnostics' });
  const svg = el('button', 'SVG', { type: 'button', class: 'button small', id: 'imp-svg', 'aria-label': `Download ${figureLabel(FIGURE)} as SVG` });
  const png = el('button', 'PNG (300 dpi)', { type: 'button', class: 'button small', id: 'imp-png', 'aria-label': `Download ${figureLabel(FIGURE)} as PNG (300 dpi)` });
  const fhead = el('div', null, { class: 'card-head' });
  const tools = el('div', null, { class: 'tools' });
  tools.append(svg, png);
  fhead.append(el('h4', 'Observed and imputed values'), tools);
  figureBox.append(fhead, canvas);
  results.append(el('h4', 'Cox model: complete cases and multiple imputation'), table, rmst, adjusted,
    el('p', 'Multiple imputation: the model fitted in every imputed set, pooled by Rubin\'s rules; CI and p from the t distribution with Barnard–Rubin df. FMI: fraction of missing information.', { class: 'hint' }), figureBox);
  root.append(head, missing, none, form, results);
  return { form, missing, none, choices, miChoice: mi.label, importedChoice: imported.label, importedLabel: imported.span, settings, m, iterations, seed, run, progress, status, cancel, results, table, rmst, adjusted, figureBox, canvas, svg, png };
}
