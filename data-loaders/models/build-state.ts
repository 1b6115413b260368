/**
 * The models kept between builds, so a night that brought a day of rows parses
 * only that day's raw records (the expensive part: one `from_json` per record).
 *
 * `<lake>/_models/models.duckdb` holds every model as a table (`staging.*`,
 * `marts.*`) and, in schema `models_state`, the build's state key and, per source
 * table read incrementally, the version (`_ingested_at`) of each primary key the
 * models were built from. A build compares those versions with the lake's newest
 * version per key (the same winner the lake's views pick): keys that are new,
 * changed or gone form the diff. Then, in ONE transaction:
 *   - every `@incremental_key` staging model is run over the diff's rows only (the
 *     source view is swapped for one over just those rows) and replaces its rows
 *     of the diff's keys;
 *   - every `@incremental_key` mart is run over those new staging rows only (its
 *     `staging.<name>` references read the delta tables) and replaces its rows of
 *     the diff's keys;
 *   - every other model is a view, so it needs no work: it is computed from the
 *     updated tables when its mart is written;
 *   - the stored versions are moved to the lake's.
 * A crash before COMMIT leaves the previous build intact and consistent with its
 * versions, so the next build redoes the same diff. The result equals a build from
 * scratch because an incremental model's rows of a key depend only on the source
 * record with that key (what its `@incremental_key` header asserts; loading checks
 * that it reads one source table keyed by that column, or only such staging models).
 *
 * Everything else is a full build into a fresh file: no file, a file DuckDB cannot
 * open or read, a state key that differs (the key hashes every model's SQL, the
 * macros, the publication settings, the source table specs and DuckDB's version),
 * `full` asked for (a replay or a --full sync), or a diff too large to be worth it.
 */
import { createHash } from "node:crypto";
import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import {
  dedupedTableSql,
  INGESTED_AT_COLUMN,
  listLiveFiles,
  liveRowsRelation,
  newestFirstOrder,
  openLakeDuckDB,
  quoteIdentifier,
  quoteLiteral,
  readTableSpec,
  type LakeReader,
  type TableSpec,
} from "../lake/index.js";
import { checkModelGrain } from "./grain.js";
import { ModelError } from "./model-error.js";
import type { Model } from "./model.js";
import { SOURCE_TABLES } from "./source-tables.js";

/** Bump when the layout of the persisted models or the meaning of the state changes. */
const STATE_FORMAT = "models-state-1";
const STATE_SCHEMA = "models_state";
const WORK_SCHEMA = "models_work";
/** How long a build waits for another build of the same lake to release the models file. */
const LOCK_WAIT_MS = 15 * 60_000;
/** Above this share of the source keys changed, a full build is cheaper than replacing rows. */
const FULL_BUILD_CHANGE_SHARE = 0.5;

export { ModelError };

export interface ModelsBuildReport {
  mode: "full" | "incremental";
  /** Why the build was full, or what the incremental build started from. */
  reason: string;
  /** Per source table read incrementally (`source.table`): keys new, changed or removed since the last build. */
  changedKeys: Record<string, number>;
}

/** Points of a build, for tests that stop it there (a crash) and check what the next build does. */
export type ModelsBuildStep =
  | { kind: "model-built"; mode: "full" | "incremental"; model: string }
  | { kind: "committed"; mode: "full" | "incremental" }
  | { kind: "mart-written"; mart: string };

export interface StateBuildSettings {
  publishText: boolean;
  publishIdentities: boolean;
  memoryLimit: string;
  threads: number;
  forceFull: boolean;
  onStep: (step: ModelsBuildStep) => void | Promise<void>;
  /** Runs on the built models after their commit (writes the marts). */
  publish: (db: LakeReader) => Promise<void>;
}

export function modelsStateDirectory(lakeRoot: string): string {
  return join(lakeRoot, "_models");
}

export function modelsDatabasePath(lakeRoot: string): string {
  return join(modelsStateDirectory(lakeRoot), "models.duckdb");
}

const ref = (model: Model) => `${model.layer}.${model.name}`;
const tableRef = (spec: TableSpec) => `${spec.source}.${spec.name}`;
const qualified = (schema: string, name: string) => `${quoteIdentifier(schema)}.${quoteIdentifier(name)}`;
const versionsTable = (spec: TableSpec) => qualified(STATE_SCHEMA, `versions__${spec.source}__${spec.name}`);
const diffTable = (spec: TableSpec) => qualified(WORK_SCHEMA, `diff__${spec.source}__${spec.name}`);
const deltaTable = (model: Model) => qualified(WORK_SCHEMA, `${model.layer}__${model.name}`);

