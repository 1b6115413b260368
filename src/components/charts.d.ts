/**
 * Types of the Plot recipes in charts.js (plain JavaScript, because it imports
 * Framework's `npm:` modules), so the typed chart modules call them checked.
 * Keep in step with charts.js.
 */
import type { Bucket } from "./dates.js";

type Datum = Readonly<Record<string, unknown>>;

interface PlotSize {
  width: number;
  height: number;
}

/** Series colours with at least 3:1 against the chart in both themes (charts.js). */
export const SERIES_COLORS: readonly string[];

export function timeBars(
  data: readonly Datum[],
  options: PlotSize & { y: string; fill?: string; bucket: Bucket; yLabel?: string; percent?: boolean; fillDomain?: readonly string[] | undefined; fillRange?: readonly string[] },
): Element;

export function timeLines(
  data: readonly Datum[],
  options: PlotSize & { y: string; stroke?: string; bucket: Bucket; yLabel?: string; percent?: boolean; strokeDomain?: readonly string[]; lower?: string; upper?: string },
): Element;

export function categoryBars(
  data: readonly Datum[],
  options: PlotSize & { xLabel?: string; value?: string; percent?: boolean; fill?: string },
): Element;

export function distributionBars(
  buckets: ReadonlyArray<Datum & { label: string }>,
  options: PlotSize & { yLabel?: string | undefined; value?: string; fill?: string },
): Element;

export function scatter(
  data: readonly Datum[],
  options: PlotSize & { x: string; y: string; xLabel?: string; yLabel?: string; fill?: string },
): Element;

export function groupedBars(
  data: readonly Datum[],
  options: PlotSize & { y: string; x: string; fill: string; xLabel?: string; percent?: boolean; fillDomain?: readonly string[] },
): Element;
