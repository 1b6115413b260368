/**
 * What a page's date range and filters select: the previous period, the rows of
 * either period that match the filters, how KPI cards name the comparison, and
 * what the charts are drawn for (range, bucket, and the sentence naming range
 * and filters). Pages pass their inputs' values in; no DOM.
 */
import { bucketFor, describeRange, previousRange, rowsInRange, type Bucket, type DateRange } from "./dates.js";
import { previousLabel } from "./filters.js";
import { filterRows, type Row } from "./rows.js";

/** What a page's charts are drawn for: the picked range, its bucket, and the sentence naming range and filters. */
export interface ChartScope {
  range: Pick<DateRange, "from" | "to">;
  bucket: Bucket;
  scope: string;
}

export interface Selection {
  previous: DateRange;
  /** The days each period covers, for KPI cards: a count's interval and change test count the days without rows too. */
  kpiPeriods: { current: DateRange; previous: DateRange };
  /** How KPI cards name the previous period; null when it starts before the first day with data. */
  vs: string | null;
  /** The rows of the range (or of `period`) that match every filter. */
  pick<T extends Row>(rows: readonly T[], period?: Pick<DateRange, "from" | "to">): T[];
  charts: ChartScope;
}

export interface SelectionOptions {
  /** The first day with data (see filters.previousLabel). */
  firstDay: string;
  /** The active filters in words ("skill Sales"); empty entries are skipped. */
  described: ReadonlyArray<string | null | undefined | false>;
}

export function selectionOf(range: DateRange, filters: Readonly<Record<string, string | null | undefined>>, options: SelectionOptions): Selection {
  const described = options.described.filter((text): text is string => typeof text === "string" && text !== "").join(", ");
  const previous = previousRange(range);
  return {
    previous,
    kpiPeriods: { current: range, previous },
    vs: previousLabel(range, options.firstDay),
    pick: (rows, period = range) => rowsInRange(filterRows(rows, filters), period),
    charts: { range, bucket: bucketFor(range), scope: `${describeRange(range)}${described ? `, ${described}` : ""}` },
  };
}
