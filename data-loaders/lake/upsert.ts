/**
 * Idempotent merge by primary key into the month-partitioned Parquet files.
 *
 * Storage rule: each month partition has ONE live file with a fixed name
 * (`part-<hash of source/table/month>.parquet`). Rewriting a month means: COPY the
 * merged rows to `.tmp-<uuid>.parquet` in the same directory, fsync, rename(2) it
 * over the fixed name, fsync the directory. Because rename replaces the target
 * atomically, there is no moment with two live files of the same month, and no
 * reader (DuckDB, Spark, Trino, all of which skip "."-files) can see a partial one.
 *
 * Every row carries `_ingested_at` (when that version was written, strictly
 * increasing across upserts). Readers keep, per key, the row with the newest
 * `_ingested_at` (see read.ts), so any leftover duplicate is harmless on read.
 *
 * One upsert:
 *   0. delete `.tmp-*` leftovers of earlier crashes (never referenced by anything);
 *   1. for each month that receives rows: live rows of that month minus the incoming
 *      keys, plus the incoming rows -> rewrite the month;
 *   2. repair: find every row that is not the newest version of its key anywhere in
 *      the table (a record that moved month, or leftovers of a crash) and rewrite the
 *      months holding them without those rows; also fold any extra or foreign
 *      `part-*` files of a month into its canonical file.
 *
 * Crash safety, at any instant:
 *   - during COPY or before the rename: only a `.tmp-` file exists beside the old
 *     live file -> readers see the old data; step 0 of the next upsert removes it;
 *   - after the rename of month A but before month B: A holds new versions, B old
 *     ones. Every record is present exactly once in its old or new version;
 *   - after step 1 but before step 2 finishes (a record moved from month A to B):
 *     the record is in both months; readers return only the newer (B) row, and
 *     step 2 of the next upsert (whatever rows it carries) deletes the stale copy.
 *     Step 1 never removes a key from a month other than the one it writes, so a
 *     moving record can be duplicated by a crash but never lost.
 * A whole batch is therefore not atomic, but per record the lake always holds the
 * old or the new version, and re-running the same upsert converges to the same
 * files. Assumes one writer per table at a time (the sync process).
 */
import { mkdir, rename, rm, rmdir } from "node:fs/promises";
import { join } from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import { quoteIdentifier, quoteLiteral } from "./duckdb.js";
import { fsyncDirectory, fsyncFile, TEMP_FILE_PREFIX, tempPathBeside } from "./fs-atomic.js";
import { listDirectory, listLiveFiles, MONTH_DIRECTORY, PART_FILE, type LiveFile } from "./files.js";
import { fingerprintFile, LakeDamageError, TableInventoryHandle } from "./inventory.js";

export { listLiveFiles } from "./files.js";
import { canonicalPartFileName, partitionDirectory, tableDirectory } from "./layout.js";
import { ROW_ORDINAL_COLUMN, stageRows, type LakeInputRow } from "./staging.js";
import { INGESTED_AT_COLUMN, validateTableSpec, writeTableSpec, type TableSpec } from "./table-spec.js";

export interface UpsertOptions {
  /** Clock for `_ingested_at`; injectable for tests. */
  now?: () => Date;
  /**
   * A column (e.g. `content_hash`): incoming rows whose key's newest stored version has
   * the same value there are left out, so a re-fetch that changed nothing rewrites no
   * month. `rowsWritten` then counts only the rows that changed.
   */
  skipUnchangedBy?: string;
  /** Test hook: called between steps, so a test can stop the upsert at a chosen point. */
  onStep?: (step: UpsertStep) => void | Promise<void>;
}

export type UpsertStep =
  | { kind: "staged"; rows: number }
  /** The inventory records the month's new file as pending; the rename has not happened yet. */
  | { kind: "month-pending"; month: string }
  /** The month's new file is in place; the inventory does not record it as committed yet. */
  | { kind: "month-renamed"; month: string }
  | { kind: "month-written"; phase: "merge" | "repair"; month: string };

