/**
 * Writes a batch of mapped records to the lake. A record fetched again with the
 * same content is not rewritten, so a night with nothing new changes no row (the
 * trailing re-read window re-fetches records every night by design).
 */
import { createHash } from "node:crypto";
import { lakeTableExists, openLakeDuckDB, type Lake, type TableSpec } from "../lake/index.js";

export type MappedRow = Record<string, unknown> & { content_hash: string };

/** The hash that decides whether a re-fetched record changed: over its JSON. */
export function contentHash(recordJson: string): string {
  return createHash("sha256").update(recordJson).digest("hex").slice(0, 32);
}

/**
 * Rows per commit for sources that batch (window syncs, replay). A commit rewrites the
 * months it touches, so fewer, larger commits cost less; 10,000 LivePerson records
 * with transcripts are ~50 MB of JSON held while they wait.
 */
export const COMMIT_BATCH_ROWS = 10_000;

export interface CommitResult {
  written: number;
  unchanged: number;
}

/**
 * Commits run one at a time per lake: the lookup of known hashes reads the month
 * files that another commit's upsert may be swapping by rename, and DuckDB opens a
 * Parquet file more than once per scan, so a concurrent swap reads as corrupt data.
 */
const commitQueues = new Map<string, Promise<unknown>>();

/**
 * Sees every row a source hands to the lake, changed or not: the run manifest counts
 * from it what the vendor returned, which is what a data contract compares night
 * to night (the lake itself only grows, so it cannot show a vendor returning less).
 */
export type CommitObserver = (spec: TableSpec, rows: readonly MappedRow[]) => void;
const observers = new Map<string, Set<CommitObserver>>();

export function observeCommits(lakeRoot: string, observer: CommitObserver): () => void {
  let set = observers.get(lakeRoot);
  if (!set) observers.set(lakeRoot, (set = new Set()));
  set.add(observer);
  return () => set.delete(observer);
}

export function commitRows(lake: Lake, spec: TableSpec, rows: readonly MappedRow[]): Promise<CommitResult> {
  for (const observer of observers.get(lake.root) ?? []) observer(spec, rows);
  const previous = commitQueues.get(lake.root) ?? Promise.resolve();
  const run = previous.then(() => commitNow(lake, spec, rows), () => commitNow(lake, spec, rows));
  commitQueues.set(lake.root, run.catch(() => undefined));
  return run;
}

async function commitNow(lake: Lake, spec: TableSpec, rows: readonly MappedRow[]): Promise<CommitResult> {
  if (rows.length === 0) return { written: 0, unchanged: 0 };
  const [key] = spec.primaryKey;
  if (!key || spec.primaryKey.length !== 1) throw new Error(`commitRows needs a one-column primary key (${spec.source}.${spec.name})`);
  let changed = rows;
  if (await lakeTableExists(lake.root, spec.source, spec.name)) {
    const reader = await openLakeDuckDB(lake.root);
    try {
      const known = new Map<string, string>();
      // Keys go through a VALUES list in chunks; they are vendor ids, quoted below.
      for (let i = 0; i < rows.length; i += 5000) {
        const keys = rows.slice(i, i + 5000).map((row) => `('${String(row[key]).replaceAll("'", "''")}')`);
        const found = await reader.queryRows(
          `SELECT t.${key} AS k, t.content_hash AS h FROM "${spec.source}"."${spec.name}" t JOIN (VALUES ${keys.join(",")}) v(k) ON t.${key} = v.k`,
        );
        for (const row of found) known.set(String(row.k), String(row.h));
      }
      changed = rows.filter((row) => known.get(String(row[key])) !== row.content_hash);
    } finally {
      await reader.close();
    }
  }
  if (changed.length > 0) await lake.upsertRecords(spec, changed);
  return { written: changed.length, unchanged: rows.length - changed.length };
}
