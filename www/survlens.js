// SurvLens embedding API (ES module). The page uses it too.
//
//   import { analyze, drawKaplanMeier, version } from './survlens.js';
//   const report = await analyze(fileBytes, {time: {column: 'os_months'},
//                                            event: {column: 'status'}, km: {}});
//   drawKaplanMeier(canvas, report, {ci: true, riskTable: 'number_at_risk'});
//
// analyze(data, spec) -> Promise<Report>: data a Uint8Array, ArrayBuffer or
//   string holding the CSV/TSV file; spec an object (docs/spec.md); the
//   Report is the same results JSON as `survlens analyze`, as a plain object.
//   Bad input rejects with an Error carrying `kind` (a stable code) and the
//   CLI's message; `messages` ({en, zh}) and, when the core knows where, `column`,
//   `line` (header = 1) and `field` (the spec field). The work runs in a module worker; the page never freezes.
// drawKaplanMeier(canvas, report, options) draws the figure (synchronously).
//   options (all optional): width, height (CSS px; default: the canvas's width
//   and a height that suits it), pixelRatio (default devicePixelRatio), ci,
//   censorMarks, medianLines, riskTable ('number_at_risk' | 'kmunicate' |
//   'none'), pValue, xMax, xStep, timeUnit, xLabel, yLabel, yPercent, title,
//   fontFamily, fontSize.
// figures() lists the core's figures ({name, label, caption_key, sections}, crates/render/src/plot/registry.rs);
//   drawFigure(name, canvas, report, options), figureSvg(name, report, options) and
//   figurePng(name, report, options, {dpi, inches}) serve each by name; the named calls
//   below are shortcuts of these.
//   The matching figures (matching_balance, matching_scores, matching_km) draw one matched
//   comparison of `report.matching`: options.comparison names its treated group (default:
//   the first).
//   The emulation figures (emulation_curves, emulation_flow) draw `report.emulation`: the two
//   strategies' weighted curves with their bootstrap bands, and the flow of clones (TARGET).
// drawLovePlot / lovePlotSvg / lovePlotPng and drawPsOverlap / psOverlapSvg /
//   psOverlapPng(canvas?, report, options): the balance figures of a report with a
//   `propensity` section (options: width, height, pixelRatio, title, fontFamily, fontSize).
// Large cohorts (issue 7): above 20,000 rows, `propensity.per_row` of the Report is a
//   stand-in {detached: true, n, overlap_histograms} (the figures need nothing more);
//   the per-row arrays stay in the worker: perRow(report) gives them as typed arrays,
//   resultJson(report) the complete results JSON as a Blob (also Engine#perRow / #resultJson).
//   Below it the Report is exactly the results document.
// Engine#analyzeWithProgress(spec): as analyze, posting {stage: 'bootstrap', loaded,
//   total} to engine.onprogress while the bootstrap runs; engine.cancel() stops it.
// version: the crate's version. Types: survlens.d.ts (generated: scripts/gen-dts.mjs).
//
// All URLs are relative to this module: the folder can live under any path.
// Nothing is fetched from anywhere else and nothing is stored.
import init, * as core from './pkg/survlens.js';
import { fileTooLarge } from './ui/limits.js';
import { wasmFile } from './lib/wasm_file.js';

/** SHA-384 integrity of the files no `integrity` attribute covers (worker.js, the glue and
 *  wasm modules), written into the page by a release (scripts/release-stage.mjs); {} in a
 *  development build or when the module is embedded elsewhere. */
const integrity = (() => {
  try { return JSON.parse(globalThis.document?.querySelector('meta[name="survlens-integrity"]')?.getAttribute('content') ?? '{}'); } catch { return {}; }
})();
/** worker.js's URL; a release passes the worker its hashes in the fragment (never sent
 *  to the server). */
function workerUrl() {
  const url = new URL('./worker.js', import.meta.url);
  if (Object.keys(integrity).length) url.hash = encodeURIComponent(JSON.stringify(integrity));
  return url;
}
/** A new worker running worker.js: the engine's own, or one of its pool's. */
function spawnWorker() {
  return new Worker(workerUrl(), { type: 'module', name: 'survlens' });
}
/** fetch() of a file of this folder, checked against its release hash when there is one. */
const fetchChecked = (path) => fetch(new URL(path, import.meta.url), integrity[path] ? { integrity: integrity[path] } : {});

