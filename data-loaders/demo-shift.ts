/**
 * A real change, made on purpose in demo data: from a day before the simulator's
 * clock on, one metric moves by a factor. The site must tell such a change from noise
 * (its arrows, control charts and "what changed" list), and its tests need one to
 * find. The settings read it (SI_DEMO_SHIFT) and the simulator applies it
 * (simulator/shift.ts); this module is the shape both share.
 */

/** The metrics a shift can move. */
export const SHIFTABLE_METRICS = ["liveperson-wait"] as const;
export type ShiftableMetric = (typeof SHIFTABLE_METRICS)[number];

export interface MetricShift {
  /** liveperson-wait: the time from a chat request to the chat's start. */
  metric: ShiftableMetric;
  /** The metric is multiplied by this from the shift's first day on. */
  factor: number;
  /** The first shifted UTC day, counted back from the day of the simulator's clock (14: two weeks before). */
  fromDaysBeforeNow: number;
}

const SHIFT_PATTERN = /^([a-z-]+)\s+x(\d+(?:\.\d+)?)\s+from\s+day\s+-(\d+)$/;

/** Reads "liveperson-wait x2 from day -14"; "none" is no shift. Throws a RangeError naming what is wrong. */
export function parseMetricShift(text: string): MetricShift | undefined {
  const trimmed = text.trim();
  if (trimmed === "none") return undefined;
  const match = SHIFT_PATTERN.exec(trimmed);
  if (!match) throw new RangeError(`a shift reads "<metric> x<factor> from day -<days>" (e.g. "liveperson-wait x2 from day -14") or "none", got "${text}"`);
  const [, metric = "", factor = "", days = ""] = match;
  if (!(SHIFTABLE_METRICS as readonly string[]).includes(metric)) throw new RangeError(`a shift can move ${SHIFTABLE_METRICS.join(", ")}, not "${metric}"`);
  const shift = { metric: metric as ShiftableMetric, factor: Number(factor), fromDaysBeforeNow: Number(days) };
  if (!(shift.factor > 0) || shift.factor > 100) throw new RangeError(`a shift's factor must be above 0 and at most 100, got ${factor}`);
  if (shift.fromDaysBeforeNow > 3650) throw new RangeError(`a shift starts at most 3650 days back, got ${days}`);
  return shift;
}
