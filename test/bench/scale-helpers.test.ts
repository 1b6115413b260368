import { describe, expect, it } from "vitest";
import type { MeasuredRun } from "../../bench/lib/measure.js";
import { descendantsOf, labelFromArgv, peakBetween } from "../../bench/lib/measure.js";
import type { SyncRun } from "../../bench/lib/results.js";
import { estimateEnterprise, syncPhases } from "../../bench/scale.js";

const MIB = 2 ** 20;

function syncRun(wallSeconds: number, peakRssBytes: number, cutOff = false): SyncRun {
  return { exitCode: cutOff ? 124 : 0, wallSeconds, cpuSeconds: null, peakRssBytes, phases: [], sources: [], modelsSeconds: null, cutOff, failure: null };
}

describe("the sync's phases", () => {
  it("cuts the RSS timeline at the progress lines: each source, then the models", () => {
    const run: MeasuredRun = {
      command: "sync",
      exitCode: 0,
      wallSeconds: 10,
      cpuSeconds: null,
      peakRssBytes: 900 * MIB,
      processes: [],
      stdout: "",
      mainRss: [
        { atMs: 100, rssBytes: 100 * MIB },
        { atMs: 2000, rssBytes: 300 * MIB },
        { atMs: 5000, rssBytes: 200 * MIB },
        { atMs: 8000, rssBytes: 900 * MIB },
      ],
      stderrLines: [
        { atMs: 50, line: "[liveperson] starting" },
        { atMs: 1000, line: "[liveperson] 10 pages, 1000 records (1000/s), 0 retries, 0 quarantined" },
        { atMs: 3000, line: "[liveperson] done: 20 pages, 2000 records (700/s), 0 retries, 0 quarantined" },
        { atMs: 3100, line: "[agendize] starting" },
        { atMs: 6000, line: "[agendize] FAILED: boom" },
        { atMs: 9000, line: "models: 15 marts rebuilt in 3.0 s" },
      ],
    };
    expect(syncPhases(run)).toEqual([
      { phase: "liveperson", seconds: 2.95, peakRssBytes: 300 * MIB },
      { phase: "agendize", seconds: 2.9, peakRssBytes: 200 * MIB },
      { phase: "models", seconds: 3, peakRssBytes: 900 * MIB },
    ]);
    expect(peakBetween(run.mainRss, 0, 1000)).toBe(100 * MIB);
  });
});

describe("the enterprise estimate", () => {
  it("fits the full sync through both runs and the memory linearly", () => {
    // t = 0.001·n + 1e-9·n²: 20 s at 10k, 140 s at 100k; 2000 s at 1 M.
    const estimate = estimateEnterprise(
      { engagements: 100_000, full: syncRun(0.001 * 1e5 + 1e-9 * 1e10, 600 * MIB), incremental: syncRun(10, 500 * MIB) },
      { scale: 1, engagements: 10_000, full: syncRun(0.001 * 1e4 + 1e-9 * 1e8, 420 * MIB) },
    );
    expect(estimate?.fit).toBe("quadratic");
    expect(estimate?.fullSyncSeconds).toBeCloseTo(2000, 3);
    expect(estimate?.syncPeakRssBytes).toBeCloseTo(2400 * MIB, -3);
    expect(estimate?.incrementalSeconds).toBeCloseTo(100, 6);
  });

  it("draws a line through the two runs when the cost does not grow faster than volume", () => {
    // 60 s of fixed cost, then 1 ms per engagement: a quadratic fit would need a negative term.
    const estimate = estimateEnterprise(
      { engagements: 100_000, full: syncRun(160, 600 * MIB), incremental: null },
      { scale: 1, engagements: 10_000, full: syncRun(70, 600 * MIB) },
    );
    expect(estimate).toMatchObject({ fit: "linear", incrementalSeconds: null });
    expect(estimate?.fullSyncSeconds).toBeCloseTo(1060, 6);
  });

  it("estimates nothing from one run, from a run cut off, or at the enterprise volume", () => {
    const calibration = { scale: 1, engagements: 10_000, full: syncRun(20, MIB) };
    expect(estimateEnterprise({ engagements: 100_000, full: syncRun(100, MIB), incremental: null }, null)).toBeNull();
    expect(estimateEnterprise({ engagements: 100_000, full: syncRun(100, MIB, true), incremental: null }, calibration)).toBeNull();
    expect(estimateEnterprise({ engagements: 1_000_000, full: syncRun(100, MIB), incremental: null }, calibration)).toBeNull();
  });
});

describe("process accounting", () => {
  it("finds every descendant of a process", () => {
    const table = [
      { pid: 1, ppid: 0 },
      { pid: 10, ppid: 1 },
      { pid: 11, ppid: 10 },
      { pid: 12, ppid: 11 },
      { pid: 20, ppid: 1 },
    ];
    expect(descendantsOf(10, table).sort()).toEqual([10, 11, 12]);
  });

  it("names a process by the script it runs", () => {
    const root = "/work/main";
    expect(labelFromArgv(["/usr/bin/node", "--import", "tsx", "/work/main/data-loaders/sync/cli.ts", "--now", "x"], root)).toBe("data-loaders/sync/cli.ts");
    expect(labelFromArgv(["node", "/work/main/node_modules/.bin/observable", "build"], root)).toBe("observable build");
    expect(labelFromArgv(["/usr/bin/chromium", "--headless"], root)).toBe("chromium");
  });
});
