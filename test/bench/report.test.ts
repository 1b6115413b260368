import { describe, expect, it } from "vitest";
import { PROFILES } from "../../bench/lib/context.js";
import { markdownTable, renderMarkdown } from "../../bench/lib/report.js";
import type { BenchResults } from "../../bench/lib/results.js";
import { computeTargets, GIB } from "../../bench/lib/targets.js";
import { parseBenchArgs } from "../../bench/run.js";

const client = (records: number, requests: number, seconds: number, peakRssBytes = 100 * 2 ** 20) => ({
  records,
  requests,
  seconds,
  recordsPerSecond: records / seconds,
  requestsPerSecond: requests / seconds,
  peakRssBytes,
});

function fixture(): Omit<BenchResults, "targets"> {
  const syncRun = (seconds: number, peak: number) => ({
    exitCode: 0,
    wallSeconds: seconds,
    cpuSeconds: seconds,
    peakRssBytes: peak,
    phases: [
      { phase: "liveperson", seconds: seconds / 2, peakRssBytes: peak / 2 },
      { phase: "models", seconds: seconds / 4, peakRssBytes: peak },
    ],
    sources: [{ source: "liveperson" as const, ok: true, error: null, seconds: seconds / 2, recordsFetched: 1000, requests: 60, tableRows: { engagements: 1000 } }],
    modelsSeconds: seconds / 4,
    cutOff: false,
    failure: null,
  });
  return {
    schemaVersion: 1,
    profile: PROFILES.quick,
    startedAt: "2026-11-21T07:00:00.000Z",
    finishedAt: "2026-11-21T07:03:00.000Z",
    durationSeconds: 180,
    only: [],
    machine: { cpuModel: "Test CPU", cores: 2, memoryBytes: 8 * GIB, node: "v20", os: "Linux", loadAverageStart: 1, loadAverageEnd: 2 },
    errors: {},
    throughput: {
      latencyMs: 50,
      scale: 4,
      days: 12,
      runs: [
        {
          concurrency: 4,
          partialShare: 0.04,
          naive: client(3000, 30, 3),
          boundRecordsPerSecond: 8000,
          boundRequestsPerSecond: 80,
          sync: client(3000, 150, 6),
          fetchOnly: client(3000, 150, 4),
          achievedOverBound: 500 / 8000,
          requestRateOverBound: 25 / 80,
          fetchOnlyOverBound: 750 / 8000,
          syncOverNaive: 0.5,
          fetchOnlyOverNaive: 0.75,
        },
      ],
      lakeDir: "/tmp/x",
      simulatorPeakRssBytes: 0,
    },
    ingest: {
      archiveBytes: 1000,
      records: 3000,
      ours: { seconds: 3, rows: 3000, parquetBytes: 10, peakRssBytes: 10, cpuSeconds: 3 },
      floor: { seconds: 2, rows: 3000, parquetBytes: 10, peakRssBytes: 10, cpuSeconds: 2 },
      oursOverFloor: 1.5,
    },
    scale: {
      scale: 1,
      days: 395,
      volume: { engagements: 31_000, cobrowseSessions: 8000, agendizeChats: 10_000 },
      sessionFilesSeconds: 1,
      full: syncRun(100, 800 * 2 ** 20),
      incremental: syncRun(10, 1.5 * GIB),
      incrementalShare: 0.1,
      lake: { totalBytes: 1, tablesBytes: 1, rawBytes: 0, martsBytes: 0 },
      build: { exitCode: 0, wallSeconds: 30, cpuSeconds: 30, peakRssBytes: 400 * 2 ** 20, processes: [{ pid: 1, label: "observable build", peakRssBytes: 400 * 2 ** 20 }] },
      distDir: "/tmp/dist",
      simulatorPeakRssBytes: 0,
      calibration: null,
      enterprise: { engagements: 1_000_000, fullSyncSeconds: 3000, fit: "quadratic", syncPeakRssBytes: 3 * GIB, incrementalSeconds: 300 },
    },
    pages: {
      pages: [
        { path: "/", dataBytes: 100_000, dataFiles: 3, files: [], totalBytes: 6_000_000, firstChartMs: 900, allChartsMs: 1000, charts: 4, problems: [] },
        { path: "/chats", dataBytes: 3 * 2 ** 20, dataFiles: 5, files: [{ path: "data/chats-histograms.x.parquet", bytes: 2 * 2 ** 20 }], totalBytes: 9_000_000, firstChartMs: 1500, allChartsMs: 1600, charts: 4, problems: [] },
      ],
      agentPages: null,
      maxDataBytes: 3 * 2 ** 20,
      maxFirstChartMs: 1500,
      slowest: { path: "/chats", firstChartMs: 1500 },
    },
  };
}

