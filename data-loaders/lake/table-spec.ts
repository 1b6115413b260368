/**
 * Table specifications and the column types the lake allows: only types that every
 * Parquet reader maps the same way (Spark, Trino, Athena). TIMESTAMP is stored as
 * Parquet INT64 TIMESTAMP(MICROS) and always means UTC; TIMESTAMPTZ, HUGEINT,
 * unsigned integers, UNION, MAP and DuckDB's JSON type are refused.
 */
import { readFile } from "node:fs/promises";
import { z } from "zod";
import { writeFileAtomic } from "./fs-atomic.js";
import { assertLakeIdentifier, tableSpecPath } from "./layout.js";

export type LakeScalarType =
  | "BOOLEAN"
  | "SMALLINT"
  | "INTEGER"
  | "BIGINT"
  | "FLOAT"
  | "DOUBLE"
  | "VARCHAR"
  | "DATE"
  | "TIMESTAMP"
  | `DECIMAL(${number},${number})`;

export type LakeColumnType = LakeScalarType | `${LakeScalarType}[]`;

export interface TableSpec {
  source: string;
  name: string;
  /** Columns whose values identify a record; never null. */
  primaryKey: readonly string[];
  /** A TIMESTAMP column; its UTC month names the partition. Never null. */
  partitionColumn: string;
  /** Column name -> type, in file order. */
  columns: Readonly<Record<string, LakeColumnType>>;
}

/** Added to every table: when the row version was written. Newer wins on read and on repair. */
export const INGESTED_AT_COLUMN = "_ingested_at";

/** Hive partition keys, which come from the path and therefore must not be data columns. */
const RESERVED_COLUMNS = new Set(["source", "table", "month", INGESTED_AT_COLUMN, "filename"]);

const SCALAR_TYPE = /^(BOOLEAN|SMALLINT|INTEGER|BIGINT|FLOAT|DOUBLE|VARCHAR|DATE|TIMESTAMP|DECIMAL\((\d{1,2}),(\d{1,2})\))$/;

export function isTimestampType(type: string): boolean {
  return type === "TIMESTAMP";
}

export function validateTableSpec(spec: TableSpec): void {
  assertLakeIdentifier("source", spec.source);
  assertLakeIdentifier("table", spec.name);
  const where = `table ${spec.source}.${spec.name}`;
  const columnNames = Object.keys(spec.columns);
  if (columnNames.length === 0) throw new Error(`${where}: no columns`);
  for (const [name, type] of Object.entries(spec.columns)) {
    assertLakeIdentifier("column", name);
    if (RESERVED_COLUMNS.has(name)) throw new Error(`${where}: column name "${name}" is reserved (partition key or lake column)`);
    const scalar = type.endsWith("[]") ? type.slice(0, -2) : type;
    const match = SCALAR_TYPE.exec(scalar);
    if (!match) throw new Error(`${where}: column "${name}" has type ${type}, which is not a portable lake type`);
    if (match[2] !== undefined && (Number(match[2]) > 38 || Number(match[3]) > Number(match[2]))) {
      throw new Error(`${where}: column "${name}" has an invalid DECIMAL precision/scale`);
    }
  }
  if (spec.primaryKey.length === 0) throw new Error(`${where}: empty primary key`);
  for (const key of spec.primaryKey) {
    const type = spec.columns[key];
    if (type === undefined) throw new Error(`${where}: primary key column "${key}" is not a column`);
    if (type.endsWith("[]")) throw new Error(`${where}: primary key column "${key}" cannot be a list`);
  }
  if (spec.columns[spec.partitionColumn] !== "TIMESTAMP") {
    throw new Error(`${where}: partition column "${spec.partitionColumn}" must be a TIMESTAMP column`);
  }
}

const storedSpecSchema = z.object({
  source: z.string(),
  name: z.string(),
  primaryKey: z.array(z.string()).min(1),
  partitionColumn: z.string(),
  columns: z.record(z.string(), z.string()),
});

export async function writeTableSpec(root: string, spec: TableSpec): Promise<void> {
  const stored = {
    source: spec.source,
    name: spec.name,
    primaryKey: [...spec.primaryKey],
    partitionColumn: spec.partitionColumn,
    columns: { ...spec.columns },
  };
  const path = tableSpecPath(root, spec.source, spec.name);
  const text = `${JSON.stringify(stored, null, 2)}\n`;
  // Skip the write when unchanged: fewer fsyncs, and the file's mtime stays meaningful.
  const current = await readFile(path, "utf8").catch(() => undefined);
  if (current !== text) await writeFileAtomic(path, text);
}

export async function readTableSpec(root: string, source: string, table: string): Promise<TableSpec | undefined> {
  let text: string;
  try {
    text = await readFile(tableSpecPath(root, source, table), "utf8");
  } catch (error) {
    if (error instanceof Error && "code" in error && error.code === "ENOENT") return undefined;
    throw error;
  }
  const parsed = storedSpecSchema.parse(JSON.parse(text));
  const spec: TableSpec = {
    ...parsed,
    // Re-validated below, so the cast to the narrower type is checked, not assumed.
    columns: parsed.columns as Record<string, LakeColumnType>,
  };
  validateTableSpec(spec);
  return spec;
}
