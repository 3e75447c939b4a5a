// Times the WebAssembly build in headless chromium through the page's own API
// (www/survlens.js → module worker → wasm), one fresh page per run.
//
//   node benches/tools/wasm_bench.mjs DATA.csv SPEC_DIR STEP... [--timeout S] [--reps K] [--cold]
//                                     [--warm SMALL.csv]
//
// Each run: a fresh page imports www/survlens.js, starts an Engine (its module worker),
// fetches the file (outside the timing) and runs the worker's warm-up
// (`Engine#warmUp`; --cold: no warm-up, the first analysis of a fresh worker; --warm:
// also the same spec on
// SMALL.csv first). Then, timed in the page: what `analyze(bytes, spec)` does (copy
// the bytes, move the copy to the worker, read, analyse, summarise, receive), through
// `Engine#analyze` so that the worker's stage timings come back. Peak resident memory:
// the largest chromium process while it ran (sampled from /proc every 20 ms).
// Prints, per run, "stages STEP {stage: seconds, ...}" (worker.js: file, spec, read,
// cohort, analysis, analysis/..., summary, parse), then per step "STEP seconds MB check"
// with the best wall seconds of the K runs (default 1; "timeout" over the limit).
// SURVLENS_WWW: another built www/; SURVLENS_BENCH_CHROMIUM_ARGS: extra chromium flags.
// Needs a built www/ (scripts/build-web), playwright-core and /usr/bin/chromium.
import { createServer } from 'node:http';
import { readFileSync, readdirSync, createReadStream, statSync, mkdtempSync, rmSync } from 'node:fs';
import { join, extname, resolve, dirname, basename } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const WWW = resolve(process.env.SURVLENS_WWW ?? join(ROOT, 'www'));
const args = process.argv.slice(2);
let timeout = 120;
let reps = 1;
const ti = args.indexOf('--timeout');
if (ti >= 0) { timeout = Number(args[ti + 1]); args.splice(ti, 2); }
const ri = args.indexOf('--reps');
if (ri >= 0) { reps = Number(args[ri + 1]); args.splice(ri, 2); }
const cold = args.includes('--cold');
if (cold) args.splice(args.indexOf('--cold'), 1);
let warmPath = null;
const wi = args.indexOf('--warm');
if (wi >= 0) { warmPath = args[wi + 1]; args.splice(wi, 2); }
const [dataPath, specDir, ...steps] = args;

const MIME = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm',
  '.css': 'text/css', '.json': 'application/json', '.csv': 'text/csv' };
const server = createServer((req, res) => {
  const url = new URL(req.url, 'http://localhost');
  if (url.pathname === '/__bench/blank.html') { // a blank page of the same origin: no app start-up in the timings
    res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>bench</title>');
    return;
  }
  const file = url.pathname === '/__bench/data.csv' ? dataPath
    : url.pathname === '/__bench/warm.csv' && warmPath ? warmPath : join(WWW, decodeURIComponent(url.pathname));
  if (!file.startsWith(WWW) && file !== dataPath && file !== warmPath) { res.writeHead(403).end(); return; }
  let path = file;
  try { if (statSync(path).isDirectory()) path = join(path, 'index.html'); } catch { res.writeHead(404).end(); return; }
  res.writeHead(200, { 'content-type': MIME[extname(path)] ?? 'application/octet-stream' });
  createReadStream(path).pipe(res);
});
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const origin = `http://127.0.0.1:${server.address().port}`;

const profile = mkdtempSync(join(tmpdir(), 'survlens-bench-'));
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync',
    '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1',
    ...(process.env.SURVLENS_BENCH_CHROMIUM_ARGS ?? '').split(' ').filter(Boolean)],
});

/** Resident memory (MB) of the largest chromium process now. */
function chromiumRssMb() {
  let max = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      if (!/^Name:\s*chrom/m.test(status)) continue;
      const m = status.match(/^VmRSS:\s*(\d+) kB/m);
      if (m) max = Math.max(max, Number(m[1]) / 1024);
    } catch { /* gone */ }
  }
  return max;
}

