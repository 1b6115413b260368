/**
 * Turning the pages' daily rows into what a chart draws: period series (days or
 * weeks, gaps filled with zeros), display buckets for histograms, top-N
 * breakdowns. No DOM, no library; unit-tested with the metrics.
 */
import { bucketOf, periodsOf, type Bucket, type DateRange } from "./dates.js";
import { binEdges, mergeHistogram, type Binning } from "./binning.js";
import { numberOf, sumBy, total, type Row } from "./rows.js";

export interface SeriesPeriod {
  period: string;
  end: string;
  days: number;
}

/**
 * Sums measures per period (and per group, when `group` is a column), with a
 * zero row for every period × group that has no data, so a quiet week shows as
 * zero instead of vanishing from the chart.
 */
export function periodSeries(
  rows: readonly Row[],
  range: Pick<DateRange, "from" | "to">,
  bucket: Bucket,
  measures: readonly string[],
  group?: string,
): Array<Record<string, unknown> & SeriesPeriod> {
  const keyed = rows.map((row) => ({ ...row, period: bucketOf(String(row.date), bucket, range) }));
  const summed = sumBy(keyed, group ? ["period", group] : ["period"], measures);
  const groups = group ? [...new Set(summed.map((row) => row[group]))] : [undefined];
  const byKey = new Map(summed.map((row) => [JSON.stringify([row.period, group ? row[group] : null]), row]));
  const out: Array<Record<string, unknown> & SeriesPeriod> = [];
  for (const { period, end, days } of periodsOf(range, bucket)) {
    for (const value of groups) {
      const found = byKey.get(JSON.stringify([period, group ? value : null]));
      const row: Record<string, unknown> & SeriesPeriod = { period, end, days };
      if (group) row[group] = value;
      for (const measure of measures) row[measure] = found ? found[measure] : 0;
      out.push(row);
    }
  }
  return out;
}

export interface DisplayBucket {
  label: string;
  lo: number;
  hi: number;
  n: number;
  share: number;
}

/** Bucket edges for durations in seconds: readable steps from 30 s to 2 h. */
export const DURATION_EDGES = [0, 30, 60, 120, 180, 300, 600, 900, 1200, 1800, 2700, 3600, 7200, Number.POSITIVE_INFINITY];

/** "45s", "10m", "1.5h": a duration short enough for an axis label. */
export function shortDuration(seconds: number): string {
  const round = (x: number) => String(Math.round(x * 10) / 10);
  if (seconds < 60) return `${round(seconds)}s`;
  if (seconds < 3600) return `${round(seconds / 60)}m`;
  return `${round(seconds / 3600)}h`;
}

/** "<30s", "30s–1m", "1–2m", "2h+": a duration bucket's label. */
export function durationLabel(lo: number, hi: number): string {
  if (!Number.isFinite(hi)) return `${shortDuration(lo)}+`;
  if (lo === 0) return `<${shortDuration(hi)}`;
  const a = shortDuration(lo);
  const b = shortDuration(hi);
  return a.slice(-1) === b.slice(-1) ? `${a.slice(0, -1)}–${b}` : `${a}–${b}`;
}

/**
 * Regroups a fine histogram into display buckets [edge_i, edge_i+1). A log bin
 * goes to the bucket of its midpoint (bins are 5% wide, so the error is small);
 * an exact bin to the bucket of its value.
 */
export function displayBuckets(
  rows: readonly Row[],
  binning: Binning,
  edges: readonly number[] = DURATION_EDGES,
  label: (lo: number, hi: number) => string = durationLabel,
): DisplayBucket[] {
  const buckets: DisplayBucket[] = [];
  for (let i = 0; i + 1 < edges.length; i++) {
    const lo = edges[i] as number;
    const hi = edges[i + 1] as number;
    buckets.push({ label: label(lo, hi), lo, hi, n: 0, share: 0 });
  }
  let count = 0;
  for (const { bin, n } of mergeHistogram(rows)) {
    const [lo, hi] = binEdges(binning, bin);
    const point = binning === "exact" ? lo : (lo + hi) / 2;
    const bucket = buckets.find((b) => point >= b.lo && point < b.hi) ?? (point >= (buckets[buckets.length - 1]?.hi ?? 0) ? buckets[buckets.length - 1] : buckets[0]);
    if (!bucket) continue;
    bucket.n += n;
    count += n;
  }
  for (const bucket of buckets) bucket.share = count > 0 ? bucket.n / count : 0;
  return buckets;
}

export interface Breakdown {
  key: string;
  n: number;
  share: number;
}

/**
 * Sums `measure` per value of `keyColumn`, largest first; beyond `limit` keys the
 * rest are summed as "Other". Shares are of the total over all keys.
 */
export function breakdown(rows: readonly Row[], keyColumn: string, measure: string, limit = Number.POSITIVE_INFINITY): Breakdown[] {
  const sums = new Map<string, number>();
  for (const row of rows) {
    const key = row[keyColumn];
    const label = key === null || key === undefined || key === "" ? "(unknown)" : String(key);
    sums.set(label, (sums.get(label) ?? 0) + (numberOf(row, measure) ?? 0));
  }
  const all = total(rows, measure);
  const sorted = [...sums].map(([key, n]) => ({ key, n, share: all > 0 ? n / all : 0 })).sort((a, b) => b.n - a.n || a.key.localeCompare(b.key));
  if (sorted.length <= limit) return sorted;
  const kept = sorted.slice(0, limit);
  const rest = sorted.slice(limit).reduce((sum, item) => sum + item.n, 0);
  return [...kept, { key: "Other", n: rest, share: all > 0 ? rest / all : 0 }];
}

/** "42.3%" for a 0–1 share. */
export function percent(share: number | null | undefined, digits = 1): string {
  return share === null || share === undefined || !Number.isFinite(share) ? "—" : `${(share * 100).toFixed(digits)}%`;
}
