// Several hospitals, no patient data moved (issue 23): the site's "Export site summary"
// and the coordinator's "Combine site summaries".
//
// Site side (#sites-card, after an analysis): the site's name, a plain-words preview of
// exactly what the file will hold (written by the core from the summary itself, in the
// page's language), then the download. A pooled file of the coordinator (a round of the
// site-stratified Cox model) loaded with "Add this round to the site summary" makes the
// next summary carry the partial likelihood at that round's coefficients.
// Coordinator side (#coordinator): site summaries dropped or chosen (several files); the
// core pools them (stratified log-rank, meta-analysis, the Cox model's next round, the life
// table) and refuses what does not belong together, in plain words in both languages.
// DOM only: every number comes from the core (pooling, formatting), every figure from its
// registry (sites_forest, sites_life_table); nothing leaves the tab; data strings (site
// names, group labels, terms) reach the DOM through textContent.
import { drawFigure, figureSvg, figurePng, sitesGuidance, siteSummaryPreview, sitesWarnings } from '../survlens.js';
import { num, pValue, pSentence, hr, hrCi, count } from '../lib/format.js';
import { el, clear, dataTable } from '../lib/dom.js';
import { download } from '../lib/download.js';
import { figureWidth, watchFigure } from './figure_fit.js';
import { lang, onLangChange, noteError } from './i18n.js';

/** The forest's narrowest drawing (CSS px): its three text columns stay readable. */
const FOREST_MIN_WIDTH = 560;
/** Each figure's options: the forest's CSS size is its drawing's (it scrolls); the life
 *  table follows its box (the core draws it without a number-at-risk table: its intervals
 *  are listed below it). */
const FIGURE_OPTIONS = { sites_forest: {}, sites_life_table: { resize: false } };

/** A file-name-safe label. */
const safe = (s) => String(s).replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^_+|_+$/g, '') || 'site';

/** An error for the page's message box: the core's sentence, and both languages when known. */
function errorBox(box, err) {
  clear(box);
  if (!err) { box.hidden = true; return; }
  noteError(err);
  box.append(el('p', err.message ?? String(err)));
  if (err.kind) {
    const code = el('p', 'Error code (for support): ', { class: 'hint' });
    code.append(el('code', err.kind));
    box.append(code);
  }
  box.hidden = false;
}

/** A JSON file read as text; a pooled file's round number for the site side. */
const readText = (file) => file.text();

// ---------------------------------------------------------------- site side

/**
 * The site's card: shown after every analysis (`update`), hidden with the results.
 * @param {HTMLElement} box #sites-card
 * @param {{engine: any, state: any, showError: (e: any) => void}} ctx
 */
