/**
 * Date ranges over UTC days, written as "YYYY-MM-DD" strings (the marts' *_date
 * columns as the loaders publish them), so comparing two days is comparing two
 * strings. No DOM: the filter component and the unit tests share it.
 */

export const DATE_PRESETS = [7, 28, 90] as const;
export const DEFAULT_PRESET = 28;
/** Recent per-record detail (scatter plots) covers this many days before the anchor. */
export const DETAIL_WINDOW_DAYS = 120;

/**
 * Every preset range and the period before it is a union of these spans of days
 * back from the anchor: (0, 7], (7, 14], (14, 28], (28, 56], (56, 90], (90, 180].
 * Loaders aggregate histograms and breakdowns per span instead of per day, which
 * is exact for the presets and far smaller (see `presetSegments`).
 */
export const PRESET_SEGMENT_BOUNDS: readonly number[] = [...new Set(DATE_PRESETS.flatMap((days) => [days, 2 * days]))].sort((a, b) => a - b);
/** Days the preset ranges and their previous periods cover (180). */
export const PRESET_WINDOW_DAYS = PRESET_SEGMENT_BOUNDS[PRESET_SEGMENT_BOUNDS.length - 1] as number;

/** The spans of `PRESET_SEGMENT_BOUNDS` as day ranges, newest first. A span's rows carry its `from` as their date. */
export function presetSegments(anchor: string): Array<{ from: string; to: string }> {
  let after = 0;
  return PRESET_SEGMENT_BOUNDS.map((back) => {
    const segment = { from: addDays(anchor, -(back - 1)), to: addDays(anchor, -after) };
    after = back;
    return segment;
  });
}

export interface DateRange {
  /** First day, inclusive. */
  from: string;
  /** Last day, inclusive. */
  to: string;
  /** The preset's length in days, or null for a custom range. */
  preset: number | null;
}

const DAY_MS = 86_400_000;
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

export function isIsoDay(text: string): boolean {
  if (!ISO_DAY.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

export function dayToTime(day: string): number {
  return Date.parse(`${day}T00:00:00Z`);
}

export function timeToDay(time: number): string {
  return new Date(time).toISOString().slice(0, 10);
}

export function addDays(day: string, days: number): string {
  return timeToDay(dayToTime(day) + days * DAY_MS);
}

/** Days from `from` to `to`, both included. */
export function rangeLength(range: Pick<DateRange, "from" | "to">): number {
  return Math.round((dayToTime(range.to) - dayToTime(range.from)) / DAY_MS) + 1;
}

/**
 * The day presets end on: the last UTC day that was complete when the data was
 * built (the build's own day is still running, and would read as a drop).
 */
export function lastCompleteDay(builtAt: string | Date): string {
  const time = typeof builtAt === "string" ? Date.parse(builtAt) : builtAt.getTime();
  return timeToDay(time - DAY_MS);
}

export function presetRange(anchor: string, days: number): DateRange {
  return { from: addDays(anchor, -(days - 1)), to: anchor, preset: days };
}

/** The period of the same length just before `range`. */
export function previousRange(range: DateRange): DateRange {
  const length = rangeLength(range);
  return { from: addDays(range.from, -length), to: addDays(range.from, -1), preset: range.preset };
}

export function inRange(day: unknown, range: Pick<DateRange, "from" | "to">): boolean {
  return typeof day === "string" && day >= range.from && day <= range.to;
}

/** Rows whose `column` day lies in the range. */
export function rowsInRange<T extends Readonly<Record<string, unknown>>>(rows: readonly T[], range: Pick<DateRange, "from" | "to">, column = "date"): T[] {
  return rows.filter((row) => inRange(row[column], range));
}

/**
 * Reads the range from a URL query: `days=7|28|90`, or `from` and `to` (custom).
 * Anything invalid falls back to the default preset; a custom range is clamped
 * to [min, max] and put in order.
 */
export function rangeFromQuery(query: URLSearchParams, anchor: string, bounds: { min: string; max: string }): DateRange {
  const from = query.get("from");
  const to = query.get("to");
  if (from && to && isIsoDay(from) && isIsoDay(to)) {
    let [start, end] = from <= to ? [from, to] : [to, from];
    if (start < bounds.min) start = bounds.min;
    if (end > bounds.max) end = bounds.max;
    if (start <= end) return { from: start, to: end, preset: null };
  }
  const days = Number(query.get("days"));
  const preset = (DATE_PRESETS as readonly number[]).includes(days) ? days : DEFAULT_PRESET;
  return presetRange(anchor, preset);
}

/** Writes the range into a query (removing the other form's keys). */
export function rangeToQuery(range: DateRange, query: URLSearchParams): URLSearchParams {
  const next = new URLSearchParams(query);
  next.delete("days");
  next.delete("from");
  next.delete("to");
  if (range.preset !== null) {
    if (range.preset !== DEFAULT_PRESET) next.set("days", String(range.preset));
  } else {
    next.set("from", range.from);
    next.set("to", range.to);
  }
  return next;
}

/** "2026-10-24 to 2026-11-20": how summaries name the period. */
export function describeRange(range: Pick<DateRange, "from" | "to">): string {
  return `${range.from} to ${range.to}`;
}

export type Bucket = "day" | "week";

/** Days for short ranges (a week of weekly bars says nothing), weeks otherwise. */
export function bucketFor(range: Pick<DateRange, "from" | "to">): Bucket {
  return rangeLength(range) <= 14 ? "day" : "week";
}

/**
 * The period a day falls in. Weeks are the 7-day periods counted back from the
 * range's last day, so the latest week is always complete and presets of 7 and
 * 28 days have only whole weeks; when the range is not a multiple of 7 days the
 * oldest period is shorter (see `periodsOf`). A period is named by its first day
 * inside the range.
 */
export function bucketOf(day: string, bucket: Bucket, range: Pick<DateRange, "from" | "to">): string {
  if (bucket === "day") return day;
  const back = Math.floor((dayToTime(range.to) - dayToTime(day)) / DAY_MS / 7);
  const start = addDays(range.to, -(7 * back + 6));
  return start < range.from ? range.from : start;
}

export interface Period {
  /** First day, inclusive (the period's name). */
  period: string;
  /** Last day, inclusive. */
  end: string;
  /** Days of the period inside the range (7 for a whole week). */
  days: number;
}

/** Every period of the range, oldest first. */
export function periodsOf(range: Pick<DateRange, "from" | "to">, bucket: Bucket): Period[] {
  const periods: Period[] = [];
  for (let day = range.from; day <= range.to; day = addDays(day, 1)) {
    const period = bucketOf(day, bucket, range);
    const last = periods[periods.length - 1];
    if (last?.period === period) {
      last.end = day;
      last.days += 1;
    } else periods.push({ period, end: day, days: 1 });
  }
  return periods;
}
