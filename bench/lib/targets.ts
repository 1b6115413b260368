/**
 * The issue's targets, judged from one run's results, each with a note saying what the
 * figure is made of (and so why a missed one is missed). Pure: unit-tested.
 */
import { evaluateTarget, formatBytes, formatSeconds, type TargetInput, type TargetResult } from "./bound.js";
import { ENTERPRISE_ENGAGEMENTS } from "./context.js";
import type { BenchResults } from "./results.js";

export const GIB = 1024 ** 3;
export const PAGE_DATA_LIMIT_BYTES = 2 * 1024 ** 2;
export const RUN_LIMIT_SECONDS = { quick: 5 * 60, full: 60 * 60 } as const;

const percent = (value: number | null) => (value === null ? "–" : `${(value * 100).toFixed(value < 0.1 ? 1 : 0)}%`);
const rate = (value: number) => `${Math.round(value).toLocaleString("en-US")}/s`;

export function computeTargets(results: Omit<BenchResults, "targets">): TargetResult[] {
  const targets: TargetInput[] = [];
  const { throughput, ingest, scale, pages } = results;

  for (const run of throughput?.runs ?? []) {
    const perRequest = run.sync.requests > 0 ? run.sync.records / run.sync.requests : 0;
    const partial = run.partialShare > 0;
    // Ids without a suffix are the simulator's default share (the realistic case).
    const suffix = partial ? "" : "-no-partial";
    const records = partial ? `${Math.round(run.partialShare * 100)}% partial records` : "no partial records";
    // A partial record costs one more request: with p partial, a page of 100 takes 1 + 100p requests.
    const ceiling = 1 / (1 + 100 * run.partialShare);
    targets.push({
      id: `throughput-bound-c${run.concurrency}${suffix}`,
      label: `LivePerson sync / bound (C = ${run.concurrency}, L = ${throughput?.latencyMs} ms, ${records})`,
      measured: run.achievedOverBound,
      limit: 0.9,
      direction: "at-least",
      unit: "share",
      note:
        `${rate(run.sync.recordsPerSecond)} against ${rate(run.boundRecordsPerSecond)}; ` +
        `${run.sync.requests.toLocaleString("en-US")} requests for ${run.sync.records.toLocaleString("en-US")} records (${perRequest.toFixed(0)} per request, where the bound assumes 100)` +
        (partial ? `: each record LivePerson marks partial is fetched again by its id, one per request, so no exact client can pass ${percent(ceiling)} of the bound. ` : ". ") +
        `Requests ran at ${percent(run.requestRateOverBound)} of C / L; the fetch path alone (no validation, no lake) reached ${percent(run.fetchOnlyOverBound)} of the bound.`,
    });
    targets.push({
      id: `throughput-naive-c${run.concurrency}${suffix}`,
      label: `LivePerson sync / naive client (C = ${run.concurrency}, ${records})`,
      measured: run.syncOverNaive,
      limit: 5,
      direction: "at-least",
      unit: "ratio",
      note:
        `naive client ${rate(run.naive.recordsPerSecond)} (month windows, one request at a time, no keep-alive, no partial re-fetch, nothing validated or stored); ` +
        `our fetch path alone ${rate(run.fetchOnly.recordsPerSecond)}.`,
    });
  }

  if (ingest) {
    targets.push({
      id: "ingest-floor",
      label: "Ingest of archived pages / DuckDB floor",
      measured: ingest.oursOverFloor,
      limit: 2,
      direction: "at-most",
      unit: "ratio",
      note: `${ingest.ours.rows.toLocaleString("en-US")} rows: ours ${formatSeconds(ingest.ours.seconds)} (CPU ${formatSeconds(ingest.ours.cpuSeconds)}), read_json + COPY ${formatSeconds(ingest.floor.seconds)} (CPU ${formatSeconds(ingest.floor.cpuSeconds)}).`,
    });
  }

  if (scale) {
    const volumeNote = `at scale ${scale.scale}: ${scale.volume.engagements.toLocaleString("en-US")} engagements, ${(scale.volume.engagements / ENTERPRISE_ENGAGEMENTS * 100).toFixed(0)}% of the enterprise volume`;
    targets.push({
      id: "incremental-share",
      label: "Incremental night / full sync",
      measured: scale.incrementalShare,
      limit: 0.05,
      direction: "at-most",
      unit: "share",
      note: scale.incremental
        ? `${formatSeconds(scale.incremental.wallSeconds)} against ${formatSeconds(scale.full.wallSeconds)} (${volumeNote}); the incremental run includes the model rebuild (${formatSeconds(scale.incremental.modelsSeconds)}).` +
          (scale.enterprise?.incrementalSeconds && scale.enterprise.fullSyncSeconds
            ? ` Estimated at the enterprise volume: ${percent(scale.enterprise.incrementalSeconds / scale.enterprise.fullSyncSeconds)}.`
            : "")
        : `no incremental run: the full sync ${scale.full.cutOff ? "was cut off at the time limit" : `exited ${scale.full.exitCode}`}.`,
    });
    const syncRuns = [scale.full, ...(scale.incremental ? [scale.incremental] : [])];
    const syncPeak = Math.max(...syncRuns.map((run) => run.peakRssBytes));
    const peakPhase = syncRuns.flatMap((run) => run.phases).sort((a, b) => b.peakRssBytes - a.peakRssBytes)[0];
    targets.push({
      id: "rss-sync",
      label: "Peak RSS of the sync process",
      measured: syncPeak,
      limit: GIB,
      direction: "at-most",
      unit: "bytes",
      note:
        `${peakPhase ? `highest during ${peakPhase.phase} (${formatBytes(peakPhase.peakRssBytes)} sampled)` : "no phase data"}; ${volumeNote}.` +
        (scale.enterprise?.syncPeakRssBytes ? ` Estimated at the enterprise volume: ${formatBytes(scale.enterprise.syncPeakRssBytes)}.` : ""),
    });
    if (scale.build) {
      const largest = scale.build.processes[0];
      const built = scale.build.exitCode === 0;
      targets.push({
        id: "rss-build",
        label: "Peak RSS of any build process",
        // A failed build did not do the work, so its memory says nothing.
        measured: built ? scale.build.peakRssBytes : null,
        limit: GIB,
        direction: "at-most",
        unit: "bytes",
        note: !built
          ? `the build failed (exit ${scale.build.exitCode}${scale.full.exitCode !== 0 ? ": the sync before it had failed" : ""}).`
          : largest
            ? `largest: ${largest.label} (${formatBytes(largest.peakRssBytes)} sampled); build took ${formatSeconds(scale.build.wallSeconds)}.`
            : "",
      });
    }
    if (scale.full.exitCode !== 0) {
      const failed = [...scale.full.sources.filter((source) => !source.ok).map((source) => source.source), ...(scale.full.modelsSeconds === null ? ["models"] : [])];
      targets.push({
        id: "full-sync-completes",
        label: "Full sync completes",
        measured: 0,
        limit: 1,
        direction: "at-least",
        unit: "boolean",
        note: `${scale.full.cutOff ? "cut off at the time limit" : `exit ${scale.full.exitCode}`}${failed.length > 0 ? `; failed: ${failed.join(", ")}` : ""} (${volumeNote}).${scale.full.failure ? ` ${scale.full.failure}` : ""}`,
      });
    }
  }

  if (pages) {
    const all = pages.pages;
    const heaviest = [...all].sort((a, b) => b.dataBytes - a.dataBytes)[0];
    const slowest = pages.slowest;
    const slowestWeight = all.find((page) => page.path === slowest?.path) ?? all[0];
    targets.push({
      id: "page-data",
      label: "Data per page (largest page)",
      measured: pages.maxDataBytes,
      limit: PAGE_DATA_LIMIT_BYTES,
      direction: "at-most",
      unit: "bytes",
      note: heaviest
        ? `heaviest: ${heaviest.path}, ${heaviest.dataFiles} files${
            (heaviest.files ?? []).length > 0
              ? `, the largest ${(heaviest.files ?? [])
                  .slice(0, 3)
                  .map((file) => `${file.path} (${formatBytes(file.bytes)})`)
                  .join(", ")}`
              : ""
          }.`
        : "",
    });
    targets.push({
      id: "first-chart",
      label: "Time to first chart (slowest page)",
      measured: pages.maxFirstChartMs === null ? null : pages.maxFirstChartMs / 1000,
      limit: 1,
      direction: "at-most",
      unit: "seconds",
      note: slowest
        ? `slowest: ${slowest.path}${slowestWeight ? `; a page also downloads ${formatBytes(slowestWeight.totalBytes - slowestWeight.dataBytes)} of scripts and WebAssembly besides its data` : ""}.`
        : "",
    });
  }

  // A measurement that failed still gets its row, so a failure cannot read as a met target.
  const unmeasured: Record<string, Array<Omit<TargetInput, "measured" | "note">>> = {
    throughput: [
      { id: "throughput-bound", label: "LivePerson sync / bound", limit: 0.9, direction: "at-least", unit: "share" },
      { id: "throughput-naive", label: "LivePerson sync / naive client", limit: 5, direction: "at-least", unit: "ratio" },
    ],
    ingest: [{ id: "ingest-floor", label: "Ingest of archived pages / DuckDB floor", limit: 2, direction: "at-most", unit: "ratio" }],
    scale: [
      { id: "incremental-share", label: "Incremental night / full sync", limit: 0.05, direction: "at-most", unit: "share" },
      { id: "rss-sync", label: "Peak RSS of the sync process", limit: GIB, direction: "at-most", unit: "bytes" },
    ],
    pages: [
      { id: "page-data", label: "Data per page (largest page)", limit: PAGE_DATA_LIMIT_BYTES, direction: "at-most", unit: "bytes" },
      { id: "first-chart", label: "Time to first chart (slowest page)", limit: 1, direction: "at-most", unit: "seconds" },
    ],
  };
  for (const [name, message] of Object.entries(results.errors)) {
    for (const target of unmeasured[name] ?? []) targets.push({ ...target, measured: null, note: `${name} failed: ${message}` });
  }

  // The time limits are for whole runs; a single measurement is not judged against them.
  if (results.only.length === 0) {
    targets.push({
      id: "run-time",
      label: `${results.profile.name === "quick" ? "`--quick`" : "Full"} run time`,
      measured: results.durationSeconds,
      limit: RUN_LIMIT_SECONDS[results.profile.name],
      direction: "at-most",
      unit: "seconds",
      note: "every measurement",
    });
  }
  return targets.map(evaluateTarget);
}
