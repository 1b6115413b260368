/**
 * Where everything lives under the lake root:
 *
 *   <root>/_provenance.json                                           what filled the lake: demo or configured sources (provenance.ts)
 *   <root>/_lake.lock                                                 the one writer's lock (lock.ts)
 *   <root>/source=<source>/table=<table>/_table.json                 table spec (readers dedupe with it)
 *   <root>/source=<source>/table=<table>/_inventory.json             files, rows and checksums the writer committed (inventory.ts)
 *   <root>/source=<source>/table=<table>/month=YYYY-MM/part-<h>.parquet  the live data of one month
 *   <root>/_state/source=<source>/state.json                          per-source sync state
 *   <root>/_raw/source=<source>/run=<runId>/part-NNNNN.ndjson.gz      raw response archive
 *   <root>/_damaged/<runId>/source=…/month=…/part-<h>.parquet         damaged files a replay set aside
 *
 * `<h>` is a hash of (source, table, month): one fixed name per partition, so a
 * rewrite replaces it with a single atomic rename (see upsert.ts for why).
 * Names starting with "_" or "." are ignored by Hive-style readers.
 */
import { createHash } from "node:crypto";
import { join } from "node:path";

const IDENTIFIER = /^[a-z][a-z0-9_]{0,62}$/;

/**
 * DuckDB expands glob characters in every path it reads, so a root containing them
 * would read the wrong files; refuse it instead.
 */
export function assertLakeRoot(root: string): void {
  if (root === "" || /[*?[\]{}]/.test(root)) {
    throw new Error(`Invalid lake root "${root}": it must be non-empty and free of glob characters (* ? [ ] { })`);
  }
}

export function assertLakeIdentifier(kind: string, value: string): void {
  if (!IDENTIFIER.test(value)) {
    throw new Error(`Invalid lake ${kind} name "${value}": use lower-case letters, digits and "_", starting with a letter`);
  }
}

export function tableDirectory(root: string, source: string, table: string): string {
  assertLakeRoot(root);
  assertLakeIdentifier("source", source);
  assertLakeIdentifier("table", table);
  return join(root, `source=${source}`, `table=${table}`);
}

export function partitionDirectory(root: string, source: string, table: string, month: string): string {
  if (!/^\d{4}-\d{2}$/.test(month)) throw new Error(`Invalid month partition "${month}"`);
  return join(tableDirectory(root, source, table), `month=${month}`);
}

export function canonicalPartFileName(source: string, table: string, month: string): string {
  const hash = createHash("sha256").update(`${source}\u0000${table}\u0000${month}`).digest("hex").slice(0, 16);
  return `part-${hash}.parquet`;
}

export function tableSpecPath(root: string, source: string, table: string): string {
  return join(tableDirectory(root, source, table), "_table.json");
}

/** Glob of a table's live files (temporary files start with "." and never match). */
export function liveFilesGlob(root: string, source: string, table: string): string {
  return join(tableDirectory(root, source, table), "month=*", "part-*.parquet");
}

export function stateFilePath(root: string, source: string): string {
  assertLakeIdentifier("source", source);
  return join(root, "_state", `source=${source}`, "state.json");
}

export function rawSourceDirectory(root: string, source: string): string {
  assertLakeIdentifier("source", source);
  return join(root, "_raw", `source=${source}`);
}

const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export function rawRunDirectory(root: string, source: string, runId: string): string {
  if (!RUN_ID.test(runId)) throw new Error(`Invalid run id "${runId}": letters, digits, ".", "_" and "-" only`);
  return join(rawSourceDirectory(root, source), `run=${runId}`);
}
