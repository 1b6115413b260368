/**
 * Sync throughput against its bound. The simulator adds latency L to every response;
 * LivePerson search returns at most 100 records per request, so with C requests in
 * flight no client can exceed C × 100 / L records per second. Measured over the same
 * history, each in its own process:
 *
 * - our sync: `npm run sync -- --source liveperson --skip-models` (fetch, validation,
 *   raw archive, lake commits), timed by its own run manifest;
 * - our fetch path alone (bench/drivers/liveperson-fetch.ts): the same client and
 *   windows without archive or lake, to show where the time goes;
 * - the naive baseline (bench/naive-client.ts): one request at a time, no keep-alive.
 *
 * The bound counts requests that each return 100 records. LivePerson marks some records
 * `isPartial` (about 4% in the simulator), and each must be fetched again by its
 * engagementId, one record per request: with a share p, a page of 100 costs 1 + 100p
 * requests, so no exact client passes 1 / (1 + 100p) of the bound (20% at 4%). Each run
 * is therefore made twice: against the simulator's default share, and against a
 * simulator serving no partial record, the bound's own assumption.
 */
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { readRunManifests } from "../data-loaders/contracts.js";
import { ratio, requestBoundPerSecond, searchBoundRecordsPerSecond } from "./lib/bound.js";
import { workPath, type BenchContext } from "./lib/context.js";
import { nodeTs, runMeasured } from "./lib/measure.js";
import { PROJECT_ROOT } from "./lib/paths.js";
import { startSimulatorProcess, syncEnvironment } from "./lib/simulator.js";
import { parseJsonLine, RateFigures, type ClientRun, type ThroughputResult, type ThroughputRun } from "./lib/results.js";

const DAY_MS = 24 * 3600 * 1000;

function clientRun(figures: { records: number; requests: number; seconds: number }, peakRssBytes: number): ClientRun {
  return {
    ...figures,
    recordsPerSecond: figures.records / figures.seconds,
    requestsPerSecond: figures.requests / figures.seconds,
    peakRssBytes,
  };
}

export async function measureThroughput(ctx: BenchContext): Promise<ThroughputResult> {
  const { latencyMs, concurrency, partialShares, scale, days } = ctx.profile.throughput;
  const nowMs = Date.parse(ctx.profile.now);
  const from = nowMs - days * DAY_MS;
  const runs: ThroughputRun[] = [];
  let firstLake = "";
  let simulatorPeak = 0;
  const [node] = nodeTs(join(PROJECT_ROOT, "bench", "naive-client.ts"));
  const measuredChild = async (what: string, script: string, args: string[], env?: NodeJS.ProcessEnv) => {
    const [, childArgs] = nodeTs(script, args);
    const run = await runMeasured(node, childArgs, { cwd: PROJECT_ROOT, ...(env ? { env } : {}) });
    if (run.exitCode !== 0) throw new Error(`${what} failed (${run.exitCode}): ${run.stderrLines.map((l) => l.line).join("\n").slice(-2000)}`);
    return run;
  };

  for (const partialShare of partialShares) {
    const simulator = await startSimulatorProcess({ seed: ctx.profile.seed, days, scale, now: ctx.profile.now, latencyMs, livePersonPartialShare: partialShare });
    const share = `${(partialShare * 100).toFixed(0)}% partial`;
    ctx.log(`throughput: simulator at ${simulator.url}, L = ${latencyMs} ms, scale ${scale}, ${days} days, ${share} records`);
    try {
      const naiveRun = await measuredChild("naive client", join(PROJECT_ROOT, "bench", "naive-client.ts"), ["--url", simulator.url, "--from", String(from), "--to", String(nowMs)]);
      const naive = clientRun(parseJsonLine(naiveRun.stdout, RateFigures), naiveRun.peakRssBytes);
      ctx.log(`throughput (${share}): naive client ${naive.records} records in ${naive.seconds.toFixed(1)} s (${Math.round(naive.recordsPerSecond)}/s)`);

      for (const c of concurrency) {
        const bound = searchBoundRecordsPerSecond(c, latencyMs);
        const requestBound = requestBoundPerSecond(c, latencyMs);
        const fetchRun = await measuredChild("fetch driver", join(PROJECT_ROOT, "bench", "drivers", "liveperson-fetch.ts"), [
          "--url", simulator.url, "--from", String(from), "--to", String(nowMs), "--concurrency", String(c),
        ]);
        const fetchOnly = clientRun(parseJsonLine(fetchRun.stdout, RateFigures), fetchRun.peakRssBytes);
        ctx.log(`throughput (${share}): C = ${c}: fetch path ${fetchOnly.records} records, ${fetchOnly.requests} requests in ${fetchOnly.seconds.toFixed(1)} s (${Math.round(fetchOnly.recordsPerSecond)}/s)`);

        const lakeDir = workPath(ctx, `throughput-lake-c${c}-p${partialShare}`);
        await rm(lakeDir, { recursive: true, force: true });
        firstLake ||= lakeDir;
        const env = syncEnvironment({ simulatorUrl: simulator.url, lakeDir, historyDays: days, sources: ["liveperson"], livePersonConcurrency: c });
        const syncRun = await measuredChild("sync", join(PROJECT_ROOT, "data-loaders", "sync", "cli.ts"), ["--source", "liveperson", "--skip-models", "--quiet", "--now", ctx.profile.now], env);
        const manifest = (await readRunManifests(lakeDir, "liveperson")).at(-1);
        if (!manifest) throw new Error(`the sync wrote no run manifest under ${lakeDir}`);
        const sync = clientRun({ records: manifest.recordsFetched, requests: manifest.pages, seconds: manifest.durationSeconds }, syncRun.peakRssBytes);
        ctx.log(`throughput (${share}): C = ${c}: sync ${sync.records} records, ${sync.requests} requests in ${sync.seconds.toFixed(1)} s (${Math.round(sync.recordsPerSecond)}/s), bound ${Math.round(bound)}/s`);
        runs.push({
          concurrency: c,
          partialShare,
          boundRecordsPerSecond: bound,
          boundRequestsPerSecond: requestBound,
          sync,
          fetchOnly,
          naive,
          achievedOverBound: ratio(sync.recordsPerSecond, bound),
          requestRateOverBound: ratio(sync.requestsPerSecond, requestBound),
          fetchOnlyOverBound: ratio(fetchOnly.recordsPerSecond, bound),
          syncOverNaive: ratio(sync.recordsPerSecond, naive.recordsPerSecond),
          fetchOnlyOverNaive: ratio(fetchOnly.recordsPerSecond, naive.recordsPerSecond),
        });
        // Only the first lake is kept (for the ingest measurement).
        if (lakeDir !== firstLake) await rm(lakeDir, { recursive: true, force: true });
      }
    } finally {
      simulatorPeak = Math.max(simulatorPeak, await simulator.stop());
    }
  }
  return { latencyMs, scale, days, runs, lakeDir: firstLake, simulatorPeakRssBytes: simulatorPeak };
}
