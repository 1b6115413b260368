/**
 * The kinds of metric a page shows and how each is computed from the plain rows
 * the page loaded: counts, ratios of sums (averages, shares), distinct counts,
 * and histogram medians and shares. Rows are the pages' pre-aggregated data:
 * additive daily sums and counts (an average is Σ sum / Σ count over the selected
 * days, never an average of daily averages) and daily histograms (see binning.ts).
 * The metrics themselves are declared per subject (`*-measures.ts`), over the
 * columns their loaders select. No DOM: this module also runs in Node.
 */
import { histogramQuantile, mergeHistogram } from "./binning.js";
import type { MetricUnit } from "./format.js";
import type { Histogram } from "./measure-sql.js";
import { numberOf, total, type Row } from "./rows.js";

/** Figures from fewer cases than this are marked low-confidence. */
export const MIN_CASES = 30;

export interface MetricResult {
  /** The figure, or null when there is nothing to compute it from. */
  value: number | null;
  /** Cases behind the figure: the denominator of a share or an average, the items of a median. */
  n: number;
  /** True for an estimate (share, average, median) from fewer than MIN_CASES cases. */
  lowConfidence: boolean;
}

export interface Metric {
  id: string;
  label: string;
  unit: MetricUnit;
  /** One or two sentences, shown as the footnote and tooltip. */
  definition: string;
  /** Counts are facts; estimates (shares, averages, medians) carry a confidence mark. */
  kind: "count" | "estimate";
  /** The row columns it reads (a page sums these per period before computing it per period). */
  columns: readonly string[];
  compute(rows: readonly Row[]): MetricResult;
}

function estimate(value: number | null, n: number): MetricResult {
  return { value: n > 0 ? value : null, n, lowConfidence: n < MIN_CASES };
}

export interface MetricText {
  id: string;
  label: string;
  definition: string;
}

/** Σ of a count column. */
export function countMetric(text: MetricText & { column: string }): Metric {
  return {
    ...text,
    unit: "count",
    kind: "count",
    columns: [text.column],
    compute(rows) {
      const n = total(rows, text.column);
      return { value: n, n, lowConfidence: false };
    },
  };
}

/** Σ sum column / Σ count column. */
export function meanMetric(text: MetricText & { unit: MetricUnit; sum: string; count: string }): Metric {
  return {
    ...text,
    kind: "estimate",
    columns: [text.sum, text.count],
    compute(rows) {
      const n = total(rows, text.count);
      return estimate(n > 0 ? total(rows, text.sum) / n : null, n);
    },
  };
}

/** Σ part / Σ whole, as a fraction (0–1). `n` is the whole. */
export function shareMetric(text: MetricText & { part: string; whole: string }): Metric {
  return {
    ...text,
    unit: "share",
    kind: "estimate",
    columns: [text.part, text.whole],
    compute(rows) {
      const whole = total(rows, text.whole);
      return estimate(whole > 0 ? total(rows, text.part) / whole : null, whole);
    },
  };
}

/** Distinct values of `key` over rows where `measure` is positive (e.g. agents who handled anything). */
export function distinctCountMetric(text: MetricText & { key: string; measure: string }): Metric {
  return {
    ...text,
    unit: "count",
    kind: "count",
    columns: [text.key, text.measure],
    compute(rows) {
      const keys = new Set<unknown>();
      for (const row of rows) if ((numberOf(row, text.measure) ?? 0) > 0 && row[text.key] != null) keys.add(row[text.key]);
      return { value: keys.size, n: keys.size, lowConfidence: false };
    },
  };
}

/** What a histogram metric reads of its rows. */
const HISTOGRAM_COLUMNS = ["bin", "n"];

/** A metric read from one histogram's rows (`bin`, `n`); `histogram` says which rows a page passes it. */
export type HistogramMetric = Metric & { histogram: Histogram };

/** Median over histogram rows (`bin`, `n`), binned as the histogram says. */
export function medianMetric(text: MetricText & { unit: MetricUnit; histogram: Histogram }): HistogramMetric {
  return {
    ...text,
    kind: "estimate",
    columns: HISTOGRAM_COLUMNS,
    compute(rows) {
      const histogram = mergeHistogram(rows);
      const n = histogram.reduce((sum, bin) => sum + bin.n, 0);
      return estimate(histogramQuantile(histogram, text.histogram.binning, 0.5), n);
    },
  };
}

/** Share of histogram items whose bin is at least `from` (e.g. ratings of 4 or 5). */
export function histogramShareMetric(text: MetricText & { histogram: Histogram; from: number }): HistogramMetric {
  return {
    ...text,
    unit: "share",
    kind: "estimate",
    columns: HISTOGRAM_COLUMNS,
    compute(rows) {
      const histogram = mergeHistogram(rows);
      const n = histogram.reduce((sum, bin) => sum + bin.n, 0);
      const part = histogram.filter((bin) => bin.bin >= text.from).reduce((sum, bin) => sum + bin.n, 0);
      return estimate(n > 0 ? part / n : null, n);
    },
  };
}

/**
 * The metric kinds over one loader's columns: a column a metric names must be
 * one of `columns`' keys, so a misspelt column fails the type check.
 */
export function metricsOver<Column extends string>(_columns: Readonly<Record<Column, string>>) {
  return {
    count: (text: MetricText & { column: Column }) => countMetric(text),
    mean: (text: MetricText & { unit: MetricUnit; sum: Column; count: Column }) => meanMetric(text),
    share: (text: MetricText & { part: Column; whole: Column }) => shareMetric(text),
  };
}