export interface UpsertResult {
  /** Distinct keys written (duplicates inside the batch collapse to the last one). */
  rowsWritten: number;
  /** Months rewritten to merge the batch. */
  monthsMerged: string[];
  /** Months rewritten by the repair step. */
  monthsRepaired: string[];
  /** Stale rows removed by the repair step (moved records, crash leftovers). */
  staleRowsRemoved: number;
}

/** Rows per Parquet row group in the lake's month files (DuckDB's default is 122,880). */
const LAKE_ROW_GROUP_ROWS = 4096;
const INCOMING = "lake_incoming";
const STALE = "lake_stale_rows";

/** Deletes temp files a crash left anywhere under the table directory. */
async function removeTempLeftovers(root: string, spec: TableSpec): Promise<void> {
  const directory = tableDirectory(root, spec.source, spec.name);
  for (const entry of await listDirectory(directory)) {
    if (entry.startsWith(TEMP_FILE_PREFIX)) await rm(join(directory, entry), { force: true });
    if (!MONTH_DIRECTORY.test(entry)) continue;
    for (const name of await listDirectory(join(directory, entry))) {
      if (name.startsWith(TEMP_FILE_PREFIX)) await rm(join(directory, entry, name), { force: true });
    }
  }
}

function dataColumns(spec: TableSpec): string[] {
  return Object.keys(spec.columns);
}

/**
 * Relation over Parquet files with exactly the spec's columns plus `_ingested_at`,
 * `filename` and `file_row_number`. The empty, typed UNION ALL BY NAME branch fills
 * columns an older file lacks (schema evolution, files from outside the lake) with NULL.
 */
export function liveRowsRelation(spec: TableSpec, files: readonly string[] | string): string {
  const fileList = typeof files === "string" ? quoteLiteral(files) : `[${files.map(quoteLiteral).join(", ")}]`;
  const typedEmpty = [
    ...Object.entries(spec.columns).map(([name, type]) => `CAST(NULL AS ${type}) AS ${quoteIdentifier(name)}`),
    `CAST(NULL AS TIMESTAMP) AS ${quoteIdentifier(INGESTED_AT_COLUMN)}`,
    `CAST(NULL AS VARCHAR) AS filename`,
    `CAST(NULL AS BIGINT) AS file_row_number`,
  ].join(", ");
  const projection = [...dataColumns(spec), INGESTED_AT_COLUMN, "filename", "file_row_number"].map(quoteIdentifier).join(", ");
  return `(SELECT ${projection} FROM (SELECT * FROM read_parquet(${fileList}, hive_partitioning = false, union_by_name = true, filename = true, file_row_number = true) UNION ALL BY NAME SELECT ${typedEmpty} WHERE false))`;
}

/** Ordering that picks the surviving version of a key, shared by writer and readers. */
export function newestFirstOrder(): string {
  // filename contains month=YYYY-MM, so among equal timestamps the later month wins; then the later row.
  return `${quoteIdentifier(INGESTED_AT_COLUMN)} DESC NULLS LAST, filename DESC, file_row_number DESC`;
}

function keyEquality(spec: TableSpec, left: string, right: string): string {
  return spec.primaryKey.map((key) => `${left}.${quoteIdentifier(key)} = ${right}.${quoteIdentifier(key)}`).join(" AND ");
}

function keyList(spec: TableSpec): string {
  return spec.primaryKey.map(quoteIdentifier).join(", ");
}

async function scalar(connection: DuckDBConnection, sql: string): Promise<string | null> {
  const rows = (await connection.runAndReadAll(sql)).getRowsJson();
  const value = rows[0]?.[0];
  return value === undefined || value === null ? null : String(value);
}

/**
 * Writes `selectSql` as the month's single live file (or removes the month when empty),
 * recording the change in the table's inventory before the rename (pending) and after
 * it (committed), so a kill between the two is recognised, not taken for damage.
 */
