// Type-level checks of the declarations generated from tests/dts/fixtures (gen-dts.test.mjs
// compiles this file against them with tsc --strict): what the schemas allow compiles,
// what they forbid is an error (each @ts-expect-error line must be one).
import type { Report, Spec, TimeSpec, Warning, KmCurve } from './out/survlens';
import { analyze, drawFigure, figures } from './out/survlens';

const duration: Spec = { time: { column: 'os_months' }, event: { column: 'status' } };
const dates: TimeSpec = { start: 'dx', end: 'last', unit: 'months' };
const withKm: Spec = { ...duration, time: dates, km: { conf_type: 'log-log', times: [12, 36] }, strata: ['site'] };
const noKm: Spec = { ...duration, km: null };
// @ts-expect-error the event is required
const noEvent: Spec = { time: { column: 'os' } };
// @ts-expect-error a unit the enum does not list
const badUnit: TimeSpec = { start: 'a', end: 'b', unit: 'fortnights' };
// @ts-expect-error additionalProperties: false
const extra: Spec = { ...duration, colour: 'red' };
// @ts-expect-error conf_type is one of three strings
const badConf: Spec = { ...duration, km: { conf_type: 'logit' } };

declare const report: Report;
const p: number | null | undefined = report['p-value'];
const n: number = report.data.n_rows;
const byReason: number | undefined = report.data.excluded_by_reason['missing_time'];
const firstCode: 'logrank_singular' | 'rmst_tau_beyond_follow_up' | undefined = report.warnings[0]?.code;
const curve: KmCurve | undefined = report.km?.curves[0];
const lower: (number | null)[] | undefined = curve?.lower;
const median: number | undefined = curve?.median[0];
const context: unknown = (report.warnings[0] as Warning).context;
// @ts-expect-error a code the enum does not list
const badCode: Warning = { code: 'made_up', message: '' };
// @ts-expect-error surv holds numbers, never null
const badSurv: KmCurve = { group: 'a', surv: [null], lower: [], median: [1, null] };
// @ts-expect-error the version is a string
const version: number = report.version;

async function api(canvas: HTMLCanvasElement) {
  const r: Report = await analyze('time,status\n1,1\n', duration);
  const names: string[] = figures().map((f) => f.name);
  drawFigure(names[0], canvas, r, { riskTable: 'kmunicate', width: 720 });
  // @ts-expect-error riskTable is one of three strings
  drawFigure('km', canvas, r, { riskTable: 'table' });
}

export { withKm, noKm, noEvent, badUnit, extra, badConf, p, n, byReason, firstCode, lower, median, context, badCode, badSurv, version, api };
