/**
 * Turns caller rows (plain JS objects) into a DuckDB temp table with the spec's
 * exact types. Rows go through an NDJSON file read by DuckDB's own `read_json`
 * with explicit columns, so DuckDB does all parsing and casting (no SQL built
 * from values). TIMESTAMP values are staged as text and cast through TIMESTAMPTZ
 * in a UTC session, which applies any offset they carry and reads offset-less
 * text as UTC.
 */
import { mkdtemp, open, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import { quoteIdentifier, quoteLiteral } from "./duckdb.js";
import type { LakeColumnType, TableSpec } from "./table-spec.js";

/**
 * A row as callers hand it over: any object whose own properties are named like the
 * spec's columns (extra properties are ignored, missing ones are NULL). `object`
 * rather than Record<string, unknown> so that rows typed by interfaces are accepted.
 */
export type LakeInputRow = object;

function columnValue(row: LakeInputRow, column: string): unknown {
  // Own properties only: a column named like an Object.prototype member must not read the prototype.
  return Object.prototype.hasOwnProperty.call(row, column) ? (row as Record<string, unknown>)[column] : undefined;
}

/** Rows serialized per file write while staging. */
const STAGING_CHUNK_ROWS = 500;

/** Row ordinal column: within one batch the last row for a key wins. */
export const ROW_ORDINAL_COLUMN = "__row_ordinal";

export class LakeRowError extends Error {
  constructor(spec: TableSpec, rowIndex: number, column: string, problem: string) {
    super(`${spec.source}.${spec.name} row ${rowIndex}, column "${column}": ${problem}`);
    this.name = "LakeRowError";
  }
}

function baseType(type: LakeColumnType): string {
  return type.endsWith("[]") ? type.slice(0, -2) : type;
}

/** JSON-ready value for one scalar, or a description of why it cannot be one. */
function toStagingScalar(type: string, value: unknown): { ok: true; value: string | number | boolean | null } | { ok: false; problem: string } {
  if (value === null || value === undefined) return { ok: true, value: null };
  if (type === "TIMESTAMP" || type === "DATE") {
    if (value instanceof Date) {
      if (Number.isNaN(value.getTime())) return { ok: false, problem: "invalid Date" };
      const iso = value.toISOString();
      return { ok: true, value: type === "DATE" ? iso.slice(0, 10) : iso };
    }
    if (typeof value === "number") {
      if (!Number.isFinite(value)) return { ok: false, problem: "non-finite epoch milliseconds" };
      const iso = new Date(value).toISOString();
      return { ok: true, value: type === "DATE" ? iso.slice(0, 10) : iso };
    }
    if (typeof value === "string") return { ok: true, value };
    return { ok: false, problem: `expected a Date, epoch milliseconds or string, got ${typeof value}` };
  }
  if (typeof value === "bigint") return { ok: true, value: value.toString() };
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return { ok: true, value };
  return { ok: false, problem: `expected a scalar for ${type}, got ${Array.isArray(value) ? "an array" : typeof value} (serialize objects to JSON text first)` };
}

function toStagingValue(spec: TableSpec, rowIndex: number, column: string, type: LakeColumnType, value: unknown) {
  const fail = (problem: string): never => {
    throw new LakeRowError(spec, rowIndex, column, problem);
  };
  if (type.endsWith("[]")) {
    if (value === null || value === undefined) return null;
    if (!Array.isArray(value)) return fail("expected an array");
    return value.map((item: unknown) => {
      const converted = toStagingScalar(baseType(type), item);
      return converted.ok ? converted.value : fail(converted.problem);
    });
  }
  const converted = toStagingScalar(type, value);
  return converted.ok ? converted.value : fail(converted.problem);
}

/** Type declared to read_json: TIMESTAMP arrives as text and is cast afterwards. */
function stagingType(type: LakeColumnType): string {
  return type.replace(/^TIMESTAMP/, "VARCHAR");
}

/** Expression turning the staged column into the spec's type. */
export function castFromStaging(column: string, type: LakeColumnType): string {
  const quoted = quoteIdentifier(column);
  if (baseType(type) !== "TIMESTAMP") return quoted;
  const list = type.endsWith("[]") ? "[]" : "";
  return `CAST(CAST(${quoted} AS TIMESTAMPTZ${list}) AS TIMESTAMP${list})`;
}

/**
 * Creates (or replaces) temp table `tableName` holding `rows`, typed by `spec`,
 * plus ROW_ORDINAL_COLUMN. Returns the row count.
 */
export async function stageRows(
  connection: DuckDBConnection,
  spec: TableSpec,
  rows: readonly LakeInputRow[],
  tableName: string,
): Promise<number> {
  const columns = Object.entries(spec.columns);
  const directory = await mkdtemp(join(tmpdir(), "lake-stage-"));
  const file = join(directory, "rows.ndjson");
  try {
    // Written a chunk at a time: a batch of raw records is tens of MB of JSON, and
    // holding all its lines plus their concatenation doubled the sync's heap.
    const handle = await open(file, "w");
    try {
      let chunk: string[] = [];
      for (const [rowIndex, row] of rows.entries()) {
        const staged: Record<string, unknown> = { [ROW_ORDINAL_COLUMN]: rowIndex };
        for (const [column, type] of columns) staged[column] = toStagingValue(spec, rowIndex, column, type, columnValue(row, column));
        chunk.push(JSON.stringify(staged));
        if (chunk.length >= STAGING_CHUNK_ROWS) {
          await handle.write(`${chunk.join("\n")}\n`);
          chunk = [];
        }
      }
      if (chunk.length > 0) await handle.write(`${chunk.join("\n")}\n`);
    } finally {
      await handle.close();
    }
    const columnTypes = [
      `${quoteLiteral(ROW_ORDINAL_COLUMN)}: 'BIGINT'`,
      ...columns.map(([column, type]) => `${quoteLiteral(column)}: ${quoteLiteral(stagingType(type))}`),
    ].join(", ");
    const selectList = [
      quoteIdentifier(ROW_ORDINAL_COLUMN),
      ...columns.map(([column, type]) => `${castFromStaging(column, type)} AS ${quoteIdentifier(column)}`),
    ].join(", ");
    if (rows.length === 0) {
      const empty = columns.map(([column, type]) => `CAST(NULL AS ${type}) AS ${quoteIdentifier(column)}`).join(", ");
      await connection.run(`CREATE OR REPLACE TEMP TABLE ${quoteIdentifier(tableName)} AS SELECT CAST(NULL AS BIGINT) AS ${quoteIdentifier(ROW_ORDINAL_COLUMN)}, ${empty} WHERE false`);
      return 0;
    }
    // One staged row (a raw record included) may be up to 64 MB; DuckDB reserves twice
    // that for its read buffer, which must fit under the lake writer's memory limit.
    await connection.run(
      `CREATE OR REPLACE TEMP TABLE ${quoteIdentifier(tableName)} AS SELECT ${selectList} FROM read_json(${quoteLiteral(file)}, format = 'newline_delimited', records = true, maximum_object_size = 67108864, columns = {${columnTypes}})`,
    );
    return rows.length;
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}
