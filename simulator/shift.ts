/** Applies a demo metric shift (data-loaders/demo-shift.ts) to the generated records. */
import type { MetricShift, ShiftableMetric } from "../data-loaders/demo-shift.js";
import { dayIndexOf } from "./time.js";

export type { MetricShift } from "../data-loaders/demo-shift.js";

/** The factor `metric` takes on `dayIndex` (1 when not shifted). */
export function shiftFactor(shift: MetricShift | undefined, metric: ShiftableMetric, dayIndex: number, nowMs: number): number {
  if (!shift || shift.metric !== metric) return 1;
  return dayIndex >= dayIndexOf(nowMs) - shift.fromDaysBeforeNow ? shift.factor : 1;
}
