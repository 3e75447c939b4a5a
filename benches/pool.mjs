// The page's worker pool (issue 24): wall time of a 1,000-replicate adjusted (IPTW)
// bootstrap at n = 10^4 in headless Chromium, with pools of 1 and 2 workers (or the sizes
// given), each repeated; prints the best and the median of each size, their ratio to size 1,
// the machine's cores and its load average before and after. A measurement, not a test.
//
//   scripts/build-web                          # the release wasm (www/pkg)
//   node benches/pool.mjs                      # sizes 1 2, 3 repeats, n = 10000, 1000 replicates
//   node benches/pool.mjs --sizes 1,2,4,8 --repeats 5 --n 10000 --replicates 1000
//   CHROMIUM=/path/to/chrome node benches/pool.mjs   # another browser binary
//
// Each run: a fresh Engine({poolSize}) loads the CSV (benches/gen_cohort.py, made once in a
// temp folder), warms its worker up, then analyzeWithProgress(spec) is timed from the call to
// the Report: pool workers start, load the file, run their replicates, and the engine's worker
// combines them, all inside the timing. The Report's bytes are checked equal across sizes.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, launch, ROOT } from '../tests/browser/helpers.mjs';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const sizes = arg('sizes', '1,2').split(',').map(Number);
const repeats = Number(arg('repeats', '3'));
const n = Number(arg('n', '10000'));
const replicates = Number(arg('replicates', '1000'));

const tmp = mkdtempSync(join(tmpdir(), 'survlens-pool-bench-'));
const csvPath = join(tmp, `cohort_${n}.csv`);
execFileSync('python3', [join(ROOT, 'benches/gen_cohort.py'), String(n), csvPath]);
const csv = readFileSync(csvPath, 'utf8');
const spec = JSON.parse(readFileSync(join(ROOT, 'benches/specs/iptw.json'), 'utf8'));
spec.adjusted = { bootstrap: { replicates, seed: 20261207 } };

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
const load0 = loadavg();
const server = await startServer();
const { browser, close } = await launch();
const page = await (await browser.newContext()).newPage();
await page.goto(`${server.url}demo/README.md`); // a text page: no demo analysis runs beside the timed one
await page.evaluate(async () => { window.api = await import('/survlens.js'); });
const cores = await page.evaluate(() => navigator.hardwareConcurrency);

const times = new Map(sizes.map((s) => [s, []]));
let reference = null;
for (let r = 0; r < repeats; r += 1) {
  for (const poolSize of sizes) { // interleaved: a slow spell of the machine hits every size
    const { seconds, json } = await page.evaluate(async ({ csv, spec, poolSize }) => {
      const engine = new window.api.Engine({ poolSize });
      await engine.load(new Blob([csv], { type: 'text/csv' }));
      await engine.warmUp();
      const t = performance.now();
      const { json } = await engine.analyzeWithProgress(spec);
      const seconds = (performance.now() - t) / 1000;
      engine.cancel(); // terminates the engine's workers
      return { seconds, json };
    }, { csv, spec, poolSize });
    if (reference === null) reference = json;
    if (json !== reference) throw new Error(`pool of ${poolSize}: the Report differs`);
    times.get(poolSize).push(seconds);
    console.error(`repeat ${r + 1}, pool ${poolSize}: ${seconds.toFixed(2)} s`);
  }
}
await close();
server.stop();
const load1 = loadavg();

const base = times.get(sizes[0]);
console.log(`n = ${n}, ${replicates} replicates, ${repeats} repeats; navigator.hardwareConcurrency = ${cores}, os cpus = ${cpus().length}`);
console.log(`load average (1, 5, 15 min) before: ${load0.map((l) => l.toFixed(2)).join(', ')}; after: ${load1.map((l) => l.toFixed(2)).join(', ')}`);
console.log('');
console.log('| pool size | best (s) | median (s) | all (s) | speed-up, best | speed-up, median |');
console.log('|---:|---:|---:|---|---:|---:|');
for (const s of sizes) {
  const t = times.get(s);
  const best = Math.min(...t), med = median(t);
  console.log(`| ${s} | ${best.toFixed(2)} | ${med.toFixed(2)} | ${t.map((x) => x.toFixed(2)).join(', ')} | ${(Math.min(...base) / best).toFixed(2)}× | ${(median(base) / med).toFixed(2)}× |`);
}