export function initSiteSummary(box, { engine, state, showError }) {
  const head = el('h3', 'Several hospitals: site summary', { id: 'sites-h' });
  const note = el('p', 'A site summary holds aggregates only (counts, observed and expected deaths, model coefficients): '
    + 'the coordinator combines the summaries of several hospitals into one analysis without any patient row leaving a hospital.', { class: 'report-note' });
  const exportButton = el('button', 'Export site summary', { type: 'button', class: 'button primary', id: 'export-site-summary' });
  const roundLabel = el('label', 'Add this round to the site summary', { class: 'button', id: 'load-pooled-label' });
  const roundInput = el('input', null, { type: 'file', accept: '.json,application/json', id: 'load-pooled', class: 'visually-hidden' });
  roundLabel.append(roundInput);
  const row = el('div', null, { class: 'exports' });
  row.append(exportButton, roundLabel);
  const roundLine = el('p', null, { class: 'sites-round', id: 'site-round', 'aria-live': 'polite', hidden: true });

  const panel = el('div', null, { class: 'sites-export', id: 'site-export', hidden: true });
  const nameField = el('div', null, { class: 'field' });
  const name = el('input', null, { type: 'text', id: 'site-name', autocomplete: 'off' });
  nameField.append(el('label', 'Site name (as the coordinator will see it)', { htmlFor: 'site-name' }), name);
  const previewHead = el('h4', 'What the file contains');
  const preview = el('ul', null, { class: 'sites-preview', id: 'site-preview', 'aria-live': 'polite' });
  const save = el('button', 'Save site summary', { type: 'button', class: 'button primary', id: 'save-site-summary', disabled: true });
  const cancel = el('button', 'Cancel', { type: 'button', class: 'button', id: 'cancel-site-summary' });
  const actions = el('div', null, { class: 'exports' });
  actions.append(save, cancel);
  const error = el('div', null, { class: 'sites-error', role: 'alert', id: 'site-error', hidden: true });
  panel.append(nameField, previewHead, preview, error, actions);
  box.append(head, note, row, roundLine, panel);

  /** The pooled file loaded for the next round: {text, round}. */
  let pooled = null;
  /** The summary of the name, spec and round on screen: {key, text}. */
  let made = null;
  let seq = 0;

  const key = () => JSON.stringify([name.value.trim(), state.spec, pooled?.text ?? null, state.file]);

  /** The summary of the name in the field (made by the core from the loaded file), and its preview. */
  async function refresh() {
    const site = name.value.trim();
    const mine = ++seq;
    made = null;
    save.disabled = true;
    errorBox(error, null);
    clear(preview);
    if (!site) { preview.append(el('li', 'Enter the name of the site to see what the file will contain.', { class: 'hint' })); return; }
    if (!state.spec) return;
    try {
      const k = key();
      const text = await engine.siteSummary(state.spec, site, pooled?.text ?? null, pooled?.name ?? null);
      if (mine !== seq) return;
      made = { key: k, text };
      showPreview(text);
      save.disabled = false;
    } catch (err) {
      if (mine !== seq) return;
      errorBox(error, err);
    }
  }

  /** The plain-words lines of `text` (the core reads the summary itself) in the page's language. */
  function showPreview(text) {
    clear(preview);
    for (const line of siteSummaryPreview(text, lang())) preview.append(el('li', line));
  }

  let timer = 0;
  name.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(refresh, 250); });
  exportButton.addEventListener('click', () => {
    if (!state.spec) return;
    panel.hidden = false;
    name.focus();
    refresh();
  });
  cancel.addEventListener('click', () => { panel.hidden = true; exportButton.focus(); });
  save.addEventListener('click', async () => {
    if (!made || made.key !== key()) await refresh();
    if (!made) return;
    const site = name.value.trim();
    const suffix = pooled ? `-round${pooled.round}` : '';
    download(`${safe(site)}-site-summary${suffix}.json`, new Blob([made.text], { type: 'application/json' }));
  });
  roundInput.addEventListener('change', async (e) => {
    const input = /** @type {HTMLInputElement} */ (e.target);
    const f = input.files?.[0];
    input.value = '';
    if (!f) return;
    try {
      const text = await readText(f);
      const guide = sitesGuidance(text, 'en'); // the core reads and checks the pooled file
      pooled = { text, round: guide.round, name: f.name };
      roundLine.textContent = guide.converged
        ? `The pooled file ${f.name} says the model has converged: no further round is needed.`
        : `Pooled file of round ${guide.round} loaded (${f.name}): the site summary you export now adds this round.`;
      roundLine.dataset.round = String(guide.round);
      roundLine.hidden = false;
      panel.hidden = false;
      refresh();
    } catch (err) { showError(err); }
  });
  onLangChange(() => { if (made && !panel.hidden) showPreview(made.text); });

  return {
    /** After an analysis: the card shows; an open preview is made again for the new spec. */
    update() {
      box.hidden = !state.spec;
      if (!panel.hidden) refresh();
    },
    /** A new file (or a failed analysis): no summary, and no round, of the last one stays. */
    reset() {
      box.hidden = true;
      panel.hidden = true;
      made = null;
      pooled = null;
      roundLine.hidden = true;
      delete roundLine.dataset.round;
      seq += 1;
      clear(preview);
      errorBox(error, null);
    },
  };
}

// ---------------------------------------------------------------- coordinator

/**
 * The coordinator's view: several site summaries in, the pooled analyses out.
 * @param {HTMLElement} box #coordinator
 * @param {{engine: any}} ctx
 */
