/**
 * XmR (individuals and moving range) control charts, as Wheeler describes them
 * (Understanding Variation; /work/shared/analytics-methods.md): the centre line
 * is the mean of the points, MR̄ the mean of the absolute differences between
 * consecutive points, the natural process limits X̄ ± 2.66·MR̄ and the moving
 * range's upper limit 3.267·MR̄ (D4 for ranges of two). Signals: a point beyond
 * a limit, a run of eight on one side of the centre line, two of three
 * consecutive points beyond two sigma (σ̂ = MR̄/1.128) on the same side.
 * No DOM: the charts, the "what changed" sentences and the digest share it.
 */

/** 2.66 = 3/d2 with d2 = 1.128, rounded as Wheeler publishes it. */
export const NATURAL_LIMIT_FACTOR = 2.66;
/** D4 for moving ranges of two points. */
export const MOVING_RANGE_LIMIT_FACTOR = 3.267;
/** d2 for ranges of two: σ̂ = MR̄ / d2. */
export const D2 = 1.128;
/** The length of a run on one side of the centre line that counts as a signal. */
export const RUN_LENGTH = 8;
/**
 * Limits from fewer points than this would be mostly noise themselves (the
 * methods note asks for 12 to 20): the chart says so instead of drawing them.
 */
export const MIN_XMR_POINTS = 12;

export type XmrRule = "beyond-limits" | "run-of-eight" | "two-of-three-beyond-two-sigma";

export const XMR_RULE_TEXT: Record<XmrRule, string> = {
  "beyond-limits": "a point beyond the natural process limits",
  "run-of-eight": `a run of ${RUN_LENGTH} points on one side of the centre line`,
  "two-of-three-beyond-two-sigma": "two of three consecutive points beyond two sigma on the same side",
};

export interface XmrLimits {
  /** X̄: the mean of the baseline points. */
  centre: number;
  /** MR̄: the mean of the baseline's moving ranges. */
  averageMovingRange: number;
  /** σ̂ = MR̄ / 1.128. */
  sigma: number;
  /** X̄ − 2.66·MR̄ (not clamped: a chart of a non-negative measure may clamp it at 0 when drawing). */
  lowerLimit: number;
  /** X̄ + 2.66·MR̄. */
  upperLimit: number;
  /** 3.267·MR̄: the moving range chart's upper limit (its lower limit is 0). */
  movingRangeUpperLimit: number;
  /** How many points the limits were computed from. */
  baselinePoints: number;
}

export interface XmrPoint {
  index: number;
  /** Null: no value that period (a gap: no moving range on either side of it, no rule). */
  value: number | null;
  /** |x − previous x|; null for the first point and after a gap. */
  movingRange: number | null;
  side: "above" | "below" | "on" | null;
  /** The rules this point is part of (empty: common-cause variation). */
  rules: XmrRule[];
  /** The moving range into this point is above the moving range's upper limit. */
  movingRangeAboveLimit: boolean;
}

export type XmrChart =
  | { status: "ok"; limits: XmrLimits; points: XmrPoint[]; signals: number }
  | { status: "too-few-points"; points: number; minimum: number; message: string };

export interface XmrOptions {
  /**
   * Compute the limits from the first `baselinePoints` values only and judge
   * every point against them (frozen limits, so a shift does not widen the
   * limits that should reveal it). Default: all points.
   */
  baselinePoints?: number;
  /** The fewest observed baseline points to compute limits from (default MIN_XMR_POINTS). */
  minimumPoints?: number;
}

function movingRanges(values: readonly (number | null)[]): (number | null)[] {
  return values.map((value, index) => {
    const previous = index > 0 ? values[index - 1] : null;
    return value === null || previous === null || previous === undefined ? null : Math.abs(value - previous);
  });
}

/**
 * The XmR chart of a series (oldest first). Nulls are gaps: skipped by the
 * limits and the rules, and no moving range spans them. Points exactly on the
 * centre line neither extend nor break a run (as in Anhøj's run rules).
 */
export function xmrChart(values: readonly (number | null)[], options: XmrOptions = {}): XmrChart {
  const minimum = options.minimumPoints ?? MIN_XMR_POINTS;
  const clean = values.map((value) => (value === null || !Number.isFinite(value) ? null : value));
  const baselineEnd = Math.min(clean.length, options.baselinePoints ?? clean.length);
  const baseline = clean.slice(0, baselineEnd);
  const observed = baseline.filter((value): value is number => value !== null);
  const baselineRanges = movingRanges(baseline).filter((range): range is number => range !== null);
  if (observed.length < Math.max(2, minimum) || baselineRanges.length === 0) {
    return {
      status: "too-few-points",
      points: observed.length,
      minimum,
      message: `Control limits need at least ${minimum} ${minimum === 1 ? "point" : "points"}; ${observed.length === 1 ? "there is 1" : `there are ${observed.length}`}.`,
    };
  }
  const centre = observed.reduce((sum, value) => sum + value, 0) / observed.length;
  const averageMovingRange = baselineRanges.reduce((sum, range) => sum + range, 0) / baselineRanges.length;
  const sigma = averageMovingRange / D2;
  const limits: XmrLimits = {
    centre,
    averageMovingRange,
    sigma,
    lowerLimit: centre - NATURAL_LIMIT_FACTOR * averageMovingRange,
    upperLimit: centre + NATURAL_LIMIT_FACTOR * averageMovingRange,
    movingRangeUpperLimit: MOVING_RANGE_LIMIT_FACTOR * averageMovingRange,
    baselinePoints: observed.length,
  };
  const ranges = movingRanges(clean);
  const points: XmrPoint[] = clean.map((value, index) => {
    const movingRange = ranges[index] ?? null;
    return {
      index,
      value,
      movingRange,
      side: value === null ? null : value > centre ? "above" : value < centre ? "below" : "on",
      rules: [],
      movingRangeAboveLimit: movingRange !== null && movingRange > limits.movingRangeUpperLimit,
    };
  });
  const mark = (point: XmrPoint, rule: XmrRule) => {
    if (!point.rules.includes(rule)) point.rules.push(rule);
  };
  const present = points.filter((point) => point.value !== null);

  for (const point of present) {
    const value = point.value as number;
    if (value > limits.upperLimit || value < limits.lowerLimit) mark(point, "beyond-limits");
  }

  // Runs: consecutive observed points on one side; points on the line are passed over.
  let run: XmrPoint[] = [];
  const closeRun = () => {
    if (run.length >= RUN_LENGTH) for (const point of run) mark(point, "run-of-eight");
    run = [];
  };
  for (const point of present) {
    if (point.side === "on") continue;
    if (run.length > 0 && run[0]?.side !== point.side) closeRun();
    run.push(point);
  }
  closeRun();

  // Two of three consecutive observed points beyond 2σ on the same side.
  const twoSigmaAbove = centre + 2 * sigma;
  const twoSigmaBelow = centre - 2 * sigma;
  for (let start = 0; start + 3 <= present.length; start++) {
    const window = present.slice(start, start + 3);
    for (const beyond of [(v: number) => v > twoSigmaAbove, (v: number) => v < twoSigmaBelow]) {
      const hits = window.filter((point) => beyond(point.value as number));
      if (hits.length >= 2) for (const point of hits) mark(point, "two-of-three-beyond-two-sigma");
    }
  }

  const signals = points.filter((point) => point.rules.length > 0).length;
  return { status: "ok", limits, points, signals };
}
