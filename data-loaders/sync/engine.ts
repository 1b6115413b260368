/**
 * One sync run: every configured source in turn, each isolated (one failing
 * source does not stop the others), then the quarantine check. In demo mode the
 * embedded simulator is started on a free loopback port and stands in for all
 * three vendors, with its demo credentials.
 */
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { DEMO_CREDENTIALS, everyFaultAt, exportEmbeddedEventFiles, exportUpscopeSessionFiles, startSimulator, type SimulatorOptions } from "../../simulator/index.js";
import { SOURCES, type SourceName, type SyncConfig } from "../config.js";
import { openLake, type Lake } from "../lake/index.js";
import { replayAgendize, syncAgendize } from "../agendize/sync.js";
import { replayLivePerson } from "../liveperson/replay.js";
import { syncLivePerson } from "../liveperson/sync.js";
import { buildModels, type BuiltMart } from "../models/run.js";
import { hourKey, RETURNED_BY_HOUR_SPAN_HOURS, summarizeSourceTables, writeRunManifest } from "../contracts.js";
import { replayUpscope, syncUpscope } from "../upscope/sync.js";
import { demoEmbeddedEventsDir } from "../embedded/config.js";
import { replayEmbedded, syncEmbedded } from "../embedded/sync.js";
import { createPseudonymizer } from "../privacy.js";
import { driftOf } from "../drift/ledger.js";
import { EXIT, type SyncArgs } from "./cli-args.js";
import { observeCommits } from "./commit.js";
import type { SourceRunContext, SourceRunResult } from "./context.js";
import { SyncProgress } from "./progress.js";

type SourceSync = (ctx: SourceRunContext) => Promise<SourceRunResult>;

interface SourceRunner {
  /** Fetch from the vendor into the lake. */
  sync: SourceSync;
  /** Rebuild the lake tables from the raw archive, fetching nothing (`--replay`). */
  replay: SourceSync;
}

export const SOURCE_RUNNERS: Record<SourceName, SourceRunner> = {
  upscope: { sync: syncUpscope, replay: replayUpscope },
  liveperson: { sync: syncLivePerson, replay: replayLivePerson },
  agendize: { sync: syncAgendize, replay: replayAgendize },
  embedded: { sync: syncEmbedded, replay: replayEmbedded },
};

export interface SyncRunOptions {
  args: SyncArgs;
  progress?: SyncProgress;
  /** Simulator settings for demo mode (tests pin the clock and switch faults on). */
  demo?: SimulatorOptions;
  http?: SourceRunContext["http"];
}

export interface SyncRunResult {
  exitCode: number;
  demo: boolean;
  results: Partial<Record<SourceName, SourceRunResult | { error: string }>>;
  marts: BuiltMart[];
  progress: SyncProgress;
}

/**
 * Demo Upscope history: the simulator's sessions that started more than this many days
 * before now, written as a customer's weekly export files; the API brings the later ones
 * (its recent sessions reach 30 days back, so the two overlap and merge by id).
 */
export const DEMO_SESSION_FILES_LAG_DAYS = 7;

/**
 * The demo lifts the simulator's Upscope `/list` cap (100 by default, to show the trap):
 * the documented list has no paging, so with a cap a visitor who never co-browsed and is
 * not among the latest cannot be reached at all. Lifted, the demo lake equals the
 * simulator's ground truth. Demo options can still set a cap.
 */
export const DEMO_UPSCOPE_LIST_CAP = 1_000_000;

/** Where demo mode writes the simulator's Upscope session files: inside the lake, under a "_" folder readers skip. */
export function demoSessionFilesDir(lakeDir: string): string {
  return join(lakeDir, "_demo", "upscope-session-files");
}

/** Points every source at the simulator with its demo credentials (and Upscope at the demo session files, if written). */
export function demoConfig(config: SyncConfig, simulatorUrl: string, upscopeSessionFiles?: string): SyncConfig {
  return {
    ...config,
    sources: {
      upscope: {
        baseUrl: `${simulatorUrl}/upscope/v1.3`,
        onPremise: false,
        auth: { kind: "api-key", apiKey: DEMO_CREDENTIALS.upscope.apiKey },
        sessionFiles: upscopeSessionFiles,
        concurrency: 4,
      },
      liveperson: {
        accountId: DEMO_CREDENTIALS.liveperson.accountId,
        csdsUrl: `${simulatorUrl}/liveperson/csds`,
        auth: { kind: "bearer", token: DEMO_CREDENTIALS.liveperson.bearerToken },
        source: "SupportInsights",
        concurrency: 4,
      },
      agendize: {
        baseUrl: `${simulatorUrl}/agendize/api/2.0`,
        listPath: "/chat/history",
        auth: { kind: "api-key", apiKey: DEMO_CREDENTIALS.agendize.apiKey, token: DEMO_CREDENTIALS.agendize.token },
        companyTimeZone: "Europe/Paris",
        windowDays: 7,
        concurrency: 2,
      },
      // The simulator's recorder event files (written by runSync before the sources run).
      embedded: { eventsDir: demoEmbeddedEventsDir(config.lakeDir) },
    },
  };
}