export function initCoordinator(box, { engine }) {
  const headRow = el('div', null, { class: 'card-head' });
  headRow.append(
    el('h2', 'Combine site summaries', { id: 'coordinator-h' }),
    el('button', 'Close', { type: 'button', class: 'button small', id: 'close-coordinator', 'aria-label': 'Close the coordinator view' }),
  );
  const note = el('p', 'Drop the site summaries of every hospital here (one JSON file per site), or choose them. '
    + 'They are read in this tab only; nothing is uploaded.', { class: 'report-note' });
  const dz = el('div', null, { class: 'dropzone sites-drop', id: 'sites-dropzone' });
  const pick = el('label', 'Choose site summaries…', { class: 'button primary' });
  const input = el('input', null, { type: 'file', multiple: true, accept: '.json,application/json', id: 'sites-files', class: 'visually-hidden' });
  pick.append(input);
  dz.append(el('p', 'Drop several site summaries (.json) here, or'), pick,
    el('p', 'A newer summary of a site replaces its older one (each round, every site sends its summary again).', { class: 'hint' }));
  const files = el('p', null, { class: 'file-info', id: 'sites-file-list', 'aria-live': 'polite' });
  const clearButton = el('button', 'Remove all summaries', { type: 'button', class: 'button small', id: 'sites-clear', hidden: true });
  const error = el('div', null, { class: 'sites-error form-error', role: 'alert', id: 'sites-error', hidden: true });
  const out = el('div', null, { class: 'sites-results', id: 'sites-results', hidden: true });
  box.append(headRow, note, dz, files, clearButton, error, out);

  /** The loaded summaries in the order given: {name (file), text, site}. */
  let loaded = [];
  /** The pooled document: {text, doc}. */
  let pooled = null;
  let seq = 0;
  const drawn = new Map(); // figure name -> {width, ratio}

  async function add(list) {
    for (const f of list) {
      const text = await readText(f);
      let site = null;
      try { site = JSON.parse(text)?.site ?? null; } catch { /* the core names what is wrong */ }
      const at = site === null ? -1 : loaded.findIndex((x) => x.site === site);
      const entry = { name: f.name, text, site };
      if (at >= 0) loaded[at] = entry; else loaded.push(entry);
    }
    await pool();
  }

  async function pool() {
    const mine = ++seq;
    files.textContent = loaded.length
      ? `${loaded.length} site summaries: ${loaded.map((x) => x.name).join(', ')}`
      : '';
    clearButton.hidden = !loaded.length;
    errorBox(error, null);
    if (!loaded.length) { pooled = null; out.hidden = true; return; }
    try {
      const text = await engine.poolSites(loaded.map((x) => x.text), loaded.map((x) => x.name));
      if (mine !== seq) return;
      pooled = { text, doc: JSON.parse(text) };
      render();
    } catch (err) {
      if (mine !== seq) return;
      pooled = null;
      out.hidden = true;
      errorBox(error, err);
    }
  }

  function render() {
    clear(out);
    drawn.clear();
    if (!pooled) { out.hidden = true; return; }
    const s = pooled.doc.sites;
    out.hidden = false;
    out.append(roundsBlock(pooled), countsTable(s));
    if (s.logrank) out.append(logrankBlock(s.logrank));
    if (s.meta.length) out.append(metaBlock(s.meta));
    out.append(figureBlock('sites_forest', 'Hazard ratio by site: each site\'s own Cox model, the fixed-effect and the random-effects (REML) estimates', !s.meta.length));
    if (s.cox?.converged && s.cox.terms) out.append(coxBlock(s.cox));
    out.append(figureBlock('sites_life_table', `Pooled life table from the counts per ${num(s.life_table.width, 0)}-unit interval (a life table, not a Kaplan–Meier curve)`, !s.life_table.groups.length));
    if (s.life_table.groups.length) out.append(lifeTable(s.life_table));
    if (pooled.doc.warnings?.length) {
      // The core's sentences in the page's language (data-i18n-skip: already translated).
      const ul = el('ul', null, { class: 'warnings', id: 'sites-warnings', 'data-i18n-skip': '' });
      for (const w of sitesWarnings(pooled.text, lang())) ul.append(el('li', w));
      out.append(ul);
    }
    out.append(exportsRow());
    drawFigures();
  }

  /** The rounds of the site-stratified Cox model: what to send, or that it converged. */
  function roundsBlock(p) {
    const g = sitesGuidance(p.text, lang());
    const div = el('div', null, { class: 'sites-rounds', id: 'sites-rounds' });
    div.dataset.round = String(g.round);
    div.dataset.converged = String(g.converged);
    if (!p.doc.sites.cox) {
      div.append(el('p', 'No Cox model in the protocol: no rounds to run.'));
      return div;
    }
    if (g.converged) {
      div.append(el('p', `Converged after ${g.round} rounds: the site-stratified Cox model below is exact (as coxph with strata(site) on the pooled rows).`, { class: 'sites-converged' }));
      return div;
    }
    div.append(el('p', `Round ${g.round} of about ${g.about}: send this file to every site.`, { class: 'sites-next' }));
    div.append(el('p', 'Each site opens its data with the same protocol, loads this file with “Add this round to the site summary”, and sends back its new summary; drop them here.', { class: 'hint' }));
    const b = el('button', `Download the pooled file (round ${g.round})`, { type: 'button', class: 'button primary', id: 'sites-download-round' });
    b.addEventListener('click', () => download(`pooled-round${g.round}.json`, new Blob([p.text], { type: 'application/json' })));
    div.append(b);
    return div;
  }

  function countsTable(s) {
    const rows = s.per_site.map((c) => [c.site, { text: count(c.n), data: { field: 'n', site: c.site, value: c.n } }, { text: count(c.n_events), data: { field: 'n_events', site: c.site, value: c.n_events } }]);
    const total = [s.per_site.reduce((a, c) => a + c.n, 0), s.per_site.reduce((a, c) => a + c.n_events, 0)];
    rows.push({ cells: ['All sites', count(total[0]), count(total[1])], class: 'total' });
    const wrap = el('div', null, { class: 'sites-block', id: 'sites-counts' });
    wrap.append(el('h3', `Patients and deaths by site (${s.n_sites} sites)`), dataTable(['Site', 'Patients', 'Deaths'], rows));
    return wrap;
  }

  function logrankBlock(lr) {
    const wrap = el('div', null, { class: 'sites-block', id: 'sites-logrank' });
    wrap.append(el('h3', 'Log-rank test stratified by site'));
    const line = el('p', `χ² = ${num(lr.chisq, 2)} on ${lr.df} df, ${pSentence(lr.p)}`, { class: 'test-line', 'data-chisq': String(lr.chisq), 'data-p': String(lr.p) });
    wrap.append(line, dataTable(['Group', 'Observed deaths', 'Expected deaths'], lr.groups.map((g) => [g.label,
      { text: num(g.observed, 0), data: { field: 'observed', group: g.label, value: g.observed } },
      { text: num(g.expected, 2), data: { field: 'expected', group: g.label, value: g.expected } }])));
    return wrap;
  }

  function metaBlock(meta) {
    const wrap = el('div', null, { class: 'sites-block', id: 'sites-meta' });
    wrap.append(el('h3', 'Meta-analysis of the sites\' hazard ratios'));
    const est = (e, field, term) => (e
      ? [{ text: hr(e.hr), ci: `(${hrCi(e.lower, e.upper)})`, data: { field, term, value: e.hr } }, { text: pValue(e.p), data: { field: `${field}_p`, term, value: e.p } }]
      : ['—', '—']);
    const rows = meta.map((m) => [
      m.name.replace('=', ': '),
      ...est(m.fixed, 'fixed', m.name),
      ...est(m.random, 'random', m.name),
      m.random ? { text: num(m.random.tau2, 4), data: { field: 'tau2', term: m.name, value: m.random.tau2 } } : '—',
      m.random ? { text: `${num(m.random.i2, 1)}%`, data: { field: 'i2', term: m.name, value: m.random.i2 } } : '—',
    ]);
    wrap.append(dataTable(['Term', 'Fixed effect HR (95% CI)', 'p', 'Random effects (REML) HR (95% CI)', 'p', 'τ²', 'I²'], rows));
    return wrap;
  }

  function coxBlock(cox) {
    const wrap = el('div', null, { class: 'sites-block', id: 'sites-cox' });
    wrap.append(el('h3', 'Site-stratified Cox model (exact, from the sites\' rounds)'));
    const rows = cox.terms.map((t) => [
      t.name.replace('=', ': '),
      t.hr === null ? 'aliased' : { text: hr(t.hr), ci: `(${hrCi(t.lower, t.upper)})`, data: { field: 'hr', term: t.name, value: t.hr } },
      { text: pValue(t.p), data: { field: 'p', term: t.name, value: t.p } },
    ]);
    wrap.append(dataTable(['Term', 'HR (95% CI)', 'p'], rows));
    wrap.append(el('p', `${count(cox.n)} patients, ${count(cox.n_events)} deaths, stratified by site.`, { class: 'hint' }));
    return wrap;
  }

  /** The pooled life table's intervals, per group (the counts the curve is made of). */
  function lifeTable(lt) {
    const d = el('details', null, { class: 'sites-block', id: 'sites-life-table' });
    d.append(el('summary', 'The pooled life table: patients at risk, deaths and censored per interval'));
    for (const g of lt.groups) {
      d.append(el('h4', g.label));
      const rows = g.surv.map((sv, k) => [
        `${num(g.edges[k], 0)} – ${num(g.edges[k + 1], 0)}`,
        count(g.n_risk[k]), count(g.n_event[k]), count(g.n_censor[k]),
        { text: num(sv * 100, 1), data: { field: 'surv', group: g.label, value: sv } },
      ]);
      d.append(dataTable(['Interval', 'At risk', 'Deaths', 'Censored', 'Survival at the end, %'], rows));
      if (g.sites_left_out.length) d.append(el('p', `Not in this group's table (counts suppressed at the site): ${g.sites_left_out.join(', ')}.`, { class: 'hint' }));
    }
    return d;
  }

  function figureBlock(name, caption, empty) {
    const wrap = el('figure', null, { class: 'sites-figure', id: `fig-${name}` });
    if (empty) return wrap;
    const canvas = el('canvas', null, { role: 'img', 'aria-label': caption, 'data-figure': name });
    // The forest keeps its text columns readable on a phone: drawn at least FOREST_MIN_WIDTH
    // wide, it scrolls sideways in its box.
    const scroll = el('div', null, { class: 'figure-scroll', tabindex: '0', 'aria-label': caption });
    scroll.append(canvas);
    const tools = el('div', null, { class: 'exports' });
    const svg = el('button', 'SVG', { type: 'button', class: 'button small', 'aria-label': `Download ${caption} as SVG` });
    const png = el('button', 'PNG (300 dpi)', { type: 'button', class: 'button small', 'aria-label': `Download ${caption} as PNG (300 dpi)` });
    svg.addEventListener('click', () => download(`${name}.svg`, new Blob([figureSvg(name, pooled.doc, { ...FIGURE_OPTIONS[name], width: name === 'sites_forest' ? 720 : undefined })], { type: 'image/svg+xml' })));
    png.addEventListener('click', async () => download(`${name}-300dpi.png`, await figurePng(name, pooled.doc, {})));
    tools.append(svg, png);
    wrap.append(scroll, el('figcaption', caption), tools);
    return wrap;
  }

  function drawFigures() {
    if (!pooled || out.hidden) return;
    for (const c of /** @type {NodeListOf<HTMLCanvasElement>} */ (out.querySelectorAll('canvas[data-figure]'))) {
      const name = c.dataset.figure;
      const box = c.closest('figure');
      const width = name === 'sites_forest' ? Math.max(FOREST_MIN_WIDTH, figureWidth(box)) : figureWidth(box);
      try {
        drawFigure(name, c, pooled.doc, { width, ...FIGURE_OPTIONS[name] });
        drawn.set(name, { width: figureWidth(box), ratio: globalThis.devicePixelRatio || 1 });
      } catch (err) { errorBox(error, err); }
    }
  }

  function exportsRow() {
    const row = el('div', null, { class: 'exports sites-exports' });
    const json = el('button', 'Pooled results JSON', { type: 'button', class: 'button', id: 'sites-export-json' });
    const report = el('button', 'Report (HTML)', { type: 'button', class: 'button', id: 'sites-export-report' });
    json.addEventListener('click', () => download('pooled.json', new Blob([pooled.text], { type: 'application/json' })));
    report.addEventListener('click', async () => {
      try {
        const html = await engine.sitesReport(pooled.text, { lang: lang() });
        download('pooled-report.html', new Blob([html], { type: 'text/html;charset=utf-8' }));
      } catch (err) { errorBox(error, err); }
    });
    row.append(json, report);
    return row;
  }

  // Files dropped on the view are site summaries, not a data file (the page's own drop).
  for (const t of ['dragenter', 'dragover']) dz.addEventListener(t, (e) => { e.preventDefault(); e.stopPropagation(); dz.classList.add('over'); });
  dz.addEventListener('dragleave', () => dz.classList.remove('over'));
  dz.addEventListener('drop', (e) => {
    e.preventDefault();
    e.stopPropagation();
    dz.classList.remove('over');
    const list = [...(e.dataTransfer?.files ?? [])];
    if (list.length) add(list);
  });
  input.addEventListener('change', () => {
    const list = [...(input.files ?? [])];
    input.value = '';
    if (list.length) add(list);
  });
  clearButton.addEventListener('click', () => { loaded = []; pool(); });
  headRow.querySelector('button').addEventListener('click', () => { box.hidden = true; document.getElementById('open-coordinator')?.focus(); });
  watchFigure(box, () => (pooled && !out.hidden ? [...drawn.values()][0] ?? null : null), drawFigures);
  onLangChange(() => { if (pooled) render(); });

  return {
    open() {
      box.hidden = false;
      box.scrollIntoView({ block: 'start' });
      box.focus();
    },
    /** The pooled document's text (the CLI's `survlens pool` bytes), for the tests. */
    pooledText: () => pooled?.text ?? null,
  };
}

