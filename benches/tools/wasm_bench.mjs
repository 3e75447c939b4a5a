// Times the WebAssembly build in headless chromium through the page's own API
// (www/survlens.js → module worker → wasm), one fresh page per step.
//
//   node benches/tools/wasm_bench.mjs DATA.csv SPEC_DIR STEP... [--timeout S]
//
// For each step: `analyze(bytes, spec)` of www/survlens.js on the file's bytes
// (fetched from the same local server beforehand, outside the timing), wall
// seconds measured in the page, and the peak resident memory of the largest
// chromium process while it ran (sampled from /proc every 20 ms). Prints one
// line per step: "STEP seconds MB check" (seconds "timeout" when over the limit).
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
const ti = args.indexOf('--timeout');
if (ti >= 0) { timeout = Number(args[ti + 1]); args.splice(ti, 2); }
const [dataPath, specDir, ...steps] = args;

const MIME = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm',
  '.css': 'text/css', '.json': 'application/json', '.csv': 'text/csv' };
const server = createServer((req, res) => {
  const url = new URL(req.url, 'http://localhost');
  if (url.pathname === '/__bench/blank.html') { // a blank page of the same origin: no app start-up in the timings
    res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>bench</title>');
    return;
  }
  const file = url.pathname === '/__bench/data.csv' ? dataPath : join(WWW, decodeURIComponent(url.pathname));
  if (!file.startsWith(WWW) && file !== dataPath) { res.writeHead(403).end(); return; }
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
    '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1'],
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
    default: return report.data?.n_used;
  }
}

for (const step of steps) {
  const spec = JSON.parse(readFileSync(join(specDir, `${step}.json`), 'utf8'));
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${origin}/__bench/blank.html`);
  await page.evaluate(async () => {
    window.__api = await import('/survlens.js');
    window.__bytes = new Uint8Array(await (await fetch('/__bench/data.csv')).arrayBuffer());
    await window.__api.analyze('a\n1\n', { time: { column: 'a' }, event: { column: 'a' } }).catch(() => {}); // worker up
  });
  let peak = chromiumRssMb();
  const sampler = setInterval(() => { peak = Math.max(peak, chromiumRssMb()); }, 20);
  let line;
  try {
    const run = page.evaluate(async (s) => {
      const t0 = performance.now();
      const report = await window.__api.analyze(window.__bytes, s);
      return { seconds: (performance.now() - t0) / 1000, report: JSON.stringify(report) };
    }, spec);
    let timer;
    const expired = new Promise((_, fail) => { timer = setTimeout(() => fail(new Error('timeout')), timeout * 1000); });
    const { seconds, report } = await Promise.race([run, expired]).finally(() => clearTimeout(timer));
    line = `${step} ${seconds.toFixed(3)} ${peak.toFixed(0)} ${checkOf(JSON.parse(report), step)}`;
  } catch (e) {
    line = `${step} ${/timeout/.test(String(e)) ? 'timeout' : 'failed'} ${peak.toFixed(0)} ${String(e).split('\n')[0].replace(/\s+/g, '_')}`;
  } finally {
    clearInterval(sampler);
  }
  console.log(line);
  await context.close();
}
await browser.close();
rmSync(profile, { recursive: true, force: true });
server.close();
server.closeAllConnections();