/** Which source table each incremental model is keyed on; throws on a header the SQL does not support. */
function planIncremental(models: readonly Model[], specs: ReadonlyMap<string, TableSpec>): Map<string, TableSpec> {
  const keyedOn = new Map<string, TableSpec>();
  const byRef = new Map(models.map((model) => [ref(model), model]));
  for (const model of models) {
    const key = model.incrementalKey;
    if (key === undefined) continue;
    if (model.layer === "staging") {
      const reads = [...specs.values()].filter((spec) => new RegExp(`\\b${spec.source}\\.${spec.name}\\b`).test(model.sql));
      const spec = reads[0];
      if (reads.length !== 1 || spec === undefined || model.dependsOn.length > 0) {
        throw new ModelError(ref(model), "@incremental_key needs a model that reads exactly one source table and no other model");
      }
      if (spec.primaryKey.length !== 1 || spec.primaryKey[0] !== key) {
        throw new ModelError(ref(model), `@incremental_key ${key} is not the primary key of ${tableRef(spec)} (${spec.primaryKey.join(", ")})`);
      }
      keyedOn.set(ref(model), spec);
    } else {
      const sources = new Set(
        model.dependsOn.map((dependency) => {
          const read = byRef.get(dependency);
          const spec = keyedOn.get(dependency);
          if (!read || read.layer !== "staging" || read.incrementalKey !== key || !spec) {
            throw new ModelError(ref(model), `@incremental_key ${key} needs every model it reads to be a staging model with @incremental_key ${key}; ${dependency} is not`);
          }
          return spec;
        }),
      );
      const [spec] = sources;
      if (sources.size !== 1 || spec === undefined) throw new ModelError(ref(model), "@incremental_key needs staging models of one source table");
      keyedOn.set(ref(model), spec);
    }
  }
  return keyedOn;
}

/** Key, version and place of the newest row of each key in the lake (the row the lake's view returns). */
function winnersSql(spec: TableSpec, files: readonly string[]): string {
  const key = quoteIdentifier(spec.primaryKey[0] ?? "");
  const ingested = quoteIdentifier(INGESTED_AT_COLUMN);
  if (files.length === 0) {
    return `SELECT CAST(NULL AS ${spec.columns[spec.primaryKey[0] ?? ""] ?? "VARCHAR"}) AS ${key}, CAST(NULL AS TIMESTAMP) AS ${ingested}, CAST(NULL AS VARCHAR) AS filename, CAST(NULL AS BIGINT) AS file_row_number WHERE false`;
  }
  return `SELECT ${key}, ${ingested}, filename, file_row_number FROM (
      SELECT ${key}, ${ingested}, filename, file_row_number, row_number() OVER (PARTITION BY ${key} ORDER BY ${newestFirstOrder()}) AS version
      FROM ${liveRowsRelation(spec, files)}
    ) WHERE version = 1`;
}

interface SourceTable {
  spec: TableSpec;
  files: string[];
}

function stateKey(models: readonly Model[], macros: string, specs: ReadonlyMap<string, TableSpec>, settings: StateBuildSettings, duckdbVersion: string): string {
  const content = JSON.stringify({
    format: STATE_FORMAT,
    duckdbVersion,
    macros,
    models: models.map((model) => [ref(model), model.sql, model.incrementalKey ?? null]),
    sources: [...specs.entries()].sort(([a], [b]) => a.localeCompare(b)),
    publishText: settings.publishText,
    publishIdentities: settings.publishIdentities,
  });
  return createHash("sha256").update(content).digest("hex");
}

function isLockError(error: unknown): boolean {
  return error instanceof Error && /could not set lock|conflicting lock/i.test(error.message);
}

/**
 * One build at a time per lake: DuckDB locks the file, and a second build (a process
 * left over from a killed run, say) waits for the first to finish rather than fail.
 */
