// Which WebAssembly file of the core this browser runs (issue 24): scripts/build-web
// builds the page's module twice from the same source, www/pkg/survlens_bg.wasm (scalar,
// every browser) and www/pkg/survlens_simd_bg.wasm (`-C target-feature=+simd128`, f64x2
// in the Cox and logistic kernels: crates/stats/src/lanes.rs); www/pkg-xlsx/ (Excel
// import, loaded when a workbook is opened) is scalar only. Both builds give
// bit-identical results (tests/browser/simd.test.mjs); only the chosen file is fetched.

/** Whether this browser runs fixed-width WebAssembly SIMD: it validates a tiny module
 *  whose one function uses v128 (i32.const 0; i8x16.splat; i8x16.popcnt), the test of
 *  wasm-feature-detect (popcnt came last in the final SIMD proposal). */
export const simd = (() => {
  try {
    return WebAssembly.validate(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3,
      2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11]));
  } catch { return false; }
})();

/** The wasm file of the module in `dir` ('pkg' or 'pkg-xlsx') for this browser (the SIMD
 *  build for 'pkg' when the browser has SIMD):
 *  `{path}` relative to www/ (the key of a release's integrity list), `url` (resolved
 *  against `base`, the import.meta.url of a module of www/) and `integrity` (its SHA-384
 *  from a release's list, scripts/release-stage.mjs; undefined in a development build). */
export function wasmFile(dir, integrity, base) {
  const path = `${dir}/${simd && dir === 'pkg' ? 'survlens_simd_bg.wasm' : 'survlens_bg.wasm'}`;
  return { path, url: new URL(`./${path}`, base), integrity: integrity[path] };
}
