// SurvLens module worker: owns the WebAssembly core, the file and the last results.
// Messages in:  {id, method, ...params}: one method of the table METHODS below, named as the
//               Engine's method in survlens.js that sends it (load, preview, analyze, perRow,
//               resultJson, runUnits, suggestTimes, suggestPeriods, missingness, report, rscript, protocol, siteSummary, poolSites,
//               sitesReport, stats, warmUp; tests only:
//               debugBudget, debugCrash). Each handler's comment gives its params and result.
//               analyze's `progress: true` posts {stage: 'bootstrap', loaded, total} as the bootstrap runs.
// Messages out: {id, ok: true, result, json?, handle?, timings?} | {id, ok: false, error: {kind, message}, fatal?}
//               (timings, analyses only: seconds per stage, {file, spec, read, cohort, analysis,
//               'analysis/km', ..., summary, parse}: the core's stages (crates/timing/src/lib.rs) and the worker's)
//               {id, type: 'progress', stage, loaded, total}
// Memory (issue 7): the file streams chunk by chunk into the core's memory (a
// FileBuffer: no whole-file copy in JS, no string). An analysis's Report stays in the
// core (the last KEEP of them, by handle); what crosses to the page is its summary:
// the results document with, for more than 20,000 rows, `propensity.per_row`
// replaced by a small stand-in. Per-row arrays ('per-row': typed arrays) and the
// complete JSON ('json': bytes) are fetched on demand and transferred, not copied.
// A panic in the core poisons the module: the worker answers {fatal: true} and
// closes; the page starts a fresh one.
// Excel (issue 7): the worker starts on pkg/, built without Excel import (the smaller
// download); a workbook loads pkg-xlsx/ (below), which then serves every message.
import init, * as firstCore from './pkg/survlens.js';
import { wasmFile } from './lib/wasm_file.js';

let core = firstCore; // the module in use

let file = null; // the loaded file (a FileBuffer in the core's memory)
const held = new Map(); // handle -> Held (the last KEEP analyses' Reports)
const KEEP = 2;
let memory = null; // the core's WebAssembly memory (its size tells an out-of-memory trap)
const started = []; // {core, memory} of every module started here (an object of one stays bound to it)
let panicMessage = null;
const seconds = (t0) => (performance.now() - t0) / 1000;
globalThis.survlensOnPanic = (message) => { panicMessage = message; };

// Register before awaiting init, or a message sent during start-up is lost.
const queue = [];
let ready = false;
// Messages are handled one after another: a load that awaits (streaming a file, fetching
// pkg-xlsx/ for a workbook) finishes before a later analyze looks for the file.
let previous = Promise.resolve();
const inTurn = (m) => { previous = previous.then(() => handle(m)); };
self.onmessage = (e) => { if (ready) inTurn(e.data); else queue.push(e.data); };

// A release's SHA-384 of the glue and wasm files (scripts/release-stage.mjs), passed by
// survlens.js in this worker's URL fragment; {} in a development build. The wasm is fetched
// with `integrity` and only those bytes are compiled; the glue, imported before this code
// runs, is fetched again with `integrity` and a mismatch stops the start.
const integrity = (() => { try { return JSON.parse(decodeURIComponent(self.location.hash.slice(1)) || '{}'); } catch { return {}; } })();
const checked = (path) => fetch(new URL(path, self.location.href), { integrity: integrity[path] });
const glueChecked = (path) => (integrity[path] ? checked(path).then((r) => r.arrayBuffer()) : Promise.resolve());

const wasm = wasmFile('pkg', integrity, import.meta.url); // SIMD or scalar (lib/wasm_file.js)
const starting = Promise.all([glueChecked('pkg/survlens.js'), glueChecked('lib/wasm_file.js')])
  .then(() => init({ module_or_path: wasm.integrity ? checked(wasm.path) : wasm.url }))
  .then((exports) => { memory = exports?.memory ?? null; started.push({ core, memory }); ready = true; for (const m of queue.splice(0)) inTurn(m); })
  .catch((err) => {
    const en = `The analysis engine could not start: ${err}. Reload the page; if it fails again, use a recent Chrome, Edge, Firefox or Safari.`;
    const failed = { kind: 'load_failed', message: en, messages: { en, zh: `分析引擎无法启动：${err}。请刷新页面；若仍失败，请使用较新版本的 Chrome、Edge、Firefox 或 Safari。` } };
    for (const m of queue.splice(0)) replyError(m.id, failed, true);
    ready = true; // later messages get the same answer
    self.onmessage = (e) => replyError(e.data.id, failed, true);
  });
void starting;

