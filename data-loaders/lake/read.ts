/**
 * Read side: a DuckDB session with one view per lake table, `<source>.<table>`,
 * over the table's Parquet files. Views return one row per primary key, the newest
 * `_ingested_at` winning, so a duplicate a crash may have left behind (see
 * upsert.ts) never reaches a reader. A `quarantine` view in `main` spans all sources.
 */
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { createOfflineDuckDB, quoteIdentifier, quoteLiteral, type OfflineDuckDB } from "./duckdb.js";
import { assertLakeRoot, liveFilesGlob, tableDirectory } from "./layout.js";
import { INGESTED_AT_COLUMN, readTableSpec, type TableSpec } from "./table-spec.js";
import { listLiveFiles, liveRowsRelation, newestFirstOrder } from "./upsert.js";

export interface LakeTableRef {
  source: string;
  table: string;
}

export interface LakeReader extends OfflineDuckDB {
  /** Tables with a view, as `<source>.<table>`. */
  tables: LakeTableRef[];
}

async function subdirectoryValues(path: string, key: string): Promise<string[]> {
  let entries: string[];
  try {
    entries = await readdir(path);
  } catch {
    return [];
  }
  const prefix = `${key}=`;
  return entries.filter((entry) => entry.startsWith(prefix)).map((entry) => entry.slice(prefix.length)).sort();
}

/** Tables that have a stored spec (`_table.json`), whether or not they hold rows yet. */
export async function listLakeTables(root: string): Promise<LakeTableRef[]> {
  const tables: LakeTableRef[] = [];
  for (const source of await subdirectoryValues(root, "source")) {
    for (const table of await subdirectoryValues(join(root, `source=${source}`), "table")) {
      if ((await readTableSpec(root, source, table).catch(() => undefined)) !== undefined) tables.push({ source, table });
    }
  }
  return tables;
}

/** True when the table has at least one live Parquet file, i.e. reading it yields its columns. */
export async function lakeTableExists(root: string, source: string, table: string): Promise<boolean> {
  tableDirectory(root, source, table); // validates the names
  return (await listLiveFiles(root, source, table)).length > 0;
}

/** SELECT returning the deduplicated rows of one table (spec columns plus `_ingested_at`). */
export function dedupedTableSql(root: string, spec: TableSpec, hasFiles: boolean): string {
  const columns = [...Object.keys(spec.columns), INGESTED_AT_COLUMN].map(quoteIdentifier).join(", ");
  if (!hasFiles) {
    const typed = [
      ...Object.entries(spec.columns).map(([name, type]) => `CAST(NULL AS ${type}) AS ${quoteIdentifier(name)}`),
      `CAST(NULL AS TIMESTAMP) AS ${quoteIdentifier(INGESTED_AT_COLUMN)}`,
    ].join(", ");
    return `SELECT ${typed} WHERE false`;
  }
  const keys = spec.primaryKey.map(quoteIdentifier).join(", ");
  const live = liveRowsRelation(spec, liveFilesGlob(root, spec.source, spec.name));
  // The glob is expanded at query time, so the view follows later writes of the same table.
  // The winners are picked from the keys alone, then the rows are read again by file and
  // row number: a window over whole rows would hold every raw record in memory at once.
  return `SELECT ${columns} FROM ${live} live SEMI JOIN (
      SELECT filename, file_row_number FROM (
        SELECT filename, file_row_number, row_number() OVER (PARTITION BY ${keys} ORDER BY ${newestFirstOrder()}) AS version
        FROM ${live} keyed
      ) WHERE version = 1
    ) winners USING (filename, file_row_number)`;
}

export interface LakeReaderOptions {
  /**
   * A database file instead of memory: for work that materializes more than fits
   * in RAM (the models), so DuckDB can spill to disk under its memory limit.
   */
  databasePath?: string;
  /** DuckDB's memory_limit, e.g. "512MB". */
  memoryLimit?: string;
}

/**
 * Opens a DuckDB (in memory unless told otherwise) over the lake at `root` with
 * views `<source>.<table>` and `main.quarantine`. Close it with `close()`.
 */
export async function openLakeDuckDB(root: string, options: LakeReaderOptions = {}): Promise<LakeReader> {
  assertLakeRoot(root);
  const db = await createOfflineDuckDB(options.databasePath);
  if (options.memoryLimit) await db.connection.run(`SET memory_limit = ${quoteLiteral(options.memoryLimit)}`);
  const tables: LakeTableRef[] = [];
  const quarantineParts: string[] = [];
  try {
    for (const ref of await listLakeTables(root)) {
      const spec = await readTableSpec(root, ref.source, ref.table);
      if (!spec) continue;
      const hasFiles = await lakeTableExists(root, ref.source, ref.table);
      await db.connection.run(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(ref.source)}`);
      await db.connection.run(
        `CREATE OR REPLACE VIEW ${quoteIdentifier(ref.source)}.${quoteIdentifier(ref.table)} AS ${dedupedTableSql(root, spec, hasFiles)}`,
      );
      tables.push(ref);
      if (ref.table === "quarantine") {
        quarantineParts.push(`SELECT ${quoteLiteral(ref.source)} AS source, * FROM ${quoteIdentifier(ref.source)}.quarantine`);
      }
    }
    if (quarantineParts.length > 0) {
      await db.connection.run(`CREATE OR REPLACE VIEW main.quarantine AS ${quarantineParts.join(" UNION ALL BY NAME ")}`);
    }
  } catch (error) {
    db.close();
    throw error;
  }
  return { ...db, tables };
}
