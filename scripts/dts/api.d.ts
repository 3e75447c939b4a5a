// The embedding API of www/survlens.js (an ES module; the page uses it too). See the
// comment at the top of survlens.js for what each call does.

/** The crate's version. */
export declare const version: string;

/** Whether the core runs its WebAssembly SIMD build (www/lib/wasm_file.js picks it when the
 *  browser has SIMD; results are bit-identical to the scalar build's). */
export declare const simdBuild: boolean;

/** The core's stable error codes travel as `kind` (docs/results.md lists them). */
export declare class SurvLensError extends Error {
  constructor(kind: string, message: string);
  kind: string;
  /** The same error in each language of the page. */
  messages?: { en: string; zh: string };
  /** Where, when the core knows: the data column, the file line (header = 1), the spec field. */
  column?: string;
  line?: number;
  field?: string;
}

/** A file the worker reads: streamed (File, Blob) or copied once. */
export type DataSource = File | Blob | Uint8Array | ArrayBuffer | string;

/** A column of the file preview, with its detected type. */
export interface PreviewColumn {
  name: string;
  kind: string;
  date_format?: string | null;
  [key: string]: unknown;
}

/** The first rows of a loaded file, with detected column types and the suggested mapping. */
export interface Preview {
  columns: PreviewColumn[];
  [key: string]: any;
}

/** Progress of a long step, posted to `Engine#onprogress`. */
export interface Progress {
  id: number;
  type: 'progress';
  stage: 'reading' | 'preview' | 'analysing' | 'bootstrap' | 'summarising' | string;
  loaded: number;
  total: number;
}

/** An analysis: the Report (summary for a large cohort), its JSON text when small, seconds per stage. */
export interface Analysis {
  report: Report;
  json: string | null;
  timings: Record<string, number>;
}

/** The per-row arrays of a Report's propensity section. */
export interface PerRowColumns {
  n: number;
  groups: number;
  line: Float64Array;
  /** Index into report.groups. */
  group: Uint32Array;
  weight: Float64Array;
  /** Row-major, n × groups. */
  ps: Float64Array;
}

/** KM times and RMST τ suggested from the loaded file's follow-up. */
/** Cut points for hazard ratios by period (`cox.periods`), from the event times. */
export interface SuggestedPeriods {
  /** The tertiles of the event times (R's quantile type 7), one decimal, increasing. */
  cuts: number[];
  /** The events whose times were used. */
  n_events: number;
}

/** Engine#missingness: the missing values of the spec's covariates, counted by the core on
 *  the rows of the survival data (set 0 of imported imputed sets). */
export interface Missingness {
  /** Rows of the survival data. */
  n: number;
  /** Group labels in analysis order (["all"] without a group). */
  groups: string[];
  /** Rows per group. */
  group_n: number[];
  /** One per covariate column, in the spec's order. */
  columns: { column: string; kind: 'numeric' | 'categorical'; missing: number; by_group: number[] }[];
  /** Rows complete for every covariate, overall and per group. */
  complete_cases: number;
  complete_by_group: number[];
  /** Imported sets: the number of imputed sets in the file (null without `imputation.imputed`). */
  imputed_sets: number | null;
}

export interface SuggestedTimes {
  times: number[];
  tau: number | null;
  max_follow_up: number | null;
}

