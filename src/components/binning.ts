/**
 * Histograms: how a measured value maps to a bin (in the browser and, as SQL, in
 * the loaders), merging daily histogram rows, and reading a quantile from them.
 * No DOM: this module also runs in Node, in the loaders and in unit tests.
 */
import { numberOf, type Row } from "./rows.js";

/**
 * How a measured value maps to a histogram bin. `log`: bin k holds values in
 * [BASE^k − 1, BASE^(k+1) − 1), so every bin is at most 5% wide relative to its
 * values (the median read from it is within 5% of the exact one, usually far
 * closer) and a day holds at most ~230 bins up to 24 h whatever the volume.
 * `exact`: the bin is the value itself (integer scores such as MCS, ratings).
 */
export type Binning = "log" | "exact";

export const LOG_BIN_BASE = 1.05;

export function logBin(value: number): number {
  return Math.max(0, Math.floor(Math.log1p(Math.max(0, value)) / Math.log(LOG_BIN_BASE)));
}

export function binEdges(binning: Binning, bin: number): [number, number] {
  if (binning === "exact") return [bin, bin];
  return [LOG_BIN_BASE ** bin - 1, LOG_BIN_BASE ** (bin + 1) - 1];
}

/** The SQL expression the loaders use to bin a column (same rule as `logBin`). */
export function logBinSql(column: string): string {
  return `CAST(floor(ln(1 + greatest(${column}, 0)) / ln(${LOG_BIN_BASE})) AS INTEGER)`;
}

export interface HistogramBin {
  bin: number;
  n: number;
}

/** Adds up rows with `bin` and `n` columns (several days, agents …) into one histogram, sorted by bin. */
export function mergeHistogram(rows: readonly Row[], binColumn = "bin", countColumn = "n"): HistogramBin[] {
  const counts = new Map<number, number>();
  for (const row of rows) {
    const bin = numberOf(row, binColumn);
    const n = numberOf(row, countColumn);
    if (bin === null || n === null || n <= 0) continue;
    counts.set(bin, (counts.get(bin) ?? 0) + n);
  }
  return [...counts].map(([bin, n]) => ({ bin, n })).sort((a, b) => a.bin - b.bin);
}

/**
 * The q-quantile of a histogram, interpolated like DuckDB's quantile_cont (and
 * median): position q·(N−1) between the sorted items. An item's value inside a
 * bin is spread evenly over the bin, so with `exact` bins the result is exact.
 */
export function histogramQuantile(histogram: readonly HistogramBin[], binning: Binning, q: number): number | null {
  const totalCount = histogram.reduce((sum, { n }) => sum + n, 0);
  if (totalCount <= 0) return null;
  const position = q * (totalCount - 1);
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  const valueAt = (index: number): number => {
    let before = 0;
    for (const { bin, n } of histogram) {
      if (index < before + n) {
        const [lo, hi] = binEdges(binning, bin);
        return lo + ((index - before + 0.5) / n) * (hi - lo);
      }
      before += n;
    }
    const last = histogram[histogram.length - 1];
    return last ? binEdges(binning, last.bin)[1] : 0;
  };
  const low = valueAt(lower);
  return upper === lower ? low : low + (position - lower) * (valueAt(upper) - low);
}
