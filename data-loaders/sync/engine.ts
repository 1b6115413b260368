/**
 * One sync run: every configured source in turn, each isolated (one failing
 * source does not stop the others), then the quarantine check. The sources are the
 * registry's (sources/index.ts) unless the caller passes its own. In demo mode the
 * caller's simulator (the sync CLI starts it: see demo.ts) stands in for
 * the vendors, and each source points itself at it (its definition's `demo`); the
 * engine never imports the simulator.
 */
import { randomUUID } from "node:crypto";
import type { SyncConfig } from "../settings.js";
import {
  acquireLakeLock,
  claimLakeProvenance,
  describeDamage,
  inspectLake,
  LakeDamageError,
  openLake,
  restoreCommand,
  TableInventoryHandle,
  type Lake,
} from "../lake/index.js";
import { buildModels, type BuiltMart } from "../models/run.js";
import { hourKey, RETURNED_BY_HOUR_SPAN_HOURS, summarizeSourceTables, writeRunManifest } from "../contracts.js";
import { createPseudonymizer } from "../privacy.js";
import { driftOf } from "../drift/ledger.js";
import { demoSourcesConfig, type DemoSimulatorHost, type RunningDemoSimulator } from "../sources/definition.js";
import { SOURCE_DEFINITIONS, type SourceList } from "../sources/index.js";
import { EXIT, type SyncArgs } from "./cli-args.js";
import { observeCommits } from "./commit.js";
import { finishRestore, restoreFailure, type RestoreOutcome } from "./restore.js";
import type { SourceRunContext, SourceRunResult } from "./context.js";
import { SyncProgress } from "./progress.js";

export interface SyncRunOptions {
  args: SyncArgs;
  progress?: SyncProgress;
  /** The sources this run knows (default: the registry's). */
  sources?: SourceList;
  /** The simulator demo mode runs against, supplied by the top of the program. Required when the configuration is the demo's. */
  demoSimulator?: DemoSimulatorHost;
  http?: SourceRunContext["http"];
}

export interface SyncRunResult {
  exitCode: number;
  demo: boolean;
  results: Partial<Record<string, SourceRunResult | { error: string }>>;
  marts: BuiltMart[];
  progress: SyncProgress;
}

/** A run that fetches nothing (a replay) still points demo sources somewhere: a port nothing listens on. */
const NO_SIMULATOR_URL = "http://127.0.0.1:9";

/**
 * The demo configuration: every source pointed at the simulator by its definition,
 * after the simulator wrote the files the sources this run fetches from read.
 */
async function demoConfig(config: SyncConfig, sources: SourceList, host: DemoSimulatorHost, simulator: RunningDemoSimulator | undefined, args: SyncArgs, now: Date): Promise<SyncConfig> {
  const files = new Map<string, string>();
  for (const source of sources) {
    const demoFiles = source.demo.files;
    if (!simulator || !demoFiles || (args.sources.length > 0 && !(args.sources as readonly string[]).includes(source.name))) continue;
    const dir = demoFiles.dir(config.lakeDir);
    await simulator.exportFiles(source.name, dir, { startedBefore: demoFiles.startedBefore?.(now) });
    files.set(source.name, dir);
  }
  return demoSourcesConfig(config, sources, { url: simulator?.url ?? NO_SIMULATOR_URL, lakeDir: config.lakeDir, credential: (source, name) => host.credential(source, name) }, files);
}

/**
 * One run on the lake, holding its lock from the first write to the last (sources,
 * replay, models), after checking that the lake was filled by the same kind of run
 * (demo or configured sources). Throws LakeLockedError when another run holds the
 * lake, LakeProvenanceError when this run would mix demo and real data; both before
 * anything is written.
 */
