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
import { addDays } from "./dates.js";
import type { MetricUnit } from "./format.js";
import type { Histogram } from "./measure-sql.js";
import { numberOf, total, type Row } from "./rows.js";
import { CONFIDENCE_LEVEL, estimateInterval, type Interval, type PeriodEstimate } from "./statistics.js";

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
  /**
   * What the figure's interval and its change test are computed from (see
   * statistics.ts), over the same rows as `compute`; null for a figure no test
   * applies to (a distinct count, a ratio of durations, a vendor's average).
   * `period` names the days the rows cover, so a count also counts the days
   * without a row as days with none.
   */
  estimate(rows: readonly Row[], period?: Period): PeriodEstimate | null;
}

/** The days, both included, a period's rows cover. */
export interface Period {
  from: string;
  to: string;
}

/** Σ of each column, or null when a row lacks one of them (a file that does not publish it). */
function totalsOf(rows: readonly Row[], columns: readonly string[]): number[] | null {
  if (rows.some((row) => columns.some((column) => !(column in row)))) return null;
  return columns.map((column) => total(rows, column));
}

/**
 * A count as the mean of its daily counts (n = days in the period, Σ and Σ² of
 * the daily counts): comparing two periods' daily means with Welch's test takes
 * the day-to-day spread of the counts as it is, so a busy Monday is not read as
 * a change, where a Poisson test on the totals would assume a spread far smaller
 * than a support team's days show (overdispersion). Without a period, the days
 * are the ones the rows name.
 */
export function dailyCountEstimate(rows: readonly Row[], column: string, period?: Period): PeriodEstimate {
  const perDay = new Map<string, number>();
  if (period) for (let day = period.from; day <= period.to; day = addDays(day, 1)) perDay.set(day, 0);
  for (const row of rows) {
    const day = typeof row.date === "string" ? row.date : String(row.date);
    perDay.set(day, (perDay.get(day) ?? 0) + (numberOf(row, column) ?? 0));
  }
  let sum = 0;
  let sumOfSquares = 0;
  for (const count of perDay.values()) {
    sum += count;
    sumOfSquares += count * count;
  }
  return { kind: "mean", n: perDay.size, sum, sumOfSquares };
}

/** A figure with its 95% interval bounds (null when none applies): what a chart's band draws per bucket. */
export interface BandPoint {
  value: number | null;
  n: number;
  lower: number | null;
  upper: number | null;
}

/**
 * A metric's figure over `rows` (e.g. one bucket of a series) with its 95%
 * interval, from the metric's own `compute` and `estimate`: the band a chart
 * draws around a share or a mean over time.
 */
export function metricBand(metric: Metric, rows: readonly Row[], period?: Period): BandPoint {
  const { value, n } = metric.compute(rows);
  const interval = metricInterval(metric, metric.estimate(rows, period));
  return { value, n, lower: interval?.lower ?? null, upper: interval?.upper ?? null };
}

/**
 * The 95% interval of a metric's figure in the figure's own unit: the
 * estimate's interval, except for a count, whose estimate is a daily mean: its
 * interval times the days is the interval of the period's expected total.
 */
export function metricInterval(metric: Pick<Metric, "kind">, estimate: PeriodEstimate | null, level: number = CONFIDENCE_LEVEL): Interval | null {
  if (!estimate) return null;
  const interval = estimateInterval(estimate, level);
  if (!interval || metric.kind !== "count" || estimate.kind !== "mean") return interval;
  const days = estimate.n;
  return { estimate: interval.estimate * days, lower: Math.max(0, interval.lower * days), upper: interval.upper * days, level };
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
    estimate: (rows, period) => dailyCountEstimate(rows, text.column, period),
  };
}

/**
 * Σ sum column / Σ count column. `sumOfSquares` is the column of Σx² beside the
 * sum (for the mean's t interval and Welch test), or null when the rows cannot
 * have one (a vendor's own averages: no values per case).
 */
export function meanMetric(text: MetricText & { unit: MetricUnit; sum: string; count: string; sumOfSquares: string | null }): Metric {
  return {
    ...text,
    kind: "estimate",
    columns: [text.sum, text.count],
    compute(rows) {
      const n = total(rows, text.count);
      return estimate(n > 0 ? total(rows, text.sum) / n : null, n);
    },
    estimate(rows) {
      if (text.sumOfSquares === null) return null;
      const totals = totalsOf(rows, [text.count, text.sum, text.sumOfSquares]);
      if (!totals) return null;
      const [n, sum, sumOfSquares] = totals as [number, number, number];
      return { kind: "mean", n, sum, sumOfSquares };
    },
  };
}

/**
 * Σ part / Σ whole, as a fraction (0–1). `n` is the whole. `amounts` marks a
 * ratio of amounts (seconds over seconds) rather than cases out of cases: no
 * binomial interval applies to it.
 */
export function shareMetric(text: MetricText & { part: string; whole: string; amounts?: boolean }): Metric {
  return {
    ...text,
    unit: "share",
    kind: "estimate",
    columns: [text.part, text.whole],
    compute(rows) {
      const whole = total(rows, text.whole);
      return estimate(whole > 0 ? total(rows, text.part) / whole : null, whole);
    },
    estimate(rows) {
      if (text.amounts) return null;
      const totals = totalsOf(rows, [text.part, text.whole]);
      if (!totals) return null;
      const [successes, n] = totals as [number, number];
      return { kind: "share", successes, n };
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
    // Who was active is not a sum over days: no daily-mean test applies.
    estimate: () => null,
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
    estimate: (rows) => ({ kind: "median", histogram: mergeHistogram(rows), binning: text.histogram.binning }),
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
    estimate(rows) {
      const histogram = mergeHistogram(rows);
      const n = histogram.reduce((sum, bin) => sum + bin.n, 0);
      const successes = histogram.filter((bin) => bin.bin >= text.from).reduce((sum, bin) => sum + bin.n, 0);
      return { kind: "share", successes, n };
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
    mean: (text: MetricText & { unit: MetricUnit; sum: Column; count: Column; sumOfSquares: Column | null }) => meanMetric(text),
    share: (text: MetricText & { part: Column; whole: Column; amounts?: boolean }) => shareMetric(text),
  };
}
