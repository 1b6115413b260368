/**
 * The whole sync (three sources, demo mode, real processes) killed with SIGKILL at
 * random points ten times in a row, then run once more to the end, must leave the
 * lake exactly as one uninterrupted run does: no record lost, none duplicated.
 */
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inspectLake, openLakeDuckDB, readLakeLockHolders } from "../../data-loaders/lake/index.js";
import { lakeFingerprint as fingerprint, mulberry32 } from "../tools/lake-fingerprint.js";

const NOW = "2026-03-31T06:00:00.000Z";
const CLI = join(process.cwd(), "data-loaders", "sync", "cli.ts");

let dir: string;

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  ms: number;
}

function runSync(lake: string, killAfterMs?: number): Promise<Run> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    // Node itself with tsx's loader, not the tsx launcher: SIGKILL to the launcher would
    // leave the sync running on as an orphan, beside the next run.
    const child = spawn(process.execPath, ["--import", "tsx", CLI, "--now", NOW, "--quiet"], {
      env: {
        ...process.env,
        SI_LAKE_DIR: lake,
        SI_HISTORY_DAYS: "12",
        SI_DEMO_DAYS: "12",
        SI_DEMO_SEED: "11",
        SI_DEMO_SCALE: "1",
      },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = killAfterMs === undefined ? undefined : setTimeout(() => child.kill("SIGKILL"), killAfterMs);
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ code, signal, stderr, ms: Date.now() - started });
    });
  });
}

/** Live Parquet rows per table, read straight from the files (not through the deduplicating views). */
async function physicalDuplicates(lake: string): Promise<Record<string, number>> {
  const reader = await openLakeDuckDB(lake);
  try {
    const out: Record<string, number> = {};
    for (const { source, table } of reader.tables) {
      if (table === "quarantine") continue;
      const glob = join(lake, `source=${source}`, `table=${table}`, "month=*", "part-*.parquet");
      const columns = (await reader.queryRows(`SELECT column_name FROM (DESCRIBE "${source}"."${table}")`)).map((row) => String(row.column_name));
      const [row] = await reader.queryRows(`SELECT count(*) - count(DISTINCT "${columns[0]}") AS d FROM read_parquet('${glob}')`);
      out[`${source}.${table}`] = Number(row?.d);
    }
    return out;
  } finally {
    reader.close();
  }
}

let reference: Record<string, string[]>;
let referenceMs = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "si-kill-"));
  const run = await runSync(join(dir, "reference"));
  expect(run.code, run.stderr).toBe(0);
  referenceMs = run.ms;
  reference = await fingerprint(join(dir, "reference"));
}, 300_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("the whole sync killed with SIGKILL ten times, then run to the end", () => {
  it("ends with exactly the lake of one uninterrupted run", async () => {
    expect(Object.keys(reference)).toEqual(
      expect.arrayContaining(["upscope.sessions", "upscope.visitors", "liveperson.engagements", "agendize.chats", "agendize.list_summaries"]),
    );
    for (const [table, rows] of Object.entries(reference)) if (table !== "quarantine") expect(rows.length, table).toBeGreaterThan(0);

    const lake = join(dir, "killed");
    const random = mulberry32(20261121);
    const kills: string[] = [];
    // Each kill lands at a random moment of a run that still has work to do. A run
    // that finishes before its kill shows how long the (now incremental) runs take,
    // and later kills are drawn within that.
    let longestRunMs = referenceMs;
    for (let attempt = 0; attempt < 40 && kills.filter((k) => k.endsWith("SIGKILL")).length < 10; attempt += 1) {
      const at = Math.round(500 + random() * Math.max(100, longestRunMs - 500));
      const run = await runSync(lake, at);
      kills.push(`${at} ms: ${run.signal ?? `exit ${run.code}`}`);
      expect(run.signal === "SIGKILL" || run.code === 0, `${kills.join(", ")}\n${run.stderr}`).toBe(true);
      if (run.code === 0) longestRunMs = Math.min(longestRunMs, run.ms * 0.9);
    }
    expect(kills.filter((kill) => kill.endsWith("SIGKILL")).length, kills.join(", ")).toBe(10);

    if (process.env.SI_TEST_VERBOSE) console.error(`kills: ${kills.join(", ")}`);
    const last = await runSync(lake);
    expect(last.code, last.stderr).toBe(0);
    expect(await fingerprint(lake)).toEqual(reference);
    for (const [table, duplicates] of Object.entries(await physicalDuplicates(lake))) expect(duplicates, table).toBe(0);
    // Neither a lock nor a record of the files was left that could stand in the way.
    expect(await inspectLake(lake)).toEqual([]);
    expect(await readLakeLockHolders(lake)).toEqual([]);
  }, 900_000);
});
