import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createOfflineDuckDB, quoteLiteral } from "../../data-loaders/lake/duckdb.js";
import { openLakeDuckDB } from "../../data-loaders/lake/read.js";
import type { TableSpec } from "../../data-loaders/lake/table-spec.js";
import type { Json } from "@duckdb/node-api";

export async function makeTempDir(prefix = "lake-test-"): Promise<{ path: string; cleanup: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, cleanup: () => rm(path, { recursive: true, force: true }) };
}

export const sessionsSpec: TableSpec = {
  source: "upscope",
  name: "sessions",
  primaryKey: ["id"],
  partitionColumn: "started_at",
  columns: {
    id: "VARCHAR",
    started_at: "TIMESTAMP",
    duration_s: "BIGINT",
    agent_ids: "VARCHAR[]",
    score: "DOUBLE",
    note: "VARCHAR",
  },
};

/** Rows of a table through the reader views (deduplicated), data columns only, ordered by key. */
export async function readTable(root: string, source: string, table: string, orderBy = "id"): Promise<Array<Record<string, Json>>> {
  const reader = await openLakeDuckDB(root);
  try {
    return await reader.queryRows(`SELECT * EXCLUDE (_ingested_at) FROM "${source}"."${table}" ORDER BY ${orderBy}`);
  } finally {
    reader.close();
  }
}

/** Every row physically present in the table's live files, no deduplication. */
export async function readRawFiles(root: string, source: string, table: string): Promise<Array<Record<string, Json>>> {
  const db = await createOfflineDuckDB();
  try {
    const glob = join(root, `source=${source}`, `table=${table}`, "month=*", "part-*.parquet");
    return await db.queryRows(`SELECT * FROM read_parquet(${quoteLiteral(glob)}, hive_partitioning = true) ORDER BY ALL`);
  } catch (error) {
    if (error instanceof Error && /No files found/.test(error.message)) return [];
    throw error;
  } finally {
    db.close();
  }
}

/** All file paths under `dir`, relative, sorted. */
export async function listTree(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1))
    .sort();
}
