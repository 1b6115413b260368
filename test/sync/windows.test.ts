/**
 * The window runner: reads windows with a pool, commits in batches, and moves the
 * watermark only over windows whose rows are committed (against real state files).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readState, writeState } from "../../data-loaders/lake/state.js";
import { readWindowsWithWatermark, type TimeWindow, type WindowRunContext } from "../../data-loaders/sync/windows.js";

const HOUR = 3600 * 1000;
const NOW = new Date("2026-11-20T00:00:00Z");
const windows: TimeWindow[] = Array.from({ length: 10 }, (_, i) => ({ from: NOW.getTime() - (10 - i) * HOUR, to: NOW.getTime() - (9 - i) * HOUR }));

let root: string;
let ctx: WindowRunContext;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "windows-test-"));
  ctx = { now: NOW, runId: "run-1", lake: { readState: (source) => readState(root, source), writeState: (source, state) => writeState(root, source, state) } };
});
afterEach(async () => rm(root, { recursive: true, force: true }));

const watermark = async () => (await readState(root, "liveperson"))?.watermarks.engagements;

describe("readWindowsWithWatermark", () => {
  it("commits every window once, in batches of the configured rows, and ends at now", async () => {
    const batches: number[][] = [];
    await readWindowsWithWatermark(ctx, {
      source: "liveperson",
      watermark: "engagements",
      windows,
      concurrency: 3,
      batchRows: 4,
      read: async (_window, index) => index,
      rowsOf: () => 1,
      commit: async (reads) => {
        batches.push([...reads]);
      },
    });
    expect(batches.flat().sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(batches.map((batch) => batch.length)).toEqual([4, 4, 2]);
    expect(await watermark()).toBe(NOW.toISOString());
  });

  it("never moves the watermark past a window whose batch is not committed yet", async () => {
    const seen: Array<{ batch: number[]; watermarkBefore: string | undefined }> = [];
    await readWindowsWithWatermark(ctx, {
      source: "liveperson",
      watermark: "engagements",
      windows,
      concurrency: 2,
      batchRows: 3,
      // Later windows finish first, so batches hold gaps.
      read: async (_window, index) => {
        await new Promise((resolve) => setTimeout(resolve, (10 - index) * 3));
        return index;
      },
      rowsOf: () => 1,
      commit: async (reads) => {
        seen.push({ batch: [...reads], watermarkBefore: await watermark() });
      },
    });
    const committed = new Set<number>();
    for (const { batch, watermarkBefore } of seen) {
      // The mark before this commit covers only a contiguous prefix of earlier commits.
      let prefix = -1;
      while (committed.has(prefix + 1)) prefix += 1;
      const expected = prefix < 0 ? undefined : new Date(windows[prefix]!.to).toISOString();
      expect(watermarkBefore).toBe(expected);
      for (const index of batch) committed.add(index);
    }
  });

  it("after a failed window, commits what was read, keeps the watermark before the gap, and rethrows", async () => {
    const committed: number[] = [];
    const run = readWindowsWithWatermark(ctx, {
      source: "liveperson",
      watermark: "engagements",
      windows,
      concurrency: 1,
      batchRows: 100,
      read: async (_window, index) => {
        if (index === 5) throw new Error("vendor down for window 5");
        return index;
      },
      rowsOf: () => 1,
      commit: async (reads) => {
        committed.push(...reads);
      },
    });
    await expect(run).rejects.toThrow("vendor down for window 5");
    expect(committed).toEqual([0, 1, 2, 3, 4]);
    expect(await watermark()).toBe(new Date(windows[4]!.to).toISOString());
  });

  it("a failed commit fails the run and leaves the watermark where it was", async () => {
    const run = readWindowsWithWatermark(ctx, {
      source: "liveperson",
      watermark: "engagements",
      windows,
      concurrency: 2,
      batchRows: 4,
      read: async (_window, index) => index,
      rowsOf: () => 1,
      commit: async () => {
        throw new Error("disk full");
      },
    });
    await expect(run).rejects.toThrow("disk full");
    expect(await watermark()).toBeUndefined();
  });
});