const wasm = wasmFile('pkg', integrity, import.meta.url); // SIMD or scalar (lib/wasm_file.js)
await init({ module_or_path: wasm.integrity ? fetchChecked(wasm.path) : wasm.url });
/** Whether the core runs its WebAssembly SIMD build (the page's About). */
export const simdBuild = Boolean(wasm.path?.endsWith('_simd_bg.wasm'));

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
  /** options: {poolSize} the number of workers that share the splittable work (default
   *  poolSizeFor(the loaded file's size): navigator.hardwareConcurrency capped by memory);
   *  1 runs everything in the engine's own worker. */
  constructor(options = {}) {
    this.poolSize = options.poolSize ?? null;
    this.pool = new WorkerPool();
    this.worker = null;
    this.pending = new Map();
    this.seq = 0;
    this.source = null; // what to reload into a fresh worker
    this.loaded = false;
    this.loading = null;
    this.onprogress = null;
    this.onrestart = null;
    this.onfault = null; // (SurvLensError) after the worker crashed and was replaced
    this.progressOf = new Map(); // id -> the progress handler of one call (a pooled run's share)
    this.generation = 0; // bumped by load and cancel: a pooled run of an older one is discarded
  }

  #start() {
    const w = spawnWorker();
    // Module workers take no `integrity`: the same bytes are fetched with it, and a
    // mismatch stops the worker before it is used.
    if (integrity['worker.js']) {
      fetchChecked('worker.js').then((r) => r.arrayBuffer()).catch(() => {
        if (this.worker === w) this.#crashed('worker.js does not match the release (subresource integrity)');
      });
    }
    w.onmessage = (e) => this.#receive(e.data);
    w.onerror = (e) => { e.preventDefault?.(); this.#crashed(`the analysis worker failed: ${e.message || 'unknown error'}`); };
    w.onmessageerror = () => this.#crashed('a message could not be read');
    this.worker = w;
    this.loaded = false;
  }

  #receive(msg) {
    if (msg.type === 'progress') { (this.progressOf.get(msg.id) ?? this.onprogress)?.(msg); return; }
    const p = this.pending.get(msg.id);
    if (!p) return;
    this.pending.delete(msg.id);
    this.progressOf.delete(msg.id);
    if (msg.ok && msg.handle !== undefined) { // an analysis: its Report stays in the worker under `handle`
      Object.defineProperty(msg.result, HANDLE, { value: msg.handle });
      // In a task of its own: receiving a large summary and rendering it are two tasks,
      // not one long one (issue 7: the main thread never blocks).
      setTimeout(() => p.resolve({ report: msg.result, json: msg.json, timings: msg.timings }));
    } else if (msg.ok) p.resolve(msg.result);
    else {
      const { messages, column, line, field } = msg.error;
      p.reject(Object.assign(new SurvLensError(msg.error.kind, msg.error.message), { messages, column, line, field }));
    }
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

  async #call(msg, transfer = [], onprogress = null) {
    if (!this.worker) this.#start();
    if (msg.method !== 'load' && this.source && !this.loaded && msg.data === undefined) {
      await (this.loading ?? this.#load(this.source.data, this.source.rows));
    }
    const id = ++this.seq;
    if (onprogress) this.progressOf.set(id, onprogress);
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...msg, id }, transfer);
    });
  }

  /** Loads a file (File, Blob, Uint8Array, ArrayBuffer, string) into the worker; resolves to its preview.
   *  A file over 1 GiB rejects with kind 'file_too_large' (the page's message). */
  async load(data, rows = 8) {
    // The page's limit (ui/limits.js): refused before anything is read or copied.
    const tooLarge = fileTooLarge(data?.size ?? data?.byteLength ?? data?.length);
    if (tooLarge) throw new SurvLensError(tooLarge.kind, tooLarge.message);
    this.generation += 1; // a pooled run on the last file is discarded, never combined with this one
    this.pool.close();
    return this.#load(data, rows);
  }

  /** Loads `data` into the engine's worker (a new file, or the same again after a restart). */
  async #load(data, rows) {
    this.source = this.source?.data === data && this.source.rows === rows ? this.source : { data, rows };
    const loading = this.#call({ method: 'load', source: data, rows });
    this.loading = loading;
    try {
      const preview = await loading;
      if (this.loading === loading) this.loaded = true;
      return preview;
    } finally {
      if (this.loading === loading) this.loading = null;
    }
  }

  /** Runs `spec` on the loaded file, or on `data` when given: {report, json, timings}
   *  (timings: seconds per stage in the worker, see worker.js).
   *  `transfer`: buffers of `data` to hand over to the worker instead of copying. */
  analyze(spec, data, transfer = []) {
    if (data === undefined && this.source) return this.#pooled(spec, false);
    return this.#call({ method: 'analyze', spec, data }, transfer);
  }

  /** As analyze, with progress messages {stage: 'bootstrap', loaded, total} to onprogress
   *  (with a pool: the units done by all its workers, of all the splittable sections). */
  analyzeWithProgress(spec, data) {
    if (data === undefined && this.source) return this.#pooled(spec, true);
    return this.#call({ method: 'analyze', spec, data, progress: true });
  }

  /** The pool's size for the loaded file. */
  #poolSize() {
    const size = this.poolSize ?? poolSizeFor(this.source?.data);
    return Math.max(1, Math.floor(size));
  }

  /** The analysis of the loaded file, its splittable work (core.work_units: bootstrap
   *  replicates) shared by a pool of workers. Each section's units are cut into one
   *  contiguous share per worker: the engine's own worker runs the first share, the pool's
   *  workers (each with its own copy of the file, loaded once) the others; the engine's worker
   *  then combines the partials with the rest of the analysis (the core's one code path, the
   *  CLI's: the Report is byte-identical whatever the pool's size). The coordination is here,
   *  on the main thread, with no nested workers: it works alike in Chromium, Firefox and Safari,
   *  the messages are small, and Cancel terminates every worker at once. */
  async #pooled(spec, withProgress) {
    const text = typeof spec === 'string' ? spec : JSON.stringify(spec);
    const size = this.#poolSize();
    const work = size > 1 ? core.work_units(text).filter((w) => w.total > 1) : [];
    if (!work.length) return this.#call({ method: 'analyze', spec, progress: withProgress });
    const generation = this.generation;
    const source = this.source;
    const total = work.reduce((t, w) => t + w.total, 0);
    const done = new Map(); // share -> units done
    const report = (key, loaded) => {
      done.set(key, loaded);
      if (withProgress && this.generation === generation) {
        this.onprogress?.({ id: 0, type: 'progress', stage: 'bootstrap', loaded: [...done.values()].reduce((a, b) => a + b, 0), total });
      }
    };
    const helpers = this.pool.open(size - 1, source);
    const shares = [];
    for (const w of work) {
      for (let k = 0; k < size; k += 1) {
        const start = Math.floor((w.total * k) / size);
        const end = Math.floor((w.total * (k + 1)) / size);
        if (end <= start) continue;
        const key = `${w.section}:${start}`;
        const msg = { method: 'runUnits', spec: text, section: w.section, start, end };
        const onprogress = (m) => report(key, m.loaded);
        shares.push(k === 0 ? this.#call(msg, [], onprogress) : helpers[k - 1].call(msg, onprogress));
      }
    }
    let parts;
    try {
      parts = await Promise.all(shares);
    } catch (err) {
      if (this.generation === generation) this.pool.close(); // a failed share: no half-done pool
      throw err;
    }
    if (this.generation !== generation) throw stale();
    const partials = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) { partials.set(p, at); at += p.length; }
    this.pool.idle();
    return this.#call({ method: 'analyze', spec, progress: withProgress, partials }, [partials.buffer]);
  }

  /** The per-row arrays of `report`'s propensity section (a report this engine made, one of
   *  its last two): {n, groups, line: Float64Array, group: Uint32Array (index into
   *  report.groups), weight: Float64Array, ps: Float64Array (row-major, n × groups)}. */
  perRow(report) {
    return this.#call({ method: 'perRow', handle: handleOf(report) });
  }

  /** The complete results document of `report` (the bytes `survlens analyze` writes,
   *  per-row arrays included) as a Blob; for a report of one of this engine's last two runs. */
  async resultJson(report) {
    const bytes = await this.#call({ method: 'resultJson', handle: handleOf(report) });
    return new Blob([bytes], { type: 'application/json' });
  }

  /** KM times and RMST τ suggested from the loaded file's follow-up under `spec`'s time,
   *  event and group: {times: [..], tau: x|null, max_follow_up: y|null} (round times of the
   *  unit, none later than the shortest group's last follow-up; τ the largest of them). */
  suggestTimes(spec) {
    return this.#call({ method: 'suggestTimes', spec });
  }

  /** The missing values of `spec`'s covariates in the loaded file, counted by the core on
   *  the rows of the survival data (set 0 of imported imputed sets): {n, groups, group_n,
   *  columns: [{column, kind, missing, by_group}], complete_cases, complete_by_group,
   *  imputed_sets} (src/missing_data.rs). */
  missingness(spec) {
    return this.#call({ method: 'missingness', spec });
  }

  /** Cut points for hazard ratios by period (`cox.periods`) suggested from the loaded
   *  file's event times under `spec`'s time, event and group: {cuts: [..], n_events}
   *  (their tertiles, R's quantile type 7, one decimal). */
  suggestPeriods(spec) {
    return this.#call({ method: 'suggestPeriods', spec });
  }

  /** The self-contained HTML report of `spec` on the loaded file (text); options {lang, data_name, include_patient_data}. */
  report(spec, options = {}) {
    return this.#call({ method: 'report', spec, options });
  }

  /** The R script reproducing `spec` (text); options {data_name, delimiter}. */
  rscript(spec, options = {}) {
    return this.#call({ method: 'rscript', spec, options });
  }

  /** The protocol file of `spec`: the spec as it runs, defaults filled in (text). */
  protocol(spec) {
    return this.#call({ method: 'protocol', spec });
  }

  /** The site summary of the loaded file under `spec` for site `site` (JSON text, the bytes
   *  `survlens site DATA --spec SPEC --site SITE [--beta POOLED]` writes); `pooled`: the text of
   *  a pooled file whose rounds the summary adds (or null), `pooledName` its file name. */
  siteSummary(spec, site, pooled = null, pooledName = null) {
    return this.#call({ method: 'siteSummary', spec, site, pooled, pooledName });
  }

  /** The pooled document of the site summaries `summaries` (their JSON texts, in the order
   *  given; `names` their file names, which errors name): JSON text, the bytes `survlens pool`
   *  writes. Rejects with the CLI's error for summaries of different protocols, edited files
   *  or other formats. */
  poolSites(summaries, names = summaries.map((_, i) => `summary ${i + 1}`)) {
    return this.#call({ method: 'poolSites', summaries, names });
  }

  /** The HTML report of the pooled document `pooled` (text); options {lang}. */
  sitesReport(pooled, options = {}) {
    return this.#call({ method: 'sitesReport', pooled, options });
  }

  /** Stops the running work (the engine's worker and every worker of its pool). */
  cancel() {
    const err = new SurvLensError('cancelled', 'The analysis was cancelled.');
    this.generation += 1;
    this.pool.close(err);
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
    this.progressOf.clear();
    this.#restart();
  }

  /** The number of workers of the pool now running (tests: Cancel leaves none). */
  get poolWorkers() {
    return this.pool.workers.length;
  }

  /** Compiles and optimises the core now (a small synthetic analysis, once per worker, so that
   *  the next large analysis runs in optimised code): {seconds} (0 when already done). */
  warmUp() {
    return this.#call({ method: 'warmUp' });
  }

  /** The core's memory in bytes: {heapPeak (live heap peak), memory (linear memory now), budget}. */
  stats() {
    return this.#call({ method: 'stats' });
  }

  /** Tests only: lowers the core's memory budget to `bytes` (0 restores it) until the worker restarts. */
  debugBudget(bytes) {
    return this.#call({ method: 'debugBudget', bytes });
  }

  /** Tests only: makes the worker crash ('panic' in the core, or an uncaught 'throw'). */
  debugCrash(how = 'panic') {
    return this.#call({ method: 'debugCrash', how });
  }
}