// <excel-module> (scripts/single-file.mjs replaces this block: its one module reads workbooks)
let excel = null; // pkg-xlsx/ being loaded (once): {glue, exports}
function loadExcelModule() {
  excel ??= glueChecked('pkg-xlsx/survlens.js').then(() => import('./pkg-xlsx/survlens.js')).then(async (glue) => {
    const xlsx = wasmFile('pkg-xlsx', integrity, import.meta.url);
    const exports = await glue.default({ module_or_path: xlsx.integrity ? checked(xlsx.path) : xlsx.url });
    return { glue, exports };
  });
  return excel;
}
// </excel-module>

/** The first bytes of a file source (as many as `n`). */
async function head(source, n) {
  if (source instanceof Uint8Array) return source.subarray(0, n);
  if (source instanceof ArrayBuffer) return new Uint8Array(source, 0, Math.min(n, source.byteLength));
  if (source && typeof source.slice === 'function' && typeof source.arrayBuffer === 'function') return new Uint8Array(await source.slice(0, n).arrayBuffer());
  return new Uint8Array(); // a string: text
}

/** Makes the module in use one that reads `source`: a workbook needs pkg-xlsx/ (the
 *  file's zip signature, as the core tells it). Loading it failed: an error saying
 *  what to do; the worker goes on serving text files. */
async function useModuleFor(source) {
  if (core.reads_workbooks() || !core.is_workbook(await head(source, 4))) return;
  try {
    const { glue, exports } = await loadExcelModule();
    if (core === glue) return;
    core = glue;
    memory = exports?.memory ?? null;
    started.push({ core, memory });
  } catch (err) {
    excel = null; // a later workbook tries again
    const en = `Excel support could not be loaded (${err}). Save the sheet as CSV (File → Save As → CSV UTF-8) and open the CSV.`;
    throw { kind: 'load_failed', message: en, messages: { en, zh: `无法加载 Excel 支持（${err}）。请把工作表另存为 CSV（文件 → 另存为 → CSV UTF-8），再打开该 CSV 文件。` } };
  }
}

/** The error reply to message `id`; `fatal`: the worker closes after it (the page starts a fresh one). */
function replyError(id, error, fatal = false) {
  self.postMessage({ id, ok: false, error, fatal });
}

// Warm-up (issue 7, src/wasm/warm.rs): the browser compiles the core lazily and optimises
// a function only after it has run a while, from its next call on; a first 10^6-row
// analysis would run in unoptimised code. 'warm-up' (Engine#warmUp) runs a small synthetic
// analysis through every hot path, once. Not run unasked: while it runs, a loaded 2-core
// machine gave the page's main thread tasks over 200 ms (tests/browser/scale.test.mjs).
let warmed = false;
function warmUp() {
  if (warmed) return 0;
  warmed = true;
  const t = performance.now();
  core.warm_up(0);
  return seconds(t);
}

/** Copies `chunk` into the core's FileBuffer `buffer` (one copy, straight into its memory). */
function append(buffer, chunk) {
  const at = buffer.extend(chunk.length);
  new Uint8Array(memory.buffer, at, chunk.length).set(chunk); // after extend: the memory may have grown
}

function progress(id, stage, loaded = 0, total = 0) {
  self.postMessage({ id, type: 'progress', stage, loaded, total });
}

/** The file's bytes in a core FileBuffer, streamed chunk by chunk (File, Blob) with progress. */
async function toBuffer(id, source) {
  await useModuleFor(source);
  if (typeof source === 'string') source = new TextEncoder().encode(source);
  if (source instanceof ArrayBuffer) source = new Uint8Array(source);
  if (source instanceof Uint8Array) {
    const buffer = new core.FileBuffer(source.length);
    append(buffer, source);
    return buffer;
  }
  if (source && typeof source.stream === 'function') {
    const total = source.size;
    const buffer = new core.FileBuffer(total);
    try {
      let loaded = 0, last = 0;
      const reader = source.stream().getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        append(buffer, value);
        loaded += value.length;
        if (loaded - last > total / 50) { progress(id, 'reading', loaded, total); last = loaded; }
      }
    } catch (err) {
      buffer.free();
      throw err;
    }
    return buffer;
  }
  throw Object.assign(new Error('The data must be a File, Blob, Uint8Array, ArrayBuffer or string.'), { kind: 'invalid_data' });
}


/** Runs the analysis and keeps its Report (by handle `id`); the summary and, when small, the
 *  JSON text, and `timings` (the core's stages, then the summary's). */
function analyze(id, data, spec, withProgress, timings, partials) {
  const h = data.analyze(spec, withProgress ? (done, total) => progress(id, 'bootstrap', done, total) : undefined, partials ?? undefined);
  held.set(id, h);
  for (const [k, old] of held) { if (held.size <= KEEP) break; old.free(); held.delete(k); }
  Object.assign(timings, JSON.parse(h.timings_json()));
  progress(id, 'summarising');
  let t = performance.now();
  const text = h.inline ? new TextDecoder().decode(h.json()) : h.summary_json(); // small: the CLI's bytes
  timings.summary = seconds(t);
  t = performance.now();
  const report = JSON.parse(text);
  timings.parse = seconds(t);
  return { report, json: h.inline ? text : null };
}

