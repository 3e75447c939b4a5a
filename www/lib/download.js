// Downloads and table exports shared by the page's modules: a Blob saved under a name,
// and tables as CSV (the export) or tab-separated text (the clipboard).

/** Saves `blob` as the file `name` (a temporary link, clicked; the URL is revoked later). */
export function download(name, blob) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

/** One CSV cell. Strings a spreadsheet would run as a formula get a leading apostrophe;
 *  numbers from the Report are written as numbers (a negative difference stays -2.1). */
function csvCell(v) {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return String(v);
  let s = String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n;]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** @typedef {{headers: string[], rows: unknown[][]}} TableData */

/** CSV text of `table` (CRLF line ends, as spreadsheets expect). @param {TableData} table */
export const toCsv = ({ headers, rows }) => [headers, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
/** Tab-separated text for the clipboard (pastes as a table into spreadsheets and documents). @param {TableData} table */
export const toTsv = ({ headers, rows }) => [headers, ...rows].map((r) => r.map((v) => csvCell(v).replace(/\t/g, ' ')).join('\t')).join('\n') + '\n';

/** `table` as a CSV Blob. @param {TableData} table */
export const csvBlob = (table) => new Blob([toCsv(table)], { type: 'text/csv;charset=utf-8' });
