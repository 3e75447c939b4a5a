// Every number a user reads on the page goes through this module (display only:
// exports carry full precision). The p-value rule is the core's, the one the HTML
// report prints in its tables (src/report_html/html.rs `p_cell`): below 0.001 as
// "< 0.001", else three decimals. (The figures' p label, src/plot/style.rs `format_p`,
// prints two decimals from 0.01 up; the page follows the report's tables.)

const missing = (v) => v === null || v === undefined || (typeof v === 'number' && !Number.isFinite(v));

/** A number with `d` decimals; `none` when there is no number ('NA' unless told). */
export function num(v, d = 1, none = 'NA') {
  if (missing(v)) return none;
  const s = Number(v).toFixed(d);
  return /^-0(\.0*)?$/.test(s) ? s.slice(1) : s; // never "-0.0"
}

/** A proportion as a percentage with one decimal ('NA' when absent). */
export const pct = (v, none = 'NA') => (missing(v) ? none : num(100 * v, 1));

/** A p-value as the report's tables print it: "< 0.001" or "0.023" ('NA' when absent). */
export function pValue(p, none = 'NA') {
  if (missing(p)) return none;
  return p < 0.001 ? '< 0.001' : Number(p).toFixed(3);
}

/** Decimals for a hazard ratio: 2 below 10, 1 below 100, else 0. */
export const hrDigits = (v) => (v >= 100 ? 0 : v >= 10 ? 1 : 2);

/** A hazard ratio with the decimals its size calls for. */
export const hr = (v, none = 'NA') => num(v, hrDigits(v), none);

/** A file size: "812 KB", "51.2 MB". */
export function fileSize(bytes) {
  if (!(bytes > 0)) return '';
  if (bytes < 1e6) return `${num(bytes / 1024, bytes < 10240 ? 1 : 0)} KB`;
  return `${num(bytes / 2 ** 20, 1)} MB`;
}
