/**
 * Scale: thirteen months of all three sources, synced from nothing, then one more
 * night, then the site built from that lake. Every step is its own process (the
 * simulator too), measured from outside: wall time, peak RSS per process and, for the
 * sync, per phase (each source, then the models), lake size on disk.
 *
 * The simulator's Upscope history reaches the sync as weekly export files, as in demo
 * mode; the next night writes only the files whose week changed, so the incremental
 * run reads what a real night would.
 */
import { cp, mkdir, readdir, rm, symlink } from "node:fs/promises";
import { join } from "node:path";
import { readRunManifests, type RunManifest } from "../data-loaders/contracts.js";
import { SOURCES, type SourceName } from "../data-loaders/config.js";
import { extrapolateLinear, extrapolateQuadratic } from "./lib/bound.js";
import { ENTERPRISE_ENGAGEMENTS, workPath, type BenchContext } from "./lib/context.js";
import { lakeSizes } from "./lib/disk.js";
import { nodeTs, peakBetween, runMeasured, type MeasuredRun } from "./lib/measure.js";
import { PROJECT_ROOT } from "./lib/paths.js";
import { ExportFigures, parseJsonLine, type BuildRun, type CalibrationRun, type EnterpriseEstimate, type PhasePeak, type ScaleResult, type SourceFigures, type SyncRun } from "./lib/results.js";
import { startSimulatorProcess, syncEnvironment } from "./lib/simulator.js";

const DAY_MS = 24 * 3600 * 1000;

/** Linear through two points (x = engagements), evaluated at x; null when the points coincide. */
function linearThrough(a: { x: number; y: number }, b: { x: number; y: number }, x: number): number | null {
  if (a.x === b.x) return null;
  return a.y + ((b.y - a.y) * (x - a.x)) / (b.x - a.x);
}

/**
 * The enterprise volume's figures from two measured full syncs (none from one: at a small
 * scale the per-window fixed costs dominate, and a straight line from one point overstates).
 */
export function estimateEnterprise(main: { engagements: number; full: SyncRun; incremental: SyncRun | null }, calibration: CalibrationRun | null): EnterpriseEstimate | null {
  const target = ENTERPRISE_ENGAGEMENTS;
  // A run that failed (e.g. its models) did not do all the work, so its time would understate.
  const complete = (run: SyncRun) => !run.cutOff && run.exitCode === 0;
  if (!calibration || !complete(calibration.full) || !complete(main.full) || main.engagements <= 0 || main.engagements >= target) return null;
  const small = { x: calibration.engagements, full: calibration.full.wallSeconds, rss: calibration.full.peakRssBytes };
  const quadratic = extrapolateQuadratic(
    [
      { records: small.x, seconds: small.full },
      { records: main.engagements, seconds: main.full.wallSeconds },
    ],
    target,
  );
  const linearFull = linearThrough({ x: small.x, y: small.full }, { x: main.engagements, y: main.full.wallSeconds }, target);
  const rss = linearThrough({ x: small.x, y: small.rss }, { x: main.engagements, y: main.full.peakRssBytes }, target);
  return {
    engagements: target,
    fullSyncSeconds: quadratic ?? linearFull,
    fit: quadratic === null ? "linear" : "quadratic",
    syncPeakRssBytes: rss === null ? null : Math.max(rss, main.full.peakRssBytes),
    incrementalSeconds: main.incremental ? extrapolateLinear(main.incremental.wallSeconds, main.engagements, target) : null,
  };
}

/** Cuts the sync's main-process RSS timeline into phases by its progress lines. */
export function syncPhases(run: MeasuredRun): PhasePeak[] {
  const phases: PhasePeak[] = [];
  let current: { phase: string; fromMs: number } | undefined;
  let lastSourceEnd = 0;
  for (const { atMs, line } of run.stderrLines) {
    const start = /^\[(\w+)\] starting/.exec(line);
    const end = /^\[(\w+)\] (done|FAILED)/.exec(line);
    if (start?.[1]) current = { phase: start[1], fromMs: atMs };
    else if (end?.[1] && current?.phase === end[1]) {
      phases.push({ phase: current.phase, seconds: (atMs - current.fromMs) / 1000, peakRssBytes: peakBetween(run.mainRss, current.fromMs, atMs) });
      lastSourceEnd = atMs;
      current = undefined;
    } else if (/^models: /.test(line) || /^models failed/.test(line)) {
      phases.push({ phase: "models", seconds: (atMs - lastSourceEnd) / 1000, peakRssBytes: peakBetween(run.mainRss, lastSourceEnd, atMs) });
    }
  }
  return phases;
}