function heldOf(handle) {
  const h = held.get(handle);
  if (!h) throw { kind: 'results_gone', message: 'These results are no longer kept by the analysis (a newer analysis or a restart replaced them). Run the analysis again, then export.' };
  return h;
}

const OUT_OF_MEMORY = 'The analysis needs more memory than the browser gives this page. '
  + 'Close other tabs and try again, remove unused columns or rows from the file, '
  + 'or use the command-line tool (survlens analyze) for very large files.';
function outOfMemory() { return { kind: 'out_of_memory', message: OUT_OF_MEMORY }; }

// A trap without a panic message: out of memory when the core could not get an
// allocation (its memory budget, src/wasm/memory.rs, or the browser's), otherwise a
// fault in the core.
function trapError(err) {
  let failed = 0;
  for (const s of started) {
    try { failed = Math.max(failed, s.core.failed_allocation()); } catch { /* the module is beyond reading */ }
  }
  if (failed > 0 || started.some((s) => (s.memory?.buffer?.byteLength ?? 0) >= 2 ** 30)) return outOfMemory();
  return { kind: 'internal', message: `internal error (please report it): ${err}` };
}
const specText = (spec) => (typeof spec === 'string' ? spec : JSON.stringify(spec));

function asError(err) {
  if (err && typeof err.kind === 'string') {
    const { column, line, field } = err; // where, when the core knows: the page marks that control
    return { kind: err.kind, message: String(err.message ?? err), messages: err.messages, column, line, field };
  }
  return { kind: 'internal', message: `internal error (please report it): ${err}` };
}

const noFile = () => ({ kind: 'no_data', message: 'No file is loaded.' });
/** The loaded file, or the error saying there is none. */
function loadedFile() {
  if (!file) throw noFile();
  return file;
}

/** What a handler returns when its answer carries more than `result`: extra fields of the
 *  reply (`json`, `handle`, `timings`) and buffers to transfer rather than copy. */
class Answer {
  constructor(result, extra = {}, transfer = []) {
    this.result = result;
    this.extra = extra;
    this.transfer = transfer;
  }
}
/** What a handler returns when it sends no answer (debugCrash: the worker is going down). */
const NO_ANSWER = Symbol('no answer');

/** The protocol: one handler per method, named as the Engine's methods in survlens.js that
 *  send it. A handler gets the message and its id and returns the result (or an Answer);
 *  what it throws becomes the error reply ({kind, message}), once, in `handle` below. */
