/**
 * Writes a batch of mapped records to the lake. A record fetched again with the
 * same content is not rewritten, so a night with nothing new changes no row (the
 * trailing re-read window re-fetches records every night by design).
 */
import { createHash } from "node:crypto";
import { recordDrift } from "../drift/ledger.js";
import type { Lake, TableSpec } from "../lake/index.js";

export type MappedRow = Record<string, unknown> & { content_hash: string };

/** The hash that decides whether a re-fetched record changed: over its JSON. */
export function contentHash(recordJson: string): string {
  return createHash("sha256").update(recordJson).digest("hex").slice(0, 32);
}

/**
 * Rows per commit for sources that batch (window syncs, replay). A commit rewrites the
 * months it touches, so fewer, larger commits cost less; 5,000 LivePerson records
 * with transcripts are ~30 MB of JSON held while they wait (a larger batch made the
 * heap grow, not the sync faster).
 */
export const COMMIT_BATCH_ROWS = 5_000;

export interface CommitResult {
  written: number;
  unchanged: number;
}

/**
 * Commits run one at a time per lake and in the order they were asked for: a commit's
 * rows must replace those of every commit asked for before it.
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
  // The lake compares hashes inside its own upsert (one DuckDB, no second reader over
  // the whole lake per commit) and rewrites only months that receive changed rows.
  const { rowsWritten } = await lake.upsertRecords(spec, rows, { skipUnchangedBy: "content_hash" });
  // The drift these records carry, in the same commit step (before any watermark moves).
  await recordDrift(lake, spec, rows);
  return { written: rowsWritten, unchanged: rows.length - rowsWritten };
}
