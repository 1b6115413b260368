/**
 * Formatting and comparing figures, by unit (plain text: the DOM pieces put it in
 * textContent).
 */

export type MetricUnit = "count" | "seconds" | "share" | "rating" | "score" | "number";

const integer = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1, minimumFractionDigits: 1 });

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return "—";
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) {
    const rest = s % 60;
    return rest === 0 ? `${Math.floor(s / 60)} min` : `${Math.floor(s / 60)} min ${rest} s`;
  }
  const minutes = Math.round(s / 60);
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

export function formatValue(unit: MetricUnit, value: number | null): string {
  if (value === null || !Number.isFinite(value)) return "—";
  switch (unit) {
    case "count":
      return integer.format(value);
    case "seconds":
      return formatDuration(value);
    case "share":
      return `${oneDecimal.format(value * 100)}%`;
    case "rating":
      return `${oneDecimal.format(value)} / 5`;
    case "score":
      return oneDecimal.format(value);
    case "number":
      return oneDecimal.format(value);
  }
}

/** "41.2%–47.9%": an interval's bounds in a unit, or "—" when there is none. */
export function intervalRange(unit: MetricUnit, lower: number | null, upper: number | null): string {
  return lower === null || upper === null ? "—" : `${formatValue(unit, lower)}–${formatValue(unit, upper)}`;
}

export interface Change {
  /** current − previous, in the metric's unit (fraction for shares). */
  difference: number;
  /** (current − previous) / previous, or null when the previous value is 0. */
  relative: number | null;
  /** e.g. "+12.5%", "−3.1 pts", "+4 s". */
  text: string;
  direction: "up" | "down" | "flat";
}

/**
 * The change from the previous period: shares in percentage points (a relative
 * change of a share misleads), everything else relative, or absolute when the
 * previous value is 0. Null when either side has no value.
 */
export function compareToPrevious(unit: MetricUnit, current: number | null, previous: number | null): Change | null {
  if (current === null || previous === null || !Number.isFinite(current) || !Number.isFinite(previous)) return null;
  const difference = current - previous;
  const relative = previous === 0 ? null : difference / Math.abs(previous);
  const sign = (x: number) => (x > 0 ? "+" : x < 0 ? "−" : "±");
  let text: string;
  if (unit === "share") text = `${sign(difference)}${oneDecimal.format(Math.abs(difference) * 100)} pts`;
  else if (relative !== null) text = `${sign(relative)}${oneDecimal.format(Math.abs(relative) * 100)}%`;
  else text = `${sign(difference)}${formatValue(unit, Math.abs(difference))}`;
  const direction = Math.abs(difference) < 1e-12 ? "flat" : difference > 0 ? "up" : "down";
  return { difference, relative, text, direction };
}
