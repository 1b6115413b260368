/**
 * Data contracts: run manifests written by real syncs against the simulator, and
 * the checks a nightly build runs before publishing.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkContracts, compareReturnedHours, readRunManifests, tableShrinks, writeRunManifest, type RunManifest } from "../data-loaders/contracts.js";
import { loadConfig } from "../data-loaders/config.js";
import { openLake } from "../data-loaders/lake/index.js";
import { parseSyncArgs } from "../data-loaders/sync/cli-args.js";
import { runSync } from "../data-loaders/sync/demo.js";
import { SyncProgress } from "../data-loaders/sync/progress.js";

const NIGHT_1 = "2026-05-14T19:00:00.000Z";
const NIGHT_2 = "2026-05-15T19:00:00.000Z";
const THRESHOLDS = { maxStaleHours: 36, maxRowDrop: 0.3, minRowsForDrop: 20, quarantineMaxShare: 0.02 };

let dir: string;

async function night(lake: string, now: string, days: number, servedShare = 1) {
  const config = { ...loadConfig({ SI_LAKE_DIR: lake }), historyDays: days };
  return runSync(config, {
    args: parseSyncArgs(["--now", now, "--skip-models", "--source", "liveperson", "--source", "agendize"]),
    progress: new SyncProgress(() => {}),
    demo: { seed: 5, days, scale: 3, servedShare },
    http: { delayScale: 0.001 },
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "si-contracts-"));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("run manifests", () => {
  it("record rows, time range, schema hash, counters and what the vendor returned per hour", async () => {
    const lake = join(dir, "manifests");
    const result = await night(lake, NIGHT_1, 10);
    expect(result.exitCode).toBe(0);
    const [manifest] = await readRunManifests(lake, "liveperson");
    expect(manifest).toMatchObject({ source: "liveperson", ok: true, replay: false, quarantined: 0 });
    expect(manifest?.recordsFetched).toBeGreaterThan(1000);
    const table = manifest?.tables.engagements;
    expect(table?.rows).toBe(manifest?.recordsFetched);
    expect(table?.schemaHash).toMatch(/^[0-9a-f]{16}$/);
    expect(Date.parse(table?.maxTime ?? "")).toBeLessThanOrEqual(Date.parse(NIGHT_1));
    const hours = manifest?.returnedByHour.engagements ?? {};
    expect(Object.keys(hours).every((hour) => hour >= "2026-05-11T19")).toBe(true);
    expect(Object.values(hours).reduce((a, b) => a + b, 0)).toBeGreaterThan(100);
  }, 120_000);
});

describe("contracts", () => {
  it("hold for two normal nights, and break when the vendor returns half the records, naming the source and figure", async () => {
    const normal = join(dir, "normal");
    expect((await night(normal, NIGHT_1, 10)).exitCode).toBe(0);
    expect((await night(normal, NIGHT_2, 11)).exitCode).toBe(0);
    expect(await checkContracts(normal, ["liveperson", "agendize"], THRESHOLDS, new Date())).toEqual([]);

    const broken = join(dir, "broken");
    expect((await night(broken, NIGHT_1, 10)).exitCode).toBe(0);
    expect((await night(broken, NIGHT_2, 11, 0.5)).exitCode).toBe(0);
    const breaches = await checkContracts(broken, ["liveperson", "agendize"], THRESHOLDS, new Date());
    const liveperson = breaches.find((breach) => breach.source === "liveperson");
    expect(liveperson?.contract).toBe("row-drop");
    expect(liveperson?.message).toMatch(/^liveperson\.engagements: \d+ records returned for 2026-05-14T\d\d:00–2026-05-14T\d\d:59 UTC, where the previous run got \d+ for the same hours \(−\d+\.\d%, more than the 30\.0% allowed\)$/);
  }, 240_000);

  it("break on staleness, a failed last run and quarantine over its share", async () => {
    const lake = join(dir, "synthetic");
    const handle = await openLake(lake);
    await handle.writeState("upscope", { watermarks: {}, lastSuccessAt: "2026-05-01T00:00:00.000Z", lastRunId: "r1", cursor: null });
    handle.close();
    const base: RunManifest = {
      source: "upscope",
      runId: "r1",
      startedAt: "2026-05-02T00:00:00.000Z",
      finishedAt: "2026-05-02T00:01:00.000Z",
      durationSeconds: 60,
      ok: false,
      error: "upscope answered 401 invalid_api_key",
      replay: false,
      recordsFetched: 100,
      quarantined: 5,
      retries: 0,
      pages: 3,
      rereadFrom: null,
      tables: {},
      returnedByHour: {},
    };
    await writeRunManifest(lake, base);
    const breaches = await checkContracts(lake, ["upscope", "agendize"], THRESHOLDS, new Date("2026-05-03T00:00:00Z"));
    expect(breaches.map((b) => `${b.source} ${b.contract}`).sort()).toEqual(["agendize freshness", "upscope freshness", "upscope last-run", "upscope quarantine"]);
    expect(breaches.find((b) => b.contract === "freshness" && b.source === "upscope")?.message).toContain("48.0 h ago");
    expect(breaches.find((b) => b.contract === "quarantine")?.message).toContain("5 of 100 records quarantined");
  });

  it("break when a table holds fewer rows than the last good run left, naming the table and both counts", () => {
    const run = (runId: string, rows: number, ok = true): RunManifest => ({
      source: "liveperson",
      runId,
      startedAt: "2026-05-02T00:00:00.000Z",
      finishedAt: "2026-05-02T00:01:00.000Z",
      durationSeconds: 60,
      ok,
      error: ok ? null : "failed",
      replay: false,
      recordsFetched: 10,
      quarantined: 0,
      retries: 0,
      pages: 1,
      rereadFrom: null,
      tables: { engagements: { rows, minTime: null, maxTime: null, schemaHash: "0".repeat(16) } },
      returnedByHour: {},
    });
    expect(tableShrinks("liveperson", [run("r1", 900), run("r2", 1000)])).toEqual([]);
    const [breach, ...others] = tableShrinks("liveperson", [run("r1", 1000), run("r2", 640, false), run("r3", 640)]);
    expect(others).toEqual([]);
    expect(breach?.contract).toBe("table-shrink");
    expect(breach?.message).toContain("liveperson.engagements: 640 rows in the lake after run r3, fewer than the 1000 rows the run before (r1) left");
  });

  it("compare only the hours both runs read in full", () => {
    const previous = { "2026-05-14T12": 7, "2026-05-14T13": 10, "2026-05-14T14": 12, "2026-05-14T15": 8, "2026-05-14T18": 9 };
    // The latest run re-read from 13:20: hour 13 only in part, hour 12 not at all (its 3 came from older records).
    const latest = { "2026-05-14T12": 3, "2026-05-14T13": 2, "2026-05-14T14": 12, "2026-05-14T15": 9, "2026-05-15T10": 40 };
    expect(compareReturnedHours(previous, latest, "2026-05-14T13:20:00.000Z")).toEqual({
      hours: ["2026-05-14T14", "2026-05-14T15", "2026-05-14T18"],
      previous: 29,
      latest: 21,
    });
  });
});