async function runSyncProcess(ctx: BenchContext, env: NodeJS.ProcessEnv, now: string, timeoutMinutes: number): Promise<SyncRun> {
  const [node, args] = nodeTs(join(PROJECT_ROOT, "data-loaders", "sync", "cli.ts"), ["--now", now]);
  const lakeDir = env.SI_LAKE_DIR ?? "";
  const before = new Map<SourceName, number>();
  for (const source of SOURCES) before.set(source, (await readRunManifests(lakeDir, source)).length);
  let lastLog = 0;
  const run = await runMeasured(node, args, {
    cwd: PROJECT_ROOT,
    env,
    timeoutMs: timeoutMinutes * 60_000,
    onStderrLine: (line) => {
      // The sync's own progress, at most every 30 s, so a long run shows it is alive.
      const important = /starting|done|FAILED|models/.test(line);
      if (important || Date.now() - lastLog > 30_000) {
        lastLog = Date.now();
        ctx.log(`  sync: ${line}`);
      }
    },
  });
  const sources: SourceFigures[] = [];
  for (const source of SOURCES) {
    const manifests = await readRunManifests(lakeDir, source);
    const manifest: RunManifest | undefined = manifests.length > (before.get(source) ?? 0) ? manifests.at(-1) : undefined;
    if (!manifest) continue;
    sources.push({
      source,
      ok: manifest.ok,
      error: manifest.error,
      seconds: manifest.durationSeconds,
      recordsFetched: manifest.recordsFetched,
      requests: manifest.pages,
      tableRows: Object.fromEntries(Object.entries(manifest.tables).map(([table, summary]) => [table, summary.rows])),
    });
  }
  const modelsLine = run.stderrLines.map((entry) => /^models: \d+ marts rebuilt in ([\d.]+) s/.exec(entry.line)).find((match) => match);
  return {
    exitCode: run.exitCode,
    wallSeconds: run.wallSeconds,
    cpuSeconds: run.cpuSeconds,
    peakRssBytes: run.peakRssBytes,
    phases: syncPhases(run),
    sources,
    modelsSeconds: modelsLine?.[1] ? Number(modelsLine[1]) : null,
    cutOff: run.exitCode === 124,
    failure:
      run.stderrLines
        .map((entry) => entry.line)
        .filter((line) => /FAILED|models failed|quarantine over threshold/.test(line))
        .map((line) => line.split("\n")[0]?.slice(0, 300) ?? "")
        .join(" ") || null,
  };
}

async function exportSessionFiles(ctx: BenchContext, dir: string, now: string, scale = ctx.profile.scale.scale): Promise<number> {
  const { days } = ctx.profile.scale;
  const [node, args] = nodeTs(join(PROJECT_ROOT, "bench", "drivers", "export-session-files.ts"), [
    "--dir", dir, "--seed", String(ctx.profile.seed), "--days", String(days), "--scale", String(scale), "--now", now,
  ]);
  const run = await runMeasured(node, args, { cwd: PROJECT_ROOT });
  if (run.exitCode !== 0) throw new Error(`session file export failed: ${run.stderrLines.map((l) => l.line).join("\n").slice(-2000)}`);
  const figures = parseJsonLine(run.stdout, ExportFigures);
  ctx.log(`scale: ${figures.sessions} Upscope sessions in ${figures.files} weekly files (${run.wallSeconds.toFixed(1)} s)`);
  return run.wallSeconds;
}

/** What the project copy for the build needs: the site, its loaders and their imports. */
const SITE_ENTRIES = ["src", "observablehq.config.ts", "data-loaders", "tools", "simulator", "embedded", "package.json", "package-lock.json", "tsconfig.json"];

