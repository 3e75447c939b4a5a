// SurvLens module worker: owns the WebAssembly core and the data.
// Messages in:  {id, type: 'load', source: File|Blob|Uint8Array|ArrayBuffer, rows}
//               {id, type: 'preview', rows}
//               {id, type: 'analyze', spec, data?, progress?}   (data: one-shot; else the loaded file;
//                progress: post {stage: 'bootstrap', loaded, total} as the bootstrap runs)
//               {id, type: 'report'|'rscript', spec, options}, {id, type: 'protocol', spec}
//               {id, type: 'debug-crash', how: 'panic'|'throw'|'oom'}   (tests only)
// Messages out: {id, ok: true, result, json?} | {id, ok: false, error: {kind, message}, fatal?}
//               {id, type: 'progress', stage, loaded, total}
// A panic in the core poisons the module: the worker answers {fatal: true} and
// closes; the page starts a fresh one.
import init, * as core from './pkg/survlens.js';

let bytes = null; // the loaded file
let memory = null; // the core's WebAssembly memory (its size tells an out-of-memory trap)
let panicMessage = null;
globalThis.survlensOnPanic = (message) => { panicMessage = message; };

// Register before awaiting init, or a message sent during start-up is lost.
const queue = [];
let ready = false;
self.onmessage = (e) => { if (ready) handle(e.data); else queue.push(e.data); };

const started = init({ module_or_path: new URL('./pkg/survlens_bg.wasm', import.meta.url) })
  .then((exports) => { memory = exports?.memory ?? null; ready = true; for (const m of queue.splice(0)) handle(m); })
  .catch((err) => {
    for (const m of queue.splice(0)) reply(m.id, false, { kind: 'load_failed', message: `The analysis engine could not start: ${err}` }, true);
    ready = true; // later messages get the same answer
    self.onmessage = (e) => reply(e.data.id, false, { kind: 'load_failed', message: `The analysis engine could not start: ${err}` }, true);
  });
void started;

function reply(id, ok, payload, fatal = false, json) {
  if (ok) self.postMessage({ id, ok, result: payload, json });
  else self.postMessage({ id, ok, error: payload, fatal });
}

function progress(id, stage, loaded = 0, total = 0) {
  self.postMessage({ id, type: 'progress', stage, loaded, total });
}

async function toBytes(id, source) {
  if (source instanceof Uint8Array) return source;
  if (source instanceof ArrayBuffer) return new Uint8Array(source);
  if (typeof source === 'string') return new TextEncoder().encode(source);
  if (source && typeof source.stream === 'function') { // File or Blob: read in chunks, with progress
    const total = source.size;
    const out = new Uint8Array(total);
    let loaded = 0, last = 0;
    const reader = source.stream().getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      out.set(value, loaded);
      loaded += value.length;
      if (loaded - last > total / 50) { progress(id, 'reading', loaded, total); last = loaded; }
    }
    return out;
  }
  throw Object.assign(new Error('The data must be a File, Blob, Uint8Array, ArrayBuffer or string.'), { kind: 'invalid_data' });
}

const OUT_OF_MEMORY = 'The analysis needs more memory than the browser gives this page. '
  + 'Close other tabs and try again, remove unused columns or rows from the file, '
  + 'or use the command-line tool (survlens analyze) for very large files.';
function outOfMemory() { return { kind: 'out_of_memory', message: OUT_OF_MEMORY }; }

// A trap without a panic message: out of memory when the core's memory had grown
// past 1 GiB (an allocation failure aborts), otherwise a fault in the core.
function trapError(err) {
  if ((memory?.buffer?.byteLength ?? 0) >= 2 ** 30) return outOfMemory();
  return { kind: 'internal', message: `internal error (please report it): ${err}` };
}
const specText = (spec) => (typeof spec === 'string' ? spec : JSON.stringify(spec));

function asError(err) {
  if (err && typeof err.kind === 'string') return { kind: err.kind, message: String(err.message ?? err), messages: err.messages };
  return { kind: 'internal', message: `internal error (please report it): ${err}` };
}

async function handle(msg) {
  const { id, type } = msg;
  try {
    switch (type) {
      case 'load': {
        progress(id, 'reading', 0, msg.source?.size ?? 0);
        bytes = await toBytes(id, msg.source);
        progress(id, 'preview');
        reply(id, true, core.preview(bytes, msg.rows ?? 8));
        break;
      }
      case 'preview':
        if (!bytes) throw { kind: 'no_data', message: 'No file is loaded.' };
        reply(id, true, core.preview(bytes, msg.rows ?? 8));
        break;
      case 'analyze': {
        const data = msg.data !== undefined ? await toBytes(id, msg.data) : bytes;
        if (!data) throw { kind: 'no_data', message: 'No file is loaded.' };
        progress(id, 'analysing');
        const spec = typeof msg.spec === 'string' ? msg.spec : JSON.stringify(msg.spec);
        const json = msg.progress
          ? core.analyze_json_progress(data, spec, (done, total) => progress(id, 'bootstrap', done, total))
          : core.analyze_json(data, spec);
        reply(id, true, JSON.parse(json), false, json);
        break;
      }
      case 'report': { // the self-contained HTML report (ui/report.js)
        if (!bytes) throw { kind: 'no_data', message: 'No file is loaded.' };
        progress(id, 'analysing');
        reply(id, true, core.report_html(bytes, specText(msg.spec), msg.options ?? {}));
        break;
      }
      case 'rscript': // the R script reproducing the analysis (ui/report.js)
        reply(id, true, core.r_script(bytes ?? new Uint8Array(), specText(msg.spec), msg.options ?? {}));
        break;
      case 'protocol': // the protocol file: the spec as it runs (ui/report.js)
        reply(id, true, core.protocol_file(specText(msg.spec)));
        break;
      case 'debug-crash':
        if (msg.how === 'throw') { setTimeout(() => { throw new Error('deliberate uncaught error (debug message)'); }); return; }
        if (msg.how === 'oom') { core.debug_oom(); return; }
        core.debug_panic();
        break;
      default:
        throw { kind: 'unknown_message', message: `unknown message type ${type}` };
    }
  } catch (err) {
    if (err instanceof WebAssembly.RuntimeError || panicMessage) {
      // The core trapped (a panic: a bug; or out of memory). Its memory is not to be
      // trusted any more.
      reply(id, false, panicMessage ? { kind: 'internal', message: panicMessage } : trapError(err), true);
      self.close();
      return;
    }
    if (err instanceof RangeError) { // the browser refused an allocation (file copy, results)
      reply(id, false, outOfMemory(), true);
      self.close();
      return;
    }
    reply(id, false, asError(err));
  }
}