const stale = () => new SurvLensError('cancelled', 'The analysis was cancelled: another file was loaded.');

/** The workers of a pool of `size` for a file of `bytes` bytes: the browser's logical cores
 *  (navigator.hardwareConcurrency), at most 8, and no more than a quarter of the device's
 *  memory (navigator.deviceMemory, GiB, where the browser tells it; else 4) holds, each
 *  worker keeping its own copy of the data: ~64 MB for the module plus 12 times the file
 *  (the file's bytes, the parsed table, the cohort, a replicate's copies). */
export function poolSizeFor(data) {
  const bytes = data?.size ?? data?.byteLength ?? data?.length ?? 0;
  const cores = globalThis.navigator?.hardwareConcurrency || 1;
  const memory = (/** @type {{deviceMemory?: number}} */ (globalThis.navigator ?? {}).deviceMemory || 4) * 2 ** 30 / 4;
  const perWorker = 64 * 2 ** 20 + 12 * bytes;
  return Math.max(1, Math.min(cores, 8, Math.floor(memory / perWorker)));
}

/** How long an idle pool keeps its workers (and their copies of the file). */
const POOL_IDLE_MS = 30000;

/** One pool worker: worker.js with the file loaded once, answering calls in turn. */
class PoolWorker {
  constructor(source, onfail) {
    this.worker = spawnWorker();
    this.pending = new Map();
    this.progressOf = new Map();
    this.seq = 0;
    this.onfail = onfail;
    this.worker.onmessage = (e) => this.#receive(e.data);
    this.worker.onerror = (e) => { e.preventDefault?.(); this.fail(new SurvLensError('worker_crashed', `a pool worker failed: ${e.message || 'unknown error'}. Please try again.`)); };
    this.worker.onmessageerror = () => this.fail(new SurvLensError('worker_crashed', 'a pool worker\'s message could not be read. Please try again.'));
    this.loaded = this.call({ method: 'load', source: source.data, rows: 1 });
    this.loaded.catch(() => {}); // a failed load fails the calls after it
  }

