/**
 * Small helpers over plain rows (grouping, summing, filtering by the page's
 * filters). No DOM, no library: pages, components and unit tests share them.
 */

/** A row as a page holds it: column name → value (numbers for measures). */
export type Row = Readonly<Record<string, unknown>>;

/** A number from a row's column; null, undefined, NaN and non-numbers count as missing. */
export function numberOf(row: Row, column: string): number | null {
  const value = row[column];
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (typeof value === "bigint") return Number(value);
  if (typeof value === "boolean") return value ? 1 : 0;
  return null;
}

/** Σ column over rows, missing values skipped. */
export function total(rows: readonly Row[], column: string): number {
  let sum = 0;
  for (const row of rows) sum += numberOf(row, column) ?? 0;
  return sum;
}

/** Arrow row proxies (from Parquet) as plain objects: BigInt as Number, nothing else changed. */
export function plainRows(table: { toArray(): ArrayLike<unknown> }): Record<string, unknown>[] {
  return Array.from(table.toArray(), (row) => {
    const source = (row as { toJSON?: () => Record<string, unknown> }).toJSON?.() ?? (row as Record<string, unknown>);
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(source)) out[key] = typeof value === "bigint" ? Number(value) : value;
    return out;
  });
}

/** What `tableRows` needs of an Arrow table (apache-arrow's Table has it). */
export interface ColumnarTable {
  readonly numRows: number;
  readonly schema: { readonly fields: ReadonlyArray<{ readonly name: string }> };
  getChild(name: string): { readonly nullCount: number; toArray(): ArrayLike<unknown>; get(index: number): unknown } | null;
}

/**
 * An Arrow table as plain objects, read column by column: each column is decoded
 * once (a typed array for numbers), which is many times faster than one row proxy
 * and `toJSON` per row. Nulls stay null (a typed array would read them as 0);
 * BigInt becomes Number.
 */
export function tableRows(table: ColumnarTable): Record<string, unknown>[] {
  const columns = table.schema.fields.map(({ name }) => {
    const vector = table.getChild(name);
    if (!vector) return { name, values: [] as ArrayLike<unknown> };
    let values: ArrayLike<unknown> = vector.nullCount > 0 ? Array.from({ length: table.numRows }, (_, i) => vector.get(i) ?? null) : vector.toArray();
    if (values instanceof BigInt64Array || values instanceof BigUint64Array || (values.length > 0 && typeof values[0] === "bigint")) {
      values = Array.from(values, (value) => (typeof value === "bigint" ? Number(value) : value));
    }
    return { name, values };
  });
  const rows: Record<string, unknown>[] = new Array(table.numRows);
  for (let i = 0; i < table.numRows; i++) {
    const row: Record<string, unknown> = {};
    for (const { name, values } of columns) row[name] = values[i];
    rows[i] = row;
  }
  return rows;
}

/** Rows matching every filter; a null, undefined or "" filter value matches all. */
export function filterRows<T extends Row>(rows: readonly T[], filters: Readonly<Record<string, string | null | undefined>>): T[] {
  const active = Object.entries(filters).filter((entry): entry is [string, string] => typeof entry[1] === "string" && entry[1] !== "");
  if (active.length === 0) return [...rows];
  return rows.filter((row) => active.every(([column, value]) => row[column] === value));
}

/**
 * Groups rows by the key columns and sums the measure columns: additive daily
 * aggregates stay correct under any regrouping.
 */
export function sumBy(rows: readonly Row[], keys: readonly string[], measures: readonly string[]): Record<string, unknown>[] {
  const groups = new Map<string, Record<string, unknown>>();
  for (const row of rows) {
    const id = JSON.stringify(keys.map((key) => row[key] ?? null));
    let group = groups.get(id);
    if (!group) {
      group = {};
      for (const key of keys) group[key] = row[key] ?? null;
      for (const measure of measures) group[measure] = 0;
      groups.set(id, group);
    }
    for (const measure of measures) group[measure] = (group[measure] as number) + (numberOf(row, measure) ?? 0);
  }
  return [...groups.values()];
}

/** Distinct non-empty string values of a column, sorted. */
export function distinctValues(rows: readonly Row[], column: string): string[] {
  const values = new Set<string>();
  for (const row of rows) {
    const value = row[column];
    if (typeof value === "string" && value !== "") values.add(value);
  }
  return [...values].sort((a, b) => a.localeCompare(b));
}

/** Shortens a label for a chart axis (the table beside it shows the whole text). */
export function truncate(text: string, max = 32): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join("")}…`;
}