async function rewriteMonth(
  connection: DuckDBConnection,
  root: string,
  spec: TableSpec,
  month: string,
  selectSql: string,
  inventory: TableInventoryHandle,
  options: UpsertOptions,
): Promise<number> {
  const directory = partitionDirectory(root, spec.source, spec.name, month);
  await mkdir(directory, { recursive: true });
  const canonical = join(directory, canonicalPartFileName(spec.source, spec.name, month));
  const tempPath = tempPathBeside(canonical, ".parquet");
  // Other part files of this month are merged into the canonical file now (or were stale).
  const others = (await listDirectory(directory)).filter((name) => PART_FILE.test(name) && join(directory, name) !== canonical).map((name) => join(directory, name));
  let rowCount: number;
  try {
    // Small row groups: a month of raw records is hundreds of MB, and both this writer
    // and every reader (the models) hold a row group at a time per thread.
    const copied = await scalar(connection, `COPY (${selectSql}) TO ${quoteLiteral(tempPath)} (FORMAT parquet, ROW_GROUP_SIZE ${LAKE_ROW_GROUP_ROWS})`);
    rowCount = Number(copied ?? "0");
    if (rowCount > 0) {
      await fsyncFile(tempPath);
      await inventory.beginReplace({ path: canonical, month, rows: rowCount, fingerprint: await fingerprintFile(tempPath) }, others);
      await options.onStep?.({ kind: "month-pending", month });
      await rename(tempPath, canonical);
      await fsyncDirectory(directory);
      await options.onStep?.({ kind: "month-renamed", month });
    } else {
      await inventory.beginReplace(undefined, [canonical, ...others]);
      await rm(canonical, { force: true });
    }
  } finally {
    await rm(tempPath, { force: true });
  }
  for (const other of others) await rm(other, { force: true });
  await fsyncDirectory(directory);
  await inventory.commitReplace();
  if ((await listDirectory(directory)).length === 0) await rmdir(directory).catch(() => {});
  return rowCount;
}

