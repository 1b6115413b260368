/**
 * A month file of a lake table lost or truncated between two runs (`npm run sync`,
 * real processes, demo mode): the next sync restores it from the raw archive and
 * checks the recorded rows came back; when they cannot come back, it ends with the
 * summary and exit 1, naming the file and the commands that restore it, and leaves
 * the marts as they were. The lake shrinking between runs breaks a data contract.
 */
import { spawn } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, stat, truncate } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkContracts } from "../../data-loaders/contracts.js";
import { inspectLake, listLiveFiles, openLakeDuckDB } from "../../data-loaders/lake/index.js";

const NOW = "2026-04-04T06:00:00.000Z";
const CLI = join(process.cwd(), "data-loaders", "sync", "cli.ts");
const THRESHOLDS = { maxStaleHours: 36, maxRowDrop: 0.3, minRowsForDrop: 20, quarantineMaxShare: 0.02 };

let dir: string;

function sync(lake: string, ...argv: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", CLI, "--source", "liveperson", "--now", NOW, "--quiet", ...argv], {
      env: { ...process.env, SI_LAKE_DIR: lake, SI_HISTORY_DAYS: "8", SI_DEMO_DAYS: "8", SI_DEMO_SEED: "3", SI_DEMO_SCALE: "1" },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code, stderr }));
  });
}

async function engagementsByMonth(lake: string): Promise<Record<string, number>> {
  const reader = await openLakeDuckDB(lake);
  try {
    const rows = await reader.queryRows(`SELECT strftime(start_time, '%Y-%m') AS month, count(*) AS n FROM liveperson.engagements GROUP BY 1 ORDER BY 1`);
    return Object.fromEntries(rows.map((row) => [String(row.month), Number(row.n)]));
  } finally {
    reader.close();
  }
}

const marchFile = async (lake: string) => (await listLiveFiles(lake, "liveperson", "engagements")).find((file) => file.month === "2026-03")?.path ?? "";
const martsManifest = (lake: string) => readFile(join(lake, "marts", "_manifest.json"), "utf8");

let lake: string;
let original: Record<string, number>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "si-lake-damage-"));
  lake = join(dir, "lake");
  const first = await sync(lake);
  expect(first.code, first.stderr).toBe(0);
  original = await engagementsByMonth(lake);
}, 180_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("a lost or truncated month file", () => {
  it("spans two months, so one month can be lost", () => {
    expect(Object.keys(original)).toEqual(["2026-03", "2026-04"]);
    expect(original["2026-03"]).toBeGreaterThan(100);
  });

  it("deleted: the next sync rebuilds it from the raw archive, with every recorded row", async () => {
    const march = await marchFile(lake);
    await rm(march);
    const run = await sync(lake);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(`${march} is missing (${original["2026-03"]} rows recorded)`);
    expect(run.stderr).toContain(`restored liveperson.engagements month 2026-03 from the raw archive: ${original["2026-03"]} rows (${original["2026-03"]} recorded)`);
    expect(await engagementsByMonth(lake)).toEqual(original);
    expect(await inspectLake(lake)).toEqual([]);
  }, 120_000);

  it("truncated: the next sync names it, sets it aside and rebuilds it, ending with the summary, not an exception", async () => {
    const march = await marchFile(lake);
    const { size } = await stat(march);
    await truncate(march, Math.floor(size / 3));
    const run = await sync(lake);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(`${march} is truncated (${Math.floor(size / 3)} of ${size} bytes)`);
    expect(run.stderr).toMatch(/source\s+status/); // the summary table
    const damaged = await readdir(join(lake, "_damaged"), { recursive: true });
    expect(damaged.filter((path) => path.endsWith(".parquet"))).toHaveLength(1);
    expect(await engagementsByMonth(lake)).toEqual(original);
  }, 120_000);

  it("not in the raw archive: the sync fails with the summary, naming the file and the commands, and keeps the marts; the shrunk table then breaks a contract", async () => {
    const marts = await martsManifest(lake);
    const march = await marchFile(lake);
    await rm(march);
    await rm(join(lake, "_raw", "source=liveperson"), { recursive: true });
    const run = await sync(lake);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toContain(`${march} is missing`);
    expect(run.stderr).toContain(`only 0 of the ${original["2026-03"]} recorded rows could be rebuilt from the raw archive`);
    expect(run.stderr).toContain("`npm run sync -- --replay --source liveperson`");
    expect(run.stderr).toContain("`npm run sync -- --full --source liveperson`");
    expect(run.stderr).toMatch(/liveperson\s+failed/);
    expect(run.stderr).toContain("models not rebuilt");
    expect(await martsManifest(lake)).toBe(marts);

    // Reported once: the lake is consistent with its record again, so the next night runs
    // (its trailing window does not reach March), and the data contracts see the loss.
    const next = await sync(lake);
    expect(next.code, next.stderr).toBe(0);
    const breaches = await checkContracts(lake, ["liveperson"], THRESHOLDS, new Date(NOW));
    expect(breaches).toContainEqual(
      expect.objectContaining({
        contract: "table-shrink",
        message: expect.stringContaining(`liveperson.engagements: ${original["2026-04"]} rows in the lake after run`),
      }),
    );
    expect(breaches.find((breach) => breach.contract === "table-shrink")?.message).toContain(`${(original["2026-03"] ?? 0) + (original["2026-04"] ?? 0)} rows`);
  }, 180_000);
});
