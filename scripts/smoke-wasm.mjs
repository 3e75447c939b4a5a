// Loads the built module in node and calls it: catches a broken optimiser or
// a wasm-bindgen mismatch at build time instead of at page load.
// Usage: node scripts/smoke-wasm.mjs www/pkg [xlsx|no-xlsx] [WASM_FILE]
//   WASM_FILE: the module's file in that folder (survlens_bg.wasm, or the SIMD build's
//   survlens_simd_bg.wasm: node has WebAssembly SIMD)
//   xlsx / no-xlsx: the module must (www/pkg-xlsx) or must not (www/pkg) read Excel
//   workbooks: the demo workbook previews, or is refused with `workbook_not_supported`.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const dir = resolve(process.argv[2] ?? 'www/pkg');
const excel = process.argv[3];
const glue = await import(pathToFileURL(`${dir}/survlens.js`).href);
glue.initSync({ module: readFileSync(`${dir}/${process.argv[4] ?? 'survlens_bg.wasm'}`) });
const fail = (msg) => { console.error(`smoke-wasm: ${msg}`); process.exit(1); };
const v = glue.version();
if (!/^\d+\.\d+\.\d+/.test(v)) fail(`version() gave ${v}`);
const csv = new TextEncoder().encode('time,status,arm\n5,1,A\n8,0,B\n12,1,A\n3,1,B\n');
const p = glue.preview(csv, 10);
if (p.headers.join() !== 'time,status,arm' || p.columns[0].kind !== 'number') fail(`preview gave ${JSON.stringify(p)}`);
const spec = JSON.stringify({ time: { column: 'time' }, event: { column: 'status' }, group: { column: 'arm' }, km: {}, logrank: {} });
try {
  const r = glue.analyze(csv, spec);
  if (r.version !== 1 || !r.km) fail(`analyze gave ${JSON.stringify(r).slice(0, 200)}`);
} catch (e) {
  // Until the analysis core exists it answers with a typed error; anything else is a fault.
  if (!e || typeof e.kind !== 'string') fail(`analyze threw ${e}`);
}
if (excel === 'xlsx' || excel === 'no-xlsx') {
  const reads = glue.reads_workbooks();
  if (reads !== (excel === 'xlsx')) fail(`reads_workbooks() is ${reads} in ${dir} (expected ${excel})`);
  const book = readFileSync(new URL('../tests/xlsx/demo.xlsx', import.meta.url));
  let got;
  try { got = glue.preview(book, 3).headers.join(); } catch (e) { got = e?.kind; }
  const want = excel === 'xlsx' ? 'patient_id,' : 'workbook_not_supported';
  if (typeof got !== 'string' || !got.startsWith(want)) fail(`the demo workbook's preview gave ${got} (expected ${want}...)`);
}
const png = glue.set_png_dpi(new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10]), 300);
if (png.length !== 8) fail('set_png_dpi');
console.error(`smoke-wasm: ok (survlens ${v})`);