const METHODS = {
  /** {source, rows} -> the preview of the file, streamed into the core. */
  async load(msg, id) {
    progress(id, 'reading', 0, msg.source?.size ?? 0);
    file?.free();
    file = null;
    for (const h of held.values()) h.free(); // the last file's results and per-row data go with it
    held.clear();
    file = await toBuffer(id, msg.source);
    progress(id, 'preview');
    return file.preview(msg.rows ?? 8);
  },
  /** {rows} -> the loaded file's preview again. */
  preview: (msg) => loadedFile().preview(msg.rows ?? 8),
  /** {spec, data?, progress?, partials?} -> the Report (summary), kept here under handle `id`.
   *  `partials` (Uint8Array): the worker pool's units of the splittable sections (runUnits of
   *  the pool's workers, end to end), combined here as the CLI combines them. */
  async analyze(msg, id) {
    const t = performance.now();
    const data = msg.data !== undefined ? await toBuffer(id, msg.data) : loadedFile();
    const timings = { file: seconds(t) };
    progress(id, 'analysing');
    try {
      const { report, json } = analyze(id, data, specText(msg.spec), msg.progress, timings, msg.partials);
      return new Answer(report, { json, handle: id, timings });
    } finally {
      if (data !== file) data.free();
    }
  },
  /** {spec, section, start, end} -> the partial result (Uint8Array, transferred) of units
   *  [start, end) of the splittable `section` on the loaded file: one share of the worker
   *  pool's work (survlens.js, Engine#analyze), with {stage: 'bootstrap', loaded, total:
   *  end − start} progress. */
  runUnits(msg, id) {
    const bytes = loadedFile().run_units(specText(msg.spec), msg.section, msg.start, msg.end,
      (done, total) => progress(id, 'bootstrap', done, total));
    return new Answer(bytes, {}, [bytes.buffer]);
  },
  /** {handle} -> typed arrays, transferred: {n, groups, line, group, weight, ps (row-major n × groups)}. */
  perRow(msg) {
    const h = heldOf(msg.handle);
    const out = { n: h.per_row_len, line: h.per_row_line(), group: h.per_row_group(), weight: h.per_row_weight(), ps: h.per_row_ps() };
    out.groups = out.n > 0 ? out.ps.length / out.n : 0;
    return new Answer(out, {}, [out.line.buffer, out.group.buffer, out.weight.buffer, out.ps.buffer]);
  },
  /** {handle} -> the complete results document (the CLI's bytes), transferred. */
  resultJson(msg) {
    const bytes = heldOf(msg.handle).json();
    return new Answer(bytes, {}, [bytes.buffer]);
  },
  /** {spec} -> KM times and τ from the follow-up (ui/mapping.js). */
  suggestTimes: (msg) => loadedFile().suggest_times(specText(msg.spec)),
  /** {spec} -> missing covariate values per column and group, the complete-case n (ui/imputation.js). */
  missingness: (msg) => loadedFile().missingness(specText(msg.spec)),
  /** {spec} -> cut points for cox.periods from the event times (ui/periods.js). */
  suggestPeriods: (msg) => loadedFile().suggest_periods(specText(msg.spec)),
  /** {spec, options} -> the self-contained HTML report (ui/report.js). */
  report(msg, id) {
    const data = loadedFile();
    progress(id, 'analysing');
    return data.report_html(specText(msg.spec), msg.options ?? {});
  },
  /** {spec, options} -> the R script reproducing the analysis (ui/report.js). */
  rscript: (msg) => (file
    ? file.r_script(specText(msg.spec), msg.options ?? {})
    : core.r_script(new Uint8Array(), specText(msg.spec), msg.options ?? {})),
  /** {spec} -> the protocol file: the spec as it runs (ui/report.js). */
  protocol: (msg) => core.protocol_file(specText(msg.spec)),
  /** {spec, site, pooled, pooledName} -> the site summary of the loaded file (JSON text, the bytes
   *  of `survlens site`), with the rounds of the pooled file `pooled` (text) when given (ui/sites.js). */
  siteSummary: (msg) => loadedFile().site_summary(specText(msg.spec), msg.site, msg.pooled ?? undefined, msg.pooledName ?? undefined),
  /** {names: [file name], summaries: [text]} -> the pooled document (JSON text, the bytes of
   *  `survlens pool`); errors name the files (ui/sites.js). */
  poolSites: (msg) => core.pool_sites(msg.summaries, msg.names),
  /** {pooled, options} -> the HTML report of the pooled document (ui/sites.js). */
  sitesReport: (msg) => core.sites_report_html(msg.pooled, msg.options ?? {}),
  /** -> the core's memory: live-heap peak, linear memory now, budget (bytes). */
  stats: () => ({ heapPeak: core.memory_peak(), memory: started.reduce((sum, s) => sum + (s.memory?.buffer?.byteLength ?? 0), 0), budget: core.memory_budget() }),
  /** -> {seconds} of the warm-up (0 when it has run). */
  warmUp: () => ({ seconds: warmUp() }),
  /** Tests only: {bytes} lowers the core's memory budget (0 restores it). */
  debugBudget(msg) {
    core.debug_set_memory_budget(msg.bytes ?? 0);
    return core.memory_budget();
  },
  /** Tests only: {how: 'panic'|'throw'|'oom'} crashes the worker. */
  debugCrash(msg) {
    if (msg.how === 'throw') setTimeout(() => { throw new Error('deliberate uncaught error (debug message)'); });
    else if (msg.how === 'oom') core.debug_oom();
    else core.debug_panic();
    return NO_ANSWER;
  },
};

/** The error reply of `err`, and whether the worker must close (the core trapped, or the
 *  browser refused an allocation). */
function failure(err) {
  // The core trapped (a panic: a bug; or out of memory). Its memory is not to be trusted any more.
  if (err instanceof WebAssembly.RuntimeError || panicMessage) {
    return { error: panicMessage ? { kind: 'internal', message: panicMessage } : trapError(err), fatal: true };
  }
  if (err instanceof RangeError) return { error: outOfMemory(), fatal: true }; // file copy, results
  return { error: asError(err), fatal: false };
}

async function handle(msg) {
  const { id, method } = msg;
  try {
    const handler = Object.hasOwn(METHODS, method) ? METHODS[method] : null;
    if (!handler) throw { kind: 'unknown_message', message: `unknown method ${method}` };
    const out = await handler(msg, id);
    if (out === NO_ANSWER) return;
    const answer = out instanceof Answer ? out : new Answer(out);
    self.postMessage({ id, ok: true, result: answer.result, ...answer.extra }, answer.transfer);
  } catch (err) {
    const { error, fatal } = failure(err);
    replyError(id, error, fatal);
    if (fatal) self.close();
  }
}