/**
 * A copy of the project to build in, so the benchmark's build never touches the
 * project's own Framework cache (`src/.observablehq/`) or `dist/`, which other work
 * may be using. node_modules is linked, not copied.
 */
async function makeSiteCopy(target: string): Promise<void> {
  await rm(target, { recursive: true, force: true });
  await mkdir(target, { recursive: true });
  const present = new Set(await readdir(PROJECT_ROOT));
  for (const entry of SITE_ENTRIES) {
    if (!present.has(entry)) continue;
    await cp(join(PROJECT_ROOT, entry), join(target, entry), {
      recursive: true,
      filter: (source) => !source.includes(`${join(PROJECT_ROOT, "src", ".observablehq")}`),
    });
  }
  await symlink(join(PROJECT_ROOT, "node_modules"), join(target, "node_modules"), "dir");
}

export async function buildSite(ctx: BenchContext, lakeDir: string): Promise<{ run: BuildRun; distDir: string }> {
  const siteDir = workPath(ctx, "site");
  // Inside the copy: Framework clears an output folder only within its working directory.
  const distDir = join(siteDir, "dist");
  await makeSiteCopy(siteDir);
  await rm(distDir, { recursive: true, force: true });
  const [node, args] = nodeTs(join(siteDir, "tools", "build.ts"), ["--skip-sync"]);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    // Framework runs TypeScript loaders with `tsx` from PATH, as under `npm run build`.
    PATH: `${join(siteDir, "node_modules", ".bin")}:${process.env.PATH ?? ""}`,
    SI_LAKE_DIR: lakeDir,
    SI_BUILD_OUTPUT: distDir,
    OBSERVABLE_TELEMETRY_DISABLE: "true",
  };
  const run = await runMeasured(node, args, { cwd: siteDir, env, sampleMs: 100 });
  if (run.exitCode !== 0) ctx.log(`scale: build failed (${run.exitCode}): ${run.stderrLines.map((l) => l.line).join("\n").slice(-1500)}`);
  return {
    run: {
      exitCode: run.exitCode,
      wallSeconds: run.wallSeconds,
      cpuSeconds: run.cpuSeconds,
      peakRssBytes: run.peakRssBytes,
      processes: run.processes.slice(0, 8).map((peak) => ({ ...peak, label: peak.label.replace(`${siteDir}/`, "") })),
    },
    distDir,
  };
}

function rowsOf(run: SyncRun, source: SourceName, table: string): number {
  return run.sources.find((figures) => figures.source === source)?.tableRows[table] ?? 0;
}

/** Night 1 only, at another scale, in its own lake (removed afterwards). */
async function calibrate(ctx: BenchContext, scale: number): Promise<CalibrationRun> {
  const { days, fullSyncTimeoutMinutes } = ctx.profile.scale;
  const lakeDir = workPath(ctx, "calibration-lake");
  const sessionFiles = workPath(ctx, "calibration-upscope-session-files");
  await rm(lakeDir, { recursive: true, force: true });
  await rm(sessionFiles, { recursive: true, force: true });
  await exportSessionFiles(ctx, sessionFiles, ctx.profile.now, scale);
  const simulator = await startSimulatorProcess({ seed: ctx.profile.seed, days, scale, now: ctx.profile.now, latencyMs: 0 });
  ctx.log(`scale: calibration: full sync of ${days} days at scale ${scale}`);
  let full: SyncRun;
  try {
    const env = syncEnvironment({ simulatorUrl: simulator.url, lakeDir, historyDays: days, sources: ["upscope", "liveperson", "agendize"], upscopeSessionFiles: sessionFiles });
    full = await runSyncProcess(ctx, env, ctx.profile.now, fullSyncTimeoutMinutes);
  } finally {
    await simulator.stop();
  }
  ctx.log(`scale: calibration sync exit ${full.exitCode} after ${full.wallSeconds.toFixed(1)} s, peak RSS ${(full.peakRssBytes / 2 ** 20).toFixed(0)} MiB`);
  await rm(lakeDir, { recursive: true, force: true });
  await rm(sessionFiles, { recursive: true, force: true });
  return { scale, engagements: rowsOf(full, "liveperson", "engagements"), full };
}