/** Merges `rows` into the table, newest version per primary key winning. */
export async function upsertRecords(
  connection: DuckDBConnection,
  root: string,
  spec: TableSpec,
  rows: readonly LakeInputRow[],
  options: UpsertOptions = {},
): Promise<UpsertResult> {
  validateTableSpec(spec);
  const now = options.now ?? (() => new Date());
  const result: UpsertResult = { rowsWritten: 0, monthsMerged: [], monthsRepaired: [], staleRowsRemoved: 0 };
  await mkdir(tableDirectory(root, spec.source, spec.name), { recursive: true });
  await writeTableSpec(root, spec);
  await removeTempLeftovers(root, spec);
  // Before anything is merged: a month file that is missing or not what was written
  // would make the merge rewrite its month without the rows it held.
  const inventory = await TableInventoryHandle.open(root, spec.source, spec.name, connection);
  if (inventory.blockingDamages.length > 0) throw new LakeDamageError(inventory.blockingDamages);

  const staged = await stageRows(connection, spec, rows, `${INCOMING}_raw`);
  const keys = keyList(spec);
  const partition = quoteIdentifier(spec.partitionColumn);
  const nullProblem = await scalar(
    connection,
    `SELECT count(*) FROM ${quoteIdentifier(`${INCOMING}_raw`)} WHERE ${[...spec.primaryKey, spec.partitionColumn]
      .map((column) => `${quoteIdentifier(column)} IS NULL`)
      .join(" OR ")}`,
  );
  if (Number(nullProblem) > 0) {
    throw new Error(
      `${spec.source}.${spec.name}: ${nullProblem} row(s) with a null primary key (${spec.primaryKey.join(", ")}) or partition column (${spec.partitionColumn})`,
    );
  }
  await connection.run(
    `CREATE OR REPLACE TEMP TABLE ${INCOMING} AS SELECT * EXCLUDE (${quoteIdentifier(ROW_ORDINAL_COLUMN)}), strftime(${partition}, '%Y-%m') AS __month FROM ${quoteIdentifier(`${INCOMING}_raw`)} QUALIFY row_number() OVER (PARTITION BY ${keys} ORDER BY ${quoteIdentifier(ROW_ORDINAL_COLUMN)} DESC) = 1`,
  );
  await connection.run(`DROP TABLE ${quoteIdentifier(`${INCOMING}_raw`)}`);
  await options.onStep?.({ kind: "staged", rows: staged });

  const columnsOut = [...dataColumns(spec), INGESTED_AT_COLUMN].map(quoteIdentifier).join(", ");
  let liveFiles = await listLiveFiles(root, spec.source, spec.name);
  if (staged > 0 && options.skipUnchangedBy !== undefined && liveFiles.length > 0) {
    await dropUnchanged(connection, spec, liveFiles, options.skipUnchangedBy);
  }
  const incomingRows = Number(await scalar(connection, `SELECT count(*) FROM ${INCOMING}`));
  if (incomingRows > 0) {
    // Strictly after every version already stored, even if the clock went backwards.
    const maxStored =
      liveFiles.length > 0
        ? await scalar(
            connection,
            `SELECT CAST(max(${quoteIdentifier(INGESTED_AT_COLUMN)}) + INTERVAL 1 MICROSECOND AS VARCHAR) FROM ${liveRowsRelation(spec, liveFiles.map((file) => file.path))}`,
          )
        : null;
    const clock = now().toISOString().replace("T", " ").replace("Z", "");
    const ingestedAt = await scalar(
      connection,
      `SELECT CAST(greatest(CAST(${quoteLiteral(clock)} AS TIMESTAMP), CAST(${quoteLiteral(maxStored ?? clock)} AS TIMESTAMP)) AS VARCHAR)`,
    );
    const ingestedAtLiteral = `CAST(${quoteLiteral(ingestedAt ?? clock)} AS TIMESTAMP)`;
    const months = ((await connection.runAndReadAll(`SELECT DISTINCT __month FROM ${INCOMING} ORDER BY 1`)).getRowsJson()).map((row) => String(row[0]));
    result.rowsWritten = incomingRows;

    // Step 1: merge each receiving month.
    for (const month of months) {
      const monthFiles = liveFiles.filter((file) => file.month === month).map((file) => file.path);
      const incomingRows = `SELECT ${dataColumns(spec).map(quoteIdentifier).join(", ")}, ${ingestedAtLiteral} AS ${quoteIdentifier(INGESTED_AT_COLUMN)} FROM ${INCOMING} WHERE __month = ${quoteLiteral(month)}`;
      const keptRows =
        monthFiles.length === 0
          ? undefined
          : `SELECT ${columnsOut} FROM ${liveRowsRelation(spec, monthFiles)} AS live WHERE NOT EXISTS (SELECT 1 FROM ${INCOMING} AS incoming WHERE incoming.__month = ${quoteLiteral(month)} AND ${keyEquality(spec, "incoming", "live")})`;
      const merged = keptRows === undefined ? incomingRows : `${keptRows} UNION ALL ${incomingRows}`;
      await rewriteMonth(connection, root, spec, month, `SELECT * FROM (${merged}) ORDER BY ${keys}`, inventory, options);
      result.monthsMerged.push(month);
      await options.onStep?.({ kind: "month-written", phase: "merge", month });
    }
    liveFiles = await listLiveFiles(root, spec.source, spec.name);
  }
  await connection.run(`DROP TABLE IF EXISTS ${INCOMING}`);

  // Step 2: repair. Also runs for an empty batch, so `upsertRecords(spec, [])` repairs a table.
  // A batch that was all unchanged wrote nothing that could leave a stale copy: the
  // table-wide ranking waits for the next write (readers dedupe meanwhile).
  if (staged > 0 && incomingRows === 0) return result;
  const repaired = await removeStaleRows(connection, root, spec, liveFiles, inventory, options);
  result.monthsRepaired = repaired.months;
  result.staleRowsRemoved = repaired.staleRows;
  return result;
}

