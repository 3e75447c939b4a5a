// The "Confounding" step (issue 5): covariates and estimand, Table 1, propensity-score
// overlap, love plot, crude vs adjusted curves and hazard ratios, E-values, the
// plain-language notes of the Report, and a bootstrap with progress and cancel.
// DOM only: every number and every sentence comes from the Report (Rust); data
// strings reach the DOM through textContent.
import {
  drawKaplanMeier, kaplanMeierSvg, kaplanMeierPng,
  drawLovePlot, lovePlotSvg, lovePlotPng, drawPsOverlap, psOverlapSvg, psOverlapPng, figureLabel,
} from '../survlens.js';
import { table1Rows, table1Csv } from './table1.js';
import { weightedCif, drawWeightedCif } from './competing.js';
import { weightedSubgroups, drawSubgroups } from './subgroups.js';
import { noteReport, onLangChange, t, lang } from './i18n.js';
import { figureTables, figureTablesDom } from '../lib/figure_tables.js';
import { figureWidth } from './figure_fit.js';
import { num, pValue as fmtP, hr, hrCi, interval } from '../lib/format.js';
import { el, clear, dataTable } from '../lib/dom.js';
import { download, csvBlob, toTsv } from '../lib/download.js';
import { matchingOptions, matchingSpec, renderMatching, drawMatching, clearMatching } from './matching.js';

// ---------- small DOM helpers (lib/dom.js: el, clear, dataTable) ----------
const button = (text, attrs = {}) => el('button', text, { type: 'button', class: 'button small', ...attrs });
const f2 = (v) => num(v, 2);