/** A module worker that owns the WebAssembly core and the loaded data. */
export declare class Engine {
  /** poolSize: the workers that share the splittable work (bootstrap replicates); default
   *  poolSizeFor(the loaded file): the logical cores, at most 8, capped by memory. */
  constructor(options?: { poolSize?: number });
  poolSize: number | null;
  /** The pool's workers now running (besides the engine's own). */
  readonly poolWorkers: number;
  onprogress: ((p: Progress) => void) | null;
  onrestart: (() => void) | null;
  /** After the worker crashed and was replaced. */
  onfault: ((err: SurvLensError) => void) | null;
  load(data: DataSource, rows?: number): Promise<Preview>;
  analyze(spec: Spec | string, data?: DataSource, transfer?: Transferable[]): Promise<Analysis>;
  analyzeWithProgress(spec: Spec | string, data?: DataSource): Promise<Analysis>;
  perRow(report: Report): Promise<PerRowColumns>;
  resultJson(report: Report): Promise<Blob>;
  suggestTimes(spec: Spec | string): Promise<SuggestedTimes>;
  /** Cut points for `cox.periods` from the loaded file's event times under `spec`'s time, event and group. */
  suggestPeriods(spec: Spec | string): Promise<SuggestedPeriods>;
  /** The missing values of `spec`'s covariates per column and group, and the complete-case n. */
  missingness(spec: Spec | string): Promise<Missingness>;
  report(spec: Spec | string, options?: { lang?: 'en' | 'zh'; data_name?: string; include_patient_data?: boolean }): Promise<string>;
  rscript(spec: Spec | string, options?: { data_name?: string; delimiter?: string }): Promise<string>;
  protocol(spec: Spec | string): Promise<string>;
  /** The site summary of the loaded file under `spec` for site `site` (JSON text, the bytes
   *  `survlens site` writes); `pooled`: the text of a pooled file whose rounds it adds. */
  siteSummary(spec: Spec | string, site: string, pooled?: string | null, pooledName?: string | null): Promise<string>;
  /** The pooled document of site summaries (JSON texts, in order; `names`: their file names,
   *  which errors name): the bytes `survlens pool` writes. */
  poolSites(summaries: string[], names?: string[]): Promise<string>;
  /** The HTML report of a pooled document (text); options {lang}. */
  sitesReport(pooled: string, options?: { lang?: 'en' | 'zh' | string }): Promise<string>;
  cancel(): void;
  warmUp(): Promise<{ seconds: number }>;
  stats(): Promise<{ heapPeak: number; memory: number; budget: number }>;
  /** Tests only. */
  debugBudget(bytes: number): Promise<number>;
  /** Tests only. */
  debugCrash(how?: 'panic' | 'throw' | 'oom'): Promise<never>;
}

/** The default size of an Engine's worker pool for `data` (its size in bytes decides the memory cap). */
export declare function poolSizeFor(data: DataSource | null | undefined): number;
/** Analyses `data` with `spec` in a shared worker; resolves to the Report. */
export declare function analyze(data: Uint8Array | ArrayBuffer | string, spec: Spec | string): Promise<Report>;
/** The per-row arrays of a Report from analyze(). */
export declare function perRow(report: Report): Promise<PerRowColumns>;
/** The complete results JSON of a Report from analyze(), as a Blob. */
export declare function resultJson(report: Report): Promise<Blob>;

// ---- figures: the core's registry (crates/render/src/plot/registry.rs) ----

/** A figure of the core's registry. */
export interface FigureInfo {
  /** Its name in drawFigure / figureSvg / figurePng. */
  name: string;
  /** English accessible name ("the forest plot"), the page's text key. */
  label: string;
  /** The HTML report's caption text of the same figure. */
  caption_key: string;
  /** The Report's sections it reads. */
  sections: string[];
}

/** Options of every figure (CSS px; all optional). */
export interface FigureOptions {
  width?: number;
  height?: number;
  /** Device px per CSS px (default devicePixelRatio). */
  pixelRatio?: number;
  /** false: leave the canvas's CSS size alone. */
  resize?: boolean;
  title?: string;
  fontFamily?: string;
  fontSize?: number;
  /** 'days' | 'weeks' | 'months' | 'years': time axes' titles. */
  timeUnit?: string;
  lang?: 'en' | 'zh';
  /** The matching figures (matching_balance, matching_scores, matching_km): the treated
   *  group `a` of the comparison to draw (default: the first). */
  comparison?: string;
}

/** Options of the Kaplan–Meier figure. */
export interface KaplanMeierOptions extends FigureOptions {
  ci?: boolean;
  censorMarks?: boolean;
  medianLines?: boolean;
  riskTable?: 'number_at_risk' | 'kmunicate' | 'none';
  pValue?: boolean;
  xMax?: number;
  xStep?: number;
  xLabel?: string;
  yLabel?: string;
  yPercent?: boolean;
}