export async function measureScale(ctx: BenchContext): Promise<ScaleResult> {
  const { scale, days, fullSyncTimeoutMinutes, calibrationScale } = ctx.profile.scale;
  const calibration = calibrationScale === null ? null : await calibrate(ctx, calibrationScale);
  const lakeDir = workPath(ctx, "scale-lake");
  const sessionFiles = workPath(ctx, "scale-upscope-session-files");
  await rm(lakeDir, { recursive: true, force: true });
  await rm(sessionFiles, { recursive: true, force: true });
  const nextNight = new Date(Date.parse(ctx.profile.now) + DAY_MS).toISOString();
  let simulatorPeak = 0;

  // Night 1: everything from nothing.
  const sessionFilesSeconds = await exportSessionFiles(ctx, sessionFiles, ctx.profile.now);
  let simulator = await startSimulatorProcess({ seed: ctx.profile.seed, days, scale, now: ctx.profile.now, latencyMs: 0 });
  ctx.log(`scale: full sync of ${days} days at scale ${scale} (simulator at ${simulator.url})`);
  const env = (url: string) => syncEnvironment({ simulatorUrl: url, lakeDir, historyDays: days, sources: ["upscope", "liveperson", "agendize"], upscopeSessionFiles: sessionFiles });
  let full: SyncRun;
  try {
    full = await runSyncProcess(ctx, env(simulator.url), ctx.profile.now, fullSyncTimeoutMinutes);
  } finally {
    simulatorPeak = Math.max(simulatorPeak, await simulator.stop());
  }
  ctx.log(`scale: full sync ${full.cutOff ? "CUT OFF" : `exit ${full.exitCode}`} after ${full.wallSeconds.toFixed(1)} s, peak RSS ${(full.peakRssBytes / 2 ** 20).toFixed(0)} MiB`);
  const volume = {
    engagements: rowsOf(full, "liveperson", "engagements"),
    cobrowseSessions: rowsOf(full, "upscope", "sessions"),
    agendizeChats: rowsOf(full, "agendize", "chats"),
  };
  const lake = await lakeSizes(lakeDir);

  // Night 2: one new day. Skipped when night 1 did not finish (there is no complete lake to add to).
  let incremental: SyncRun | null = null;
  if (!full.cutOff && full.exitCode === 0) {
    await exportSessionFiles(ctx, sessionFiles, nextNight);
    simulator = await startSimulatorProcess({ seed: ctx.profile.seed, days, scale, now: nextNight, latencyMs: 0 });
    try {
      incremental = await runSyncProcess(ctx, env(simulator.url), nextNight, fullSyncTimeoutMinutes);
    } finally {
      simulatorPeak = Math.max(simulatorPeak, await simulator.stop());
    }
    ctx.log(`scale: incremental sync exit ${incremental.exitCode} after ${incremental.wallSeconds.toFixed(1)} s, peak RSS ${(incremental.peakRssBytes / 2 ** 20).toFixed(0)} MiB`);
  }

  let build: BuildRun | null = null;
  let distDir: string | null = null;
  if (!full.cutOff) {
    ctx.log("scale: building the site from that lake");
    const built = await buildSite(ctx, lakeDir);
    build = built.run;
    distDir = built.run.exitCode === 0 ? built.distDir : null;
    ctx.log(`scale: build exit ${build.exitCode} after ${build.wallSeconds.toFixed(1)} s, peak RSS ${(build.peakRssBytes / 2 ** 20).toFixed(0)} MiB`);
  }

  return {
    scale,
    days,
    volume,
    sessionFilesSeconds,
    full,
    incremental,
    incrementalShare: incremental && full.wallSeconds > 0 ? incremental.wallSeconds / full.wallSeconds : null,
    lake,
    build,
    distDir,
    simulatorPeakRssBytes: simulatorPeak,
    calibration,
    enterprise: estimateEnterprise({ engagements: volume.engagements, full, incremental }, calibration),
  };
}
