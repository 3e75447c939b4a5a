// File sizes for people (issue 16: "51200 KB"): one function for the page's every size,
// in both languages (KB, MB and GB read the same in Chinese). Binary units, as file
// managers on Windows show them: 1 KB = 1024 bytes, 1 MB = 1024 KB, 1 GB = 1024 MB.
const UNITS = [['GB', 2 ** 30], ['MB', 2 ** 20], ['KB', 2 ** 10]];

/** `bytes` as "1 KB", "1.5 KB", "51 KB", "4.2 MB", "50 MB", "1 GB": one decimal below 10
 *  of a unit (dropped when it is .0), whole numbers above; a file under 1 KB reads "1 KB"
 *  (as file managers show it: "0 KB" would look empty), an empty one "0 KB". */
export function formatSize(bytes) {
  const n = Math.max(0, Number(bytes) || 0);
  if (n > 0 && n < 1024) return '1 KB';
  const [unit, size] = UNITS.find(([, s]) => n >= s) ?? UNITS[UNITS.length - 1];
  const v = n / size;
  const text = v < 10 ? String(Math.round(v * 10) / 10) : Math.round(v).toLocaleString('en');
  return `${text} ${unit}`;
}
