/**
 * The lake as one handle for the sync: a private in-memory DuckDB used for writing,
 * plus the file-level APIs bound to the root.
 */
import { mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createOfflineDuckDB, quoteLiteral, type OfflineDuckDB } from "./duckdb.js";
import { assertLakeRoot } from "./layout.js";
import { quarantineRecords, type QuarantineRecord } from "./quarantine.js";
import { iterateRawArchive, openRawArchive, type ArchivedResponse, type RawArchiveOptions, type RawArchiveWriter } from "./raw-archive.js";
import { readState, writeState, type SourceState, type StoredSourceState } from "./state.js";
import type { LakeInputRow } from "./staging.js";
import type { TableSpec } from "./table-spec.js";
import { upsertRecords, type UpsertOptions, type UpsertResult } from "./upsert.js";

export interface Lake {
  readonly root: string;
  upsertRecords(spec: TableSpec, rows: readonly LakeInputRow[], options?: UpsertOptions): Promise<UpsertResult>;
  quarantine(records: readonly QuarantineRecord[]): Promise<Record<string, UpsertResult>>;
  readState(source: string): Promise<StoredSourceState | undefined>;
  writeState(source: string, state: SourceState): Promise<StoredSourceState>;
  openRawArchive(source: string, runId: string, options?: RawArchiveOptions): Promise<RawArchiveWriter>;
  iterateRawArchive(source: string, options?: { runId?: string }): AsyncGenerator<ArchivedResponse>;
  close(): void;
}

export async function openLake(root: string): Promise<Lake> {
  assertLakeRoot(root);
  await mkdir(root, { recursive: true });
  const db: OfflineDuckDB = await createOfflineDuckDB();
  // A month rewrite merges a whole month of raw records: cap DuckDB's memory (its
  // default is 80% of the machine) and let it spill to the system's temp folder, so
  // the sync's footprint does not grow with the size of a month.
  await db.connection.run(`SET memory_limit = '512MB'`);
  await db.connection.run(`SET temp_directory = ${quoteLiteral(join(tmpdir(), `si-lake-spill-${process.pid}`))}`);
  // Upserts share one connection and its temp tables, so they run one at a time.
  let queue: Promise<unknown> = Promise.resolve();
  const serialized = <T>(task: () => Promise<T>): Promise<T> => {
    const run = queue.then(task, task);
    queue = run.catch(() => undefined);
    return run;
  };
  return {
    root,
    upsertRecords: (spec, rows, options) => serialized(() => upsertRecords(db.connection, root, spec, rows, options)),
    quarantine: (records) => serialized(() => quarantineRecords(db.connection, root, records)),
    readState: (source) => readState(root, source),
    writeState: (source, state) => writeState(root, source, state),
    openRawArchive: (source, runId, options) => openRawArchive(root, source, runId, options),
    iterateRawArchive: (source, options) => iterateRawArchive(root, source, options),
    close: () => db.close(),
  };
}
