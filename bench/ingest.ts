/**
 * Ingest cost against DuckDB's own floor. The same archived LivePerson search pages
 * (the raw archive a sync wrote) become the staging Parquet two ways, each in its own
 * process:
 *
 * - our path: `npm run sync -- --replay --source liveperson --skip-models` into a lake
 *   holding only that archive (zod validation, pseudonyms, content hashes, batched
 *   commits through the lake's merge-by-key upsert), timed by its run manifest;
 * - the floor (bench/drivers/ingest-floor.ts): one DuckDB `read_json` + `COPY ... TO`.
 *
 * Both must produce the same number of rows, or the comparison is void.
 */
import { cp, mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { readRunManifests } from "../data-loaders/contracts.js";
import { openLakeDuckDB } from "../data-loaders/lake/index.js";
import { ratio } from "./lib/bound.js";
import { workPath, type BenchContext } from "./lib/context.js";
import { directorySize } from "./lib/disk.js";
import { nodeTs, runMeasured } from "./lib/measure.js";
import { PROJECT_ROOT } from "./lib/paths.js";
import { FloorFigures, parseJsonLine, type IngestResult } from "./lib/results.js";
import { startSimulatorProcess, syncEnvironment } from "./lib/simulator.js";

/** Syncs LivePerson once, fast (no added latency), only to get a raw archive to ingest. */
async function makeArchive(ctx: BenchContext, lakeDir: string): Promise<void> {
  const { scale, days } = ctx.profile.ingest;
  const simulator = await startSimulatorProcess({ seed: ctx.profile.seed, days, scale, now: ctx.profile.now, latencyMs: 0 });
  try {
    const env = syncEnvironment({ simulatorUrl: simulator.url, lakeDir, historyDays: days, sources: ["liveperson"] });
    const [node, args] = nodeTs(join(PROJECT_ROOT, "data-loaders", "sync", "cli.ts"), ["--source", "liveperson", "--skip-models", "--quiet", "--now", ctx.profile.now]);
    const run = await runMeasured(node, args, { cwd: PROJECT_ROOT, env });
    if (run.exitCode !== 0) throw new Error(`setup sync failed: ${run.stderrLines.map((l) => l.line).join("\n").slice(-2000)}`);
  } finally {
    await simulator.stop();
  }
}

/**
 * @param sourceLake a lake whose LivePerson raw archive to ingest (the throughput run's);
 * without one, a setup sync of the profile's ingest size makes it.
 */
export async function measureIngest(ctx: BenchContext, sourceLake?: string): Promise<IngestResult> {
  let archiveLake = sourceLake;
  if (!archiveLake) {
    archiveLake = workPath(ctx, "ingest-source-lake");
    await rm(archiveLake, { recursive: true, force: true });
    ctx.log(`ingest: syncing ${ctx.profile.ingest.days} days at scale ${ctx.profile.ingest.scale} to get a raw archive`);
    await makeArchive(ctx, archiveLake);
  }
  const rawSource = join(archiveLake, "_raw", "source=liveperson");
  const archiveBytes = await directorySize(rawSource);

  // Our path: a lake that holds only the archive, replayed.
  const lakeDir = workPath(ctx, "ingest-replay-lake");
  await rm(lakeDir, { recursive: true, force: true });
  await mkdir(join(lakeDir, "_raw"), { recursive: true });
  await cp(rawSource, join(lakeDir, "_raw", "source=liveperson"), { recursive: true });
  const env = syncEnvironment({ simulatorUrl: "http://127.0.0.1:9", lakeDir, historyDays: ctx.profile.ingest.days, sources: ["liveperson"] });
  const [node, replayArgs] = nodeTs(join(PROJECT_ROOT, "data-loaders", "sync", "cli.ts"), ["--replay", "--source", "liveperson", "--skip-models", "--quiet"]);
  const replay = await runMeasured(node, replayArgs, { cwd: PROJECT_ROOT, env });
  if (replay.exitCode !== 0) throw new Error(`replay failed: ${replay.stderrLines.map((l) => l.line).join("\n").slice(-2000)}`);
  const manifest = (await readRunManifests(lakeDir, "liveperson")).at(-1);
  if (!manifest) throw new Error("the replay wrote no run manifest");
  const reader = await openLakeDuckDB(lakeDir);
  let ourRows: number;
  try {
    ourRows = Number((await reader.queryRows("SELECT count(*) AS n FROM liveperson.engagements"))[0]?.n ?? 0);
  } finally {
    reader.close();
  }
  const ourParquet = await directorySize(join(lakeDir, "source=liveperson", "table=engagements"));
  ctx.log(`ingest: our path ${ourRows} rows in ${manifest.durationSeconds.toFixed(1)} s`);

  // The floor.
  const floorOut = workPath(ctx, "ingest-floor");
  const [, floorArgs] = nodeTs(join(PROJECT_ROOT, "bench", "drivers", "ingest-floor.ts"), ["--raw", rawSource, "--out", floorOut]);
  const floorRun = await runMeasured(node, floorArgs, { cwd: PROJECT_ROOT });
  if (floorRun.exitCode !== 0) throw new Error(`floor driver failed: ${floorRun.stderrLines.map((l) => l.line).join("\n").slice(-2000)}`);
  const floor = parseJsonLine(floorRun.stdout, FloorFigures);
  ctx.log(`ingest: DuckDB floor ${floor.rows} rows in ${floor.seconds.toFixed(2)} s`);
  if (floor.rows !== ourRows) throw new Error(`ingest: our path wrote ${ourRows} rows but the floor ${floor.rows}: not the same work, so no ratio`);
  await rm(floorOut, { recursive: true, force: true });
  await rm(lakeDir, { recursive: true, force: true });

  return {
    archiveBytes,
    records: manifest.recordsFetched,
    ours: { seconds: manifest.durationSeconds, rows: ourRows, parquetBytes: ourParquet, peakRssBytes: replay.peakRssBytes, cpuSeconds: replay.cpuSeconds },
    floor: { seconds: floor.seconds, rows: floor.rows, parquetBytes: floor.bytes, peakRssBytes: floorRun.peakRssBytes, cpuSeconds: floorRun.cpuSeconds },
    oursOverFloor: ratio(manifest.durationSeconds, floor.seconds),
  };
}