  #receive(msg) {
    if (msg.type === 'progress') { this.progressOf.get(msg.id)?.(msg); return; }
    const p = this.pending.get(msg.id);
    if (!p) return;
    this.pending.delete(msg.id);
    this.progressOf.delete(msg.id);
    if (msg.ok) p.resolve(msg.result);
    else p.reject(Object.assign(new SurvLensError(msg.error.kind, msg.error.message), { messages: msg.error.messages }));
    if (msg.fatal) this.fail(new SurvLensError(msg.error.kind, msg.error.message));
  }

  /** Sends `msg` (after the file's load) and resolves to its result. */
  call(msg, onprogress = null) {
    const id = ++this.seq;
    if (onprogress) this.progressOf.set(id, onprogress);
    const send = () => new Promise((resolve, reject) => {
      if (!this.worker) { reject(new SurvLensError('cancelled', 'The analysis was cancelled.')); return; }
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...msg, id });
    });
    return msg.method === 'load' ? send() : this.loaded.then(send);
  }

  /** Terminates the worker (its copy of the file goes with it); pending calls reject with `err`. */
  fail(err) {
    this.worker?.terminate();
    this.worker = null;
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
    this.progressOf.clear();
    this.onfail?.(this);
  }
}

/** The extra workers of an Engine's pool, kept (with the file loaded) between runs on the same
 *  file and closed when the file changes, on Cancel, or after POOL_IDLE_MS without work: a pool
 *  worker's copy of the cohort never outlives its use, and no partial result of one file is
 *  combined with another (the core also refuses partials whose fingerprint of file and spec
 *  differs: 'stale_partials'). */
