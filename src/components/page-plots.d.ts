/** Types of the Plot recipes in page-plots.js. Keep in step with it. */
import type { DateRange } from "./dates.js";

interface PlotSize {
  width: number;
  height: number;
}

export function bandBars(
  buckets: ReadonlyArray<Readonly<{ label: string; share: number; band: string }>>,
  options: PlotSize & { yLabel: string; domain: readonly string[]; range: readonly string[] },
): Element;

export function ratingBars(
  rows: ReadonlyArray<Readonly<{ key: string; rating: string; share: number }>>,
  options: PlotSize & { values: readonly string[]; scales: readonly string[]; yLabel: string },
): Element;

export function differenceDots(
  points: ReadonlyArray<Readonly<{ window: string; difference: number; ours: number; vendor: number; check: "Agrees" | "Disagrees" }>>,
  options: PlotSize & { range: Pick<DateRange, "from" | "to">; extent: number; tolerance: number; xLabel: string; yLabel: string },
): Element;