/**
 * Removes from the incoming batch the rows whose key's newest stored version (across
 * the whole table, as readers see it) has the same value in `column`. Only the stored
 * rows of incoming keys are ranked, so the cost is a scan of the key column.
 */
async function dropUnchanged(connection: DuckDBConnection, spec: TableSpec, liveFiles: readonly LiveFile[], column: string): Promise<void> {
  if (!(column in spec.columns)) throw new Error(`${spec.source}.${spec.name}: skipUnchangedBy names "${column}", which is not a column of the table`);
  const keys = keyList(spec);
  const compared = quoteIdentifier(column);
  const stored = `SELECT ${keys}, ${compared} FROM (SELECT live.* FROM ${liveRowsRelation(spec, liveFiles.map((file) => file.path))} AS live SEMI JOIN ${INCOMING} AS incoming ON ${keyEquality(spec, "incoming", "live")}) QUALIFY row_number() OVER (PARTITION BY ${keys} ORDER BY ${newestFirstOrder()}) = 1`;
  await connection.run(
    `DELETE FROM ${INCOMING} AS incoming USING (${stored}) AS stored WHERE ${keyEquality(spec, "incoming", "stored")} AND incoming.${compared} IS NOT DISTINCT FROM stored.${compared}`,
  );
}

/**
 * Deletes every row that is not the newest version of its key across the whole table,
 * and folds extra part files of a month into the canonical one.
 */
async function removeStaleRows(
  connection: DuckDBConnection,
  root: string,
  spec: TableSpec,
  liveFiles: readonly LiveFile[],
  inventory: TableInventoryHandle,
  options: UpsertOptions,
): Promise<{ months: string[]; staleRows: number }> {
  if (liveFiles.length === 0) return { months: [], staleRows: 0 };
  const keys = keyList(spec);
  const allFiles = liveFiles.map((file) => file.path);
  await connection.run(
    `CREATE OR REPLACE TEMP TABLE ${STALE} AS SELECT filename, file_row_number FROM (SELECT filename, file_row_number, row_number() OVER (PARTITION BY ${keys} ORDER BY ${newestFirstOrder()}) AS version_rank FROM ${liveRowsRelation(spec, allFiles)}) WHERE version_rank > 1`,
  );
  const staleFiles = new Set(((await connection.runAndReadAll(`SELECT DISTINCT filename FROM ${STALE}`)).getRowsJson()).map((row) => String(row[0])));
  const staleRows = Number(await scalar(connection, `SELECT count(*) FROM ${STALE}`));
  const months = [...new Set(liveFiles.map((file) => file.month))].sort();
  const repairedMonths: string[] = [];
  const columnsOut = [...dataColumns(spec), INGESTED_AT_COLUMN].map(quoteIdentifier).join(", ");
  for (const month of months) {
    const monthFiles = liveFiles.filter((file) => file.month === month);
    const canonicalName = canonicalPartFileName(spec.source, spec.name, month);
    const needsRewrite =
      monthFiles.length > 1 ||
      monthFiles.some((file) => staleFiles.has(file.path) || !file.path.endsWith(`/${canonicalName}`));
    if (!needsRewrite) continue;
    const selectSql = `SELECT ${columnsOut} FROM ${liveRowsRelation(spec, monthFiles.map((file) => file.path))} AS live WHERE NOT EXISTS (SELECT 1 FROM ${STALE} AS stale WHERE stale.filename = live.filename AND stale.file_row_number = live.file_row_number) ORDER BY ${keys}`;
    await rewriteMonth(connection, root, spec, month, selectSql, inventory, options);
    repairedMonths.push(month);
    await options.onStep?.({ kind: "month-written", phase: "repair", month });
  }
  await connection.run(`DROP TABLE IF EXISTS ${STALE}`);
  return { months: repairedMonths, staleRows };
}