class WorkerPool {
  constructor() {
    this.workers = [];
    this.source = null;
    this.timer = null;
  }

  /** `n` workers with `source` loaded (started now, or kept from the last run on it). */
  open(n, source) {
    clearTimeout(this.timer);
    if (this.source !== source) this.close();
    this.source = source;
    while (this.workers.length < n) {
      this.workers.push(new PoolWorker(source, (w) => { this.workers = this.workers.filter((x) => x !== w); }));
    }
    return this.workers.slice(0, n);
  }

  /** The run is over: the workers go after POOL_IDLE_MS unless another run uses them. */
  idle() {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.close(), POOL_IDLE_MS);
  }

  /** Terminates every worker; their pending calls reject with `err`. */
  close(err = stale()) {
    clearTimeout(this.timer);
    const workers = this.workers;
    this.workers = [];
    this.source = null;
    for (const w of workers) { w.onfail = null; w.fail(err); }
  }
}

let shared = null;

// Where a Report came from: the worker keeps it under this handle (hidden, not enumerable).
const HANDLE = Symbol('survlens.handle');
function handleOf(report) {
  const handle = report?.[HANDLE];
  if (handle === undefined) throw new SurvLensError('results_gone', 'This report was not made by this engine; run the analysis again.');
  return handle;
}

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

