// SurvLens embedding API (ES module). The page uses it too.
//
//   import { analyze, drawKaplanMeier, version } from './survlens.js';
//   const report = await analyze(fileBytes, {time: {column: 'os_months'},
//                                            event: {column: 'status'}, km: {}});
//   drawKaplanMeier(canvas, report, {ci: true, riskTable: 'number_at_risk'});
//
// analyze(data, spec) -> Promise<Report>: data a Uint8Array, ArrayBuffer or
//   string holding the CSV/TSV file; spec an object (CONTRACT.md "Spec"); the
//   Report is the same results JSON as `survlens analyze`, as a plain object.
//   Bad input rejects with an Error carrying `kind` (a stable code) and the
//   CLI's message. The work runs in a module worker; the page never freezes.
// drawKaplanMeier(canvas, report, options) draws the figure (synchronously).
//   options (all optional): width, height (CSS px; default: the canvas's width
//   and a height that suits it), pixelRatio (default devicePixelRatio), ci,
//   censorMarks, medianLines, riskTable ('number_at_risk' | 'kmunicate' |
//   'none'), pValue, xMax, xStep, timeUnit, xLabel, yLabel, yPercent, title,
//   fontFamily, fontSize.
// drawLovePlot / lovePlotSvg / lovePlotPng and drawPsOverlap / psOverlapSvg /
//   psOverlapPng(canvas?, report, options): the balance figures of a report with a
//   `propensity` section (options: width, height, pixelRatio, title, fontFamily, fontSize).
// Engine#analyzeWithProgress(spec): as analyze, posting {stage: 'bootstrap', loaded,
//   total} to engine.onprogress while the bootstrap runs; engine.cancel() stops it.
// version: the crate's version.
//
// All URLs are relative to this module: the folder can live under any path.
// Nothing is fetched from anywhere else and nothing is stored.
import init, * as core from './pkg/survlens.js';

await init({ module_or_path: new URL('./pkg/survlens_bg.wasm', import.meta.url) });

/** The SurvLens (crate) version. */
export const version = core.version();

/** An Error carrying the core's stable `kind` code. */
export class SurvLensError extends Error {
  constructor(kind, message) {
    super(message);
    this.name = 'SurvLensError';
    this.kind = kind;
  }
}

/**
 * A module worker that owns the WebAssembly core and the loaded data.
 * A crashed worker is replaced on the next request; `cancel()` stops the
 * running work (the worker is terminated and started afresh).
 */
export class Engine {
  constructor() {
    this.worker = null;
    this.pending = new Map();
    this.seq = 0;
    this.source = null; // what to reload into a fresh worker
    this.loaded = false;
    this.loading = null;
    this.onprogress = null;
    this.onrestart = null;
    this.onfault = null; // (SurvLensError) after the worker crashed and was replaced
  }

  #start() {
    const w = new Worker(new URL('./worker.js', import.meta.url), { type: 'module', name: 'survlens' });
    w.onmessage = (e) => this.#receive(e.data);
    w.onerror = (e) => { e.preventDefault?.(); this.#crashed(`the analysis worker failed: ${e.message || 'unknown error'}`); };
    w.onmessageerror = () => this.#crashed('a message could not be read');
    this.worker = w;
    this.loaded = false;
  }

