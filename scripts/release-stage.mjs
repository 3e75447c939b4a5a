// Stages the www/ bundle of a release (scripts/release): copies www/ to OUT, then
//   1. subresource integrity (issue 25): every module script of the page gets a
//      `<link rel="modulepreload" integrity="sha384-…">` in index.html and the entry
//      script an `integrity` attribute, so the browser refuses a page module whose bytes
//      differ; the files the worker loads (worker.js, lib/wasm_file.js, the wasm-bindgen
//      glue and the wasm modules, scalar and SIMD), which no attribute can cover, are listed with their SHA-384 in a
//      <meta name="survlens-integrity"> that www/survlens.js reads: it fetches worker.js
//      with `integrity` before starting the worker, and the worker fetches its glue and
//      its wasm with `integrity` (www/worker.js) and compiles only those bytes;
//   2. MANIFEST.sha256: `sha256sum` lines of every other file of the bundle (sorted),
//      whose own SHA-256 the page's About shows (IT compares it with SHA256SUMS and checks
//      the folder with `sha256sum -c MANIFEST.sha256`).
// No timestamps, no absolute paths: the output depends only on the bytes of www/.
//   node scripts/release-stage.mjs WWW OUT
import { createHash } from 'node:crypto';
import { cpSync, readFileSync, writeFileSync, readdirSync, statSync, rmSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

const [src, out] = process.argv.slice(2);
if (!src || !out) { console.error('usage: node scripts/release-stage.mjs WWW OUT'); process.exit(2); }
rmSync(out, { recursive: true, force: true });
cpSync(src, out, { recursive: true, dereference: true });

function files(dir) {
  return readdirSync(dir).sort().flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}
const rel = (p) => relative(out, p).split(sep).join('/');
const sri = (p) => `sha384-${createHash('sha384').update(readFileSync(p)).digest('base64')}`;

// The page's module graph: every .js under the bundle except what runs only in the worker
// (survlens.js starts pkg/ on the page too).
const workerSide = new Set(['worker.js', 'pkg-xlsx/survlens.js']);
const all = files(out);
const pageModules = all.map(rel).filter((f) => f.endsWith('.js') && !workerSide.has(f) && !f.startsWith('demo/'));
const indexPath = join(out, 'index.html');
let html = readFileSync(indexPath, 'utf8');
const entry = '<script type="module" src="main.js"></script>';
if (!html.includes(entry)) throw new Error(`index.html: no ${entry}`);
const preload = pageModules.filter((f) => f !== 'main.js')
  .map((f) => `<link rel="modulepreload" href="${f}" integrity="${sri(join(out, f))}">`).join('\n');
// Both wasm builds of pkg/ (scalar and SIMD, www/lib/wasm_file.js picks one) and the one
// module the worker imports besides the glue.
const worker = Object.fromEntries(['worker.js', 'lib/wasm_file.js', 'pkg/survlens.js', 'pkg/survlens_bg.wasm', 'pkg/survlens_simd_bg.wasm',
  'pkg-xlsx/survlens.js', 'pkg-xlsx/survlens_bg.wasm']
  .map((f) => [f, sri(join(out, f))]));
const meta = `<meta name="survlens-integrity" content="${JSON.stringify(worker).replaceAll('"', '&quot;')}">`;
html = html.replace(entry, `${meta}\n${preload}\n<script type="module" src="main.js" integrity="${sri(join(out, 'main.js'))}"></script>`);
writeFileSync(indexPath, html);

const lines = files(out).map((p) => `${createHash('sha256').update(readFileSync(p)).digest('hex')}  ${rel(p)}\n`);
writeFileSync(join(out, 'MANIFEST.sha256'), lines.join(''));
console.error(`release-stage: ${lines.length} files, ${pageModules.length} page modules with integrity`);
