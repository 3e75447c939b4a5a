// Headless-browser tests of the engine's worker pool (issue 24): the demo's adjusted (IPTW)
// bootstrap, emulation bootstrap and multiple imputation give the same Report byte for byte
// with pools of 1, 2 and 3 workers, and it is the CLI's; progress sums the pool's workers and
// reaches the total; Cancel terminates every pool worker; a file loaded during a pooled run
// discards the run (its partials are never combined with the new file).
// No timings here: benches/pool.mjs measures the speed-up (benches/RESULTS_pool.md).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, WWW, startServer, launch, probedPage, cliReport } from './helpers.mjs';

const haveCli = existsSync(CLI);
const TMP = mkdtempSync(join(tmpdir(), 'survlens-pool-test-'));
const DEMO_CSV = join(WWW, 'demo/gist_liver_mets_demo.csv');
const DEMO = readFileSync(DEMO_CSV, 'utf8');
const demoSpec = JSON.parse(readFileSync(join(WWW, 'demo/demo_spec.json'), 'utf8'));
const base = { time: demoSpec.time, event: demoSpec.event, group: { column: 'treatment', reference: 'IM' }, covariates: demoSpec.covariates.slice(0, 4) };

const SPECS = {
  adjusted: { ...base, km: { times: [12, 36] }, rmst: { tau: 60 }, propensity: { estimand: 'ATE', stabilize: true }, adjusted: { bootstrap: { replicates: 40, seed: 20240611 } } },
  emulation: {
    time: demoSpec.time, event: demoSpec.event, group: demoSpec.group, covariates: demoSpec.covariates, treatment_time: demoSpec.treatment_time,
    emulation: { grace: 6, covariates: demoSpec.covariates.map((c) => c.column), times: [12, 36, 60], tau: 120, bootstrap: { replicates: 30, seed: 1 } },
  },
  imputation: JSON.parse(readFileSync(join(WWW, '../tests/determinism/imputation_spec.json'), 'utf8')),
};

let server, browser, close;
before(async () => {
  server = await startServer();
  ({ browser, close } = await launch());
});
after(async () => {
  await close?.();
  server?.stop();
});

const cliText = (spec) => cliReport(DEMO_CSV, spec);

/** The app's page with the embedding API imported (window.api); the tests' engines are their own. */
async function apiPage() {
  const probe = await probedPage(browser);
  await probe.page.goto(server.url);
  await probe.page.evaluate(async () => { window.api = await import('/survlens.js'); });
  return probe;
}

test('pools of 1, 2 and 3 workers give the CLI\'s Report byte for byte; progress reaches the total', { skip: !haveCli && 'CLI not built' }, async () => {
  const { page, context, log } = await apiPage();
  for (const [name, spec] of Object.entries(SPECS)) {
    const cli = cliText(spec);
    for (const poolSize of [1, 2, 3]) {
      const out = await page.evaluate(async ({ csv, spec, poolSize }) => {
        const engine = new window.api.Engine({ poolSize });
        const seen = [];
        engine.onprogress = (p) => { if (p.stage === 'bootstrap') seen.push([p.loaded, p.total]); };
        await engine.load(new Blob([csv], { type: 'text/csv' }));
        const { json } = await engine.analyzeWithProgress(spec);
        const workers = engine.poolWorkers;
        engine.cancel(); // frees the pool now (else after its idle time)
        return { json, seen, workers };
      }, { csv: DEMO, spec, poolSize });
      assert.ok(out.json === cli, `${name}, pool of ${poolSize}: the Report is the CLI's byte for byte`);
      if (name !== 'imputation') {
        assert.equal(out.workers, poolSize - 1, `${name}: the pool's workers besides the engine's`);
        const total = spec.adjusted?.bootstrap?.replicates ?? spec.emulation.bootstrap.replicates;
        assert.ok(out.seen.length > 0, `${name}: progress`);
        assert.ok(out.seen.every(([l, t]) => t === total && l <= total), `${name}: progress over the whole run: ${JSON.stringify(out.seen.slice(0, 5))}`);
        assert.ok(out.seen.some(([l]) => l === total), `${name}, pool of ${poolSize}: progress reaches the total`);
      }
    }
  }
  assert.deepEqual(log.errors, []);
  await context.close();
});

test('Cancel terminates every pool worker, and the engine works after it', async () => {
  const { page, context } = await apiPage();
  const out = await page.evaluate(async ({ csv, spec }) => {
    const engine = new window.api.Engine({ poolSize: 3 });
    await engine.load(new Blob([csv], { type: 'text/csv' }));
    let started;
    const first = new Promise((resolve) => { started = resolve; });
    engine.onprogress = (p) => { if (p.stage === 'bootstrap' && p.loaded > 0) started(); };
    const run = engine.analyzeWithProgress({ ...spec, adjusted: { bootstrap: { replicates: 2000, seed: 5 } } });
    const settled = run.then(() => 'finished', (e) => e.kind);
    await first;
    const during = engine.poolWorkers;
    engine.cancel();
    const after = engine.poolWorkers;
    const outcome = await settled;
    engine.onprogress = null;
    const again = await engine.analyze({ ...spec, adjusted: { bootstrap: { replicates: 6, seed: 5 } } });
    return { during, after, outcome, used: again.report.adjusted.bootstrap.replicates, poolAfterRun: engine.poolWorkers };
  }, { csv: DEMO, spec: SPECS.adjusted });
  assert.equal(out.during, 2);
  assert.equal(out.after, 0, 'no pool worker is left running');
  assert.equal(out.outcome, 'cancelled');
  assert.equal(out.used, 6);
  assert.equal(out.poolAfterRun, 2);
  await context.close();
});

test('a file loaded during a pooled run discards the run; the new file\'s run is its own', { skip: !haveCli && 'CLI not built' }, async () => {
  const { page, context } = await apiPage();
  // The second file: the demo without its last 40 patients (other data, the same columns).
  const lines = DEMO.trimEnd().split('\n');
  const other = `${lines.slice(0, lines.length - 40).join('\n')}\n`;
  const otherPath = join(TMP, 'other.csv');
  writeFileSync(otherPath, other);
  const spec = { ...SPECS.adjusted, adjusted: { bootstrap: { replicates: 600, seed: 9 } } };
  const out = await page.evaluate(async ({ csv, other, spec }) => {
    const engine = new window.api.Engine({ poolSize: 2 });
    await engine.load(new Blob([csv], { type: 'text/csv' }));
    let started;
    const first = new Promise((resolve) => { started = resolve; });
    engine.onprogress = (p) => { if (p.stage === 'bootstrap' && p.loaded > 0) started(); };
    const run = engine.analyzeWithProgress(spec).then(() => 'finished', (e) => e.kind);
    await first;
    await engine.load(new Blob([other], { type: 'text/csv' }));
    const outcome = await run;
    engine.onprogress = null;
    const small = { ...spec, adjusted: { bootstrap: { replicates: 20, seed: 9 } } };
    const { json } = await engine.analyze(small);
    engine.cancel();
    return { outcome, json };
  }, { csv: DEMO, other, spec });
  assert.equal(out.outcome, 'cancelled', 'the run on the old file gives no result');
  const specPath = join(TMP, 'small.json');
  writeFileSync(specPath, JSON.stringify({ ...spec, adjusted: { bootstrap: { replicates: 20, seed: 9 } } }));
  const cli = execFileSync(CLI, ['analyze', otherPath, '--spec', specPath], { encoding: 'utf8' });
  assert.ok(out.json === cli, 'the new file\'s pooled Report is the CLI\'s on the new file');
  await context.close();
});