  #receive(msg) {
    if (msg.type === 'progress') { this.onprogress?.(msg); return; }
    const p = this.pending.get(msg.id);
    if (!p) return;
    this.pending.delete(msg.id);
    if (msg.ok) p.resolve(msg.json !== undefined ? { report: msg.result, json: msg.json } : msg.result);
    else p.reject(Object.assign(new SurvLensError(msg.error.kind, msg.error.message), { messages: msg.error.messages }));
    if (msg.fatal) {
      this.#restart();
      this.onfault?.(new SurvLensError(msg.error.kind, msg.error.message));
    }
  }

  #crashed(message) {
    const err = new SurvLensError('worker_crashed', `${message}. The analysis was restarted; please try again.`);
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
    this.#restart();
    this.onfault?.(err);
  }

  #restart() {
    this.worker?.terminate();
    this.worker = null;
    this.loaded = false;
    this.loading = null;
    this.onrestart?.();
  }

  async #call(msg, transfer = []) {
    if (!this.worker) this.#start();
    if (msg.type !== 'load' && this.source && !this.loaded && msg.data === undefined) {
      await (this.loading ?? this.load(this.source.data, this.source.rows));
    }
    const id = ++this.seq;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...msg, id }, transfer);
    });
  }

  /** Loads a file (File, Blob, Uint8Array, ArrayBuffer, string) into the worker; resolves to its preview. */
  async load(data, rows = 8) {
    this.source = { data, rows };
    const loading = this.#call({ type: 'load', source: data, rows });
    this.loading = loading;
    try {
      const preview = await loading;
      if (this.loading === loading) this.loaded = true;
      return preview;
    } finally {
      if (this.loading === loading) this.loading = null;
    }
  }

  /** Runs `spec` on the loaded file, or on `data` when given: {report, json}.
   *  `transfer`: buffers of `data` to hand over to the worker instead of copying. */
  analyze(spec, data, transfer = []) {
    return this.#call({ type: 'analyze', spec, data }, transfer);
  }

  /** As analyze, with progress messages {stage: 'bootstrap', loaded, total} to onprogress. */
  analyzeWithProgress(spec, data) {
    return this.#call({ type: 'analyze', spec, data, progress: true });
  }

  /** The self-contained HTML report of `spec` on the loaded file (text); options {lang, data_name, include_patient_data}. */
  report(spec, options = {}) {
    return this.#call({ type: 'report', spec, options });
  }

  /** The R script reproducing `spec` (text); options {data_name, delimiter}. */
  rscript(spec, options = {}) {
    return this.#call({ type: 'rscript', spec, options });
  }

  /** The protocol file of `spec`: the spec as it runs, defaults filled in (text). */
  protocol(spec) {
    return this.#call({ type: 'protocol', spec });
  }

  /** Stops the running work. */
  cancel() {
    const err = new SurvLensError('cancelled', 'The analysis was cancelled.');
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
    this.#restart();
  }

  /** Tests only: makes the worker crash ('panic' in the core, or an uncaught 'throw'). */
  debugCrash(how = 'panic') {
    return this.#call({ type: 'debug-crash', how });
  }
}

let shared = null;

/** Analyses `data` (Uint8Array | ArrayBuffer | string) with `spec`; resolves to the Report. */
export async function analyze(data, spec) {
  if (!(data instanceof Uint8Array || data instanceof ArrayBuffer || typeof data === 'string')) {
    throw new SurvLensError('invalid_data', 'analyze(data, spec): data must be a Uint8Array, ArrayBuffer or string.');
  }
  shared ??= new Engine();
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : new Uint8Array(data).slice();
  // `bytes` is this call's own copy: move it to the worker rather than copy it again.
  const { report } = await shared.analyze(spec, bytes, [bytes.buffer]);
  return report;
}

function layout(report, options, fallbackWidth) {
  const width = options.width ?? fallbackWidth;
  const height = options.height ?? core.kaplan_meier_height(report, options, width);
  return { width, height };
}

/** Draws the Kaplan–Meier figure of `report` on `canvas`. Returns {width, height} in CSS px. */
export function drawKaplanMeier(canvas, report, options = {}) {
  const { width, height } = layout(report, options, canvas.clientWidth || 720);
  const ratio = options.pixelRatio ?? (globalThis.devicePixelRatio || 1);
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  if (options.resize !== false) {
    canvas.style.width = `${width}px`;
    canvas.style.height = `${height}px`;
  }
  try {
    core.draw_kaplan_meier(canvas, report, { ...options, scale: ratio });
  } catch (e) {
    throw new SurvLensError(e?.kind ?? 'internal', e?.message ?? String(e));
  }
  return { width, height };
}

/** The figure as an SVG document (text), `width` CSS px wide (default 720). */
export function kaplanMeierSvg(report, options = {}) {
  const { width, height } = layout(report, options, 720);
  return core.kaplan_meier_svg(report, options, Math.round(width), Math.round(height));
}

/** The figure as a PNG Blob at `dpi` (default 300), `inches` wide (default 7). */
export async function kaplanMeierPng(report, options = {}, { dpi = 300, inches = 7 } = {}) {
  const width = options.width ?? 720;
  const canvas = document.createElement('canvas');
  drawKaplanMeier(canvas, report, { ...options, width, pixelRatio: (dpi * inches) / width, resize: false });
  const blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/png'));
  const bytes = core.set_png_dpi(new Uint8Array(await blob.arrayBuffer()), dpi);
  return new Blob([bytes], { type: 'image/png' });
}

// ---- Cox figures (kind: 'forest' | 'schoenfeld' | 'loglog'); options: width,
// height, pixelRatio, timeUnit, fontFamily, fontSize. Same drawing code in every output.