async function openWaitingForLock(lakeRoot: string, databasePath: string, memoryLimit: string): Promise<LakeReader> {
  const started = Date.now();
  for (;;) {
    try {
      return await openLakeDuckDB(lakeRoot, { databasePath, memoryLimit });
    } catch (error) {
      if (!isLockError(error) || Date.now() - started > LOCK_WAIT_MS) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

async function removeDatabase(path: string): Promise<void> {
  await rm(path, { force: true });
  await rm(`${path}.wal`, { force: true });
}

export async function buildIntoState(lakeRoot: string, models: readonly Model[], macros: string, settings: StateBuildSettings): Promise<ModelsBuildReport> {
  const directory = modelsStateDirectory(lakeRoot);
  const databasePath = modelsDatabasePath(lakeRoot);
  const spillDirectory = join(directory, "spill");
  await mkdir(directory, { recursive: true });
  await rm(spillDirectory, { recursive: true, force: true });

  // The source tables as the lake's views see them: the lake's stored spec when there is one.
  const specs = new Map<string, TableSpec>();
  for (const table of SOURCE_TABLES) specs.set(tableRef(table), (await readTableSpec(lakeRoot, table.source, table.name)) ?? table);
  const keyedOn = planIncremental(models, specs);
  const tracked = new Map<string, SourceTable>();
  for (const spec of keyedOn.values()) {
    if (!tracked.has(tableRef(spec))) tracked.set(tableRef(spec), { spec, files: (await listLiveFiles(lakeRoot, spec.source, spec.name)).map((file) => file.path) });
  }

  const open = async (): Promise<LakeReader> => {
    const db = await openWaitingForLock(lakeRoot, databasePath, settings.memoryLimit);
    try {
      const run = (sql: string) => db.connection.run(sql);
      await run(`SET temp_directory = ${quoteLiteral(spillDirectory)}`);
      // Models are tables, not ordered results: letting DuckDB drop insertion order lets
      // CREATE TABLE AS stream and spill instead of holding whole intermediates in memory.
      await run("SET preserve_insertion_order = false");
      await run(`SET threads = ${Math.max(1, Math.floor(settings.threads))}`);
      // Hand freed memory back to the system promptly: otherwise the allocator keeps each
      // model's peak (raw-record pages of 100+ MB) and the process grows past the limit.
      await run("SET allocator_flush_threshold = '32MB'");
      await run("SET allocator_background_threads = true");
      const present = new Set(db.tables.map((table) => `${table.source}.${table.table}`));
      for (const table of SOURCE_TABLES) {
        if (present.has(tableRef(table))) continue;
        const columns = Object.entries(table.columns).map(([name, type]) => `CAST(NULL AS ${type}) AS ${quoteIdentifier(name)}`);
        await run(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(table.source)}`);
        await run(`CREATE OR REPLACE VIEW ${qualified(table.source, table.name)} AS SELECT ${columns.join(", ")} WHERE false`);
      }
      await run(`SET VARIABLE publish_text = ${settings.publishText ? "true" : "false"}`);
      await run(`SET VARIABLE publish_identities = ${settings.publishIdentities ? "true" : "false"}`);
      await run(macros);
      return db;
    } catch (error) {
      db.close();
      throw error;
    }
  };
  const openFresh = async (): Promise<LakeReader> => {
    await removeDatabase(databasePath);
    return open();
  };

  let db: LakeReader;
  let report: ModelsBuildReport | undefined;
  try {
    db = await open();
  } catch (error) {
    if (isLockError(error)) throw error;
    db = await openFresh();
  }
  try {
    const [version] = await db.queryRows("SELECT library_version FROM pragma_version()");
    const key = stateKey(models, macros, specs, settings, String(version?.library_version ?? ""));
    const stored = await db.queryRows(`SELECT state_key FROM ${qualified(STATE_SCHEMA, "build")}`).catch(() => []);
    let fullReason: string | undefined;
    if (settings.forceFull) fullReason = "a full build was asked for";
    else if (stored.length === 0) fullReason = "no models from an earlier build";
    else if (stored[0]?.state_key !== key) fullReason = "the models, their settings or DuckDB changed since the last build";
    if (fullReason === undefined) {
      try {
        const incremental = await buildIncrementally(db, lakeRoot, models, keyedOn, tracked, settings.onStep);
        if (incremental.ok) report = incremental.report;
        else fullReason = incremental.reason;
      } catch (error) {
        // Whatever went wrong (a damaged file included), a build from scratch decides.
        fullReason = `the incremental build failed (${error instanceof Error ? error.message.split("\n")[0] : String(error)})`;
      }
    }
    if (report === undefined) {
      db.close();
      db = await openFresh();
      report = { mode: "full", reason: fullReason ?? "", changedKeys: await buildFully(db, models, tracked, key, settings.onStep) };
    }
  } catch (error) {
    db.close();
    await rm(spillDirectory, { recursive: true, force: true });
    throw error;
  }
  try {
    await settings.publish(db);
  } finally {
    db.close();
    await rm(spillDirectory, { recursive: true, force: true });
  }
  return report;
}

/**
 * An incremental model is a table. Any other model is a view, computed where it is
 * read (when its mart is written): nothing of it is stored, so an incremental build
 * has nothing to do for it, and it always reflects the tables it reads.
 */
function createModelSql(model: Model): string {
  return `CREATE ${model.incrementalKey === undefined ? "VIEW" : "TABLE"} ${qualified(model.layer, model.name)} AS ${model.sql}`;
}

async function runModel(db: LakeReader, model: Model, sql: string): Promise<void> {
  try {
    await db.connection.run(sql);
  } catch (error) {
    throw new ModelError(ref(model), error instanceof Error ? error.message : String(error));
  }
}

/**
 * Into a fresh file, one statement at a time: until the state row is written last, the
 * file counts as no build at all, so no transaction has to hold every table at once.
 */
async function buildFully(
  db: LakeReader,
  models: readonly Model[],
  tracked: ReadonlyMap<string, SourceTable>,
  key: string,
  onStep: StateBuildSettings["onStep"],
): Promise<Record<string, number>> {
  const run = (sql: string) => db.connection.run(sql);
  const changedKeys: Record<string, number> = {};
  for (const schema of ["staging", "marts", STATE_SCHEMA]) await run(`CREATE SCHEMA ${quoteIdentifier(schema)}`);
  for (const model of models) {
    await runModel(db, model, createModelSql(model));
    await onStep({ kind: "model-built", mode: "full", model: ref(model) });
  }
  // Before the state row: a build that breaks a grain counts as no build at all.
  for (const model of models) await checkModelGrain(db, model, qualified(model.layer, model.name));
  for (const [name, table] of tracked) {
    const [created] = await db.queryRows(
      `CREATE TABLE ${versionsTable(table.spec)} AS SELECT * EXCLUDE (filename, file_row_number) FROM (${winnersSql(table.spec, table.files)})`,
    );
    changedKeys[name] = Number(created?.Count ?? 0);
  }
  await run(`CREATE TABLE ${qualified(STATE_SCHEMA, "build")} AS SELECT ${quoteLiteral(key)} AS state_key`);
  await onStep({ kind: "committed", mode: "full" });
  return changedKeys;
}

type IncrementalOutcome = { ok: true; report: ModelsBuildReport } | { ok: false; reason: string };

async function buildIncrementally(
  db: LakeReader,
  lakeRoot: string,
  models: readonly Model[],
  keyedOn: ReadonlyMap<string, TableSpec>,
  tracked: ReadonlyMap<string, SourceTable>,
  onStep: StateBuildSettings["onStep"],
): Promise<IncrementalOutcome> {
  const run = (sql: string) => db.connection.run(sql);
  // Work tables are dropped outside the transaction that wrote them: DuckDB refuses to
  // commit a transaction that created, filled and dropped the same table.
  await run(`DROP SCHEMA IF EXISTS ${quoteIdentifier(WORK_SCHEMA)} CASCADE`);
  await run("BEGIN TRANSACTION");
  try {
    await run(`CREATE SCHEMA ${quoteIdentifier(WORK_SCHEMA)}`);
    const changedKeys: Record<string, number> = {};
    let changed = 0;
    let current = 0;
    for (const [name, { spec, files }] of tracked) {
      const key = quoteIdentifier(spec.primaryKey[0] ?? "");
      await run(`CREATE TABLE ${diffTable(spec)} AS
        SELECT coalesce(lake.${key}, built.${key}) AS ${key}, lake.${quoteIdentifier(INGESTED_AT_COLUMN)}, lake.filename, lake.file_row_number
        FROM (${winnersSql(spec, files)}) lake FULL OUTER JOIN ${versionsTable(spec)} built ON lake.${key} = built.${key}
        WHERE lake.${key} IS NULL OR built.${key} IS NULL
          OR lake.${quoteIdentifier(INGESTED_AT_COLUMN)} IS DISTINCT FROM built.${quoteIdentifier(INGESTED_AT_COLUMN)}`);
      const [counts] = await db.queryRows(
        `SELECT (SELECT count(*) FROM ${diffTable(spec)}) AS changed, (SELECT count(*) FROM ${versionsTable(spec)}) AS built`,
      );
      changedKeys[name] = Number(counts?.changed ?? 0);
      changed += changedKeys[name];
      current += Number(counts?.built ?? 0);
    }
    if (changed > FULL_BUILD_CHANGE_SHARE * current) {
      await run("ROLLBACK");
      return { ok: false, reason: `${changed} of ${current} source keys changed: a full build is cheaper` };
    }

    // Incremental staging models over the diff's rows only: their source view now reads just those rows.
    for (const { spec } of tracked.values()) {
      // Only the month files that hold changed rows are read again.
      const changedFiles = (await db.queryRows(`SELECT DISTINCT filename FROM ${diffTable(spec)} WHERE filename IS NOT NULL ORDER BY 1`)).map((row) =>
        String(row.filename),
      );
      const delta =
        changedFiles.length === 0
          ? dedupedTableSql(lakeRoot, spec, false)
          : `SELECT ${[...Object.keys(spec.columns), INGESTED_AT_COLUMN].map(quoteIdentifier).join(", ")} FROM ${liveRowsRelation(spec, changedFiles)} live
             SEMI JOIN (SELECT filename, file_row_number FROM ${diffTable(spec)} WHERE filename IS NOT NULL) changed USING (filename, file_row_number)`;
      await run(`CREATE OR REPLACE VIEW ${qualified(spec.source, spec.name)} AS ${delta}`);
    }
    const replaceRows = async (model: Model, sql: string) => {
      const spec = keyedOn.get(ref(model));
      const key = quoteIdentifier(model.incrementalKey ?? "");
      if (!spec) throw new ModelError(ref(model), "is not keyed on a source table");
      await runModel(db, model, `CREATE TABLE ${deltaTable(model)} AS ${sql}`);
      await runModel(db, model, `DELETE FROM ${qualified(model.layer, model.name)} WHERE ${key} IN (SELECT ${quoteIdentifier(spec.primaryKey[0] ?? "")} FROM ${diffTable(spec)})`);
      await runModel(db, model, `INSERT INTO ${qualified(model.layer, model.name)} BY NAME SELECT * FROM ${deltaTable(model)}`);
      await onStep({ kind: "model-built", mode: "incremental", model: ref(model) });
    };
    for (const model of models) if (model.layer === "staging" && model.incrementalKey !== undefined) await replaceRows(model, model.sql);
    for (const { spec, files } of tracked.values()) {
      await run(`CREATE OR REPLACE VIEW ${qualified(spec.source, spec.name)} AS ${dedupedTableSql(lakeRoot, spec, files.length > 0)}`);
    }
    for (const model of models) {
      if (model.layer !== "marts" || model.incrementalKey === undefined) continue;
      // An incremental mart reads only incremental staging models: their delta tables hold its input rows.
      const sql = model.sql.replace(/\bstaging\.([a-z_][a-z0-9_]*)/g, (_match, name: string) => qualified(WORK_SCHEMA, `staging__${name}`));
      await replaceRows(model, sql);
    }
    // Inside the transaction: a build that breaks a grain rolls back to the previous models.
    for (const model of models) {
      const replacedOnly = model.incrementalKey !== undefined && model.unique.includes(model.incrementalKey);
      await checkModelGrain(db, model, replacedOnly ? deltaTable(model) : qualified(model.layer, model.name));
    }
    for (const { spec } of tracked.values()) {
      const key = quoteIdentifier(spec.primaryKey[0] ?? "");
      await run(`DELETE FROM ${versionsTable(spec)} WHERE ${key} IN (SELECT ${key} FROM ${diffTable(spec)})`);
      await run(`INSERT INTO ${versionsTable(spec)} SELECT ${key}, ${quoteIdentifier(INGESTED_AT_COLUMN)} FROM ${diffTable(spec)} WHERE filename IS NOT NULL`);
    }
    await run("COMMIT");
    await onStep({ kind: "committed", mode: "incremental" });
    await run(`DROP SCHEMA ${quoteIdentifier(WORK_SCHEMA)} CASCADE`);
    return { ok: true, report: { mode: "incremental", reason: "lake rows new, changed or removed since the last build", changedKeys } };
  } catch (error) {
    await run("ROLLBACK").catch(() => {});
    throw error;
  }
}