/** The per-row arrays of a Report from analyze() (see Engine#perRow). */
export async function perRow(report) {
  if (!shared) throw new SurvLensError('results_gone', 'No analysis has run.');
  return shared.perRow(report);
}

/** The complete results JSON of a Report from analyze(), as a Blob (see Engine#resultJson). */
export async function resultJson(report) {
  if (!shared) throw new SurvLensError('results_gone', 'No analysis has run.');
  return shared.resultJson(report);
}

// ---------- figures: the core's registry (crates/render/src/plot/registry.rs), one sizing / drawing / SVG / PNG path ----------
// figure_list(): [{name, label, caption_key, sections}] in the page's order. The core reads a
// report object through JSON, so handing it only the figure's `sections` keeps a large
// cohort's figures quick on the main thread (issue 7: the whole summary of a 10^5-row IPTW
// run is ~1.3 MB). The same Rust drawing code paints the canvas and writes the SVG.
/** @typedef {{name: string, label: string, caption_key: string, sections: string[]}} FigureInfo */
/** @type {Map<string, FigureInfo>} */
const FIGURES = new Map(core.figure_list().map((f) => [f.name, f]));

/** The page's figures, in order: {name, label (English accessible name: "the forest plot"),
 *  caption_key (the HTML report's caption text), sections (the Report keys it reads)}. */
export const figures = () => [...FIGURES.values()];
/** The English accessible name of figure `name` ("the forest plot"). */
export const figureLabel = (name) => figureOf(name).label;

/** JSON text of the sections of a report object, per sections list: the figures of one
 *  report share it (the KM sections of 10^5 rows are megabytes; stringified once, not
 *  once per figure call). Dropped with the report object. */
const pickedText = new WeakMap();

/** The sections of `report` (object or JSON text) figure `f` reads, as JSON text. */
function picked(f, report) {
  if (!report || typeof report !== 'object') return report;
  let texts = pickedText.get(report);
  if (!texts) pickedText.set(report, (texts = new Map()));
  const key = f.sections.join('\u0000');
  let text = texts.get(key);
  if (text === undefined) {
    text = JSON.stringify(Object.fromEntries(f.sections.map((k) => [k, report[k]])));
    texts.set(key, text);
  }
  return text;
}

/** Runs a core figure call; its {kind, message} errors become SurvLensErrors. */
function figureCall(f) {
  try {
    return f();
  } catch (e) {
    throw new SurvLensError(e?.kind ?? 'internal', e?.message ?? String(e));
  }
}

function figureOf(name) {
  const f = FIGURES.get(name);
  if (!f) throw new SurvLensError('invalid_options', `unknown figure "${name}"`);
  return f;
}

/** Draws figure `name` of `report` on `canvas`. Returns {width, height} in CSS px. */
export function drawFigure(name, canvas, whole, options = {}) {
  const f = figureOf(name);
  const report = picked(f, whole);
  const width = options.width ?? (canvas.clientWidth || 720);
  const height = options.height ?? figureCall(() => core.figure_height(name, report, options, width));
  const ratio = options.pixelRatio ?? (globalThis.devicePixelRatio || 1);
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  if (options.resize !== false) {
    canvas.style.width = `${width}px`;
    canvas.style.height = `${height}px`;
  }
  figureCall(() => core.draw_figure(name, canvas, report, { ...options, scale: ratio }));
  return { width, height };
}

/** Figure `name` as an SVG document (text), `width` CSS px wide (default 720). */
export function figureSvg(name, whole, options = {}) {
  const f = figureOf(name);
  const report = picked(f, whole);
  const width = Math.round(options.width ?? 720);
  const height = Math.round(options.height ?? figureCall(() => core.figure_height(name, report, options, width)));
  return figureCall(() => core.figure_svg(name, report, options, width, height));
}

