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
// File sizes for people (issue 16: "51200 KB"): one function for the page's every size,
// in both languages (KB, MB and GB read the same in Chinese). Binary units, as file
// managers on Windows show them: 1 KB = 1024 bytes, 1 MB = 1024 KB, 1 GB = 1024 MB.
/** @type {[string, number][]} */
const UNITS = [['GB', 2 ** 30], ['MB', 2 ** 20], ['KB', 2 ** 10]];

/** `bytes` as "1 KB", "1.5 KB", "51 KB", "4.2 MB", "50 MB", "1 GB": one decimal below 10
 *  of a unit (dropped when it is .0), whole numbers above; a file under 1 KB reads "1 KB"
 *  (as file managers show it: "0 KB" would look empty), an empty one "0 KB". */
export function fileSize(bytes) {
  const n = Math.max(0, Number(bytes) || 0);
  if (n > 0 && n < 1024) return '1 KB';
  const [unit, size] = UNITS.find(([, s]) => n >= s) ?? UNITS[UNITS.length - 1];
  const v = n / size;
  const text = v < 10 ? String(Math.round(v * 10) / 10) : Math.round(v).toLocaleString('en');
  return `${text} ${unit}`;
}
