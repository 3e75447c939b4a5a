// Packs the built web app (www/, after scripts/build-web) into ONE html file that runs
// from file:// (emailed, on a USB stick, on a shared drive): no request leaves it.
//
//   node scripts/single-file.mjs OUT.html NO_MODULES_GLUE.js
//
// How (chromium from file://, measured: module workers from blob: URLs fail, classic
// blob workers work, and so do dynamic imports of blob: modules on the main thread):
// - the page's ES modules (main.js, survlens.js, ui/*.js, pkg/survlens.js) travel as
//   text in a JSON island; a small inline loader turns each into a blob: module,
//   rewriting its relative import specifiers to the blob: URLs of its dependencies;
// - the worker becomes a classic blob: worker: wasm-bindgen's `no-modules` glue +
//   worker.js with its import line replaced;
// - the wasm travels once, base64, decoded to bytes for both threads (init with bytes):
//   the module with Excel import (www/pkg-xlsx/), so the single file reads workbooks
//   with no second module (the served page loads it only when a workbook is opened);
// - the demo files become blob: URLs; CSS files are inlined;
// - a CSP for the file allows only inline/blob: scripts, blob: workers and nothing
//   on the network (default-src 'none').
import { readFileSync, writeFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const WWW = join(ROOT, 'www');
const [out, noModulesGlue] = process.argv.slice(2);
if (!out || !noModulesGlue) { console.error('usage: node scripts/single-file.mjs OUT.html NO_MODULES_GLUE.js'); process.exit(2); }
const fail = (m) => { console.error(`single-file: ${m}`); process.exit(1); };

/** Replaces `from` (which must occur) by `to` everywhere. */
function must(text, from, to, where) {
  if (!text.includes(from)) fail(`${where}: expected to find ${JSON.stringify(from)}; update scripts/single-file.mjs`);
  return text.split(from).join(to);
}

// Sorted: a directory's listing order is the file system's (creation order on small ext4
// folders), so a tree updated by `git pull` and a fresh clone would inline the modules in
// another order and the release's single file would differ (tests/release/reproducible.sh).
function walk(dir) {
  return readdirSync(dir).sort().flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

// 1. ES modules of the page (the worker is handled apart).
const modules = {};
for (const p of walk(WWW)) {
  const rel = relative(WWW, p).split('\\').join('/');
  if (!rel.endsWith('.js') || rel === 'worker.js' || rel.startsWith('pkg/') || rel.startsWith('pkg-xlsx/')) continue;
  modules[rel] = readFileSync(p, 'utf8');
}
// The page's glue module is the full module's (its wasm is the one inlined, below).
const FULL = join(WWW, 'pkg-xlsx');
try { modules['pkg/survlens.js'] = readFileSync(join(FULL, 'survlens.js'), 'utf8'); } catch { fail('www/ is not built: run scripts/build-web first'); }
if (!modules['main.js']) fail('www/ is not built: run scripts/build-web first');
// The single file carries the scalar module only (it must run in every browser, and a
// second, SIMD copy would double its size): no choice of file (www/lib/wasm_file.js).
modules['survlens.js'] = must(modules['survlens.js'], "wasmFile('pkg', integrity, import.meta.url)", '{ url: globalThis.__survlensWasm }', 'survlens.js');
modules['survlens.js'] = must(modules['survlens.js'], "new Worker(workerUrl(), { type: 'module', name: 'survlens' })",
  "new Worker(globalThis.__survlensWorkerURL, { name: 'survlens' })", 'survlens.js');

// 2. The classic worker: no-modules glue + worker.js without its import.
let worker = readFileSync(join(WWW, 'worker.js'), 'utf8');
worker = must(worker, "import init, * as firstCore from './pkg/survlens.js';", 'const init = wasm_bindgen; const firstCore = wasm_bindgen;', 'worker.js');
// The one module reads workbooks: the worker never loads pkg-xlsx/ (no import() here).
worker = worker.replace(/\/\/ <excel-module>[^\n]*\n[\s\S]*?\/\/ <\/excel-module>\n/, () => "function loadExcelModule() { return Promise.reject(new Error('the single file has one module')); }\n");
worker = must(worker, "import { wasmFile } from './lib/wasm_file.js';", '', 'worker.js');
worker = must(worker, "wasmFile('pkg', integrity, import.meta.url)", '{ url: self.__survlensWasm }', 'worker.js');
if (/^\s*(import|export)\s/m.test(worker) || worker.includes('import.meta')) fail('worker.js has module syntax the single file cannot carry');
const workerText = `${readFileSync(noModulesGlue, 'utf8')}\n;${worker}`;

// 3. Assets.
const wasm = readFileSync(join(FULL, 'survlens_bg.wasm')).toString('base64');
const demo = {};
for (const p of walk(join(WWW, 'demo'))) {
  const rel = relative(WWW, p).split('\\').join('/');
  if (/\.(csv|json)$/.test(rel)) demo[rel] = readFileSync(p, 'utf8');
}

// 4. The page.
let html = readFileSync(join(WWW, 'index.html'), 'utf8');
html = html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/,
  '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; script-src \'unsafe-inline\' blob: \'wasm-unsafe-eval\'; worker-src blob:; connect-src blob:; style-src \'unsafe-inline\'; img-src data: blob:">');
html = html.replace(/<link rel="stylesheet" href="([^"]+)">/g, (_, href) => `<style>\n${readFileSync(join(WWW, href), 'utf8')}\n</style>`);
const json = (v) => JSON.stringify(v).replace(/</g, '\\u003c');
const loader = `<script type="application/json" id="survlens-bundle">${json({ modules, demo, worker: workerText, wasm })}</script>
<script type="module">
// Loader of the single-file SurvLens (scripts/single-file.mjs).
const bundle = JSON.parse(document.getElementById('survlens-bundle').textContent);
const blobURL = (text, type) => URL.createObjectURL(new Blob([text], { type }));
const bytes = Uint8Array.from(atob(bundle.wasm), (c) => c.charCodeAt(0));
globalThis.__survlensWasm = bytes;
globalThis.__survlensWorkerURL = blobURL('self.__survlensWasm = Uint8Array.from(atob(' + JSON.stringify(bundle.wasm) + '), (c) => c.charCodeAt(0));\\n' + bundle.worker, 'text/javascript');
const demoURL = {};
for (const [path, text] of Object.entries(bundle.demo)) demoURL[path] = blobURL(text, path.endsWith('.json') ? 'application/json' : 'text/csv');
const urls = {};
const resolvePath = (from, spec) => {
  const parts = from.split('/').slice(0, -1);
  for (const s of spec.split('/')) { if (s === '..') parts.pop(); else if (s !== '.') parts.push(s); }
  return parts.join('/');
};
const loading = new Set(); // a specifier in a comment may name the module itself
function load(path) {
  if (urls[path]) return urls[path];
  let src = bundle.modules[path];
  if (src === undefined) throw new Error('single file: no module ' + path);
  loading.add(path);
  src = src.replace(/(\\bfrom\\s*|\\bimport\\s*\\(\\s*)(['"])(\\.{1,2}\\/[^'"]+)\\2/g, (m, head, q, spec) => {
    const target = resolvePath(path, spec);
    return loading.has(target) ? m : head + JSON.stringify(load(target));
  });
  loading.delete(path);
  for (const [p, u] of Object.entries(demoURL)) src = src.split("'" + p + "'").join(JSON.stringify(u));
  return (urls[path] = blobURL(src, 'text/javascript'));
}
await import(load('main.js'));
</script>`;
html = must(html, '<script type="module" src="main.js"></script>', loader, 'index.html');
writeFileSync(out, html);
console.error(`single-file: ${out} ${html.length} bytes`);