// ---------- the step ----------
export function initConfounding(root, engine) {
  const st = {
    base: null, preview: null, report: null, spec: null, boot: null, seq: 0, timeUnit: 'months', fileName: 'survlens', ran: false,
    // Matching (issue 20): its own spec, Report and JSON; shown instead of the weighting results.
    method: 'weighting', matchSpec: null, matchReport: null, matchJson: null,
  };
  const ui = build(root);
  // Bootstrap progress arrives through the engine's progress channel; the rest is main.js's.
  const previous = engine.onprogress;
  engine.onprogress = (m) => {
    if (m.stage === 'bootstrap') {
      ui.bootProgress.max = m.total; ui.bootProgress.value = m.loaded;
      ui.bootStatus.textContent = `Bootstrap: ${m.loaded} of ${m.total} replicates…`;
    } else previous?.(m);
  };

  function columnsOf(preview, spec) {
    const used = new Set([spec.time?.column, spec.time?.start, spec.time?.end, spec.time?.entry, spec.event?.column, spec.group?.column, spec.weights?.column, spec.cluster?.column, ...(spec.strata || [])]);
    return preview.columns.map((c) => c.name).filter((n) => !used.has(n));
  }

  function fillSettings() {
    const spec = st.base;
    const cols = columnsOf(st.preview, spec);
    const chosen = new Set((spec.covariates || []).map((c) => c.column));
    const keep = new Set([...ui.covs.querySelectorAll('input:checked')].map((i) => i.value));
    clear(ui.covs);
    cols.forEach((name, i) => {
      const id = `conf-cov-${i}`;
      const box = el('input', null, { type: 'checkbox', id, value: name, checked: st.ran ? keep.has(name) : chosen.has(name) });
      const label = el('label', null, { htmlFor: id });
      label.append(box, document.createTextNode(` ${name}`));
      ui.covs.append(label);
    });
    const groups = (st.report.groups || []).map((g) => g.label);
    const focal = ui.focal.value;
    clear(ui.focal);
    for (const g of groups.slice(1)) ui.focal.add(new Option(g, g));
    if (groups.includes(focal)) ui.focal.value = focal;
    syncEstimand();
  }

  function syncEstimand() {
    ui.focalField.hidden = ui.estimand.value !== 'ATT';
    ui.stabilizeField.hidden = ui.estimand.value !== 'ATE';
  }

  /** Weighting or matching: its options and its run button. */
  function syncMethod() {
    st.method = ui.methodMatching.checked ? 'matching' : 'weighting';
    const matching = st.method === 'matching';
    ui.weightGrid.hidden = matching;
    ui.matching.grid.hidden = !matching;
    ui.run.textContent = matching ? 'Run the matched analysis' : 'Run the adjusted analysis';
  }

  /** Takes the matching results off the page (a new file, new options, the other method). */
  function dropMatching() {
    Object.assign(st, { matchSpec: null, matchReport: null, matchJson: null });
    ui.matchResults.hidden = true;
    clearMatching(ui.matchResults);
  }

  /** Takes the weighting results off the page. */
  function dropWeighting() {
    ui.results.hidden = true;
    st.spec = null; st.boot = null; st.json = null;
  }

  const chosenCovariates = () => [...ui.covs.querySelectorAll('input:checked')].map((i) => i.value);

  /** The spec of the confounding run: the crude spec's rows and options, group-only Cox. */
  function confSpec() {
    const covariates = [...ui.covs.querySelectorAll('input:checked')].map((i) => i.value);
    const est = ui.estimand.value;
    const propensity = { covariates, estimand: est };
    if (est === 'ATT' && ui.focal.value) propensity.focal = ui.focal.value;
    if (est === 'ATE' && ui.stabilize.checked) propensity.stabilize = true;
    const tr = ui.truncate.value;
    if (tr) propensity.truncate = tr.split(',').map(Number);
    // The immortal-time keys belong to their own card: left out here.
    const { cox, table1, adjusted, sensitivity, landmark, time_dependent: td, treatment_time: tt, ...rest } = st.base;
    return {
      ...rest, covariates: [], table1: { covariates }, cox: { ties: cox?.ties ?? 'efron' },
      propensity, adjusted: {}, sensitivity: {},
    };
  }

  async function run() {
    if (!st.base) return;
    if (st.method === 'matching') { await runMatching(); return; }
    const spec = confSpec();
    if (!spec.propensity.covariates.length) { ui.status.textContent = 'Tick at least one covariate to balance.'; return; }
    const seq = ++st.seq;
    ui.status.textContent = 'Fitting the propensity model and the weighted analyses…';
    root.classList.add('running');
    try {
      const { report, json } = await engine.analyze(spec);
      if (seq !== st.seq) return;
      st.ran = true; st.spec = spec; st.report = report; st.json = json; st.boot = null;
      dropMatching();
      render();
      const ps = report.propensity;
      const missing = ps.missing_covariates?.n ? `; ${ps.missing_covariates.n} left out for a missing covariate` : '';
      ui.status.textContent = `Adjusted analysis of ${ps.n ?? report.data.n_used} patients (${ps.estimand} weights)${missing}.`;
    } catch (err) {
      if (seq !== st.seq) return;
      ui.status.textContent = err.kind === 'cancelled' ? 'Cancelled.' : `Not analysed: ${err.message}`;
      ui.results.hidden = true;
    } finally {
      if (seq === st.seq) root.classList.remove('running');
    }
  }

  /** The matched analysis: the spec's `matching` section from the options, no statistics here. */
  async function runMatching() {
    const covariates = chosenCovariates();
    if (!covariates.length) { ui.status.textContent = 'Tick at least one covariate to balance.'; return; }
    const spec = matchingSpec(st.base, covariates, ui.matching.read(covariates));
    const seq = ++st.seq;
    ui.status.textContent = 'Matching each group to the reference group and analysing the matched samples…';
    root.classList.add('running');
    try {
      const { report, json } = await engine.analyze(spec);
      if (seq !== st.seq) return;
      st.ran = true;
      dropWeighting();
      Object.assign(st, { matchSpec: spec, matchReport: report, matchJson: json });
      ui.matchResults.hidden = false;
      renderMatching(ui.matchResults, report, {
        fileName: st.fileName, timeUnit: st.timeUnit, patientData, onPatientData,
      });
      setTimeout(drawMatchingFigures);
      noteReport('confounding', report);
      const n = Array.isArray(report.matching) ? report.matching.length : 0;
      ui.status.textContent = n === 1 ? 'Matched analysis of 1 comparison with the reference group.' : `Matched analysis of ${n} comparisons with the reference group.`;
    } catch (err) {
      if (seq !== st.seq) return;
      ui.status.textContent = err.kind === 'cancelled' ? 'Cancelled.' : `Not analysed: ${err.message}`;
      dropMatching();
    } finally {
      if (seq === st.seq) root.classList.remove('running');
    }
  }

  function drawMatchingFigures() {
    if (st.matchReport && !ui.matchResults.hidden) drawMatching(ui.matchResults, st.matchReport, st.timeUnit);
  }

  /** The love plot's numbers: each term's SMD of each pair of groups, before and after weighting. */
  function balanceTable(balance) {
    const rows = balance.flatMap((t) => t.pairs.map((p) => [t.term, `${p.a} vs ${p.b}`, num(p.smd_before, 3), num(p.smd_after, 3)]));
    return dataTable(['Term', 'Comparison', 'SMD before weighting', 'SMD after weighting'], rows);
  }

  function render() {
    const r = st.report;
    ui.results.hidden = false;
    renderNotes(ui.notes, r);
    const t1 = table1Rows(r.table1);
    ui.table1.replaceChildren(dataTable(t1.headers, t1.rows));
    setTimeout(drawFigures); // the figures in tasks of their own (issue 7)
    ui.hrTable.replaceChildren(hrTable(r, st.boot));
    ui.loveTable.replaceChildren(balanceTable(r.propensity?.balance ?? []));
    // competing risks: adjusted.cif; subgroups: adjusted.subgroups
    ui.cif.replaceChildren(...[weightedCif(r, st.fileName), weightedSubgroups(r, { fileName: st.fileName, timeUnit: st.timeUnit })].filter(Boolean));
    ui.evalues.replaceChildren(evalueCard(r));
    ui.bootResult.replaceChildren(st.boot ? bootTable(st.boot) : el('span'));
    noteReport('confounding', r);
  }
  onLangChange(() => { drawFigures(); drawMatchingFigures(); });

  function drawFigures() {
    const r = st.report;
    if (!r || ui.results.hidden) return;
    const w = figureWidth(ui.loveCanvas.parentElement); // the card's content width (ui/figure_fit.js)
    drawPsOverlap(ui.overlapCanvas, r, { width: w });
    ui.overlapTable.replaceChildren(...figureTablesDom(figureTables('overlap', r, lang())));
    drawLovePlot(ui.loveCanvas, r, { width: w });
    drawWeightedCif(r, st.timeUnit); // competing risks: adjusted.cif
    drawSubgroups(); // adjusted.subgroups
    // Side by side when there is room (stacked below 760 px), with at most 6 time
    // intervals so that the weighted at-risk counts (one decimal) do not collide.
    const pair = ui.kmPair.clientWidth || 900;
    const width = pair >= 760 ? Math.min(560, Math.floor(pair / 2) - 10) : Math.max(260, Math.min(900, pair));
    /** @type {import('../survlens.js').KaplanMeierOptions} */
    const common = { width, timeUnit: st.timeUnit, riskTable: 'number_at_risk', censorMarks: false, xStep: axisStep(r) };
    drawKaplanMeier(ui.crudeCanvas, r, { ...common, title: t('Crude (unweighted)') });
    // The adjusted curves in the next task: a large cohort's figures are not one long task.
    setTimeout(() => { if (st.report === r) drawKaplanMeier(ui.adjCanvas, adjustedKm(r), { ...common, pValue: false, title: t(`Adjusted (${r.propensity.estimand} weights)`) }); });
  }

  async function bootstrap() {
    if (!st.spec) return;
    const replicates = Math.max(10, Math.min(10000, Math.round(Number(ui.reps.value) || 500)));
    const seed = Math.max(0, Math.round(Number(ui.seed.value) || 1));
    const spec = { ...st.spec, adjusted: { bootstrap: { replicates, seed } } };
    const seq = ++st.seq;
    ui.bootRun.disabled = true; ui.bootCancel.hidden = false; ui.bootProgress.hidden = false;
    ui.bootProgress.value = 0; ui.bootProgress.max = replicates;
    ui.bootStatus.textContent = `Bootstrap: 0 of ${replicates} replicates…`;
    try {
      const { report } = await engine.analyzeWithProgress(spec);
      if (seq !== st.seq) return;
      st.boot = report.adjusted.bootstrap;
      ui.bootStatus.textContent = `Bootstrap done: ${st.boot.replicates_used} of ${replicates} replicates gave estimates (seed ${seed}).`;
      render();
    } catch (err) {
      if (seq !== st.seq) return;
      ui.bootStatus.textContent = err.kind === 'cancelled' ? 'Bootstrap cancelled; the results above are unchanged.' : `Bootstrap failed: ${err.message}`;
    } finally {
      ui.bootRun.disabled = false; ui.bootCancel.hidden = true; ui.bootProgress.hidden = true;
    }
  }

  // ---------- wiring ----------
  ui.run.addEventListener('click', run);
  ui.form.addEventListener('change', (e) => {
    if (e.target === ui.estimand) syncEstimand();
    if (e.target.name === 'conf-method') {
      syncMethod();
      // The other method's results do not stay beside the options that no longer made them.
      st.seq += 1; root.classList.remove('running');
      dropMatching(); dropWeighting();
    } else if (st.method === 'matching') {
      st.seq += 1; root.classList.remove('running');
      dropMatching(); // results never outlive their options
    }
    if (st.ran) run();
  });
  ui.bootRun.addEventListener('click', bootstrap);
  ui.bootCancel.addEventListener('click', () => engine.cancel());
  const name = (s) => `${st.fileName}-${s}`;
  const svgBlob = (text) => new Blob([text], { type: 'image/svg+xml' });
  ui.exports.loveSvg.addEventListener('click', () => download(name('love-plot.svg'), svgBlob(lovePlotSvg(st.report))));
  ui.exports.lovePng.addEventListener('click', async () => download(name('love-plot-300dpi.png'), await lovePlotPng(st.report)));
  ui.exports.overlapSvg.addEventListener('click', () => download(name('ps-overlap.svg'), svgBlob(psOverlapSvg(st.report))));
  ui.exports.overlapPng.addEventListener('click', async () => download(name('ps-overlap-300dpi.png'), await psOverlapPng(st.report)));
  /** @returns {import('../survlens.js').KaplanMeierOptions} */
  const kmOpts = () => ({ xStep: axisStep(st.report), timeUnit: st.timeUnit, riskTable: 'number_at_risk', pValue: false, title: `Adjusted (${st.report.propensity.estimand} weights)` });
  ui.exports.kmSvg.addEventListener('click', () => download(name('adjusted-km.svg'), svgBlob(kaplanMeierSvg(adjustedKm(st.report), kmOpts()))));
  ui.exports.kmPng.addEventListener('click', async () => download(name('adjusted-km-300dpi.png'), await kaplanMeierPng(adjustedKm(st.report), kmOpts())));
  ui.exports.t1Csv.addEventListener('click', () => download(name('table1.csv'), csvBlob(table1Csv(st.report.table1))));
  ui.exports.t1Copy.addEventListener('click', async () => {
    const text = toTsv(table1Csv(st.report.table1));
    try { await navigator.clipboard.writeText(text); ui.copied.textContent = 'Copied: paste into a spreadsheet or a document.'; } catch {
      ui.copied.textContent = 'The browser refused the clipboard; use the CSV instead.';
    }
  });
  ui.exports.json.addEventListener('click', async () => { // a large cohort's JSON stays in the worker until asked for
    try { download(name('confounding-report.json'), st.json ? new Blob([st.json], { type: 'application/json' }) : await engine.resultJson(st.report)); } catch (err) { ui.copied.textContent = err.message; }
  });
  new ResizeObserver(() => { if (st.report?.propensity) drawFigures(); }).observe(ui.kmPair);
  new ResizeObserver(() => drawMatchingFigures()).observe(ui.matchResults);
  // The matched-pair list is patient-level: exported only with the report's opt-in ticked.
  const patientBox = () => /** @type {HTMLInputElement|null} */ (document.getElementById('report-patient-data'));
  const patientData = () => Boolean(patientBox()?.checked);
  const patientListeners = [];
  const onPatientData = (f) => { patientListeners.length = 0; patientListeners.push(f); };
  document.addEventListener('change', (e) => { if (e.target === patientBox()) for (const f of patientListeners) f(); });

  // Hidden hook for the browser tests.
  /** @type {any} */ (window).survlensConfounding = { state: st, run, bootstrap, drawMatching: drawMatchingFigures };

  return {
    /** The spec of the adjusted analysis that ran (null before one ran): the missing-data panel pools it too. */
    spec: () => (st.ran && st.report?.propensity ? st.spec : null),
    /** A new file: nothing of the last one stays (settings, results, a late result or bootstrap). */
    reset() {
      st.seq += 1;
      Object.assign(st, { base: null, preview: null, report: null, spec: null, json: null, boot: null, ran: false });
      dropMatching();
      root.hidden = true;
      root.classList.remove('running');
      ui.results.hidden = true;
      for (const n of [ui.covs, ui.focal, ui.notes, ui.table1, ui.hrTable, ui.cif, ui.evalues, ui.bootResult]) clear(n);
      for (const n of [ui.status, ui.bootStatus, ui.copied]) n.textContent = '';
      for (const c of [ui.overlapCanvas, ui.loveCanvas, ui.crudeCanvas, ui.adjCanvas]) { c.width = 0; c.height = 0; }
      ui.bootRun.disabled = false; ui.bootCancel.hidden = true; ui.bootProgress.hidden = true;
      noteReport('confounding', null);
    },
    /** A new crude report: offer the step when there are groups to compare. */
    update({ preview, spec, report, timeUnit, fileName }) {
      const groups = report?.groups?.length ?? 0;
      root.hidden = !(preview && spec?.group && groups >= 2);
      if (root.hidden) return;
      const changed = JSON.stringify(st.base) !== JSON.stringify(spec);
      st.base = spec; st.preview = preview; st.timeUnit = timeUnit; st.fileName = fileName;
      if (!st.report?.propensity || changed) st.report = report;
      if (changed) dropMatching(); // results never outlive their input
      fillSettings();
      if (st.ran && changed) run();
    },
  };
}