/** The simulator settings from SI_DEMO_* (SI_DEMO_FAULT_RATE switches every fault on at that rate). */
export function demoSimulatorOptions(config: SyncConfig): SimulatorOptions {
  const { seed, days, scale, faultRate, servedShare, driftRate, driftKinds } = config.demoSimulator;
  return {
    seed,
    days,
    scale,
    faults: faultRate > 0 ? everyFaultAt(faultRate) : {},
    servedShare,
    ...(driftRate > 0 ? { drift: { rate: driftRate, ...(driftKinds ? { kinds: driftKinds } : {}) } } : {}),
  };
}

export async function runSync(baseConfig: SyncConfig, options: SyncRunOptions): Promise<SyncRunResult> {
  const { args } = options;
  const progress = options.progress ?? new SyncProgress(undefined, undefined, args.quiet);
  const now = args.now ?? new Date();
  // A replay fetches nothing, so it needs no simulator even in demo mode.
  const simulatorOptions: SimulatorOptions = { now, upscopeListCap: DEMO_UPSCOPE_LIST_CAP, ...demoSimulatorOptions(baseConfig), ...options.demo };
  const simulator = baseConfig.demo && !args.replay ? await startSimulator(simulatorOptions) : undefined;
  let upscopeSessionFiles: string | undefined;
  let lake: Lake;
  try {
    // Demo Upscope history: the simulator's sessions older than the lag, as weekly export files.
    if (simulator && (args.sources.length === 0 || args.sources.includes("upscope"))) {
      upscopeSessionFiles = demoSessionFilesDir(baseConfig.lakeDir);
      const startedBefore = new Date(now.getTime() - DEMO_SESSION_FILES_LAG_DAYS * 24 * 3600 * 1000);
      await exportUpscopeSessionFiles(simulatorOptions, upscopeSessionFiles, { startedBefore });
    }
    // Demo embedded events: what the recorder would have collected for the simulator's sessions.
    if (simulator && (args.sources.length === 0 || args.sources.includes("embedded"))) {
      await exportEmbeddedEventFiles(simulatorOptions, demoEmbeddedEventsDir(baseConfig.lakeDir));
    }
    lake = await openLake(baseConfig.lakeDir);
  } catch (error) {
    await simulator?.stop();
    throw error;
  }
  const config = baseConfig.demo ? demoConfig(baseConfig, simulator?.url ?? "http://127.0.0.1:9", upscopeSessionFiles) : baseConfig;
  if (simulator) progress.note(`demo mode: no source configured, using the embedded simulator at ${simulator.url}`);
  const results: SyncRunResult["results"] = {};
  let failed = false;
  let records = 0;
  let quarantined = 0;
  try {
    const wanted = args.sources.length > 0 ? args.sources : SOURCES.filter((source) => config.sources[source] !== undefined);
    for (const source of wanted) {
      const runner = SOURCE_RUNNERS[source];
      const run = args.replay ? runner.replay : runner.sync;
      if (config.sources[source] === undefined) {
        progress.skip(source, "not configured");
        continue;
      }
      progress.start(source);
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
      const runId = `${new Date().toISOString().replace(/[:.]/g, "-")}-${args.replay ? "replay-" : ""}${randomUUID().slice(0, 8)}`;
      let outcome: { ok: true; result: SourceRunResult } | { ok: false; error: string };
      try {
        const result = await run({
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
        results[source] = result;
        records += result.records;
        quarantined += result.quarantined;
        progress.finish(source, { ok: true });
        outcome = { ok: true, result };
      } catch (error) {
        failed = true;
        const message = error instanceof Error ? error.message : String(error);
        results[source] = { error: message };
        progress.finish(source, { ok: false, error: message });
        outcome = { ok: false, error: message };
      } finally {
        stopObserving();
      }
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
        replay: args.replay,
        rereadFrom: outcome.ok && outcome.result.rereadFrom ? outcome.result.rereadFrom.toISOString() : null,
        recordsFetched: outcome.ok ? outcome.result.records : (counters?.records ?? 0),
        quarantined: outcome.ok ? outcome.result.quarantined : (counters?.quarantined ?? 0),
        driftedRecords: counters?.drifted ?? 0,
        retries: counters?.retries ?? 0,
        pages: counters?.pages ?? 0,
        tables: await summarizeSourceTables(lake.root, source),
        returnedByHour: Object.fromEntries([...returnedByHour].map(([table, hours]) => [table, Object.fromEntries([...hours].sort())])),
      });
    }
  } finally {
    lake.close();
    await simulator?.stop();
  }
  let marts: BuiltMart[] = [];
  if (!args.skipModels) {
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