describe("targets", () => {
  it("judges runs without partial records on their own rows", () => {
    const results = fixture();
    const [run] = results.throughput?.runs ?? [];
    if (!run || !results.throughput) throw new Error("fixture has no throughput run");
    results.throughput.runs.push({ ...run, partialShare: 0, achievedOverBound: 0.95, syncOverNaive: 6 });
    const byId = new Map(computeTargets(results).map((target) => [target.id, target]));
    expect(byId.get("throughput-bound-c4-no-partial")?.met).toBe(true);
    expect(byId.get("throughput-bound-c4-no-partial")?.label).toContain("no partial records");
    expect(byId.get("throughput-naive-c4-no-partial")?.met).toBe(true);
    expect(byId.get("throughput-bound-c4")?.met).toBe(false);
    const markdown = renderMarkdown({ ...results, targets: computeTargets(results) });
    expect(markdown).toContain("our sync, 0% partial");
    expect(markdown).toContain("our sync, 4% partial");
  });

  it("judges each of the issue's targets from the figures", () => {
    const byId = new Map(computeTargets(fixture()).map((target) => [target.id, target]));
    expect(byId.get("throughput-bound-c4")?.met).toBe(false);
    expect(byId.get("throughput-bound-c4")?.measured).toBeCloseTo(0.0625);
    expect(byId.get("throughput-naive-c4")?.met).toBe(false);
    // 4% partial records: a page of 100 takes 5 requests, so the ceiling is 20% of the bound.
    expect(byId.get("throughput-bound-c4")?.note).toContain("no exact client can pass 20% of the bound");
    expect(byId.get("ingest-floor")?.met).toBe(true);
    expect(byId.get("incremental-share")?.met).toBe(false);
    // The sync's peak is the larger of the two nights.
    expect(byId.get("rss-sync")?.measured).toBe(1.5 * GIB);
    expect(byId.get("rss-sync")?.met).toBe(false);
    expect(byId.get("rss-build")?.met).toBe(true);
    expect(byId.get("page-data")?.met).toBe(false);
    expect(byId.get("page-data")?.note).toContain("data/chats-histograms.x.parquet (2.0 MiB)");
    expect(byId.get("first-chart")?.measured).toBe(1.5);
    expect(byId.get("first-chart")?.note).toContain("/chats");
    expect(byId.get("run-time")?.met).toBe(true);
  });

  it("leaves out what was not measured", () => {
    const partial = { ...fixture(), throughput: undefined, pages: undefined };
    const ids = computeTargets(partial).map((target) => target.id);
    expect(ids).not.toContain("throughput-bound-c4");
    expect(ids).not.toContain("first-chart");
    expect(ids).toContain("ingest-floor");
  });
});

describe("the Markdown report", () => {
  it("escapes cells so a label cannot break the table", () => {
    expect(markdownTable(["a", "b"], [["x|y", "z"]], ["left", "right"])).toBe("| a | b |\n| --- | ---: |\n| x\\|y | z |");
  });

  it("shows the machine, every target with its verdict, and why each missed one is missed", () => {
    const results = { ...fixture(), targets: computeTargets(fixture()) };
    const markdown = renderMarkdown(results);
    expect(markdown).toContain("Test CPU, 2 cores, 8.0 GiB RAM");
    expect(markdown).toContain("| LivePerson sync / bound (C = 4, L = 50 ms, 4% partial records) | 6.3% | ≥ 90% | **missed** by 14x (93% short) |");
    expect(markdown).toContain("| Ingest of archived pages / DuckDB floor | 1.50x | ≤ 2.00x | met |");
    expect(markdown).toContain("#### What the missed targets are made of");
    expect(markdown).toMatch(/- \*\*Peak RSS of the sync process\*\* \(1\.5 GiB, missed by 50%\): highest during models/);
    expect(markdown).toContain("Estimated at the enterprise volume (1,000,000 engagements, not measured): full sync 50 min 0 s");
    // Every table row has as many cells as its header.
    for (const table of markdown.split("\n\n").filter((block) => block.startsWith("| "))) {
      const widths = table.split("\n").map((row) => row.replaceAll("\\|", "").split("|").length);
      expect(new Set(widths).size).toBe(1);
    }
  });
});

describe("the command line", () => {
  it("reads --quick, repeated --only and --out", () => {
    const args = parseBenchArgs(["--quick", "--only", "ingest", "--only", "pages", "--out", "/tmp/results"]);
    expect(args).toMatchObject({ profile: "quick", only: ["ingest", "pages"], out: "/tmp/results", help: false, keepWork: false });
    expect(parseBenchArgs([]).profile).toBe("full");
  });

  it("refuses an unknown measurement or option", () => {
    expect(() => parseBenchArgs(["--only", "everything"])).toThrow(/--only must be one of/);
    expect(() => parseBenchArgs(["--fast"])).toThrow();
  });
});