/** Draws Cox figure `kind` of `report` on `canvas`. Returns {width, height} in CSS px. */
export function drawCoxFigure(canvas, report, kind, options = {}) {
  const width = options.width ?? (canvas.clientWidth || 720);
  const height = options.height ?? core.cox_figure_height(report, kind, options, width);
  const ratio = options.pixelRatio ?? (globalThis.devicePixelRatio || 1);
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  if (options.resize !== false) {
    canvas.style.width = `${width}px`;
    canvas.style.height = `${height}px`;
  }
  try {
    core.draw_cox_figure(canvas, report, kind, { ...options, scale: ratio });
  } catch (e) {
    throw new SurvLensError(e?.kind ?? 'internal', e?.message ?? String(e));
  }
  return { width, height };
}

/** Cox figure `kind` as an SVG document (text), `width` CSS px wide (default 720). */
export function coxFigureSvg(report, kind, options = {}) {
  try {
    return core.cox_figure_svg(report, kind, options, Math.round(options.width ?? 720));
  } catch (e) {
    throw new SurvLensError(e?.kind ?? 'internal', e?.message ?? String(e));
  }
}

/** Cox figure `kind` as a PNG Blob at `dpi` (default 300), `inches` wide (default 7). */
export async function coxFigurePng(report, kind, options = {}, { dpi = 300, inches = 7 } = {}) {
  const width = options.width ?? 720;
  const canvas = document.createElement('canvas');
  drawCoxFigure(canvas, report, kind, { ...options, width, pixelRatio: (dpi * inches) / width, resize: false });
  const blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/png'));
  const bytes = core.set_png_dpi(new Uint8Array(await blob.arrayBuffer()), dpi);
  return new Blob([bytes], { type: 'image/png' });
}

// ---------- balance figures of the confounding step (love plot, PS overlap) ----------
const balanceFigures = {
  love: { height: core.love_plot_height, draw: core.draw_love_plot, svg: core.love_plot_svg },
  overlap: { height: core.ps_overlap_height, draw: core.draw_ps_overlap, svg: core.ps_overlap_svg },
};

function drawBalance(kind, canvas, report, options) {
  const f = balanceFigures[kind];
  const width = options.width ?? (canvas.clientWidth || 720);
  const height = options.height ?? f.height(report, options);
  const ratio = options.pixelRatio ?? (globalThis.devicePixelRatio || 1);
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  if (options.resize !== false) {
    canvas.style.width = `${width}px`;
    canvas.style.height = `${height}px`;
  }
  try {
    f.draw(canvas, report, { ...options, scale: ratio });
  } catch (e) {
    throw new SurvLensError(e?.kind ?? 'internal', e?.message ?? String(e));
  }
  return { width, height };
}

async function balancePng(kind, report, options, { dpi = 300, inches = 7 } = {}) {
  const width = options.width ?? 720;
  const canvas = document.createElement('canvas');
  drawBalance(kind, canvas, report, { ...options, width, pixelRatio: (dpi * inches) / width, resize: false });
  const blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/png'));
  const bytes = core.set_png_dpi(new Uint8Array(await blob.arrayBuffer()), dpi);
  return new Blob([bytes], { type: 'image/png' });
}

function balanceSvg(kind, report, options) {
  const width = Math.round(options.width ?? 720);
  const height = Math.round(options.height ?? balanceFigures[kind].height(report, options));
  return balanceFigures[kind].svg(report, options, width, height);
}

/** Draws the love plot (|SMD| before / after weighting) of a report with `propensity`. */
export const drawLovePlot = (canvas, report, options = {}) => drawBalance('love', canvas, report, options);
/** The love plot as an SVG document (text). */
export const lovePlotSvg = (report, options = {}) => balanceSvg('love', report, options);
/** The love plot as a PNG Blob at `dpi` (default 300), `inches` wide (default 7). */
export const lovePlotPng = (report, options = {}, png = {}) => balancePng('love', report, options, png);
/** Draws the propensity-score overlap histograms of a report with `propensity`. */
export const drawPsOverlap = (canvas, report, options = {}) => drawBalance('overlap', canvas, report, options);
/** The overlap figure as an SVG document (text). */
export const psOverlapSvg = (report, options = {}) => balanceSvg('overlap', report, options);
/** The overlap figure as a PNG Blob. */
export const psOverlapPng = (report, options = {}, png = {}) => balancePng('overlap', report, options, png);

// ---- languages (ui/i18n.js): the core's sentences and figure words in 'en' | 'zh'.

/** The sentences of a Report in `lang`: {warnings: [text|null], texts: {english: translated}}. */
export const localizeMessages = (report, lang) => core.localize_messages(report, lang);

/** The language of figures drawn without a `lang` option ('en' | 'zh'). */
export const setFigureLanguage = (lang) => core.set_figure_language(lang);