function checkOf(report, step) {
  switch (step) {
    case 'km': return report.km?.curves?.[0]?.median?.estimate;
    case 'logrank': return report.logrank?.chisq;
    case 'cox': case 'all': return report.cox?.terms?.[0]?.coef;
    case 'zph': return report.cox?.ph_test?.global?.chisq;
    case 'iptw': return report.adjusted?.cox?.terms?.[0]?.coef ?? report.propensity?.coefficients?.[0]?.coef;
    // The quantities benches/tools/step.R prints for the same step.
    case 'cif': return report.competing_risks?.cif?.find((c) => c.group === 'IM' && c.cause === 'event')?.at_times?.find((a) => a.time === 60)?.estimate;
    case 'finegray': return report.competing_risks?.fine_gray?.terms?.find((t) => t.name === 'treatment=IM+HR')?.coef;
    case 'match': return report.matching?.find((c) => c.a === 'IM+HR')?.cox?.terms?.[0]?.coef;
    case 'impute': return report.imputation?.cox?.terms?.find((t) => t.name === 'treatment=IM+HR')?.coef;
    case 'subgroups': return report.subgroups?.interaction?.find((i) => i.column === 'sex')?.chisq;
    case 'emulation': return report.emulation?.rmst_difference?.estimate;
    default: return report.data?.n_used;
  }
}

/** One timed run of `spec` in a fresh page: {seconds, peak, report, timings}. */
async function runOnce(spec) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(`${origin}/__bench/blank.html`);
    await page.evaluate(async ([s, warm, coldEngine]) => {
      window.__api = await import('/survlens.js');
      window.__engine = new window.__api.Engine();
      window.__bytes = new Uint8Array(await (await fetch('/__bench/data.csv')).arrayBuffer());
      await window.__engine.protocol({ time: { column: 'a' }, event: { column: 'a' } }).catch(() => {}); // worker up
      // The worker's warm-up (worker.js, src/wasm/warm.rs). --cold: none (the first
      // analysis of a fresh worker).
      if (!coldEngine && window.__engine.warmUp) await window.__engine.warmUp();
      if (warm) { // the same spec on a small file first, untimed (a page that has run an analysis)
        const small = new Uint8Array(await (await fetch('/__bench/warm.csv')).arrayBuffer());
        await window.__engine.analyze(s, small, [small.buffer]);
      }
    }, [spec, warmPath !== null, cold]);
    let peak = chromiumRssMb();
    const sampler = setInterval(() => { peak = Math.max(peak, chromiumRssMb()); }, 20);
    try {
      // Exactly what analyze(bytes, spec) of www/survlens.js does (copy the bytes, move the
      // copy to the worker), through the Engine so that the worker's stage timings come back.
      const run = page.evaluate(async (s) => {
        const t0 = performance.now();
        const bytes = window.__bytes.slice();
        const { report, timings } = await window.__engine.analyze(s, bytes, [bytes.buffer]);
        const seconds = (performance.now() - t0) / 1000;
        return { seconds, timings: timings ?? null, report: JSON.stringify(report) };
      }, spec);
      let timer;
      const expired = new Promise((_, fail) => { timer = setTimeout(() => fail(new Error('timeout')), timeout * 1000); });
      const out = await Promise.race([run, expired]).finally(() => clearTimeout(timer));
      return { ...out, peak };
    } finally {
      clearInterval(sampler);
    }
  } finally {
    await context.close();
  }
}

for (const step of steps) {
  const spec = JSON.parse(readFileSync(join(specDir, `${step}.json`), 'utf8'));
  let best = null;
  let peak = 0;
  let line;
  try {
    for (let r = 0; r < reps; r++) {
      const out = await runOnce(spec);
      if (out.timings) console.log(`stages ${step} ${JSON.stringify(out.timings)}`);
      peak = Math.max(peak, out.peak);
      if (!best || out.seconds < best.seconds) best = out;
    }
    line = `${step} ${best.seconds.toFixed(3)} ${peak.toFixed(0)} ${checkOf(JSON.parse(best.report), step)}`;
  } catch (e) {
    line = `${step} ${/timeout/.test(String(e)) ? 'timeout' : 'failed'} ${peak.toFixed(0)} ${String(e).split('\n')[0].replace(/\s+/g, '_')}`;
  }
  console.log(line);
}
await browser.close();
rmSync(profile, { recursive: true, force: true });
server.close();
server.closeAllConnections();
