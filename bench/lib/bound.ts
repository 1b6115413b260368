/**
 * Pure arithmetic of the benchmarks: the throughput bound, ratios, targets and how
 * far a figure is from its target. No I/O, so it is unit-tested (test/bench/).
 */

/** LivePerson search returns at most this many records per page. */
export const SEARCH_PAGE_SIZE = 100;

/**
 * The bound on LivePerson search throughput, in records per second: C requests
 * in flight, each taking at least the added latency L and returning a full page.
 */
export function searchBoundRecordsPerSecond(concurrency: number, latencyMs: number, pageSize = SEARCH_PAGE_SIZE): number {
  if (!(concurrency > 0) || !(latencyMs > 0)) throw new RangeError("concurrency and latency must be positive");
  return (concurrency * pageSize * 1000) / latencyMs;
}

/** The same bound counted in requests: C requests per L. */
export function requestBoundPerSecond(concurrency: number, latencyMs: number): number {
  return searchBoundRecordsPerSecond(concurrency, latencyMs, 1);
}

/** a / b, or null when b is zero or either is missing (a figure that could not be measured). */
export function ratio(a: number | null | undefined, b: number | null | undefined): number | null {
  if (a === null || a === undefined || b === null || b === undefined || b === 0 || !Number.isFinite(a) || !Number.isFinite(b)) return null;
  return a / b;
}

export type TargetDirection = "at-least" | "at-most";

export interface TargetInput {
  id: string;
  /** What is measured, for the table. */
  label: string;
  measured: number | null;
  limit: number;
  direction: TargetDirection;
  unit: TargetUnit;
  /** Why it is missed, or what the figure means (written by the measurement). */
  note?: string;
}

/** `boolean` targets are 1 (yes) or 0 (no), with a limit of 1. */
export type TargetUnit = "ratio" | "share" | "bytes" | "seconds" | "boolean";

export interface TargetResult extends TargetInput {
  /** null when the figure could not be measured. */
  met: boolean | null;
  /** How far from the limit when missed, as text ("by 3.2x", "by 41%"); empty when met. */
  miss: string;
}

export function evaluateTarget(input: TargetInput): TargetResult {
  const { measured, limit, direction } = input;
  if (measured === null || !Number.isFinite(measured)) return { ...input, met: null, miss: "not measured" };
  const met = direction === "at-least" ? measured >= limit : measured <= limit;
  return { ...input, met, miss: met || input.unit === "boolean" ? "" : missText(measured, limit, direction) };
}

/** "by 41%" for a shortfall, "by 3.2x" for an overshoot of an upper limit of twice or more. */
export function missText(measured: number, limit: number, direction: TargetDirection): string {
  if (direction === "at-least") {
    if (measured <= 0) return "by 100%";
    const short = 1 - measured / limit;
    return short >= 0.5 ? `by ${formatFactor(limit / measured)} (${Math.round(short * 100)}% short)` : `by ${Math.round(short * 100)}%`;
  }
  const over = measured / limit;
  return over >= 2 ? `by ${formatFactor(over)}` : `by ${Math.round((over - 1) * 100)}%`;
}

export function formatFactor(value: number): string {
  return `${value >= 10 ? value.toFixed(0) : value.toFixed(1)}x`;
}

/** Binary units, as the limits are meant (1 GiB of memory; the browser suite's 2 MB is 2 MiB). */
export function formatBytes(bytes: number | null): string {
  if (bytes === null || !Number.isFinite(bytes)) return "–";
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(value >= 100 || unit === 0 ? 0 : 1)} ${units[unit]}`;
}

export function formatSeconds(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return "–";
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  if (seconds < 120) return `${seconds.toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${Math.round(seconds - minutes * 60)} s`;
}

export function formatRatio(value: number | null, unit: TargetUnit = "ratio"): string {
  if (value === null || !Number.isFinite(value)) return "–";
  if (unit === "share") return `${(value * 100).toFixed(value < 0.1 ? 1 : 0)}%`;
  return value >= 10 ? `${value.toFixed(0)}x` : `${value.toFixed(2)}x`;
}

export function formatTargetValue(value: number | null, unit: TargetUnit): string {
  if (unit === "boolean") return value === null ? "–" : value >= 1 ? "yes" : "no";
  if (unit === "bytes") return formatBytes(value);
  if (unit === "seconds") return formatSeconds(value);
  return formatRatio(value, unit);
}

/** Linear extrapolation of a per-record figure to another record count (the scale the machine could not run). */
export function extrapolateLinear(measuredValue: number, measuredRecords: number, targetRecords: number): number {
  if (!(measuredRecords > 0)) throw new RangeError("measuredRecords must be positive");
  return (measuredValue * targetRecords) / measuredRecords;
}

/**
 * Fits t = a·n + b·n² through two runs (n records, t seconds) and predicts t at another
 * n: the sync's commits rewrite a month and scan the table each time, so its cost is
 * not linear in volume. Returns null when the two runs do not determine a fit with
 * non-negative coefficients (then the caller falls back to linear).
 */
export function extrapolateQuadratic(runs: ReadonlyArray<{ records: number; seconds: number }>, targetRecords: number): number | null {
  const [first, second] = runs;
  if (!first || !second || first.records === second.records || first.records <= 0 || second.records <= 0) return null;
  // Solve [n1 n1²; n2 n2²] [a; b] = [t1; t2].
  const determinant = first.records * second.records ** 2 - second.records * first.records ** 2;
  const a = (first.seconds * second.records ** 2 - second.seconds * first.records ** 2) / determinant;
  const b = (first.records * second.seconds - second.records * first.seconds) / determinant;
  if (a < 0 || b < 0) return null;
  return a * targetRecords + b * targetRecords ** 2;
}