export async function runSync(baseConfig: SyncConfig, options: SyncRunOptions): Promise<SyncRunResult> {
  const sources = options.sources ?? SOURCE_DEFINITIONS;
  if (baseConfig.demo && !options.demoSimulator) throw new Error("demo mode needs the simulator: run the sync through its CLI (demo.ts supplies it)");
  const lock = await acquireLakeLock(baseConfig.lakeDir, { purpose: options.args.replay ? "sync --replay" : "sync" });
  try {
    await claimLakeProvenance(baseConfig.lakeDir, {
      filledBy: baseConfig.demo ? "demo" : "configured",
      sources: sources.map((source) => source.name).filter((source) => baseConfig.sources[source] !== undefined),
    });
    return await runSyncLocked(baseConfig, sources, options);
  } finally {
    await lock.release();
  }
}

async function runSyncLocked(baseConfig: SyncConfig, sources: SourceList, options: SyncRunOptions): Promise<SyncRunResult> {
  const { args } = options;
  const progress = options.progress ?? new SyncProgress(undefined, undefined, args.quiet);
  const now = args.now ?? new Date();
  const demoHost = baseConfig.demo ? options.demoSimulator : undefined;
  // A replay fetches nothing, so it needs no simulator even in demo mode.
  const simulator = demoHost && !args.replay ? await demoHost.start(now) : undefined;
  let config = baseConfig;
  let lake: Lake;
  try {
    if (demoHost) config = await demoConfig(baseConfig, sources, demoHost, simulator, args, now);
    lake = await openLake(baseConfig.lakeDir);
  } catch (error) {
    await simulator?.stop();
    throw error;
  }
  const names = sources.map((source) => source.name);
  const definitionOf = (name: string) => {
    const source = sources.find((definition) => definition.name === name);
    if (!source) throw new Error(`no source named ${name} in this run`);
    return source;
  };
  if (simulator) progress.note(`demo mode: no source configured, using the embedded simulator at ${simulator.url}`);
  const results: SyncRunResult["results"] = {};
  let failed = false;
  let records = 0;
  let quarantined = 0;
  let lakeDamaged = false;
  let restoreIncomplete = false;
  const contextFor = (runId: string): SourceRunContext => ({
    config,
    lake,
    progress,
    runId,
    now,
    since: args.since,
    full: args.full,
    pseudonym: createPseudonymizer(config.pseudonymKey),
    http: options.http ?? {},
  });
  const newRunId = (kind: string) => `${new Date().toISOString().replace(/[:.]/g, "-")}-${kind}${randomUUID().slice(0, 8)}`;
  const manifest = async (source: string, runId: string, startedAt: Date, outcome: { ok: true; result: SourceRunResult } | { ok: false; error: string }, replay: boolean, returnedByHour: Map<string, Map<string, number>>) => {
    const counters = progress.snapshot().get(source);
    const finishedAt = new Date();
    await writeRunManifest(lake.root, {
      source,
      runId,
      startedAt: startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      durationSeconds: (finishedAt.getTime() - startedAt.getTime()) / 1000,
      ok: outcome.ok,
      error: outcome.ok ? null : outcome.error,
      replay,
      rereadFrom: outcome.ok && outcome.result.rereadFrom ? outcome.result.rereadFrom.toISOString() : null,
      recordsFetched: outcome.ok ? outcome.result.records : (counters?.records ?? 0),
      quarantined: outcome.ok ? outcome.result.quarantined : (counters?.quarantined ?? 0),
      driftedRecords: counters?.drifted ?? 0,
      retries: counters?.retries ?? 0,
      pages: counters?.pages ?? 0,
      // A table whose files are not what the lake recorded is not counted: reading it could throw.
      tables: await summarizeSourceTables(lake.root, source).catch(() => ({})),
      returnedByHour: Object.fromEntries([...returnedByHour].map(([table, hours]) => [table, Object.fromEntries([...hours].sort())])),
    });
  };
  try {
    const wanted: readonly string[] = args.sources.length > 0 ? args.sources : names.filter((source) => config.sources[source] !== undefined);

    // Before anything is written: is every month file what the lake recorded? A damaged
    // one (missing, truncated, changed) is set aside and its source rebuilt from the raw
    // archive, which every source writes before it commits, then the recorded row counts
    // are checked. A truncated file would also break every reader of the lake, so all
    // damaged files are set aside before any source runs.
    const damages = await inspectLake(lake.root);
    const restores = new Map<string, RestoreOutcome>();
    for (const damage of damages) progress.note(`lake: ${describeDamage(damage)}`);
    const setAsideRun = newRunId("damaged-");
    for (const source of names) {
      const tables = [...new Set(damages.filter((damage) => damage.source === source).map((damage) => damage.table))];
      if (tables.length === 0) continue;
      lakeDamaged = true;
      const handles: TableInventoryHandle[] = [];
      for (const table of tables) {
        const handle = await TableInventoryHandle.open(lake.root, source, table);
        await handle.setAside(setAsideRun);
        handles.push(handle);
      }
      restores.set(source, { handles });
    }
    for (const [source, restore] of restores) {
      progress.start(source);
      if (config.sources[source] === undefined) {
        restore.problem = restoreFailure(source, `${source} has damaged month files but is not configured in this run, so it cannot be rebuilt`);
      } else if (args.replay && wanted.includes(source)) {
        continue; // this run's own replay of the source is the restore
      } else {
        progress.note(`lake: rebuilding ${source} from the raw archive (what \`${restoreCommand(source)}\` does)`);
        const runId = newRunId("restore-");
        const startedAt = new Date();
        try {
          const result = await definitionOf(source).replay(contextFor(runId));
          restore.problem = await finishRestore(source, restore.handles, progress);
          if (!wanted.includes(source)) await manifest(source, runId, startedAt, { ok: true, result }, true, new Map());
        } catch (error) {
          // Reported once, with what did come back recorded, so the next run (or a --full
          // one) starts from a lake that is consistent with its inventory again.
          await finishRestore(source, restore.handles, progress).catch(() => undefined);
          restore.problem = restoreFailure(source, `rebuilding ${source} from the raw archive failed: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
      if (restore.problem !== undefined) {
        failed = true;
        restoreIncomplete = true;
        results[source] = { error: restore.problem };
        progress.finish(source, { ok: false, error: restore.problem });
        if (wanted.includes(source)) await manifest(source, newRunId(args.replay ? "replay-" : ""), new Date(), { ok: false, error: restore.problem }, args.replay, new Map());
      } else if (!wanted.includes(source)) {
        progress.finish(source, { ok: true });
      }
    }

    for (const source of wanted) {
      const runner = definitionOf(source);
      const run = args.replay ? runner.replay : runner.sync;
      const restore = restores.get(source);
      if (restore?.problem !== undefined) continue; // failed above, with the way to restore it
      if (config.sources[source] === undefined) {
        progress.skip(source, "not configured");
        continue;
      }
      if (!restore) progress.start(source);
      const startedAt = new Date();
      const returnedByHour = new Map<string, Map<string, number>>();
      const recentFrom = now.getTime() - RETURNED_BY_HOUR_SPAN_HOURS * 3_600_000;
      // Records kept with vendor drift, counted once each however often they are committed.
      const drifted = new Set<string>();
      const stopObserving = observeCommits(lake.root, (spec, rows) => {
        if (spec.source !== source) return;
        for (const row of rows) {
          const drift = driftOf(row);
          if (!drift) continue;
          const key = `${spec.name}\u0000${spec.primaryKey.map((column) => String(row[column])).join("\u0000")}`;
          if (drifted.has(key)) continue;
          drifted.add(key);
          progress.drift(source, drift.map((finding) => finding.kind));
        }
        let hours = returnedByHour.get(spec.name);
        if (!hours) returnedByHour.set(spec.name, (hours = new Map()));
        for (const row of rows) {
          const value = row[spec.partitionColumn];
          const time = value instanceof Date ? value.getTime() : typeof value === "string" ? Date.parse(value) : Number.NaN;
          const hour = time >= recentFrom ? hourKey(time) : undefined;
          if (hour) hours.set(hour, (hours.get(hour) ?? 0) + 1);
        }
      });
      const runId = newRunId(args.replay ? "replay-" : "");
      let outcome: { ok: true; result: SourceRunResult } | { ok: false; error: string };
      let restoreChecked = false;
      try {
        const result = await run(contextFor(runId));
        if (restore && args.replay) {
          restoreChecked = true;
          const problem = await finishRestore(source, restore.handles, progress);
          if (problem !== undefined) {
            restoreIncomplete = true;
            throw new Error(problem);
          }
        }
        results[source] = result;
        records += result.records;
        quarantined += result.quarantined;
        progress.finish(source, { ok: true });
        outcome = { ok: true, result };
      } catch (error) {
        failed = true;
        const message = error instanceof Error ? error.message : String(error);
        if (error instanceof LakeDamageError) lakeDamaged = true;
        if (restore && args.replay && !restoreChecked) {
          restoreIncomplete = true;
          await finishRestore(source, restore.handles, progress).catch(() => undefined);
        }
        results[source] = { error: message };
        progress.finish(source, { ok: false, error: message });
        outcome = { ok: false, error: message };
      } finally {
        stopObserving();
      }
      await manifest(source, runId, startedAt, outcome, args.replay, returnedByHour);
    }
  } finally {
    lake.close();
    await simulator?.stop();
  }
  let marts: BuiltMart[] = [];
  // Damage the run did not repair (or a file that went bad during the run) would make
  // the marts lose its rows: keep the previous marts, which still hold them.
  const unrepaired = lakeDamaged ? await inspectLake(config.lakeDir) : [];
  if (!args.skipModels && (unrepaired.length > 0 || restoreIncomplete)) {
    failed = true;
    progress.note(`models not rebuilt: the lake holds partitions that could not be restored (see above); the marts are still the previous run's`);
  } else if (!args.skipModels) {
    // Models are rebuilt even when a source failed: the others' new data is good, and the
    // failed source's tables still hold its last complete state.
    try {
      const started = Date.now();
      // --full and --replay rewrite most of the lake: the full build path is faster than a diff.
      const built = await buildModels(config.lakeDir, {
        publishText: config.publish.text,
        publishIdentities: config.publish.visitorIdentities,
        demo: config.demo,
        builtAt: now,
        full: args.full || args.replay,
      });
      marts = built;
      progress.note(`models: ${built.length} marts rebuilt in ${((Date.now() - started) / 1000).toFixed(1)} s (${built.build.mode}${built.build.reason ? `: ${built.build.reason}` : ""})`);
    } catch (error) {
      failed = true;
      progress.note(`models failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const driftedTotal = [...progress.snapshot()].reduce((sum, [, c]) => sum + c.drifted, 0);
  if (driftedTotal > 0) {
    const perSource = [...progress.snapshot()].filter(([, c]) => c.drifted > 0).map(([name, c]) => `${name} ${c.drifted}`);
    progress.note(`warning: vendor drift kept in ${driftedTotal} records (${perSource.join(", ")}); drift never fails a run: see the drift ledger on the Data page`);
  }
  const share = records === 0 ? 0 : quarantined / records;
  const overQuarantine = share > config.quarantineMaxShare;
  if (overQuarantine) {
    progress.note(
      `quarantine over threshold: ${quarantined} of ${records} records (${(share * 100).toFixed(2)}%) > SI_QUARANTINE_MAX_SHARE ${(config.quarantineMaxShare * 100).toFixed(2)}%`,
    );
  }
  return { exitCode: failed || overQuarantine ? EXIT.SYNC_FAILED : EXIT.OK, demo: config.demo, results, marts, progress };
}