/** A PNG's resolution: `dpi` (default 300) at `inches` wide (default 7). */
export interface PngOptions {
  dpi?: number;
  inches?: number;
}

export type CoxFigure = 'forest' | 'schoenfeld' | 'loglog';
/** What a figure reads: a Report (or the sections its FigureInfo lists), or its JSON text. */
export type FigureReport = Partial<Report> | string;

/** The core's figures, in the page's order. */
export declare function figures(): FigureInfo[];
/** The English accessible name of figure `name`. */
export declare function figureLabel(name: string): string;
/** Draws figure `name` on `canvas`; its size in CSS px. */
export declare function drawFigure(name: string, canvas: HTMLCanvasElement, report: FigureReport, options?: KaplanMeierOptions): { width: number; height: number };
/** Figure `name` as an SVG document. */
export declare function figureSvg(name: string, report: FigureReport, options?: KaplanMeierOptions): string;
/** Figure `name` as a PNG. */
export declare function figurePng(name: string, report: FigureReport, options?: KaplanMeierOptions, png?: PngOptions): Promise<Blob>;

export declare function drawKaplanMeier(canvas: HTMLCanvasElement, report: FigureReport, options?: KaplanMeierOptions): { width: number; height: number };
export declare function kaplanMeierSvg(report: FigureReport, options?: KaplanMeierOptions): string;
export declare function kaplanMeierPng(report: FigureReport, options?: KaplanMeierOptions, png?: PngOptions): Promise<Blob>;
export declare function drawCoxFigure(canvas: HTMLCanvasElement, report: FigureReport, kind: CoxFigure, options?: FigureOptions): { width: number; height: number };
export declare function coxFigureSvg(report: FigureReport, kind: CoxFigure, options?: FigureOptions): string;
export declare function coxFigurePng(report: FigureReport, kind: CoxFigure, options?: FigureOptions, png?: PngOptions): Promise<Blob>;
export declare function drawLovePlot(canvas: HTMLCanvasElement, report: FigureReport, options?: FigureOptions): { width: number; height: number };
export declare function lovePlotSvg(report: FigureReport, options?: FigureOptions): string;
export declare function lovePlotPng(report: FigureReport, options?: FigureOptions, png?: PngOptions): Promise<Blob>;
export declare function drawPsOverlap(canvas: HTMLCanvasElement, report: FigureReport, options?: FigureOptions): { width: number; height: number };
export declare function psOverlapSvg(report: FigureReport, options?: FigureOptions): string;
export declare function psOverlapPng(report: FigureReport, options?: FigureOptions, png?: PngOptions): Promise<Blob>;

// ---- languages ----

/** The sentences of a Report in `lang`: one text per warning (null: show its English message). */
export declare function localizeMessages(report: Report, lang: 'en' | 'zh' | string): { warnings: (string | null)[]; texts?: Record<string, string> };
/** The language of figures drawn without a `lang` option. */
/** Whether the proportional-hazards test of `report`'s Cox model finds the group's hazards not proportional (the core's verdict). */
export declare function phFlagsGroup(report: Report): boolean;
export declare function setFigureLanguage(lang: 'en' | 'zh' | string): void;
/** The plain-words lines of exactly what a site summary (JSON text) contains, in `lang`. */
export declare function siteSummaryPreview(summaryText: string, lang?: 'en' | 'zh' | string): string[];
/** The warnings of a pooled document (JSON text), one sentence each in `lang`. */
export declare function sitesWarnings(pooledText: string, lang?: 'en' | 'zh' | string): string[];
/** Where the rounds of the site-stratified Cox model of a pooled document (JSON text) stand. */
export declare function sitesGuidance(pooledText: string, lang?: 'en' | 'zh' | string): { round: number; about: number; converged: boolean; has_cox: boolean; text: string };
