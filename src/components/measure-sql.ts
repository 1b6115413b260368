/**
 * How a subject module declares its measures' SQL over the marts, and how a
 * loader's SELECT is built from those declarations. Plain strings, no database
 * and no Node: the subject modules that use it also run in the browser.
 */
import { logBinSql, type Binning } from "./binning.js";

/**
 * A loader's measure columns: the column's name → its SQL over the mart (an
 * aggregate, or an expression per row). The object's order is the SELECT's.
 */
export type Columns<Name extends string = string> = Readonly<Record<Name, string>>;

/** The `expression AS name` lines of a SELECT, in the columns' order. */
export function selectList(columns: Columns, indent = "    "): string {
  return Object.entries(columns)
    .map(([name, sql]) => `${indent}${sql} AS ${name}`)
    .join(",\n");
}

/** How a tier dates and keeps rows: per UTC day or per preset span, over the published days or the presets' window. */
export interface Periods {
  /** The `date` of a row, from a DATE column. */
  period: (dateColumn: string) => string;
  /** A WHERE condition on a DATE column. */
  keep: (dateColumn: string) => string;
}

/** One distribution a histogram file carries: what is measured, over which mart, and how it is binned. */
export interface Histogram {
  /** The `measure` value of its rows. */
  measure: string;
  binning: Binning;
  /** The mart and its DATE column that dates an item. */
  table: string;
  dateColumn: string;
  /** SQL: the bin of one item. */
  bin: string;
  /** SQL: the items that have a value (null: every row). */
  where: string | null;
}

/** A duration-like value in 5%-wide log bins, over the rows where `column` is not NULL. */
export function logHistogram(measure: string, table: string, dateColumn: string, column: string): Histogram {
  return { measure, binning: "log", table, dateColumn, bin: logBinSql(column), where: `${column} IS NOT NULL` };
}

/** An integer value (a score, a rating, a count) binned by itself, over the rows where `value` is not NULL unless `where` says otherwise. */
export function exactHistogram(measure: string, table: string, dateColumn: string, value: string, where: string | null = `${value} IS NOT NULL`): Histogram {
  return { measure, binning: "exact", table, dateColumn, bin: value, where };
}

/**
 * One histogram's rows: `date`, the `dimensions` (`expression AS name`), the
 * `measure` name unless the file holds one measure only, `bin` and `n`.
 */
export function histogramSelect(histogram: Histogram, { period, keep }: Periods, dimensions: readonly string[], withMeasure = true): string {
  const columns = [
    `${period(histogram.dateColumn)} AS date`,
    ...dimensions,
    ...(withMeasure ? [`'${histogram.measure}' AS measure`] : []),
    `${histogram.bin} AS bin`,
    "count(*)::INTEGER AS n",
  ];
  const where = [keep(histogram.dateColumn), ...(histogram.where === null ? [] : [histogram.where])].join(" AND ");
  return `
    SELECT ${columns.join(", ")}
    FROM ${histogram.table} WHERE ${where} GROUP BY ALL`;
}

/**
 * Additive rows over one mart: `date`, the `dimensions` (`expression AS name`) and
 * the `columns`, one row per period and dimension (the caller orders them).
 */
export function additiveSelect(table: string, dateColumn: string, { period, keep }: Periods, dimensions: readonly string[], columns: Columns): string {
  return `
    SELECT ${[`${period(dateColumn)} AS date`, ...dimensions].join(", ")},
${selectList(columns)}
    FROM ${table}
    WHERE ${keep(dateColumn)}
    GROUP BY ALL`;
}

/**
 * `, 2, 3`: the positions of `dimensions` when they follow the date as the first
 * columns, to end an ORDER BY with, so rows that tie on the listed keys (the same
 * day, kind and key for two agents) come out in one order on every build.
 */
export function thenByDimensions(dimensions: readonly string[]): string {
  return dimensions.map((_, index) => `, ${index + 2}`).join("");
}
