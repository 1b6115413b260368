/// <reference path="./charts.d.ts" />
/**
 * The chart frames every subject's page builds the same way: a breakdown as
 * horizontal bars, a distribution as columns, each with its table of key, count
 * and share. The subject modules (`*-charts.ts`) compose them; pages call those.
 */
import { chartFrame } from "./chart.js";
import { categoryBars, distributionBars } from "./charts.js";
import type { Bucket } from "./dates.js";
import type { Row } from "./rows.js";
import { breakdown, percent } from "./series.js";
import type { ChartScope } from "./selection.js";
import type { TableColumn } from "./table.js";

/** The heading of a period column: weeks are named by their first day. */
export function periodLabel(bucket: Bucket): string {
  return bucket === "week" ? "Week of" : "Day";
}

export function periodColumn(bucket: Bucket): TableColumn {
  return { key: "period", label: periodLabel(bucket) };
}

export function shareColumn(label = "Share"): TableColumn {
  return { key: "share", label, format: (value) => percent(value as number | null | undefined) };
}

/** "Mobile 60.2%, Desktop 39.8%": a breakdown in words. */
export function shareList(rows: BreakdownRows): string {
  // An empty selection reads as words, not as a dangling "; ." in a summary.
  if (rows.length === 0) return "none in this selection";
  return rows.map((d) => `${d.key} ${percent(d.share)}`).join(", ");
}

/** A breakdown's rows (series.breakdown makes them). */
export type BreakdownRows = ReadonlyArray<{ key: unknown; n: number; share: number }>;

export interface BreakdownChartOptions {
  title: string;
  height: number;
  summary: string;
  /** The table's heading of the key and count columns. */
  keyLabel: string;
  countLabel: string;
  xLabel: string;
  shareLabel?: string;
  /** The table's columns, when not key, count and share. */
  columns?: readonly TableColumn[];
}

/** Horizontal bars of shares ({key, n, share}), largest first as given. */
export function breakdownChart(rows: BreakdownRows, options: BreakdownChartOptions): HTMLElement {
  return chartFrame({
    title: options.title,
    height: options.height,
    summary: options.summary,
    render: (width, height) => categoryBars(rows, { width, height, xLabel: options.xLabel }),
    table: {
      rows,
      columns: options.columns ?? [{ key: "key", label: options.keyLabel }, { key: "n", label: options.countLabel, numeric: true }, shareColumn(options.shareLabel)],
    },
  });
}

/** Chats by a visitor's trait (device, browser, country; breakdown rows {key, n}), the top eight and "Other". */
export function chatMixChart(kindRows: readonly Row[], options: { title: string; keyLabel: string }, { scope }: ChartScope): HTMLElement {
  const rows = breakdown(kindRows, "key", "n", 8);
  return breakdownChart(rows, {
    ...options,
    height: 240,
    summary: `${shareList(rows)} (${scope}).`,
    countLabel: "Chats",
    xLabel: "Share of chats",
  });
}

export interface DistributionChartOptions {
  title: string;
  height: number;
  summary: string;
  /** The table's heading of the bucket and count columns. */
  bucketLabel: string;
  countLabel: string;
  yLabel?: string;
}

/** Columns of a distribution's display buckets ({label, n, share}), in bucket order. */
export function distributionChart(buckets: ReadonlyArray<{ label: string; n: number; share: number }>, options: DistributionChartOptions): HTMLElement {
  return chartFrame({
    title: options.title,
    height: options.height,
    summary: options.summary,
    render: (width, height) => distributionBars(buckets, { width, height, yLabel: options.yLabel }),
    table: { rows: buckets, columns: [{ key: "label", label: options.bucketLabel }, { key: "n", label: options.countLabel, numeric: true }, shareColumn()] },
  });
}
