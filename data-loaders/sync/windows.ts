/**
 * Reads time windows with a small worker pool and moves a watermark only over the
 * contiguous prefix of windows already committed. Windows finish out of order, so
 * a crash or kill can leave a committed window after an uncommitted one; the
 * watermark never jumps that gap, and the next run reads the gap again (records
 * merge by key, so reading a window twice duplicates nothing).
 */
import type { SourceName } from "../config.js";
import type { SourceRunContext } from "./context.js";

export interface TimeWindow {
  from: number;
  to: number;
}

export async function readWindowsWithWatermark<W extends TimeWindow>(
  ctx: SourceRunContext,
  options: {
    source: SourceName;
    /** Name of the watermark in the source state (e.g. "engagements"). */
    watermark: string;
    windows: readonly W[];
    concurrency: number;
    /** Reads and commits one window; resolves once its rows are in the lake. */
    readAndCommit: (window: W, index: number) => Promise<void>;
  },
): Promise<void> {
  const { source, watermark, windows } = options;
  const done = new Set<number>();
  let committedThrough = -1;
  // Watermark writes are chained: two windows finishing together must not race on the state file.
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

  let next = 0;
  const worker = async () => {
    for (let index = next++; index < windows.length; index = next++) {
      await options.readAndCommit(windows[index] as W, index);
      done.add(index);
      await advance();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));
  await saving;
  const latest = await ctx.lake.readState(source);
  await ctx.lake.writeState(source, {
    watermarks: { ...(latest?.watermarks ?? {}), [watermark]: ctx.now.toISOString() },
    lastSuccessAt: new Date().toISOString(),
    lastRunId: ctx.runId,
    cursor: latest?.cursor ?? null,
  });
}
