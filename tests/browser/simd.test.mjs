// WebAssembly SIMD (issue 24): the page picks the SIMD build of the core when the browser
// validates a SIMD module (www/lib/wasm_file.js), fetches only that file, and its Reports
// are byte-identical to the scalar build's (crates/stats/src/lanes.rs: one order of
// roundings in both) and to the CLI's: on the demo and on a 10^4-row cohort with a
// 12-parameter Efron Cox and an IPTW propensity model.
//
// The scalar run serves a copy of www/ whose pkg/survlens_simd_bg.wasm holds the scalar
// build's bytes: the same page and worker code, only the module differs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, ROOT, WWW, startServer, launch, probedPage } from './helpers.mjs';

const TMP = mkdtempSync(join(tmpdir(), 'survlens-simd-'));
const COHORT = join(TMP, 'cohort_1e4.csv');
const SCALAR_WWW = join(TMP, 'www');
const cases = {
  demo: { csv: join(WWW, 'demo/gist_liver_mets_demo.csv'), spec: join(WWW, 'demo/demo_spec.json') },
  cox12: { csv: COHORT, spec: join(ROOT, 'benches/specs/cox.json') },
  iptw: { csv: COHORT, spec: join(ROOT, 'benches/specs/iptw.json') },
};
const haveCli = existsSync(CLI);
let simdServer, scalarServer, browser, close;

before(async () => {
  execFileSync('python3', [join(ROOT, 'benches/gen_cohort.py'), '10000', COHORT]);
  cpSync(WWW, SCALAR_WWW, { recursive: true, dereference: true });
  cpSync(join(WWW, 'pkg/survlens_bg.wasm'), join(SCALAR_WWW, 'pkg/survlens_simd_bg.wasm'));
  simdServer = await startServer();
  scalarServer = await startServer(SCALAR_WWW);
  ({ browser, close } = await launch());
});
after(async () => {
  await close?.();
  simdServer?.stop();
  scalarServer?.stop();
  rmSync(TMP, { recursive: true, force: true });
});

/** The complete results JSON of every case, analysed in a page of `server`; the wasm
 *  files the page and its worker fetched; the About's engine line. */
async function reports(server) {
  const { page, context, log } = await probedPage(browser);
  for (const [name, c] of Object.entries(cases)) {
    await page.route(`**/__simd/${name}.csv`, (r) => r.fulfill({ body: readFileSync(c.csv), contentType: 'text/csv' }));
  }
  await page.goto(`${server.origin}/`);
  await page.waitForFunction(() => document.getElementById('engine-build').textContent !== '');
  const about = await page.textContent('#engine-build');
  const out = {};
  await page.evaluate(async () => { const { Engine } = await import('/survlens.js'); window.__engine = new Engine(); });
  for (const [name, c] of Object.entries(cases)) {
    out[name] = await page.evaluate(async ({ name, spec }) => {
      const engine = window.__engine;
      await engine.load(await (await fetch(`/__simd/${name}.csv`)).blob());
      const { report } = await engine.analyze(spec);
      return (await engine.resultJson(report)).text();
    }, { name, spec: JSON.parse(readFileSync(c.spec, 'utf8')) });
  }
  const wasm = log.requests.filter((u) => u.endsWith('.wasm')).map((u) => new URL(u).pathname);
  await context.close();
  return { out, wasm, about, errors: log.errors };
}

test('the SIMD and scalar builds differ as modules and give byte-identical Reports (demo, 10^4 rows: 12-parameter Cox, IPTW)', async () => {
  const simdBytes = readFileSync(join(WWW, 'pkg/survlens_simd_bg.wasm'));
  assert.ok(!simdBytes.equals(readFileSync(join(WWW, 'pkg/survlens_bg.wasm'))), 'the SIMD build is another module');
  const simd = await reports(simdServer);
  const scalar = await reports(scalarServer);
  assert.deepEqual(simd.errors, []);
  assert.deepEqual(scalar.errors, []);
  // Chromium has SIMD: the page and its worker fetch the SIMD file only, never the scalar one.
  assert.ok(simd.wasm.length >= 1 && simd.wasm.every((p) => p === '/pkg/survlens_simd_bg.wasm'), `fetched ${simd.wasm}`);
  assert.equal(simd.about, 'WebAssembly with SIMD (simd128)');
  for (const name of Object.keys(cases)) {
    assert.ok(simd.out[name].length > 1000, `${name}: a Report`);
    assert.ok(simd.out[name] === scalar.out[name], `${name}: the SIMD build's Report is the scalar build's, byte for byte`);
  }
  const cox = JSON.parse(simd.out.cox12);
  assert.equal(cox.data.n_used, 10000);
  assert.equal(cox.cox.terms.length, 12, '12 parameters');
});

test('the SIMD build\'s Reports are the CLI\'s, byte for byte', { skip: !haveCli && 'CLI not built' }, async () => {
  const simd = await reports(simdServer);
  for (const [name, c] of Object.entries(cases)) {
    const cli = execFileSync(CLI, ['analyze', c.csv, '--spec', c.spec], { encoding: 'utf8', maxBuffer: 1 << 30 });
    assert.ok(simd.out[name] === cli, `${name}: page (SIMD) = CLI`);
  }
});
