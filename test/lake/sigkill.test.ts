/**
 * Kills a process that is upserting, with SIGKILL, at pseudo-random moments (seeded,
 * so a failure can be replayed), several times in a row; after each kill the lake
 * must read without duplicates or loss; a final uninterrupted run must leave exactly
 * the expected rows, physically deduplicated, with no temp files.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inspectLake } from "../../data-loaders/lake/inventory.js";
import { expectedFinalRows } from "./fixtures/kill-test-batches.js";
import { listTree, makeTempDir, readRawFiles, readTable } from "./helpers.js";

const WORKER = fileURLToPath(new URL("./fixtures/upsert-worker.ts", import.meta.url));
const KILLS = 6;
const SEED = Number(process.env.LAKE_KILL_SEED ?? 20261121);

function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface WorkerRun {
  batchesCompleted: number;
  killed: boolean;
  exitCode: number | null;
  stderr: string;
}

/** Runs the worker; if `killAfterMs` is set, SIGKILLs it that long after it reports "ready". */
function runWorker(root: string, killAfterMs?: number): Promise<WorkerRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", WORKER, root], { cwd: process.cwd(), stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let killed = false;
    child.stdout.on("data", (chunk: Buffer) => {
      const wasReady = stdout.includes("ready\n");
      stdout += chunk.toString("utf8");
      if (!wasReady && stdout.includes("ready\n") && killAfterMs !== undefined) {
        setTimeout(() => {
          killed = child.kill("SIGKILL");
        }, killAfterMs);
      }
    });
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    child.on("error", reject);
    child.on("exit", (exitCode) => {
      resolve({ batchesCompleted: (stdout.match(/^batch \d+$/gm) ?? []).length, killed: killed && exitCode === null, exitCode, stderr });
    });
  });
}

let root: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ path: root, cleanup } = await makeTempDir("lake-kill-"));
});
afterAll(async () => cleanup());

describe("SIGKILL during upserts", () => {
  it(`survives ${KILLS} kills at random moments (seed ${SEED}) and converges exactly`, async () => {
    const random = mulberry32(SEED);
    const expected = expectedFinalRows();
    const runs: WorkerRun[] = [];
    for (let kill = 0; kill < KILLS; kill++) {
      const run = await runWorker(root, Math.floor(random() * 900));
      runs.push(run);
      if (process.env.LAKE_KILL_DEBUG) console.log(JSON.stringify({ batches: run.batchesCompleted, killed: run.killed }));
      expect(run.stderr).toBe("");
      const rows = await readTable(root, "killtest", "events").catch((error: unknown) => {
        // Killed before the first file was written: nothing to read yet.
        if (error instanceof Error && /does not exist/.test(error.message)) return [];
        throw error;
      });
      const ids = rows.map((row) => row.id);
      expect(new Set(ids).size).toBe(ids.length); // never a duplicate on read
      // Every batch rewrites whole months atomically, so once batch 0 finished in any run, no key can go missing.
      if (runs.some((previous) => previous.batchesCompleted > 0)) expect(ids).toHaveLength(expected.length);
      // Wherever the kill landed (between a rename and its record too), the lake's record of its files still holds.
      expect(await inspectLake(root)).toEqual([]);
    }
    // The schedule must really interrupt work: at least half the runs were killed mid-sequence.
    expect(runs.filter((run) => run.killed).length).toBeGreaterThanOrEqual(KILLS / 2);

    const final = await runWorker(root);
    expect(final).toMatchObject({ exitCode: 0, killed: false, batchesCompleted: 14 });
    const rows = await readTable(root, "killtest", "events");
    expect(rows.map((row) => ({ ...row, happened_at: String(row.happened_at) }))).toEqual(
      expected.map((row) => ({ ...row, happened_at: row.happened_at.replace("T", " ").replace("Z", "") })),
    );
    // Physically too: one row per key, no temp files.
    expect(await readRawFiles(root, "killtest", "events")).toHaveLength(expected.length);
    expect((await listTree(root)).filter((path) => path.split("/").some((part) => part.startsWith(".")))).toEqual([]);
  }, 60_000);
});