/** A time-axis step giving at most 6 intervals up to the last follow-up (display only). */
function axisStep(r) {
  const end = Math.max(0, ...(r.km?.curves || []).map((c) => c.time[c.time.length - 1] ?? 0));
  const steps = [1, 2, 3, 6, 12, 24, 36, 48, 60, 120, 240, 365, 730, 1000, 2000, 5000];
  return steps.find((s) => end / s <= 6) ?? undefined;
}

/** The adjusted curves as a report the KM figure reads (weighted at-risk counts). */
const adjustedKm = (r) => ({ km: r.adjusted.km });

function renderNotes(list, r) {
  clear(list);
  const notes = [...(r.propensity?.notes || []), ...(r.adjusted?.notes || []), ...(r.sensitivity?.notes || [])];
  for (const n of notes) list.append(el('li', n.message, { 'data-code': n.code, class: `note note-${n.code}` }));
  for (const w of r.warnings || []) list.append(el('li', w.message, { 'data-code': w.code, class: 'note note-warning' }));
}

function hrTable(r, boot) {
  const crude = new Map((r.cox?.terms || []).map((t) => [t.name, t]));
  const ev = new Map((r.sensitivity?.evalues || []).filter((e) => e.source === 'adjusted.cox').map((e) => [e.name, e]));
  const bt = new Map((boot?.cox || []).map((b) => [b.name, b]));
  const headers = ['Group term', 'Crude HR (95% CI)', 'Crude p', 'Adjusted HR (95% CI, robust)', 'Adjusted p', 'E-value (CI)', ...(boot ? ['Bootstrap HR CI (SE log HR)'] : [])];
  const rows = (r.adjusted?.cox?.terms || []).map((a) => {
    const c = crude.get(a.name) || {};
    const e = ev.get(a.name) || {};
    const b = bt.get(a.name);
    return [
      a.name,
      { text: hr(c.hr), ci: `(${hrCi(c.lower, c.upper)})`, data: { field: 'crude_hr', value: c.hr ?? null } },
      fmtP(c.p),
      { text: hr(a.hr), ci: `(${hrCi(a.lower, a.upper)})`, data: { field: 'adjusted_hr', value: a.hr, lower: a.lower, upper: a.upper } },
      { text: fmtP(a.p), data: { field: 'adjusted_p', value: a.p } },
      { text: hr(e.evalue), ci: `(${hr(e.evalue_ci)})`, data: { field: 'evalue', value: e.evalue ?? null, ci: e.evalue_ci ?? null } },
      ...(boot ? [{ text: hrCi(b?.lower, b?.upper), ci: `(${f2(b?.se)})`, data: { field: 'bootstrap', lower: b?.lower ?? null, upper: b?.upper ?? null, se: b?.se ?? null } }] : []),
    ];
  });
  return dataTable(headers, rows);
}

