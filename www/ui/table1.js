// Table 1 (baseline characteristics by group) from the Report's `table1` section:
// display rows (rounded) and export rows (full precision). No statistics here.

import { num, pValue } from '../lib/format.js';

const fmtP = pValue;
const testName = { anova: 'ANOVA', kruskal: 'Kruskal–Wallis', chisq: 'χ²', fisher: 'Fisher' };

/** Display table: one block per covariate (numeric: mean (SD), median [Q1, Q3]; categorical: n (%) per level). */
export function table1Rows(t1) {
  const groups = t1.groups.map((g) => g.label);
  const headers = ['Characteristic', ...t1.groups.map((g) => `${g.label} (n = ${g.n})`), 'Overall', 'p', 'Max |SMD|'];
  const rows = [];
  for (const r of t1.rows) {
    const by = new Map((r.by_group || []).map((b) => [b.group, b]));
    const test = r.test ? `${fmtP(r.test.p)}` : '';
    const smd = { text: num(r.max_abs_smd, 2), data: { field: 'max_abs_smd', covariate: r.covariate, value: r.max_abs_smd ?? null } };
    const pCell = { text: test, ci: r.test ? testName[r.test.method] ?? r.test.method : '', data: { field: 'p', covariate: r.covariate, value: r.test?.p ?? null } };
    if (r.type === 'numeric') {
      const cell = (s, k) => ({ text: `${num(s.mean)} (${num(s.sd)})`, ci: `${num(s.median)} [${num(s.q1)}, ${num(s.q3)}]`, data: { field: 'mean', covariate: r.covariate, group: k, value: s.mean ?? null } });
      rows.push({ class: 'covariate', cells: [`${r.covariate}, mean (SD) / median [IQR]`, ...groups.map((g) => cell(by.get(g) || {}, g)), cell(r.overall, 'overall'), pCell, smd] });
      const missing = [...groups.map((g) => by.get(g)?.missing ?? 0), r.overall.missing];
      if (missing.some((m) => m > 0)) rows.push({ class: 'level', cells: ['  missing', ...missing.map(String), '', ''] });
    } else {
      rows.push({ class: 'covariate', cells: [`${r.covariate}, n (%)`, ...groups.map(() => ''), '', pCell, smd] });
      for (const l of r.levels) {
        const lb = new Map(l.by_group.map((b) => [b.group, b]));
        const cell = (b) => (b ? `${b.n} (${num(b.percent)})` : '');
        rows.push({ class: 'level', cells: [`  ${l.level}`, ...groups.map((g) => cell(lb.get(g))), cell(l.overall), '', ''] });
      }
      const miss = new Map((r.missing || []).map((m) => [m.group, m.n]));
      // The Overall cell is the core's count (missing_overall), as overall.missing of a numeric row.
      if ([...miss.values()].some((m) => m > 0)) rows.push({ class: 'level', cells: ['  missing', ...groups.map((g) => String(miss.get(g) ?? 0)), { text: String(r.missing_overall ?? ''), data: { field: 'missing_overall', covariate: r.covariate, value: r.missing_overall ?? null } }, '', ''] });
    }
  }
  return { headers, rows };
}

/** Export rows, full precision: one line per statistic and group. */
export function table1Csv(t1) {
  const groups = t1.groups.map((g) => g.label);
  const headers = ['covariate', 'level', 'statistic', ...groups, 'overall', 'test', 'statistic_value', 'p', 'max_abs_smd'];
  const rows = [];
  for (const r of t1.rows) {
    const by = new Map((r.by_group || []).map((b) => [b.group, b]));
    const test = r.test ? [r.test.method, r.test.statistic ?? null, r.test.p] : ['', null, null];
    if (r.type === 'numeric') {
      ['n', 'missing', 'mean', 'sd', 'median', 'q1', 'q3', 'min', 'max'].forEach((k, i) => {
        rows.push([r.covariate, '', k, ...groups.map((g) => by.get(g)?.[k] ?? null), r.overall[k] ?? null, ...(i === 0 ? [...test, r.max_abs_smd] : ['', null, null, null])]);
      });
    } else {
      r.levels.forEach((l, i) => {
        const lb = new Map(l.by_group.map((b) => [b.group, b]));
        rows.push([r.covariate, l.level, 'n', ...groups.map((g) => lb.get(g)?.n ?? null), l.overall.n, ...(i === 0 ? [...test, r.max_abs_smd] : ['', null, null, null])]);
        rows.push([r.covariate, l.level, 'percent', ...groups.map((g) => lb.get(g)?.percent ?? null), l.overall.percent, '', null, null, null]);
      });
      const miss = new Map((r.missing || []).map((m) => [m.group, m.n]));
      rows.push([r.covariate, '', 'missing', ...groups.map((g) => miss.get(g) ?? 0), r.missing_overall ?? null, '', null, null, null]);
    }
  }
  return { headers, rows };
}
