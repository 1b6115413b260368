/**
 * What every loader in src/data shares: a DuckDB over the marts, the day the
 * pages' presets end on, and writing the result to stdout (Framework keeps it as
 * the loader's file). Not a loader itself (no double extension).
 */
import { DuckDBTypeId } from "@duckdb/node-api";
import { Bool, Dictionary, Float64, Int32, Table, Utf8, type Vector, tableToIPC, vectorFromArray } from "apache-arrow";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import { queryToArrowIPC, queryToParquet, writeStdout } from "../../data-loaders/publish.js";
import { MartsMissingError, openMarts, readMartsManifestSync, siteLakeRoot } from "../../data-loaders/site.js";
import { addDays, lastCompleteDay, presetSegments } from "../components/dates.js";
import type { Periods } from "../components/measure-sql.js";

/** The marts' build time; the loaders fail (and with them the build) without marts. */
export function martsBuiltAt(): string {
  const manifest = readMartsManifestSync();
  if (!manifest) throw new MartsMissingError(siteLakeRoot());
  return manifest.builtAt;
}

/** The last complete UTC day when the marts were built: where the date presets end. */
export function anchorDay(): string {
  return lastCompleteDay(martsBuiltAt());
}

/**
 * The pages offer ranges within the last SELECTABLE_HISTORY_DAYS (13 months) and
 * compare them with the period before, so the loaders publish twice that and no
 * more: the site's weight stops growing with the lake's age.
 */
export const SELECTABLE_HISTORY_DAYS = 400;
export const PUBLISHED_HISTORY_DAYS = 2 * SELECTABLE_HISTORY_DAYS;

/** A WHERE condition keeping the days the pages can use (and dropping NULL days). */
export function published(dateColumn: string): string {
  return `${dateColumn} >= DATE '${addDays(anchorDay(), -(PUBLISHED_HISTORY_DAYS - 1))}'`;
}

/**
 * The first day ("YYYY-MM-DD") of the preset span a DATE column falls in, NULL
 * outside the presets' window (see dates.presetSegments): preset files group by
 * it instead of by day, so their rows carry the span's first day as `date`.
 */
export function presetSegment(dateColumn: string): string {
  const spans = presetSegments(anchorDay()).map(({ from, to }) => `WHEN ${dateColumn} BETWEEN DATE '${from}' AND DATE '${to}' THEN '${from}'`);
  return `(CASE ${spans.join(" ")} END)`;
}

/** A WHERE condition keeping the presets' window (the last 180 days before the anchor). */
export function inPresetWindow(dateColumn: string): string {
  return `${presetSegment(dateColumn)} IS NOT NULL`;
}

/** Rows per UTC day over the published days: the day-level files for custom dates. */
export const BY_DAY: Periods = { period: day, keep: published };
/** Rows per UTC day over the presets' window: the filter files' trends. */
export const BY_DAY_IN_PRESET_WINDOW: Periods = { period: day, keep: inPresetWindow };
/** Rows per preset span (`date` is the span's first day): the preset and filter files. */
export const BY_PRESET_SPAN: Periods = { period: presetSegment, keep: inPresetWindow };

/**
 * Which of `tiers` a parameterised loader (`src/data/<subject>-[tier].<ext>.ts`)
 * is asked for: Framework passes the route's `[tier]` as `--tier=<value>`.
 */
export function tierOf<Tier extends string>(tiers: Readonly<Record<Tier, unknown>>): Tier {
  const { values } = parseArgs({ options: { tier: { type: "string" } } });
  const tier = values.tier;
  if (tier === undefined || !Object.hasOwn(tiers, tier)) {
    throw new Error(`no such file tier: ${tier ?? "(none)"}; this loader makes ${Object.keys(tiers).join(", ")}`);
  }
  return tier as Tier;
}

/** Runs `sql` over the marts and writes the result to stdout as Parquet (zstd). */
export async function publishParquet(sql: string): Promise<void> {
  const db = await openMarts();
  try {
    await writeStdout(await queryToParquet(db.connection, sql));
  } finally {
    db.close();
  }
}

/** Runs `sql` over the marts and writes the result to stdout as Arrow IPC, for a page's `sql:` front matter. */
export async function publishArrow(sql: string): Promise<void> {
  const db = await openMarts();
  try {
    await writeStdout(await queryToArrowIPC(db.connection, sql));
  } finally {
    db.close();
  }
}

/**
 * Runs `sql` over the marts and writes the result as a gzip-compressed Arrow IPC
 * stream (`*.arrow.gz`), what the dashboard pages read with `loadRows` from
 * components/data-file.js. Arrow needs no WebAssembly in the browser (Parquet
 * needs parquet-wasm's 5.5 MB module, compiled before any chart), and the
 * browser's own DecompressionStream undoes the gzip. Text columns are
 * dictionary-encoded and numbers kept as Int32 where they are integers, so the
 * file compresses almost as well as Parquet.
 */
export async function publishArrowGzip(sql: string): Promise<void> {
  const db = await openMarts();
  try {
    const reader = await db.connection.runAndReadAll(sql);
    const names = reader.columnNames();
    const types = reader.columnTypes();
    const columns = reader.getColumnsJS();
    const vectors: Record<string, Vector> = {};
    names.forEach((name, index) => {
      vectors[name] = arrowColumn(name, types[index]?.typeId, columns[index] ?? []);
    });
    await writeStdout(gzipSync(tableToIPC(new Table(vectors), "stream"), { level: 9 }));
  } finally {
    db.close();
  }
}

const INTEGER_TYPES = new Set([DuckDBTypeId.TINYINT, DuckDBTypeId.SMALLINT, DuckDBTypeId.INTEGER, DuckDBTypeId.UTINYINT, DuckDBTypeId.USMALLINT]);
const FLOAT_TYPES = new Set([DuckDBTypeId.FLOAT, DuckDBTypeId.DOUBLE, DuckDBTypeId.BIGINT, DuckDBTypeId.UINTEGER, DuckDBTypeId.HUGEINT, DuckDBTypeId.DECIMAL]);

/** One result column as an Arrow vector of the smallest type that keeps its values. */
function arrowColumn(name: string, typeId: DuckDBTypeId | undefined, values: readonly unknown[]): Vector {
  const numbers = () => values.map((value) => (value === null || value === undefined ? null : Number(value)));
  if (typeId === DuckDBTypeId.VARCHAR) {
    return vectorFromArray(values.map((value) => (value === null || value === undefined ? null : String(value))), new Dictionary(new Utf8(), new Int32()));
  }
  if (typeId !== undefined && INTEGER_TYPES.has(typeId)) return vectorFromArray(numbers(), new Int32());
  if (typeId !== undefined && FLOAT_TYPES.has(typeId)) return vectorFromArray(numbers(), new Float64());
  if (typeId === DuckDBTypeId.BOOLEAN) return vectorFromArray(values.map((value) => (value === null || value === undefined ? null : Boolean(value))), new Bool());
  throw new Error(`column ${name}: DuckDB type ${typeId === undefined ? "unknown" : DuckDBTypeId[typeId]} has no Arrow mapping here; cast it in the loader's SQL`);
}

export async function publishJson(value: unknown): Promise<void> {
  await writeStdout(new TextEncoder().encode(`${JSON.stringify(value)}\n`));
}

/** A DATE column as the "YYYY-MM-DD" text the pages compare. */
export function day(column: string): string {
  return `strftime(${column}, '%Y-%m-%d')`;
}