/** Figure `name` as a PNG Blob at `dpi` (default 300), `inches` wide (default 7). */
export async function figurePng(name, report, options = {}, { dpi = 300, inches = 7 } = {}) {
  const width = options.width ?? 720;
  const canvas = document.createElement('canvas');
  drawFigure(name, canvas, report, { ...options, width, pixelRatio: (dpi * inches) / width, resize: false });
  const blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/png'));
  const bytes = core.set_png_dpi(new Uint8Array(await blob.arrayBuffer()), dpi);
  return new Blob([/** @type {Uint8Array<ArrayBuffer>} */ (bytes)], { type: 'image/png' });
}

/** Draws the Kaplan–Meier figure of `report` on `canvas`. Returns {width, height} in CSS px. */
export const drawKaplanMeier = (canvas, report, options = {}) => drawFigure('km', canvas, report, options);
/** The figure as an SVG document (text), `width` CSS px wide (default 720). */
export const kaplanMeierSvg = (report, options = {}) => figureSvg('km', report, options);
/** The figure as a PNG Blob at `dpi` (default 300), `inches` wide (default 7). */
export const kaplanMeierPng = (report, options = {}, png = {}) => figurePng('km', report, options, png);

// Cox figures (kind: 'forest' | 'schoenfeld' | 'loglog'); options: width, height,
// pixelRatio, timeUnit, fontFamily, fontSize.
/** Draws Cox figure `kind` of `report` on `canvas`. Returns {width, height} in CSS px. */
export const drawCoxFigure = (canvas, report, kind, options = {}) => drawFigure(kind, canvas, report, options);
/** Cox figure `kind` as an SVG document (text), `width` CSS px wide (default 720). */
export const coxFigureSvg = (report, kind, options = {}) => figureSvg(kind, report, options);
/** Cox figure `kind` as a PNG Blob at `dpi` (default 300), `inches` wide (default 7). */
export const coxFigurePng = (report, kind, options = {}, png = {}) => figurePng(kind, report, options, png);

// Balance figures of the confounding step (love plot, PS overlap).
/** Draws the love plot (|SMD| before / after weighting) of a report with `propensity`. */
export const drawLovePlot = (canvas, report, options = {}) => drawFigure('love', canvas, report, options);
/** The love plot as an SVG document (text). */
export const lovePlotSvg = (report, options = {}) => figureSvg('love', report, options);
/** The love plot as a PNG Blob at `dpi` (default 300), `inches` wide (default 7). */
export const lovePlotPng = (report, options = {}, png = {}) => figurePng('love', report, options, png);
/** Draws the propensity-score overlap histograms of a report with `propensity`. */
export const drawPsOverlap = (canvas, report, options = {}) => drawFigure('overlap', canvas, report, options);
/** The overlap figure as an SVG document (text). */
export const psOverlapSvg = (report, options = {}) => figureSvg('overlap', report, options);
/** The overlap figure as a PNG Blob. */
export const psOverlapPng = (report, options = {}, png = {}) => figurePng('overlap', report, options, png);

// ---- languages (ui/i18n.js): the core's sentences and figure words in 'en' | 'zh'.

/** The sentences of a Report in `lang`: {warnings: [text|null], texts: {english: translated}}. */
export const localizeMessages = (report, lang) => core.localize_messages(report, lang);

/** Whether the proportional-hazards test of `report`'s Cox model finds the group's
 *  hazards not proportional (the core's verdict): the page then offers hazard ratios by period. */
export const phFlagsGroup = (report) => core.ph_flags_group(report);

/** The language of figures drawn without a `lang` option ('en' | 'zh'). */
export const setFigureLanguage = (lang) => core.set_figure_language(lang);

/** The plain-words lines of exactly what the site summary `summaryText` (JSON text)
 *  contains, in `lang` ('en' | 'zh'): the page's preview before the file is saved. */
export const siteSummaryPreview = (summaryText, lang = 'en') => figureCall(() => core.site_summary_preview(summaryText, lang));

/** Where the rounds of the site-stratified Cox model of the pooled document `pooledText`
 *  stand: {round, about, converged, has_cox, text} (text: the page's sentence in `lang`). */
export const sitesGuidance = (pooledText, lang = 'en') => figureCall(() => core.sites_guidance(pooledText, lang));

/** The warnings of the pooled document `pooledText`, one sentence each in `lang`. */
export const sitesWarnings = (pooledText, lang = 'en') => figureCall(() => core.sites_warnings(pooledText, lang));