export function evalueCard(r) {
  const s = r.sensitivity;
  const box = el('div');
  if (!s) return box;
  box.append(el('p', `Outcome treated as ${s.rare_outcome ? 'rare (HR used as the risk ratio)' : 'common (HR converted to a risk ratio by √HR)'}; VanderWeele & Ding (2017).`, { class: 'hint' }));
  const model = { cox: 'crude Cox', 'adjusted.cox': 'adjusted Cox', 'time_dependent.cox': 'time-dependent Cox' };
  const rows = s.evalues.map((e) => [e.name, model[e.source] ?? e.source, hr(e.hr),
    { text: hr(e.evalue), data: { field: 'evalue', source: e.source, name: e.name, value: e.evalue } },
    { text: hr(e.evalue_ci), data: { field: 'evalue_ci', source: e.source, name: e.name, value: e.evalue_ci } }]);
  box.append(dataTable(['Group term', 'Model', 'HR', 'E-value', 'E-value of the CI limit'], rows));
  return box;
}

function bootTable(boot) {
  const rows = [
    ...boot.cox.map((b) => [b.name, 'HR (percentile CI)', hrCi(b.lower, b.upper), `SE log HR ${f2(b.se)}`]),
    ...boot.rmst_difference.map((d) => [`${d.a} − ${d.b}`, 'RMST difference', interval(f2(d.lower), f2(d.upper)), `SE ${f2(d.se)}`]),
  ];
  return dataTable(['Comparison', 'Statistic', '95% percentile interval', 'Bootstrap SE'], rows);
}

