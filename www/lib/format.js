// Every number a user reads on the page goes through this module (display only:
// exports carry full precision), and this module prints none itself: each function
// calls the core's one formatter (crates/text/src/numbers.rs through src/wasm/format.rs),
// the code the HTML report, the figures and the readings print with, so the page and
// the report print the same strings (rule: docs/methods.md, "Numbers"). The core is
// the main thread's WebAssembly module that survlens.js initialises before the page
// starts (the same www/pkg files as the worker's; call these only after that).
// A missing value prints "—" in a cell. The page writes English and ui/i18n.js
// translates it, so intervals are written "0.18 to 0.53" and i18n.js turns them into
// the Chinese report's "0.18 至 0.53" with `interval(lower, upper, 'zh')`.
import * as core from '../pkg/survlens.js';

/** `v` for the core: undefined when absent (printed as the missing value). */
const arg = (v) => (v === null || v === undefined ? undefined : Number(v));

/** A number with `d` decimals ("—" when absent; never "-0.0"). */
export const num = (v, d = 1) => core.format_fixed(arg(v), d);

/** A proportion as a percentage with one decimal, without the sign. */
export const pct = (v) => core.format_percent(arg(v));

/** A p-value as a table cell: "< 0.001", "0.023", "> 0.99". */
export const pValue = (p) => core.format_p_value(arg(p));

/** A p-value in a sentence: "p < 0.001", "p = 0.023". */
export const pSentence = (p) => core.format_p_sentence(arg(p));

/** A hazard ratio (or an E-value): 2 decimals below 10, 1 below 100, else 0. */
export const hr = (v) => core.format_ratio(arg(v));

/** The confidence interval of a hazard ratio: "0.18 to 0.53". */
export const hrCi = (lower, upper) => core.format_ratio_ci(arg(lower), arg(upper), 'en');

/** An interval with `d` decimals: "-1.25 to 3.00". */
export const ci = (lower, upper, d) => core.format_fixed_ci(arg(lower), arg(upper), d, 'en');

/** Two printed limits joined by the word of `lang` ('en' | 'zh'). */
export const interval = (lower, upper, lang = 'en') => core.format_interval(lower, upper, lang);

/** A count: "42", a weighted "41.7". */
export const count = (v) => (v === null || v === undefined ? core.format_missing() : core.format_count(Number(v)));

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
