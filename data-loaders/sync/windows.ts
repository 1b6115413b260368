/**
 * Reads time windows with a small worker pool, commits what they read in batches,
 * and moves a watermark only over the contiguous prefix of windows already
 * committed. Windows finish out of order, so a crash or kill can leave a committed
 * window after an uncommitted one; the watermark never jumps that gap, and the next
 * run reads the gap again (records merge by key, so reading a window twice
 * duplicates nothing).
 *
 * Why batches: a commit rewrites the month files it touches and checks the table for
 * stale copies, so its cost grows with the month, not with the batch. Committing
 * each day window on its own rewrote a month thirty times; a batch of a few
 * thousand rows rewrites it a few times. Memory stays bounded: a worker that fills
 * a batch waits for its commit, so at most one batch is being committed while the
 * next one fills.
 */
import { COMMIT_BATCH_ROWS } from "./commit.js";
import type { SourceRunContext } from "./context.js";

export interface TimeWindow {
  from: number;
  to: number;
}


/** What the runner needs of a source run: its clock, its id, and the state store. */
export type WindowRunContext = Pick<SourceRunContext, "now" | "runId"> & { lake: Pick<SourceRunContext["lake"], "readState" | "writeState"> };

export async function readWindowsWithWatermark<W extends TimeWindow, R>(
  ctx: WindowRunContext,
  options: {
    source: string;
    /** Name of the watermark in the source state (e.g. "engagements"). */
    watermark: string;
    windows: readonly W[];
    concurrency: number;
    /** Reads one window (fetch, validate, map) without committing it. */
    read: (window: W, index: number) => Promise<R>;
    /** Rows a read holds, to decide when a batch is full. */
    rowsOf: (read: R) => number;
    /** Commits reads to the lake (archive first); resolves once their rows are stored. */
    commit: (reads: readonly R[]) => Promise<void>;
    /** Rows per commit (default COMMIT_BATCH_ROWS). */
    batchRows?: number;
  },
): Promise<void> {
  const { source, watermark, windows } = options;
  const batchRows = Math.max(1, options.batchRows ?? COMMIT_BATCH_ROWS);
  const done = new Set<number>();
  let committedThrough = -1;
  // Watermark writes are chained: two batches finishing together must not race on the state file.
  let saving: Promise<void> = Promise.resolve();

  const advance = () => {
    while (done.has(committedThrough + 1)) committedThrough += 1;
    const window = windows[committedThrough];
    if (!window) return saving;
    const mark = new Date(Math.min(window.to, ctx.now.getTime())).toISOString();
    saving = saving.then(async () => {
      const latest = await ctx.lake.readState(source);
      await ctx.lake.writeState(source, {
        watermarks: { ...(latest?.watermarks ?? {}), [watermark]: mark },
        lastSuccessAt: latest?.lastSuccessAt ?? null,
        lastRunId: ctx.runId,
        cursor: latest?.cursor ?? null,
      });
    });
    return saving;
  };

  let pending: Array<{ index: number; read: R }> = [];
  let pendingRows = 0;
  // Commits run one after another, in the order batches filled.
  let committing: Promise<void> = Promise.resolve();
  const flush = (): Promise<void> => {
    const batch = pending;
    pending = [];
    pendingRows = 0;
    if (batch.length === 0) return committing;
    committing = committing.then(async () => {
      await options.commit(batch.map((entry) => entry.read));
      for (const entry of batch) done.add(entry.index);
      await advance();
    });
    return committing;
  };

  // After a failure no worker starts another window, but what was read is still
  // committed: a vendor outage in one window does not throw away the others.
  let failure: { error: unknown } | undefined;
  let next = 0;
  const worker = async () => {
    try {
      for (let index = next++; failure === undefined && index < windows.length; index = next++) {
        const read = await options.read(windows[index] as W, index);
        pending.push({ index, read });
        pendingRows += options.rowsOf(read);
        if (pendingRows >= batchRows) await flush();
      }
    } catch (error) {
      failure ??= { error };
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));
  try {
    await flush();
    await saving;
  } catch (error) {
    failure ??= { error };
  }
  if (failure) throw failure.error;
  const latest = await ctx.lake.readState(source);
  await ctx.lake.writeState(source, {
    watermarks: { ...(latest?.watermarks ?? {}), [watermark]: ctx.now.toISOString() },
    lastSuccessAt: new Date().toISOString(),
    lastRunId: ctx.runId,
    cursor: latest?.cursor ?? null,
  });
}