// ---------- the static markup of the step ----------
function build(root) {
  clear(root);
  const head = el('div', null, { class: 'results-head' });
  head.append(el('h2', null, { id: 'confounding-h' }));
  head.firstChild.append(el('span', '4', { class: 'step' }), document.createTextNode(' Confounding: compare like with like'));
  const intro = el('p', 'The groups were not randomized: patients who got each treatment may differ at baseline. Weighting by the propensity score builds a population in which the chosen covariates are balanced, then compares survival in it. Matching pairs each patient of a group with patients of the reference group who have a similar propensity score, then compares survival in the matched sample.', { class: 'hint' });
  const form = el('form', null, { class: 'card confounding-form', noValidate: true });
  form.addEventListener('submit', (e) => e.preventDefault());
  // Weighting or matching (issue 20): a segmented control of two radio buttons.
  const methodSet = el('fieldset', null, { class: 'segmented', id: 'conf-method' });
  methodSet.append(el('legend', 'Method'));
  const radio = (value, label, checked) => {
    const input = el('input', null, { type: 'radio', name: 'conf-method', id: `conf-method-${value}`, value, checked });
    const l = el('label', null, { htmlFor: input.id });
    l.append(input, el('span', label));
    methodSet.append(l);
    return input;
  };
  radio('weighting', 'Weighting', true);
  const methodMatching = radio('matching', 'Matching', false);
  const matching = matchingOptions();
  const covs = el('div', null, { class: 'checks', id: 'conf-covariates' });
  const covSet = el('fieldset', null, { class: 'values' });
  covSet.append(el('legend', 'Covariates to balance (propensity model and Table 1)'), covs);
  const field = (label, input) => { const f = el('div', null, { class: 'field' }); const l = el('label', label, { htmlFor: input.id }); f.append(l, input); return f; };
  const estimand = el('select', null, { id: 'conf-estimand' });
  for (const [v, t] of [['ATE', 'ATE: everybody (inverse probability)'], ['ATT', 'ATT: patients like one treated group'], ['ATO', 'ATO: overlap population (overlap weights)']]) estimand.add(new Option(t, v));
  const focal = el('select', null, { id: 'conf-focal' });
  const focalField = field('Focal group (ATT)', focal);
  const stabilize = el('input', null, { type: 'checkbox', id: 'conf-stabilize' });
  const stabilizeField = el('div', null, { class: 'field' });
  const sl = el('label', null, { htmlFor: 'conf-stabilize' }); sl.append(stabilize, document.createTextNode(' Stabilized weights'));
  stabilizeField.append(sl);
  const truncate = el('select', null, { id: 'conf-truncate' });
  for (const [v, t] of [['', 'none'], ['0.01,0.99', '1st–99th percentile'], ['0.05,0.95', '5th–95th percentile']]) truncate.add(new Option(t, v));
  const grid = el('div', null, { class: 'field-grid', id: 'conf-weight-options' });
  grid.append(field('Estimand', estimand), focalField, stabilizeField, field('Truncate weights', truncate));
  const run = el('button', 'Run the adjusted analysis', { type: 'button', class: 'button primary', id: 'conf-run' });
  const status = el('p', '', { class: 'hint', id: 'conf-status', 'aria-live': 'polite' });
  form.append(methodSet, covSet, grid, matching.grid, run, status);

  const matchResults = el('div', null, { id: 'match-results', hidden: true });
  const results = el('div', null, { id: 'conf-results', hidden: true });
  const card = (title, id, ...tools) => {
    const c = el('div', null, { class: 'card', id });
    const h = el('div', null, { class: 'card-head' });
    const tl = el('div', null, { class: 'tools' });
    tl.append(...tools);
    h.append(el('h3', title), tl);
    c.append(h);
    results.append(c);
    return c;
  };
  const notes = el('ul', null, { class: 'notes', id: 'conf-notes' });
  card('What the diagnostics say', 'conf-notes-card').append(notes);
  const exports = {
    // aria-label: each button's own name (issue 16: no two buttons both named "SVG" or "CSV")
    t1Csv: button('CSV', { id: 'conf-table1-csv', 'aria-label': 'Download Table 1 as CSV' }),
    t1Copy: button('Copy', { id: 'conf-table1-copy', 'aria-label': 'Copy Table 1' }),
    overlapSvg: button('SVG', { id: 'conf-overlap-svg', 'aria-label': `Download ${figureLabel('overlap')} as SVG` }),
    overlapPng: button('PNG (300 dpi)', { id: 'conf-overlap-png', 'aria-label': `Download ${figureLabel('overlap')} as PNG (300 dpi)` }),
    loveSvg: button('SVG', { id: 'conf-love-svg', 'aria-label': `Download ${figureLabel('love')} as SVG` }),
    lovePng: button('PNG (300 dpi)', { id: 'conf-love-png', 'aria-label': `Download ${figureLabel('love')} as PNG (300 dpi)` }),
    kmSvg: button('Adjusted SVG', { id: 'conf-km-svg', title: 'Download the adjusted survival figure as SVG' }),
    kmPng: button('Adjusted PNG (300 dpi)', { id: 'conf-km-png', title: 'Download the adjusted survival figure as PNG (300 dpi)' }),
    json: button('Adjusted results JSON', { id: 'conf-json', title: 'Download the adjusted results as JSON' }),
  };
  const table1 = el('div');
  const copied = el('p', '', { class: 'hint', 'aria-live': 'polite' });
  card('Table 1: baseline characteristics by group', 'conf-table1-card', exports.t1Copy, exports.t1Csv).append(table1, copied);
  // The overlap figure's text alternative: its histograms as tables, from the core (issue 25).
  const overlapTable = el('div');
  const overlapDetails = el('details', null, { class: 'figure-table', id: 'conf-overlap-table' });
  overlapDetails.append(el('summary', 'The overlap figure as a table'), overlapTable);
  const overlapCanvas = el('canvas', null, { id: 'conf-overlap-canvas', role: 'img', 'aria-label': 'Propensity-score overlap by group', 'aria-details': 'conf-overlap-table', 'data-figure': 'overlap' });
  const oc = card('Propensity-score overlap', 'conf-overlap-card', exports.overlapSvg, exports.overlapPng);
  oc.append(el('p', 'Each panel: the fitted probability of being in one group, for the patients of every group. Where a group has patients and another has none, weighting cannot compare them.', { class: 'hint' }), overlapCanvas, overlapDetails);
  // The love plot's text alternative: its numbers as a table (issue 25), named by the canvas's aria-details.
  const loveTable = el('div');
  const loveDetails = el('details', null, { class: 'figure-table', id: 'conf-love-table' });
  loveDetails.append(el('summary', 'The love plot as a table'), loveTable);
  const loveCanvas = el('canvas', null, { id: 'conf-love-canvas', role: 'img', 'aria-label': 'Love plot: standardized mean differences before and after weighting', 'aria-details': 'conf-love-table', 'data-figure': 'love' });
  card('Balance: love plot', 'conf-love-card', exports.loveSvg, exports.lovePng).append(loveCanvas, loveDetails);
  const kmPair = el('div', null, { class: 'km-pair' });
  const crudeCanvas = el('canvas', null, { id: 'conf-crude-canvas', role: 'img', 'aria-label': 'Crude Kaplan–Meier curves', 'data-figure': 'km' });
  const adjCanvas = el('canvas', null, { id: 'conf-adjusted-canvas', role: 'img', 'aria-label': 'Adjusted (weighted) Kaplan–Meier curves', 'data-figure': 'km' });
  kmPair.append(crudeCanvas, adjCanvas);
  const hrTableBox = el('div');
  const cifBox = el('div');
  const kc = card('Crude and adjusted survival', 'conf-km-card', exports.kmSvg, exports.kmPng, exports.json);
  kc.append(kmPair, el('p', 'Adjusted: weighted Kaplan–Meier; the at-risk numbers are weighted (pseudo-population) counts. Hazard ratios: crude = Cox model of the group alone; adjusted = weighted Cox model with the robust (sandwich) standard error.', { class: 'hint' }), hrTableBox, cifBox);
  const evalues = el('div');
  card('E-values: how strong would an unmeasured confounder have to be?', 'conf-evalue-card').append(evalues);
  const reps = el('input', null, { type: 'text', id: 'conf-boot-reps', value: '500', inputMode: 'numeric', size: 6 });
  const seed = el('input', null, { type: 'text', id: 'conf-boot-seed', value: '1', inputMode: 'numeric', size: 6 });
  const bootRun = el('button', 'Run bootstrap', { type: 'button', class: 'button', id: 'conf-boot-run' });
  const bootCancel = el('button', 'Cancel', { type: 'button', class: 'button small', id: 'conf-boot-cancel', hidden: true, 'aria-label': 'Cancel the bootstrap' });
  const bootProgress = el('progress', null, { id: 'conf-boot-progress', hidden: true });
  const bootStatus = el('span', '', { id: 'conf-boot-status', 'aria-live': 'polite' });
  const bootResult = el('div', null, { id: 'conf-boot-result' });
  const bc = card('Bootstrap (propensity model refitted in every replicate)', 'conf-boot-card');
  const row = el('div', null, { class: 'boot-row' });
  row.append(field('Replicates', reps), field('Seed', seed), bootRun, bootProgress, bootStatus, bootCancel);
  bc.append(row, bootResult);
  root.append(head, intro, form, results, matchResults);
  return {
    form, methodMatching, weightGrid: grid, matching, matchResults, covs, estimand, focal, focalField, stabilize, stabilizeField, truncate, run, status, results, notes, table1, copied,
    overlapCanvas, overlapTable, loveCanvas, loveTable, kmPair, crudeCanvas, adjCanvas, hrTable: hrTableBox, cif: cifBox, evalues, reps, seed, bootRun, bootCancel,
    bootProgress, bootStatus, bootResult, exports,
  };
}
